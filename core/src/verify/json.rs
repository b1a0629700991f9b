//! The report as JSON (SPEC.md §14.9): one canonical text that the command-line tool
//! prints and the Python and WASM bindings return, so every face shows the same report.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use super::report::{Report, Stage, Status, Verdict};
use crate::json::{hex, numbers, optional_number, string};
use crate::rules::{Pending, Ratio};
use crate::tally::{Outcomes, QuestionOutcome};

fn ratio(out: &mut String, r: &Ratio) {
    let _ = write!(
        out,
        "{{\"numerator\":{},\"denominator\":{},\"basis_points\":",
        r.numerator, r.denominator
    );
    optional_number(out, r.basis_points());
    out.push('}');
}

fn pending(out: &mut String, p: Option<&Pending>) {
    match p {
        None => out.push_str("null"),
        Some(Pending::Runoff { candidates, seats }) => {
            out.push_str("{\"kind\":\"runoff\",\"candidates\":");
            numbers(out, candidates);
            let _ = write!(out, ",\"seats\":{seats}}}");
        }
        Some(Pending::Lot { candidates, seats }) => {
            out.push_str("{\"kind\":\"lot\",\"candidates\":");
            numbers(out, candidates);
            let _ = write!(out, ",\"seats\":{seats}}}");
        }
        Some(Pending::ShortfallRunoff { seats }) => {
            let _ = write!(out, "{{\"kind\":\"shortfall_runoff\",\"seats\":{seats}}}");
        }
    }
}

/// The outcomes as JSON (SPEC.md §14.9), shared with the record view (§14.10).
pub(crate) fn outcomes(out: &mut String, o: &Outcomes) {
    let _ = write!(
        out,
        "{{\"roster\":{},\"present\":{},\"quorum\":{},\"questions\":[",
        o.roster, o.present, o.quorum
    );
    for (i, q) in o.questions.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match q {
            QuestionOutcome::Motion { passed, minimum } => {
                let _ = write!(
                    out,
                    "{{\"kind\":\"motion\",\"passed\":{passed},\"minimum\":{minimum}}}"
                );
            }
            QuestionOutcome::Choice => out.push_str("{\"kind\":\"choice\"}"),
            QuestionOutcome::Election {
                qualified,
                elected,
                pending: p,
                vacant,
            } => {
                out.push_str("{\"kind\":\"election\",\"qualified\":");
                numbers(out, qualified);
                out.push_str(",\"elected\":");
                numbers(out, elected);
                out.push_str(",\"pending\":");
                pending(out, p.as_ref());
                let _ = write!(out, ",\"vacant\":{vacant}}}");
            }
            QuestionOutcome::Evaluation { indicators } => {
                out.push_str("{\"kind\":\"evaluation\",\"indicators\":[");
                for (s, row) in indicators.iter().enumerate() {
                    if s > 0 {
                        out.push(',');
                    }
                    out.push('[');
                    for (k, r) in row.iter().enumerate() {
                        if k > 0 {
                            out.push(',');
                        }
                        ratio(out, r);
                    }
                    out.push(']');
                }
                out.push_str("]}");
            }
        }
    }
    out.push_str("]}");
}

impl Verdict {
    /// The verdict's name in the JSON report: `valid`, `void_redo` or `invalid`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::VoidRedo => "void_redo",
            Verdict::Invalid => "invalid",
        }
    }
}

impl Stage {
    /// The stage's name in the JSON report.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Empty => "empty",
            Stage::Setup => "setup",
            Stage::Voting => "voting",
            Stage::Closed => "closed",
            Stage::Counting => "counting",
            Stage::Tallied => "tallied",
        }
    }
}

impl Report {
    /// The report as one line of JSON, in the layout of SPEC.md §14.9.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(2048);
        out.push_str("{\"verdict\":");
        string(&mut out, self.verdict().name());
        out.push_str(",\"stage\":");
        string(&mut out, self.stage.name());
        let _ = write!(out, ",\"entries\":{},\"head\":", self.entries);
        hex(&mut out, &self.head);
        out.push_str(",\"context\":");
        match &self.context {
            Some(c) => hex(&mut out, c),
            None => out.push_str("null"),
        }
        out.push_str(",\"election_key\":");
        match &self.election_key {
            Some(k) => hex(&mut out, &k.to_bytes()),
            None => out.push_str("null"),
        }
        out.push_str(",\"credentials\":");
        optional_number(&mut out, self.credentials);
        let _ = write!(
            out,
            ",\"ballots\":{},\"spoiled\":{},\"offline_voters\":{},\"present\":",
            self.ballots, self.spoiled, self.offline_voters
        );
        optional_number(&mut out, self.present);
        out.push_str(",\"closed_at\":");
        optional_number(&mut out, self.closed_at);
        out.push_str(",\"disqualified\":");
        numbers(&mut out, &self.disqualified);
        out.push_str(",\"decrypted_by\":");
        numbers(&mut out, &self.decrypted_by);
        out.push_str(",\"totals\":");
        match &self.totals {
            Some(t) => numbers(&mut out, t),
            None => out.push_str("null"),
        }
        out.push_str(",\"outcomes\":");
        match &self.outcomes {
            Some(o) => outcomes(&mut out, o),
            None => out.push_str("null"),
        }
        out.push_str(",\"checks\":[");
        for (i, check) in self.checks.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"check\":");
            string(&mut out, check.id.name());
            match &check.status {
                Status::Passed { items } => {
                    let _ = write!(out, ",\"status\":\"passed\",\"items\":{items}");
                }
                Status::Failed(error) => {
                    out.push_str(",\"status\":\"failed\",\"error\":");
                    string(&mut out, error.code());
                    out.push_str(",\"message\":");
                    string(&mut out, &alloc::format!("{error}"));
                    out.push_str(",\"entry\":");
                    optional_number(&mut out, check.entry);
                    let culprits: Vec<usize> = error.culprits().to_vec();
                    if !culprits.is_empty() {
                        out.push_str(",\"culprits\":");
                        numbers(&mut out, culprits);
                    }
                }
                Status::Skipped(reason) => {
                    out.push_str(",\"status\":\"skipped\",\"reason\":");
                    string(&mut out, reason);
                }
            }
            out.push('}');
        }
        out.push_str("]}");
        out
    }
}
