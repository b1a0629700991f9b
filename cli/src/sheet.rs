//! The result sheet of DOMAIN.md ("The result report"), built only from a record that
//! verified, and rendered as text, JSON, CSV or a printable HTML page.
//!
//! Everything on the sheet is a count, a rule or a hash: nothing per voter. The figures
//! come from the verified report (totals, outcomes, attendance); the rules are shown as
//! the inequalities they are, evaluated with the counts, with the margin to them.

mod csv;
mod html;
mod json;
mod text;

use secret_ballot::manifest::{Manifest, Question};
use secret_ballot::rules::{Base, Bases, EvaluationCounts, Pending, Ratio, Strictness, Threshold};
use secret_ballot::tally::QuestionOutcome;
use secret_ballot::verify::{CheckId, Status};

use crate::Format;
use crate::failure::Failure;
use crate::verify::Verified;

/// A label in Chinese and English, as a congress prints it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Label {
    /// The Chinese term.
    pub(crate) zh: &'static str,
    /// The English term.
    pub(crate) en: &'static str,
}

impl Label {
    /// "同意 for".
    pub(crate) fn both(self) -> String {
        format!("{} {}", self.zh, self.en)
    }
}

const fn label(zh: &'static str, en: &'static str) -> Label {
    Label { zh, en }
}

pub(crate) const FOR: Label = label("同意", "for");
pub(crate) const AGAINST: Label = label("不同意", "against");
pub(crate) const ABSTAIN: Label = label("弃权", "abstain");
pub(crate) const INVALID: Label = label("无效", "invalid");
pub(crate) const BLANK: Label = label("不了解", "blank");
pub(crate) const VALID: Label = label("有效", "valid");
pub(crate) const ROSTER: Label = label("应到", "representatives");
pub(crate) const PRESENT: Label = label("实到", "present");
pub(crate) const QUORUM: Label = label("法定人数", "quorum");
pub(crate) const PASSED: Label = label("通过", "passed");
pub(crate) const NOT_PASSED: Label = label("未通过", "not passed");
pub(crate) const ELECTED: Label = label("当选", "elected");
pub(crate) const NOT_ELECTED: Label = label("未当选", "not elected");
pub(crate) const SCRUTINEERS: Label = label("监票人", "scrutineers");

/// A threshold evaluated with a count.
#[derive(Clone, Debug)]
pub(crate) struct RuleCheck {
    /// The rule as an inequality, e.g. `2·Y > N`.
    pub(crate) inequality: String,
    /// The inequality with the numbers, e.g. `2·187 = 374 > 300`.
    pub(crate) evaluated: String,
    /// The smallest count that meets the rule.
    pub(crate) minimum: u64,
    /// `count − minimum`.
    pub(crate) margin: i64,
    /// Whether the count meets the rule.
    pub(crate) met: bool,
}

fn coefficient(c: u32, symbol: &str) -> String {
    if c == 1 {
        symbol.to_owned()
    } else {
        format!("{c}·{symbol}")
    }
}

fn base_symbol(base: Base) -> &'static str {
    match base {
        Base::Roster => "N",
        Base::Present => "P",
        Base::VotesCast => "V",
        _ => "B",
    }
}

/// A threshold as an inequality in the count `symbol`, e.g. `3·P ≥ 2·N`.
pub(crate) fn inequality(t: &Threshold, symbol: &str) -> String {
    let op = match t.strictness() {
        Strictness::Strict => ">",
        Strictness::Inclusive => "≥",
    };
    format!(
        "{} {op} {}",
        coefficient(t.denominator(), symbol),
        coefficient(t.numerator(), base_symbol(t.base()))
    )
}

impl RuleCheck {
    fn new(t: &Threshold, symbol: &str, count: u64, bases: &Bases) -> Self {
        let base = match t.base() {
            Base::Present => bases.present,
            Base::VotesCast => bases.votes_cast,
            _ => bases.roster,
        };
        let met = t.is_met(count, bases);
        let op = match (t.strictness(), met) {
            (Strictness::Strict, true) => ">",
            (Strictness::Strict, false) => "≤",
            (Strictness::Inclusive, true) => "≥",
            (Strictness::Inclusive, false) => "<",
        };
        let side = |c: u32, n: u64| {
            if c == 1 {
                n.to_string()
            } else {
                format!("{c}·{n} = {}", u128::from(c) * u128::from(n))
            }
        };
        let minimum = t.minimum(bases);
        RuleCheck {
            inequality: inequality(t, symbol),
            evaluated: format!(
                "{} {op} {}",
                side(t.denominator(), count),
                side(t.numerator(), base)
            ),
            minimum,
            margin: i64::try_from(t.margin(count, bases)).unwrap_or(i64::MIN),
            met,
        }
    }

    /// "+12" or "−3".
    pub(crate) fn margin_text(&self) -> String {
        signed(self.margin)
    }
}

/// "+12", "0" or "−3".
pub(crate) fn signed(n: i64) -> String {
    match n {
        n if n > 0 => format!("+{n}"),
        0 => "0".to_owned(),
        n => format!("−{}", n.unsigned_abs()),
    }
}

/// For, against, abstain and invalid answers to one item.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Counts {
    pub(crate) yes: u64,
    pub(crate) no: u64,
    pub(crate) abstain: u64,
    /// Voters (online and paper) who gave no valid answer: invalid or blank papers.
    pub(crate) invalid: u64,
}

impl Counts {
    fn new(yes: u64, no: u64, abstain: u64, voters: u64) -> Self {
        let cast = yes.saturating_add(no).saturating_add(abstain);
        Counts {
            yes,
            no,
            abstain,
            invalid: voters.saturating_sub(cast),
        }
    }

    fn cast(&self) -> u64 {
        self.yes
            .saturating_add(self.no)
            .saturating_add(self.abstain)
    }
}

/// One candidate of an election.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub(crate) name: String,
    pub(crate) counts: Counts,
    pub(crate) rule: RuleCheck,
    pub(crate) qualified: bool,
    pub(crate) elected: bool,
    /// "当选 elected", "run-off", …
    pub(crate) result: String,
}

/// What the counts could not decide in an election.
#[derive(Clone, Debug)]
pub(crate) struct PendingDecision {
    /// `runoff`, `lot` or `shortfall_runoff`.
    pub(crate) kind: &'static str,
    /// The candidates concerned (none for a shortfall run-off).
    pub(crate) candidates: Vec<String>,
    /// Seats to fill.
    pub(crate) seats: usize,
    /// In words.
    pub(crate) text: String,
}

/// One evaluation subject.
#[derive(Clone, Debug)]
pub(crate) struct Subject {
    pub(crate) name: String,
    /// Per level: the count over the valid answers.
    pub(crate) levels: Vec<Ratio>,
    pub(crate) blank: u64,
    /// Voters who gave no answer for the subject (invalid papers).
    pub(crate) invalid: u64,
    pub(crate) valid: u64,
    /// Per named indicator: numerator over the valid answers (from the record).
    pub(crate) indicators: Vec<Ratio>,
}

impl Subject {
    /// The subject's row of a table: name, each level's count and percentage, blanks
    /// (when the scale allows them), invalid, valid, then each indicator.
    pub(crate) fn cells(&self, allow_blank: bool) -> Vec<String> {
        let mut cells = vec![self.name.clone()];
        cells.extend(
            self.levels
                .iter()
                .map(|r| format!("{} ({})", r.numerator, percent(r))),
        );
        if allow_blank {
            cells.push(self.blank.to_string());
        }
        cells.push(self.invalid.to_string());
        cells.push(self.valid.to_string());
        cells.extend(
            self.indicators
                .iter()
                .map(|r| format!("{} ({}/{})", percent(r), r.numerator, r.denominator)),
        );
        cells
    }
}

/// What a question's part of the sheet holds.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    Motion {
        counts: Counts,
        rule: RuleCheck,
        passed: bool,
    },
    Choice {
        options: Vec<(String, u64)>,
        min: u16,
        max: u16,
    },
    Election {
        seats: u16,
        candidates: Vec<Candidate>,
        elected: Vec<String>,
        pending: Option<PendingDecision>,
        vacant: u16,
    },
    Evaluation {
        levels: Vec<String>,
        allow_blank: bool,
        indicators: Vec<String>,
        subjects: Vec<Subject>,
    },
}

/// One question.
#[derive(Clone, Debug)]
pub(crate) struct QuestionSheet {
    /// 1-based, in ballot order.
    pub(crate) number: usize,
    pub(crate) title: String,
    pub(crate) item: Item,
}

impl QuestionSheet {
    /// `motion`, `choice`, `election` or `evaluation`.
    pub(crate) fn kind(&self) -> &'static str {
        match self.item {
            Item::Motion { .. } => "motion",
            Item::Choice { .. } => "choice",
            Item::Election { .. } => "election",
            Item::Evaluation { .. } => "evaluation",
        }
    }
}

/// The whole result sheet.
#[derive(Clone, Debug)]
pub(crate) struct Sheet {
    pub(crate) title: String,
    pub(crate) election_id: String,
    pub(crate) manifest_hash: String,
    pub(crate) record_head: String,
    pub(crate) entries: usize,
    /// When voting closed, as `YYYY-MM-DD hh:mm:ss UTC`.
    pub(crate) closed_at: String,
    pub(crate) roster: u64,
    pub(crate) present: u64,
    pub(crate) quorum: RuleCheck,
    pub(crate) pass_rule: String,
    pub(crate) votes_cast_rule: bool,
    pub(crate) credentials: u64,
    pub(crate) ballots: u64,
    pub(crate) spoiled: u64,
    pub(crate) paper: u64,
    pub(crate) present_not_voting: u64,
    pub(crate) questions: Vec<QuestionSheet>,
    pub(crate) trustees: usize,
    pub(crate) threshold: u16,
    pub(crate) decrypted_by: Vec<u16>,
    pub(crate) shares_verified: u64,
    pub(crate) paper_signers: Vec<u16>,
    /// The verification report as JSON (SPEC.md §14.9).
    pub(crate) verification: String,
}

/// Seconds since the Unix epoch as `YYYY-MM-DD hh:mm:ss UTC` (the proleptic Gregorian
/// calendar, by the days-from-civil inverse of H. Hinnant's date algorithms).
pub(crate) fn utc(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(i64::MAX / 2);
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A percentage with two decimals from basis points, or "—" when undefined.
pub(crate) fn percent(ratio: &Ratio) -> String {
    match ratio.basis_points() {
        Some(bp) => format!("{}.{:02} %", bp / 100, bp % 100),
        None => "—".to_owned(),
    }
}

/// "minimum 151 votes for", or a note when the minimum differs by candidate (a rule on
/// the votes cast).
pub(crate) fn candidate_minimum(candidates: &[Candidate]) -> String {
    match candidates.first() {
        Some(first)
            if candidates
                .iter()
                .all(|c| c.rule.minimum == first.rule.minimum) =>
        {
            format!("minimum {} votes for", first.rule.minimum)
        }
        Some(_) => "the minimum depends on each candidate's votes cast (see the margin)".to_owned(),
        None => "no candidates".to_owned(),
    }
}

/// The elected, or why nobody is.
pub(crate) fn elected_text(elected: &[String], quorum: bool) -> String {
    match (elected.is_empty(), quorum) {
        (false, _) => elected.join(", "),
        (true, true) => "nobody".to_owned(),
        (true, false) => "nobody (no quorum)".to_owned(),
    }
}

/// Trustee indices as "1, 2, 3".
pub(crate) fn list(items: &[u16]) -> String {
    let parts: Vec<String> = items.iter().map(ToString::to_string).collect();
    parts.join(", ")
}

fn name_of(names: &[String], index: usize) -> String {
    names
        .get(index)
        .cloned()
        .unwrap_or_else(|| format!("candidate {}", index + 1))
}

fn pending(p: &Pending, names: &[String]) -> PendingDecision {
    let named = |c: &[usize]| c.iter().map(|&i| name_of(names, i)).collect::<Vec<_>>();
    let plural = |n: usize| if n == 1 { "seat" } else { "seats" };
    match p {
        Pending::Runoff { candidates, seats } => {
            let names = named(candidates);
            PendingDecision {
                kind: "runoff",
                text: format!(
                    "tie: run-off among {} for {seats} {}",
                    names.join(", "),
                    plural(*seats)
                ),
                candidates: names,
                seats: *seats,
            }
        }
        Pending::Lot { candidates, seats } => {
            let names = named(candidates);
            PendingDecision {
                kind: "lot",
                text: format!(
                    "tie: lot among {} for {seats} {}",
                    names.join(", "),
                    plural(*seats)
                ),
                candidates: names,
                seats: *seats,
            }
        }
        Pending::ShortfallRunoff { seats } => PendingDecision {
            kind: "shortfall_runoff",
            text: format!(
                "too few candidates met the rule: run-off for {seats} unfilled {}",
                plural(*seats)
            ),
            candidates: Vec::new(),
            seats: *seats,
        },
    }
}

struct Context<'a> {
    manifest: &'a Manifest,
    quorum: bool,
    roster: u64,
    present: u64,
    voters: u64,
}

impl Context<'_> {
    fn bases(&self, votes_cast: u64) -> Bases {
        Bases {
            roster: self.roster,
            present: self.present,
            votes_cast,
        }
    }
}

fn question_sheet(
    ctx: &Context<'_>,
    question: &Question,
    totals: &[u64],
    outcome: &QuestionOutcome,
) -> Result<(String, Item), Failure> {
    let at = |i: usize| totals.get(i).copied().unwrap_or(0);
    let mismatch = || Failure::new("the record's outcomes do not match its manifest's questions");
    Ok(match (question, outcome) {
        (Question::Motion { title }, QuestionOutcome::Motion { passed, .. }) => {
            let counts = Counts::new(at(0), at(1), at(2), ctx.voters);
            let rule = RuleCheck::new(
                &ctx.manifest.pass,
                "Y",
                counts.yes,
                &ctx.bases(counts.cast()),
            );
            (
                title.clone(),
                Item::Motion {
                    counts,
                    rule,
                    passed: *passed,
                },
            )
        }
        (
            Question::Choice {
                title,
                options,
                min,
                max,
            },
            QuestionOutcome::Choice,
        ) => (
            title.clone(),
            Item::Choice {
                options: options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (o.clone(), at(i)))
                    .collect(),
                min: *min,
                max: *max,
            },
        ),
        (
            Question::Election {
                title,
                candidates,
                seats,
            },
            QuestionOutcome::Election {
                qualified,
                elected,
                pending: undecided,
                vacant,
            },
        ) => {
            let pending = undecided.as_ref().map(|p| pending(p, candidates));
            let in_pending = |c: usize| match undecided {
                Some(Pending::Runoff { candidates, .. })
                | Some(Pending::Lot { candidates, .. }) => candidates.contains(&c),
                _ => false,
            };
            let lines = candidates
                .iter()
                .enumerate()
                .map(|(c, name)| {
                    let counts = Counts::new(at(3 * c), at(3 * c + 1), at(3 * c + 2), ctx.voters);
                    let rule = RuleCheck::new(
                        &ctx.manifest.pass,
                        "Y",
                        counts.yes,
                        &ctx.bases(counts.cast()),
                    );
                    let index = u16::try_from(c).unwrap_or(u16::MAX);
                    let is_elected = elected.contains(&index);
                    let is_qualified = qualified.contains(&index);
                    let result = if is_elected {
                        ELECTED.both()
                    } else if in_pending(c) {
                        match undecided {
                            Some(Pending::Lot { .. }) => "tied: lot".to_owned(),
                            _ => "tied: run-off".to_owned(),
                        }
                    } else if is_qualified && !ctx.quorum {
                        format!("{} (no quorum)", NOT_ELECTED.both())
                    } else {
                        NOT_ELECTED.both()
                    };
                    Candidate {
                        name: name.clone(),
                        counts,
                        rule,
                        qualified: is_qualified,
                        elected: is_elected,
                        result,
                    }
                })
                .collect();
            (
                title.clone(),
                Item::Election {
                    seats: *seats,
                    candidates: lines,
                    elected: elected
                        .iter()
                        .map(|&i| name_of(candidates, usize::from(i)))
                        .collect(),
                    pending,
                    vacant: *vacant,
                },
            )
        }
        (
            Question::Evaluation {
                title,
                subjects,
                levels,
                allow_blank,
                indicators,
            },
            QuestionOutcome::Evaluation { indicators: values },
        ) => {
            let stride = levels.len() + usize::from(*allow_blank);
            let mut lines = Vec::with_capacity(subjects.len());
            for (s, name) in subjects.iter().enumerate() {
                let counts = EvaluationCounts {
                    levels: (0..levels.len()).map(|l| at(s * stride + l)).collect(),
                    blank: if *allow_blank {
                        at(s * stride + levels.len())
                    } else {
                        0
                    },
                };
                let valid = counts.valid();
                lines.push(Subject {
                    name: name.clone(),
                    levels: (0..levels.len())
                        .filter_map(|l| counts.level_ratio(l))
                        .collect(),
                    blank: counts.blank,
                    invalid: ctx
                        .voters
                        .saturating_sub(valid.saturating_add(counts.blank)),
                    valid,
                    indicators: values.get(s).cloned().ok_or_else(mismatch)?,
                });
            }
            (
                title.clone(),
                Item::Evaluation {
                    levels: levels.clone(),
                    allow_blank: *allow_blank,
                    indicators: indicators.iter().map(|(n, _)| n.clone()).collect(),
                    subjects: lines,
                },
            )
        }
        _ => return Err(mismatch()),
    })
}

impl Sheet {
    /// The sheet of a record that verified and is tallied.
    ///
    /// # Errors
    /// A record that is not valid and tallied, or whose parts do not fit together.
    pub(crate) fn new(verified: &Verified) -> Result<Self, Failure> {
        let report = &verified.report;
        let incomplete = || Failure::new("the record is not tallied: no result sheet yet");
        if !report.is_valid_and_tallied() {
            return Err(incomplete());
        }
        let manifest = report.manifest.as_ref().ok_or_else(incomplete)?;
        let totals = report.totals.as_ref().ok_or_else(incomplete)?;
        let outcomes = report.outcomes.as_ref().ok_or_else(incomplete)?;
        let context = report.context.ok_or_else(incomplete)?;
        let roster = u64::from(manifest.roster);
        let present = u64::from(report.present.ok_or_else(incomplete)?);
        let paper = u64::from(report.offline_voters);
        let ctx = Context {
            manifest,
            quorum: outcomes.quorum,
            roster,
            present,
            voters: report.ballots.saturating_add(paper),
        };
        let mut questions = Vec::with_capacity(manifest.questions.len());
        let mut offset = 0;
        for (i, (question, outcome)) in manifest
            .questions
            .iter()
            .zip(&outcomes.questions)
            .enumerate()
        {
            let width = question.width();
            let slice = totals
                .get(offset..offset + width)
                .ok_or_else(|| Failure::new("the record's totals are shorter than its ballot"))?;
            offset += width;
            let (title, item) = question_sheet(&ctx, question, slice, outcome)?;
            questions.push(QuestionSheet {
                number: i + 1,
                title,
                item,
            });
        }
        let shares_verified = match report.status(CheckId::DecryptionShares) {
            Status::Passed { items } => *items,
            _ => 0,
        };
        Ok(Sheet {
            title: manifest.title.clone(),
            election_id: String::from_utf8(manifest.election_id.clone())
                .unwrap_or_else(|_| hex::encode(&manifest.election_id)),
            manifest_hash: hex::encode(context),
            record_head: hex::encode(report.head),
            entries: report.entries,
            closed_at: report.closed_at.map_or_else(|| "—".to_owned(), utc),
            roster,
            present,
            quorum: RuleCheck::new(&manifest.quorum, "P", present, &ctx.bases(0)),
            pass_rule: inequality(&manifest.pass, "Y"),
            votes_cast_rule: manifest.pass.base() == Base::VotesCast
                || manifest.quorum.base() == Base::VotesCast,
            credentials: report.credentials.unwrap_or(0),
            ballots: report.ballots,
            spoiled: report.spoiled,
            paper,
            present_not_voting: present.saturating_sub(ctx.voters),
            questions,
            trustees: manifest.trustee_keys.len(),
            threshold: manifest.trustee_threshold,
            decrypted_by: report.decrypted_by.clone(),
            shares_verified,
            paper_signers: verified.paper_signers.clone(),
            verification: report.to_json(),
        })
    }

    /// The sheet in a format.
    pub(crate) fn render(&self, format: Format) -> Result<String, Failure> {
        match format {
            Format::Text => Ok(text::render(self)),
            Format::Json => json::render(self),
            Format::Csv => Ok(csv::render(self)),
            Format::Html => Ok(html::render(self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_781_775_000), "2026-06-18 09:30:00 UTC");
        assert_eq!(utc(4_107_542_399), "2100-02-28 23:59:59 UTC");
    }
}
