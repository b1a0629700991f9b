//! The result sheet as JSON: the sheet's figures under named keys, in reading order, and
//! the library's full verification report (SPEC.md §14.9) verbatim under
//! `verification`, so nothing is lost.

use serde::Serialize;
use serde_json::value::RawValue;

use super::{Counts, Item, RuleCheck, Sheet};
use crate::failure::Failure;

#[derive(Serialize)]
struct Rule<'a> {
    inequality: &'a str,
    evaluated: &'a str,
    minimum: u64,
    margin: i64,
    met: bool,
}

impl<'a> From<&'a RuleCheck> for Rule<'a> {
    fn from(r: &'a RuleCheck) -> Self {
        Rule {
            inequality: &r.inequality,
            evaluated: &r.evaluated,
            minimum: r.minimum,
            margin: r.margin,
            met: r.met,
        }
    }
}

#[derive(Serialize)]
struct CountsJson {
    #[serde(rename = "for")]
    yes: u64,
    against: u64,
    abstain: u64,
    invalid: u64,
}

impl From<&Counts> for CountsJson {
    fn from(c: &Counts) -> Self {
        CountsJson {
            yes: c.yes,
            against: c.no,
            abstain: c.abstain,
            invalid: c.invalid,
        }
    }
}

#[derive(Serialize)]
struct Ratio {
    numerator: u64,
    denominator: u64,
    basis_points: Option<u64>,
}

impl From<&secret_ballot::rules::Ratio> for Ratio {
    fn from(r: &secret_ballot::rules::Ratio) -> Self {
        Ratio {
            numerator: r.numerator,
            denominator: r.denominator,
            basis_points: r.basis_points(),
        }
    }
}

#[derive(Serialize)]
struct Attendance<'a> {
    roster: u64,
    present: u64,
    quorum: Rule<'a>,
    credentials_issued: u64,
    ballots_accepted: u64,
    ballots_spoiled: u64,
    paper_voters: u64,
    present_not_voting: u64,
}

#[derive(Serialize)]
struct Option_<'a> {
    name: &'a str,
    marks: u64,
}

#[derive(Serialize)]
struct Candidate<'a> {
    name: &'a str,
    counts: CountsJson,
    rule: Rule<'a>,
    qualified: bool,
    elected: bool,
}

#[derive(Serialize)]
struct Pending<'a> {
    kind: &'a str,
    candidates: &'a [String],
    seats: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct Subject<'a> {
    name: &'a str,
    levels: Vec<Ratio>,
    blank: u64,
    invalid: u64,
    valid: u64,
    indicators: Vec<Ratio>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Question<'a> {
    Motion {
        number: usize,
        title: &'a str,
        counts: CountsJson,
        rule: Rule<'a>,
        passed: bool,
    },
    Choice {
        number: usize,
        title: &'a str,
        min: u16,
        max: u16,
        options: Vec<Option_<'a>>,
    },
    Election {
        number: usize,
        title: &'a str,
        seats: u16,
        candidates: Vec<Candidate<'a>>,
        elected: &'a [String],
        pending: Option<Pending<'a>>,
        vacant: u16,
    },
    Evaluation {
        number: usize,
        title: &'a str,
        levels: &'a [String],
        allow_blank: bool,
        indicators: &'a [String],
        subjects: Vec<Subject<'a>>,
    },
}

#[derive(Serialize)]
struct Scrutineers<'a> {
    trustees: usize,
    threshold: u16,
    decrypted_by: &'a [u16],
    shares_verified: u64,
    paper_count_signed_by: &'a [u16],
}

#[derive(Serialize)]
struct SheetJson<'a> {
    format: &'static str,
    title: &'a str,
    election_id: &'a str,
    manifest_hash: &'a str,
    record_head: &'a str,
    closed_at: &'a str,
    entries: usize,
    attendance: Attendance<'a>,
    pass_rule: &'a str,
    questions: Vec<Question<'a>>,
    scrutineers: Scrutineers<'a>,
    verification: &'a RawValue,
}

fn question<'a>(number: usize, title: &'a str, item: &'a Item) -> Question<'a> {
    match item {
        Item::Motion {
            counts,
            rule,
            passed,
        } => Question::Motion {
            number,
            title,
            counts: counts.into(),
            rule: rule.into(),
            passed: *passed,
        },
        Item::Choice { options, min, max } => Question::Choice {
            number,
            title,
            min: *min,
            max: *max,
            options: options
                .iter()
                .map(|(name, marks)| Option_ {
                    name,
                    marks: *marks,
                })
                .collect(),
        },
        Item::Election {
            seats,
            candidates,
            elected,
            pending,
            vacant,
        } => Question::Election {
            number,
            title,
            seats: *seats,
            candidates: candidates
                .iter()
                .map(|c| Candidate {
                    name: &c.name,
                    counts: (&c.counts).into(),
                    rule: (&c.rule).into(),
                    qualified: c.qualified,
                    elected: c.elected,
                })
                .collect(),
            elected,
            pending: pending.as_ref().map(|p| Pending {
                kind: p.kind,
                candidates: &p.candidates,
                seats: p.seats,
                text: &p.text,
            }),
            vacant: *vacant,
        },
        Item::Evaluation {
            levels,
            allow_blank,
            indicators,
            subjects,
        } => Question::Evaluation {
            number,
            title,
            levels,
            allow_blank: *allow_blank,
            indicators,
            subjects: subjects
                .iter()
                .map(|s| Subject {
                    name: &s.name,
                    levels: s.levels.iter().map(Ratio::from).collect(),
                    blank: s.blank,
                    invalid: s.invalid,
                    valid: s.valid,
                    indicators: s.indicators.iter().map(Ratio::from).collect(),
                })
                .collect(),
        },
    }
}

pub(super) fn render(sheet: &Sheet) -> Result<String, Failure> {
    let internal = |e: serde_json::Error| Failure::new(format!("internal error: {e}"));
    let verification: Box<RawValue> =
        RawValue::from_string(sheet.verification.clone()).map_err(internal)?;
    let value = SheetJson {
        format: "secret-ballot-result-sheet-v1",
        title: &sheet.title,
        election_id: &sheet.election_id,
        manifest_hash: &sheet.manifest_hash,
        record_head: &sheet.record_head,
        closed_at: &sheet.closed_at,
        entries: sheet.entries,
        attendance: Attendance {
            roster: sheet.roster,
            present: sheet.present,
            quorum: (&sheet.quorum).into(),
            credentials_issued: sheet.credentials,
            ballots_accepted: sheet.ballots,
            ballots_spoiled: sheet.spoiled,
            paper_voters: sheet.paper,
            present_not_voting: sheet.present_not_voting,
        },
        pass_rule: &sheet.pass_rule,
        questions: sheet
            .questions
            .iter()
            .map(|q| question(q.number, &q.title, &q.item))
            .collect(),
        scrutineers: Scrutineers {
            trustees: sheet.trustees,
            threshold: sheet.threshold,
            decrypted_by: &sheet.decrypted_by,
            shares_verified: sheet.shares_verified,
            paper_count_signed_by: &sheet.paper_signers,
        },
        verification: &verification,
    };
    let mut text = serde_json::to_string_pretty(&value).map_err(internal)?;
    text.push('\n');
    Ok(text)
}
