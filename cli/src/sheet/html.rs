//! The result sheet as one self-contained HTML page (no external resources) that prints
//! on A4: `@page` size and margins, tables that do not break inside a row, each question
//! kept on one page where it fits.

use std::fmt::Write as _;

use super::{
    ABSTAIN, AGAINST, BLANK, Counts, FOR, INVALID, Item, NOT_PASSED, PASSED, PRESENT, QUORUM,
    ROSTER, RuleCheck, SCRUTINEERS, Sheet, VALID, list,
};

const STYLE: &str = r#"
@page { size: A4; margin: 15mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "WenQuanYi Micro Hei", "DejaVu Sans", Arial, sans-serif;
       font-size: 9.5pt; line-height: 1.35; margin: 0 auto; max-width: 182mm; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; padding-bottom: 0.8mm; border-bottom: 0.6pt solid #000;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 0 0 1mm; }
p { margin: 0.8mm 0; }
.subtitle { font-size: 11pt; margin-bottom: 3mm; }
.kind { font-weight: normal; color: #444; font-size: 9pt; }
section.question { break-inside: avoid; page-break-inside: avoid; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 1.5mm; }
th, td { border: 0.5pt solid #777; padding: 0.8mm 1.6mm; text-align: right; vertical-align: top; }
td { white-space: nowrap; }
td:first-child, table.facts td { white-space: normal; }
table.evaluation { font-size: 8.5pt; }
table.evaluation td, table.evaluation th { padding: 0.8mm 1.1mm; }
th { background: #eee; font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.facts th { width: 34%; text-align: left; }
table.facts td { text-align: left; }
.hash { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; font-size: 8pt;
        word-break: break-all; }
.rule { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; }
.result { font-weight: 700; }
.no { font-weight: 700; text-decoration: underline; }
footer { margin-top: 6mm; padding-top: 1.5mm; border-top: 0.5pt solid #777; font-size: 8pt; color: #333; }
@media screen { body { padding: 12mm 8mm; } }
@media print { a { color: #000; text-decoration: none; } }
"#;

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn head_cells(out: &mut String, cells: &[String]) {
    out.push_str("<thead><tr>");
    for c in cells {
        let _ = write!(out, "<th>{}</th>", esc(c));
    }
    out.push_str("</tr></thead>\n");
}

fn row(out: &mut String, cells: &[String]) {
    out.push_str("<tr>");
    for c in cells {
        let _ = write!(out, "<td>{}</td>", esc(c));
    }
    out.push_str("</tr>\n");
}

fn fact(out: &mut String, name: &str, value: &str, class: &str) {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    };
    let _ = writeln!(
        out,
        "<tr><th>{}</th><td{class}>{}</td></tr>",
        esc(name),
        esc(value)
    );
}

fn rule_line(out: &mut String, r: &RuleCheck, what: &str) {
    let _ = writeln!(
        out,
        "<p>{what} <span class=\"rule\">{}</span>: <span class=\"rule\">{}</span> — minimum {}, margin {}</p>",
        esc(&r.inequality),
        esc(&r.evaluated),
        r.minimum,
        esc(&r.margin_text())
    );
}

fn counts_cells(c: &Counts) -> [String; 4] {
    [
        c.yes.to_string(),
        c.no.to_string(),
        c.abstain.to_string(),
        c.invalid.to_string(),
    ]
}

pub(super) fn render(sheet: &Sheet) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>表决结果 Result sheet — {}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&sheet.title)
    );
    let _ = writeln!(out, "<header>\n<h1>表决结果 Result sheet</h1>");
    let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", esc(&sheet.title));
    out.push_str("<table class=\"facts\">\n");
    fact(&mut out, "election id 选举标识", &sheet.election_id, "");
    fact(
        &mut out,
        "manifest hash 选举清单哈希",
        &sheet.manifest_hash,
        "hash",
    );
    fact(&mut out, "record head 记录哈希", &sheet.record_head, "hash");
    fact(&mut out, "voting closed 投票截止", &sheet.closed_at, "");
    fact(
        &mut out,
        "verification 验证",
        &format!(
            "valid, tallied: every check of the record passed ({} entries)",
            sheet.entries
        ),
        "",
    );
    out.push_str("</table>\n</header>\n");

    out.push_str("<h2>出席 Attendance</h2>\n<table class=\"facts\">\n");
    fact(
        &mut out,
        &format!("{} (N)", ROSTER.both()),
        &sheet.roster.to_string(),
        "",
    );
    fact(
        &mut out,
        &format!("{} (P)", PRESENT.both()),
        &sheet.present.to_string(),
        "",
    );
    let q = &sheet.quorum;
    fact(
        &mut out,
        &QUORUM.both(),
        &format!(
            "{}: {} — {} (minimum {}, margin {})",
            q.inequality,
            q.evaluated,
            if q.met {
                "met 达到"
            } else {
                "NOT met 未达到"
            },
            q.minimum,
            q.margin_text()
        ),
        "",
    );
    fact(
        &mut out,
        "credentials issued 发放凭证",
        &sheet.credentials.to_string(),
        "",
    );
    fact(
        &mut out,
        "ballots accepted 网上有效选票",
        &sheet.ballots.to_string(),
        "",
    );
    fact(
        &mut out,
        "ballots spoiled (audited) 作废核验选票",
        &sheet.spoiled.to_string(),
        "",
    );
    fact(
        &mut out,
        "paper ballots (offline) 纸质选票",
        &sheet.paper.to_string(),
        "",
    );
    fact(
        &mut out,
        "present, no ballot 出席未投票",
        &sheet.present_not_voting.to_string(),
        "",
    );
    out.push_str("</table>\n");

    let _ = writeln!(
        out,
        "<h2>表决事项 Questions</h2>\n<p>Pass rule <span class=\"rule\">{}</span> \
         (Y = votes for, N = all representatives{}). Abstentions, invalid answers and absentees \
         count as “not yes”.</p>",
        esc(&sheet.pass_rule),
        if sheet.votes_cast_rule {
            ", V = valid votes cast on the item"
        } else {
            ""
        }
    );
    for question in &sheet.questions {
        out.push_str("<section class=\"question\">\n");
        let kind = match &question.item {
            Item::Motion { .. } => "motion 议题".to_owned(),
            Item::Choice { min, max, .. } => format!("choice: {min} to {max} options"),
            Item::Election {
                seats, candidates, ..
            } => format!(
                "election 选举: {seats} seats, {} candidates",
                candidates.len()
            ),
            Item::Evaluation { subjects, .. } => {
                format!("evaluation 民主测评: {} subjects", subjects.len())
            }
        };
        let _ = writeln!(
            out,
            "<h3>{}. {} <span class=\"kind\">({})</span></h3>",
            question.number,
            esc(&question.title),
            esc(&kind)
        );
        match &question.item {
            Item::Motion {
                counts,
                rule,
                passed,
            } => {
                out.push_str("<table>\n");
                head_cells(
                    &mut out,
                    &[
                        String::new(),
                        FOR.both(),
                        AGAINST.both(),
                        ABSTAIN.both(),
                        INVALID.both(),
                    ],
                );
                let mut cells = vec!["votes 票数".to_owned()];
                cells.extend(counts_cells(counts));
                row(&mut out, &cells);
                out.push_str("</table>\n");
                rule_line(&mut out, rule, "Rule");
                let result = if *passed {
                    format!("{} passed", PASSED.zh)
                } else if rule.met {
                    format!("{} not passed (no quorum)", NOT_PASSED.zh)
                } else {
                    format!("{} not passed", NOT_PASSED.zh)
                };
                let class = if *passed { "result" } else { "result no" };
                let _ = writeln!(
                    out,
                    "<p>Result: <span class=\"{class}\">{}</span></p>",
                    esc(&result)
                );
            }
            Item::Choice { options, .. } => {
                out.push_str("<table>\n");
                head_cells(
                    &mut out,
                    &["option 选项".to_owned(), "marks 票数".to_owned()],
                );
                for (name, marks) in options {
                    row(&mut out, &[name.clone(), marks.to_string()]);
                }
                out.push_str("</table>\n");
            }
            Item::Election {
                seats,
                candidates,
                elected,
                pending,
                vacant,
            } => {
                out.push_str("<table>\n");
                head_cells(
                    &mut out,
                    &[
                        "candidate 候选人".to_owned(),
                        FOR.both(),
                        AGAINST.both(),
                        ABSTAIN.both(),
                        INVALID.both(),
                        "margin".to_owned(),
                        "result 结果".to_owned(),
                    ],
                );
                for c in candidates {
                    let mut cells = vec![c.name.clone()];
                    cells.extend(counts_cells(&c.counts));
                    cells.push(c.rule.margin_text());
                    cells.push(c.result.clone());
                    row(&mut out, &cells);
                }
                out.push_str("</table>\n");
                let _ = writeln!(
                    out,
                    "<p>Rule for each candidate <span class=\"rule\">{}</span>: {}.</p>",
                    esc(&sheet.pass_rule),
                    esc(&super::candidate_minimum(candidates))
                );
                let _ = writeln!(
                    out,
                    "<p>当选 Elected: <span class=\"result\">{}</span> ({} of {seats} seats)</p>",
                    esc(&super::elected_text(elected, sheet.quorum.met)),
                    elected.len()
                );
                if let Some(p) = pending {
                    let _ = writeln!(
                        out,
                        "<p>Pending: <span class=\"no\">{}</span></p>",
                        esc(&p.text)
                    );
                }
                if *vacant > 0 {
                    let _ = writeln!(out, "<p>Vacant: {vacant} seats stay vacant.</p>");
                }
            }
            Item::Evaluation {
                levels,
                allow_blank,
                indicators,
                subjects,
            } => {
                out.push_str("<table class=\"evaluation\">\n");
                let mut header = vec!["subject 测评对象".to_owned()];
                header.extend(levels.iter().cloned());
                if *allow_blank {
                    header.push(BLANK.both());
                }
                header.push(INVALID.both());
                header.push(VALID.both());
                header.extend(indicators.iter().cloned());
                head_cells(&mut out, &header);
                for s in subjects {
                    let cells = s.cells(*allow_blank);
                    row(&mut out, &cells);
                }
                out.push_str("</table>\n");
                out.push_str(
                    "<p>Percentages are of the valid answers (有效, the denominator); blanks \
                     and invalid answers are not valid.</p>\n",
                );
            }
        }
        out.push_str("</section>\n");
    }

    let _ = writeln!(out, "<h2>{}</h2>", esc(&SCRUTINEERS.both()));
    let _ = writeln!(
        out,
        "<p>Decrypted by trustees {} (threshold {} of {}); {} decryption shares published, all verified.</p>",
        esc(&list(&sheet.decrypted_by)),
        sheet.threshold,
        sheet.trustees,
        sheet.shares_verified
    );
    if sheet.paper > 0 {
        let _ = writeln!(
            out,
            "<p>Paper count signed by trustees {}.</p>",
            esc(&list(&sheet.paper_signers))
        );
    }
    let _ = writeln!(
        out,
        "<footer>Produced from an election record that verified. Nothing on this sheet is per \
         voter. Anyone can check it: <span class=\"rule\">secret-ballot verify RECORD --head \
         {}</span></footer>\n</body>\n</html>",
        esc(&sheet.record_head)
    );
    out
}
