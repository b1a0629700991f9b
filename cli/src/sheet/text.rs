//! The result sheet as plain text, aligned for a terminal (CJK characters count two
//! columns).

use std::fmt::Write as _;

use super::{
    ABSTAIN, AGAINST, BLANK, FOR, INVALID, Item, NOT_PASSED, PASSED, PRESENT, QUORUM, ROSTER,
    SCRUTINEERS, Sheet, VALID, list,
};

/// Columns a character takes in a terminal: two for wide East Asian characters.
fn char_width(c: char) -> usize {
    match u32::from(c) {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 => 2,
        _ => 1,
    }
}

fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// How a column is aligned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// Lays out a table: a header row and rows of cells, columns two spaces apart.
fn table(out: &mut String, indent: &str, header: &[String], rows: &[Vec<String>], align: &[Align]) {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |out: &mut String, cells: &[String]| {
        let mut text = String::from(indent);
        for (i, cell) in cells.iter().enumerate().take(columns) {
            let w = widths.get(i).copied().unwrap_or(0);
            let pad = " ".repeat(w.saturating_sub(width(cell)));
            if i > 0 {
                text.push_str("  ");
            }
            if align.get(i).copied().unwrap_or(Align::Left) == Align::Right {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(out, header);
    for row in rows {
        line(out, row);
    }
}

fn strings<const N: usize>(items: [&str; N]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

pub(super) fn render(sheet: &Sheet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "RESULT SHEET 表决结果");
    let _ = writeln!(out, "{}", sheet.title);
    let _ = writeln!(out, "  election id     {}", sheet.election_id);
    let _ = writeln!(out, "  manifest hash   {}", sheet.manifest_hash);
    let _ = writeln!(
        out,
        "  record head     {} ({} entries; verified: valid, tallied)",
        sheet.record_head, sheet.entries
    );
    let _ = writeln!(out, "  voting closed   {}", sheet.closed_at);

    let _ = writeln!(out, "\nATTENDANCE 出席");
    let q = &sheet.quorum;
    let rows = vec![
        vec![format!("{} (N)", ROSTER.both()), sheet.roster.to_string()],
        vec![format!("{} (P)", PRESENT.both()), sheet.present.to_string()],
        vec![
            QUORUM.both(),
            format!(
                "{}: {} — {}, minimum {}, margin {}",
                q.inequality,
                q.evaluated,
                if q.met { "met" } else { "NOT met" },
                q.minimum,
                q.margin_text()
            ),
        ],
        vec!["credentials issued".into(), sheet.credentials.to_string()],
        vec![
            "ballots accepted (online)".into(),
            sheet.ballots.to_string(),
        ],
        vec![
            "ballots spoiled (audited)".into(),
            sheet.spoiled.to_string(),
        ],
        vec!["paper ballots (offline)".into(), sheet.paper.to_string()],
        vec![
            "present, no ballot".into(),
            sheet.present_not_voting.to_string(),
        ],
    ];
    for row in &rows {
        let (name, value) = (
            row.first().cloned().unwrap_or_default(),
            row.get(1).cloned().unwrap_or_default(),
        );
        let pad = " ".repeat(28usize.saturating_sub(width(&name)));
        let _ = writeln!(out, "  {name}{pad}{value}");
    }

    let _ = writeln!(
        out,
        "\nQUESTIONS 表决事项 (pass rule {}; Y = votes for, N = representatives{})",
        sheet.pass_rule,
        if sheet.votes_cast_rule {
            ", V = valid votes cast on the item"
        } else {
            ""
        }
    );
    for question in &sheet.questions {
        let _ = write!(out, "\n{}. {}", question.number, question.title);
        match &question.item {
            Item::Motion {
                counts,
                rule,
                passed,
            } => {
                let _ = writeln!(out, "  [motion]");
                let _ = writeln!(
                    out,
                    "     {} {}   {} {}   {} {}   {} {}",
                    FOR.both(),
                    counts.yes,
                    AGAINST.both(),
                    counts.no,
                    ABSTAIN.both(),
                    counts.abstain,
                    INVALID.both(),
                    counts.invalid
                );
                let _ = writeln!(
                    out,
                    "     rule {}: {} — minimum {}, margin {}",
                    rule.inequality,
                    rule.evaluated,
                    rule.minimum,
                    rule.margin_text()
                );
                let result = if *passed {
                    format!("{} PASSED", PASSED.zh)
                } else if rule.met {
                    format!("{} NOT PASSED (no quorum)", NOT_PASSED.zh)
                } else {
                    format!("{} NOT PASSED", NOT_PASSED.zh)
                };
                let _ = writeln!(out, "     result: {result}");
            }
            Item::Choice { options, min, max } => {
                let _ = writeln!(out, "  [choice: {min} to {max} options]");
                let rows: Vec<Vec<String>> = options
                    .iter()
                    .map(|(name, n)| vec![name.clone(), n.to_string()])
                    .collect();
                table(
                    &mut out,
                    "     ",
                    &strings(["option", "marks"]),
                    &rows,
                    &[Align::Left, Align::Right],
                );
            }
            Item::Election {
                seats,
                candidates,
                elected,
                pending,
                vacant,
            } => {
                let _ = writeln!(
                    out,
                    "  [election: {seats} seats, {} candidates]",
                    candidates.len()
                );
                let header = vec![
                    "candidate".to_owned(),
                    FOR.both(),
                    AGAINST.both(),
                    ABSTAIN.both(),
                    INVALID.both(),
                    "margin".to_owned(),
                    "result".to_owned(),
                ];
                let rows: Vec<Vec<String>> = candidates
                    .iter()
                    .map(|c| {
                        vec![
                            c.name.clone(),
                            c.counts.yes.to_string(),
                            c.counts.no.to_string(),
                            c.counts.abstain.to_string(),
                            c.counts.invalid.to_string(),
                            c.rule.margin_text(),
                            c.result.clone(),
                        ]
                    })
                    .collect();
                let mut align = vec![Align::Left];
                align.extend([Align::Right; 5]);
                align.push(Align::Left);
                table(&mut out, "     ", &header, &rows, &align);
                let _ = writeln!(
                    out,
                    "     rule for each candidate {}: {}",
                    sheet.pass_rule,
                    super::candidate_minimum(candidates)
                );
                let _ = writeln!(
                    out,
                    "     elected 当选: {} ({} of {seats} seats)",
                    super::elected_text(elected, sheet.quorum.met),
                    elected.len()
                );
                if let Some(p) = pending {
                    let _ = writeln!(out, "     pending: {}", p.text);
                }
                if *vacant > 0 {
                    let _ = writeln!(out, "     vacant: {vacant} seats stay vacant");
                }
            }
            Item::Evaluation {
                levels,
                allow_blank,
                indicators,
                subjects,
            } => {
                let _ = writeln!(
                    out,
                    "  [evaluation: {} subjects; percentages of the valid answers]",
                    subjects.len()
                );
                let mut header = vec!["subject".to_owned()];
                header.extend(levels.iter().cloned());
                if *allow_blank {
                    header.push(BLANK.both());
                }
                header.push(INVALID.both());
                header.push(VALID.both());
                header.extend(indicators.iter().cloned());
                let rows: Vec<Vec<String>> =
                    subjects.iter().map(|s| s.cells(*allow_blank)).collect();
                let mut align = vec![Align::Left];
                align.extend(std::iter::repeat_n(Align::Right, header.len() - 1));
                table(&mut out, "     ", &header, &rows, &align);
            }
        }
    }

    let _ = writeln!(out, "\n{}", SCRUTINEERS.both().to_uppercase());
    let _ = writeln!(
        out,
        "  decrypted by trustees {} (threshold {} of {}); {} decryption shares published, all verified",
        list(&sheet.decrypted_by),
        sheet.threshold,
        sheet.trustees,
        sheet.shares_verified
    );
    if sheet.paper > 0 {
        let _ = writeln!(
            out,
            "  paper count signed by trustees {}",
            list(&sheet.paper_signers)
        );
    }
    out
}
