//! The result sheet as CSV (RFC 4180): one row per figure, the same columns on every row,
//! fields quoted only when they hold a comma, a quote or a line break.

use secret_ballot::rules::Ratio;

use super::{
    ABSTAIN, AGAINST, BLANK, Counts, ELECTED, FOR, INVALID, Item, Label, NOT_ELECTED, NOT_PASSED,
    PASSED, PRESENT, QuestionSheet, ROSTER, RuleCheck, Sheet, VALID,
};

/// The columns, in order.
pub(super) const COLUMNS: [&str; 14] = [
    "section",
    "question",
    "kind",
    "title",
    "item",
    "measure",
    "measure_zh",
    "value",
    "denominator",
    "percent",
    "rule",
    "minimum",
    "margin",
    "result",
];

fn field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// One row under construction: unset columns stay empty.
#[derive(Default)]
struct Row {
    cells: [String; COLUMNS.len()],
}

impl Row {
    fn new(section: &str) -> Self {
        let mut row = Row::default();
        row.set(0, section);
        row
    }

    fn set(&mut self, column: usize, value: impl ToString) -> &mut Self {
        if let Some(cell) = self.cells.get_mut(column) {
            *cell = value.to_string();
        }
        self
    }

    fn question(&mut self, q: &QuestionSheet) -> &mut Self {
        self.set(1, q.number).set(2, q.kind()).set(3, &q.title)
    }

    fn measure(&mut self, en: &str, zh: &str, value: impl ToString) -> &mut Self {
        self.set(5, en).set(6, zh).set(7, value)
    }

    fn labelled(&mut self, label: Label, value: impl ToString) -> &mut Self {
        self.measure(label.en, label.zh, value)
    }

    fn ratio(&mut self, r: &Ratio) -> &mut Self {
        let percent = r
            .basis_points()
            .map(|bp| format!("{}.{:02}", bp / 100, bp % 100))
            .unwrap_or_default();
        self.set(7, r.numerator)
            .set(8, r.denominator)
            .set(9, percent)
    }

    fn rule(&mut self, r: &RuleCheck) -> &mut Self {
        self.set(10, &r.inequality)
            .set(11, r.minimum)
            .set(12, r.margin)
    }

    fn write(&self, out: &mut String) {
        for (i, cell) in self.cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(out, cell);
        }
        out.push_str("\r\n");
    }
}

fn counts_rows(rows: &mut Vec<Row>, q: &QuestionSheet, item: &str, c: &Counts) -> usize {
    let first = rows.len();
    for (label, value) in [
        (FOR, c.yes),
        (AGAINST, c.no),
        (ABSTAIN, c.abstain),
        (INVALID, c.invalid),
    ] {
        let mut row = Row::new("question");
        row.question(q).set(4, item).labelled(label, value);
        rows.push(row);
    }
    first
}

pub(super) fn render(sheet: &Sheet) -> String {
    let mut rows: Vec<Row> = Vec::new();
    for (measure, value) in [
        ("title", sheet.title.clone()),
        ("election_id", sheet.election_id.clone()),
        ("manifest_hash", sheet.manifest_hash.clone()),
        ("record_head", sheet.record_head.clone()),
        ("closed_at", sheet.closed_at.clone()),
        ("entries", sheet.entries.to_string()),
    ] {
        let mut row = Row::new("context");
        row.measure(measure, "", value);
        rows.push(row);
    }
    let mut row = Row::new("attendance");
    row.measure("roster", ROSTER.zh, sheet.roster);
    rows.push(row);
    let mut row = Row::new("attendance");
    row.measure("present", PRESENT.zh, sheet.present)
        .set(8, sheet.roster)
        .rule(&sheet.quorum)
        .set(13, if sheet.quorum.met { "met" } else { "not met" });
    rows.push(row);
    for (measure, value) in [
        ("credentials_issued", sheet.credentials),
        ("ballots_accepted", sheet.ballots),
        ("ballots_spoiled", sheet.spoiled),
        ("paper_voters", sheet.paper),
        ("present_not_voting", sheet.present_not_voting),
    ] {
        let mut row = Row::new("attendance");
        row.measure(measure, "", value);
        rows.push(row);
    }
    for q in &sheet.questions {
        match &q.item {
            Item::Motion {
                counts,
                rule,
                passed,
            } => {
                let first = counts_rows(&mut rows, q, "", counts);
                if let Some(row) = rows.get_mut(first) {
                    let result = if *passed { PASSED } else { NOT_PASSED };
                    row.rule(rule).set(13, result.en);
                }
            }
            Item::Choice { options, .. } => {
                for (name, marks) in options {
                    let mut row = Row::new("question");
                    row.question(q).set(4, name).measure("marks", "", marks);
                    rows.push(row);
                }
            }
            Item::Election { candidates, .. } => {
                for c in candidates {
                    let first = counts_rows(&mut rows, q, &c.name, &c.counts);
                    if let Some(row) = rows.get_mut(first) {
                        let result = if c.elected {
                            ELECTED.en.to_owned()
                        } else if c.result.starts_with("tied") {
                            c.result.clone()
                        } else {
                            NOT_ELECTED.en.to_owned()
                        };
                        row.rule(&c.rule).set(13, result);
                    }
                }
            }
            Item::Evaluation {
                levels,
                allow_blank,
                indicators,
                subjects,
            } => {
                for s in subjects {
                    for (level, r) in levels.iter().zip(&s.levels) {
                        let mut row = Row::new("question");
                        row.question(q).set(4, &s.name).set(5, level).ratio(r);
                        rows.push(row);
                    }
                    if *allow_blank {
                        let mut row = Row::new("question");
                        row.question(q).set(4, &s.name).labelled(BLANK, s.blank);
                        rows.push(row);
                    }
                    let mut row = Row::new("question");
                    row.question(q).set(4, &s.name).labelled(INVALID, s.invalid);
                    rows.push(row);
                    let mut row = Row::new("question");
                    row.question(q).set(4, &s.name).labelled(VALID, s.valid);
                    rows.push(row);
                    for (name, r) in indicators.iter().zip(&s.indicators) {
                        let mut row = Row::new("question");
                        row.question(q)
                            .set(4, &s.name)
                            .set(5, format!("indicator: {name}"))
                            .ratio(r);
                        rows.push(row);
                    }
                }
            }
        }
    }
    let join = |items: &[u16]| {
        items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (measure, value) in [
        ("decrypted_by", join(&sheet.decrypted_by)),
        ("threshold", sheet.threshold.to_string()),
        ("trustees", sheet.trustees.to_string()),
        ("shares_verified", sheet.shares_verified.to_string()),
        ("paper_count_signed_by", join(&sheet.paper_signers)),
    ] {
        let mut row = Row::new("scrutineers");
        row.measure(measure, "", value);
        rows.push(row);
    }
    let mut out = String::new();
    let mut header = Row::default();
    for (i, name) in COLUMNS.iter().enumerate() {
        header.set(i, name);
    }
    header.write(&mut out);
    for row in &rows {
        row.write(&mut out);
    }
    out
}
