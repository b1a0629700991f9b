//! The `secret-ballot` binary as a user runs it: every subcommand, tampered records, every
//! report format, bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Small sizes: the suite runs in debug mode on two cores.
const SMALL: [&str; 6] = ["--representatives", "30", "--present", "24", "--seed", "11"];

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_secret-ballot"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Where this build of the binary keeps its demo run.
fn shared_demo_dir() -> PathBuf {
    let exe = std::fs::metadata(env!("CARGO_BIN_EXE_secret-ballot")).unwrap();
    let built = exe
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-demo-{built}-{}", exe.len()))
}

/// A fresh directory for this test process (directories that earlier runs left behind
/// for more than an hour are removed).
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let current = shared_demo_dir();
        if let Ok(list) = std::fs::read_dir(root) {
            for entry in list.flatten() {
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t.elapsed().unwrap_or_default() > Duration::from_secs(3600));
                let name = entry.file_name();
                if old && name.to_string_lossy().starts_with("cli-") && entry.path() != current {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = root.join(format!("cli-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fn path(name: &str) -> PathBuf {
    scratch().join(name)
}

fn path_str(name: &str) -> String {
    path(name).to_str().unwrap().to_owned()
}

/// The demo's output, run once for every test that needs a record.
struct Demo {
    stdout: String,
    record: PathBuf,
    manifest: PathBuf,
}

/// The seeded demo is deterministic, so test processes (nextest runs one per test) share
/// one run per build of the binary: it is made in this process's directory and renamed
/// into place, and a process that loses the race uses the winner's.
fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let shared = shared_demo_dir();
        if !shared.join("demo.stdout").is_file() {
            let fresh = path("demo");
            std::fs::create_dir_all(&fresh).unwrap();
            let mut args: Vec<String> = vec!["demo".into()];
            args.extend(SMALL.iter().map(|s| (*s).to_owned()));
            for (option, file) in [
                ("--record", "demo.record"),
                ("--manifest", "demo-manifest.json"),
            ] {
                args.push(option.into());
                args.push(fresh.join(file).to_str().unwrap().into());
            }
            let out = bin().args(&args).output().unwrap();
            assert!(out.status.success(), "demo failed: {}", text(&out.stderr));
            assert!(
                out.stderr.is_empty(),
                "no progress bars without a terminal: {}",
                text(&out.stderr)
            );
            std::fs::write(fresh.join("demo.stdout"), &out.stdout).unwrap();
            // Fails if another process got there first: its run is the same.
            let _ = std::fs::rename(&fresh, &shared);
        }
        Demo {
            stdout: std::fs::read_to_string(shared.join("demo.stdout")).unwrap(),
            record: shared.join("demo.record"),
            manifest: shared.join("demo-manifest.json"),
        }
    })
}

/// The record's entries: (offset, length, payload kind).
fn entries(record: &[u8]) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < record.len() {
        let len = u32::from_le_bytes(record[at + 34..at + 38].try_into().unwrap()) as usize;
        out.push((at, 38 + len, record[at + 39]));
        at += 38 + len;
    }
    out
}

const BALLOT: u8 = 0x31;

fn assert_error_line(out: &Output, what: &str) {
    assert!(!out.status.success(), "{what}: accepted");
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: "), "{what}: stderr {stderr:?}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{what}: {stderr}"
    );
}

// ---------------------------------------------------------------------------------------
// demo and verify

#[test]
fn demo_runs_a_congress_and_its_record_verifies() {
    let d = demo();
    for phase in [
        "key ceremony",
        "check-in",
        "voting",
        "paper",
        "close",
        "count",
        "verification   valid and tallied",
    ] {
        assert!(d.stdout.contains(phase), "no {phase:?} in:\n{}", d.stdout);
    }
    // The result sheet follows the log.
    assert!(d.stdout.contains("RESULT SHEET 表决结果"), "{}", d.stdout);
    assert!(d.stdout.contains("应到 representatives (N)    30"));
    assert!(d.stdout.contains("实到 present (P)            24"));

    let out = run(&["verify", d.record.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    assert!(stdout.contains("verdict  valid"), "{stdout}");
    assert!(!stdout.contains("FAILED"), "{stdout}");
    // Every check of SPEC.md §14.7 is listed with its outcome.
    for check in [
        "encoding",
        "hash_chain",
        "order",
        "manifest",
        "key_ceremony",
        "issuance_report",
        "spoiled_ballots",
        "ballots",
        "pseudonyms",
        "spoiled_not_counted",
        "reconciliation",
        "offline_count",
        "attendance",
        "privacy_floor",
        "aggregate",
        "decryption_shares",
        "totals",
        "outcomes",
    ] {
        assert!(
            stdout.contains(&format!("  passed   {check} ")),
            "{check} did not pass:\n{stdout}"
        );
    }
}

#[test]
fn verify_json_is_the_library_report_and_head_is_checked() {
    let d = demo();
    let record = d.record.to_str().unwrap();
    let out = run(&["verify", "--json", record]);
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["stage"], "tallied");
    assert_eq!(report["present"], 24);
    assert_eq!(report["checks"].as_array().unwrap().len(), 18);
    let head = report["head"].as_str().unwrap().to_owned();

    assert!(run(&["verify", record, "--head", &head]).status.success());
    let other = format!(
        "{}{}",
        if head.starts_with('0') { "1" } else { "0" },
        &head[1..]
    );
    let out = run(&["verify", record, "--head", &other]);
    assert_error_line(&out, "wrong head");
    assert!(text(&out.stderr).contains("not the record that was published"));
}

#[test]
fn a_seeded_demo_repeats_byte_for_byte() {
    let tiny = |name: &str| {
        let record = path_str(name);
        let out = run(&[
            "demo",
            "--representatives",
            "12",
            "--present",
            "11",
            "--privacy-floor",
            "3",
            "--seed",
            "5",
            "--threads",
            "2",
            "--record",
            &record,
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        std::fs::read(record).unwrap()
    };
    assert_eq!(tiny("seeded-a.record"), tiny("seeded-b.record"));
}

#[test]
fn a_flipped_byte_in_a_ballot_is_named() {
    let record = std::fs::read(&demo().record).unwrap();
    let list = entries(&record);
    let (index, (offset, len, _)) = list
        .iter()
        .enumerate()
        .filter(|(_, e)| e.2 == BALLOT)
        .nth(2)
        .unwrap();
    let mut tampered = record.clone();
    // The low byte of the signature's response scalar (its last 32 bytes): the ballot
    // still decodes, but no longer verifies.
    tampered[offset + len - 32] ^= 0x01;
    let file = path("flipped.record");
    std::fs::write(&file, &tampered).unwrap();

    let out = run(&["verify", file.to_str().unwrap()]);
    assert_error_line(&out, "flipped byte");
    let stdout = text(&out.stdout);
    assert!(stdout.contains("FAILED   ballots"), "{stdout}");
    assert!(
        stdout.contains(&format!("culprit: entry {index} (cast ballot no. 3")),
        "{stdout}"
    );
    // The next entry no longer chains to it.
    assert!(
        stdout.contains("FAILED   hash_chain") && stdout.contains(&format!("entry {}", index + 1)),
        "{stdout}"
    );
    assert!(stdout.contains("verdict  INVALID"), "{stdout}");
    assert!(text(&out.stderr).contains(&format!("ballots at entry {index}")));
}

#[test]
fn a_dropped_ballot_is_named() {
    let record = std::fs::read(&demo().record).unwrap();
    let list = entries(&record);
    let (index, (offset, len, _)) = list
        .iter()
        .enumerate()
        .filter(|(_, e)| e.2 == BALLOT)
        .nth(4)
        .unwrap();
    let mut tampered = record[..*offset].to_vec();
    tampered.extend_from_slice(&record[offset + len..]);
    let file = path("dropped.record");
    std::fs::write(&file, &tampered).unwrap();

    let out = run(&["verify", file.to_str().unwrap()]);
    assert_error_line(&out, "dropped entry");
    let stdout = text(&out.stdout);
    // The entry now at that position does not chain to the one before it.
    assert!(stdout.contains("FAILED   hash_chain"), "{stdout}");
    assert!(
        stdout.contains(&format!("at entry {index} (cast ballot no. 5")),
        "{stdout}"
    );
    // The published aggregate is no longer the sum of the ballots.
    assert!(stdout.contains("FAILED   aggregate"), "{stdout}");
    assert!(text(&out.stderr).contains(&format!("hash_chain at entry {index}")));
}

#[test]
fn a_truncated_record_is_named_and_a_closed_one_is_valid_but_not_final() {
    let record = std::fs::read(&demo().record).unwrap();
    let list = entries(&record);
    let cut = path("cut.record");
    std::fs::write(&cut, &record[..record.len() - 100]).unwrap();
    let out = run(&["verify", cut.to_str().unwrap()]);
    assert_error_line(&out, "truncated");
    let last = list.len() - 1;
    let stdout = text(&out.stdout);
    assert!(stdout.contains("FAILED   encoding"), "{stdout}");
    assert!(
        stdout.contains(&format!("entry {last} (cut short by the end of the record")),
        "{stdout}"
    );

    // Up to the close (0x42): stage "closed", valid, but no result sheet yet.
    let close = list.iter().position(|e| e.2 == 0x42).unwrap();
    let (offset, len, _) = list[close];
    let closed = path("closed.record");
    std::fs::write(&closed, &record[..offset + len]).unwrap();
    let out = run(&["verify", closed.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("stage    closed"), "{stdout}");
    assert!(stdout.contains("valid so far"), "{stdout}");
    let out = run(&["report", closed.to_str().unwrap()]);
    assert_error_line(&out, "report of a closed record");
    assert!(
        text(&out.stderr).contains("not tallied"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_congress_without_quorum_decides_nothing_and_a_choice_is_reported() {
    let (record, json, csv, html) = (
        path_str("no-quorum.record"),
        path_str("no-quorum.json"),
        path_str("no-quorum.csv"),
        path_str("no-quorum.html"),
    );
    let out = run(&[
        "demo",
        "--representatives",
        "30",
        "--present",
        "19",
        "--choice-options",
        "3",
        "--seed",
        "3",
        "--record",
        &record,
        "--json",
        &json,
        "--csv",
        &csv,
        "--html",
        &html,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("— NOT met, minimum 20, margin −1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("elected 当选: nobody (no quorum)"),
        "{stdout}"
    );

    let sheet: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(sheet["attendance"]["quorum"]["met"], false);
    let questions = sheet["questions"].as_array().unwrap();
    for motion in questions.iter().filter(|q| q["kind"] == "motion") {
        assert_eq!(motion["passed"], false, "{motion}");
    }
    let choice = questions.iter().find(|q| q["kind"] == "choice").unwrap();
    assert_eq!(choice["options"].as_array().unwrap().len(), 3);
    assert_eq!(choice["max"], 2);
    let election = questions.iter().find(|q| q["kind"] == "election").unwrap();
    assert!(election["elected"].as_array().unwrap().is_empty());

    let rows = parse_csv(&std::fs::read_to_string(&csv).unwrap());
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    assert_eq!(
        rows.iter()
            .filter(|r| r[2] == "choice" && r[5] == "marks")
            .count(),
        3
    );
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("NOT met 未达到"));
    assert!(html.contains("supplier 3"));
}

// ---------------------------------------------------------------------------------------
// report

fn report(format: &str) -> String {
    let out = run(&[
        "report",
        demo().record.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert!(out.status.success(), "{format}: {}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The verified library report, to compare the sheets' figures with.
fn library_report() -> Value {
    let out = run(&["verify", "--json", demo().record.to_str().unwrap()]);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn report_text_is_the_result_sheet() {
    let sheet = report("text");
    for needle in [
        "RESULT SHEET 表决结果",
        "manifest hash",
        "record head",
        "应到 representatives (N)    30",
        "实到 present (P)            24",
        "3·P ≥ 2·N: 3·24 = 72 ≥ 2·30 = 60 — met, minimum 20, margin +4",
        "同意 for",
        "不同意 against",
        "弃权 abstain",
        "rule 2·Y > N",
        "当选",
        "satisfaction",
        "监票人 SCRUTINEERS",
        "decrypted by trustees 1, 3, 4 (threshold 3 of 5)",
    ] {
        assert!(sheet.contains(needle), "no {needle:?} in:\n{sheet}");
    }
    let head = library_report()["head"].as_str().unwrap().to_owned();
    assert!(sheet.contains(&head));
    // The demo prints the same sheet.
    assert!(demo().stdout.ends_with(&sheet), "{}", demo().stdout);
}

#[test]
fn report_json_parses_and_matches_the_record() {
    let sheet: Value = serde_json::from_str(&report("json")).unwrap();
    let library = library_report();
    assert_eq!(sheet["format"], "secret-ballot-result-sheet-v1");
    assert_eq!(sheet["record_head"], library["head"]);
    assert_eq!(sheet["manifest_hash"], library["context"]);
    assert_eq!(sheet["verification"], library);
    let attendance = &sheet["attendance"];
    assert_eq!(attendance["roster"], 30);
    assert_eq!(attendance["present"], 24);
    assert_eq!(attendance["quorum"]["inequality"], "3·P ≥ 2·N");
    assert_eq!(attendance["quorum"]["met"], true);
    assert_eq!(attendance["credentials_issued"], library["credentials"]);
    assert_eq!(attendance["ballots_accepted"], library["ballots"]);
    assert_eq!(attendance["ballots_spoiled"], library["spoiled"]);
    assert_eq!(attendance["paper_voters"], library["offline_voters"]);

    let questions = sheet["questions"].as_array().unwrap();
    let kinds: Vec<&str> = questions
        .iter()
        .map(|q| q["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["motion", "motion", "motion", "election", "evaluation"]
    );
    // Motions: the counts are the published totals, the rule's minimum the outcome's.
    let totals: Vec<u64> = library["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_u64().unwrap())
        .collect();
    let outcomes = library["outcomes"]["questions"].as_array().unwrap();
    for (q, question) in questions.iter().take(3).enumerate() {
        let counts = &question["counts"];
        assert_eq!(counts["for"], totals[3 * q]);
        assert_eq!(counts["against"], totals[3 * q + 1]);
        assert_eq!(counts["abstain"], totals[3 * q + 2]);
        assert_eq!(question["passed"], outcomes[q]["passed"]);
        assert_eq!(question["rule"]["minimum"], outcomes[q]["minimum"]);
        let margin = question["rule"]["margin"].as_i64().unwrap();
        assert_eq!(
            margin,
            totals[3 * q] as i64 - outcomes[q]["minimum"].as_i64().unwrap()
        );
    }
    // The election: elected names are the outcome's candidates.
    let election = &questions[3];
    let elected: Vec<String> = outcomes[3]["elected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("candidate {}", c.as_u64().unwrap() + 1))
        .collect();
    let named: Vec<String> = election["elected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(named, elected);
    // The evaluation: percentages with their denominator, the named indicator.
    let subject = &questions[4]["subjects"][0];
    let valid = subject["valid"].as_u64().unwrap();
    for level in subject["levels"].as_array().unwrap() {
        assert_eq!(level["denominator"], valid);
    }
    assert_eq!(
        subject["indicators"][0], outcomes[4]["indicators"][0][0],
        "the indicator is the record's"
    );
    assert_eq!(
        sheet["scrutineers"]["decrypted_by"],
        library["decrypted_by"]
    );
}

/// Splits CSV (RFC 4180) into rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "CSV ends mid-row"
    );
    rows
}

#[test]
fn report_csv_has_the_same_columns_on_every_row() {
    let csv = report("csv");
    assert!(csv.ends_with("\r\n"));
    let rows = parse_csv(&csv);
    let header = &rows[0];
    assert_eq!(header[0], "section");
    assert_eq!(header.len(), 14);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), header.len(), "row {i}: {row:?}");
    }
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (section, measure, value) = (column("section"), column("measure"), column("value"));
    let find = |s: &str, m: &str| {
        rows.iter()
            .find(|r| r[section] == s && r[measure] == m)
            .unwrap_or_else(|| panic!("no row {s}/{m}"))
    };
    let library = library_report();
    assert_eq!(find("attendance", "roster")[value], "30");
    let present = find("attendance", "present");
    assert_eq!(present[value], "24");
    assert_eq!(present[column("rule")], "3·P ≥ 2·N");
    assert_eq!(present[column("result")], "met");
    assert_eq!(
        find("context", "record_head")[value],
        library["head"].as_str().unwrap()
    );
    // The first motion's "for" row carries its rule and result.
    let motion = rows
        .iter()
        .find(|r| r[column("question")] == "1" && r[measure] == "for")
        .unwrap();
    assert_eq!(motion[value], library["totals"][0].to_string());
    assert_eq!(motion[column("rule")], "2·Y > N");
    assert_eq!(motion[column("measure_zh")], "同意");
    // Evaluation levels carry their denominator and a percentage.
    let level = rows
        .iter()
        .find(|r| r[column("kind")] == "evaluation" && r[measure] == "满意")
        .unwrap();
    assert!(!level[column("denominator")].is_empty());
    assert!(level[column("percent")].contains('.'));
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

#[test]
fn report_html_is_a_complete_printable_page() {
    let html = report("html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.trim_end().ends_with("</html>"));
    for needle in [
        "<meta charset=\"utf-8\">",
        "@page { size: A4",
        "应到 representatives",
        "实到 present",
        "<td>30</td>",
        "<td>24</td>",
        "同意 for",
        "不同意 against",
        "弃权 abstain",
        "通过",
        "当选 elected",
        "监票人 scrutineers",
    ] {
        assert!(html.contains(needle), "no {needle:?}");
    }
    let library = library_report();
    assert!(html.contains(library["head"].as_str().unwrap()));
    assert!(html.contains(&format!("<td>{}</td>", library["totals"][0])));
    // Self-contained: nothing loaded from elsewhere.
    for outside in ["http://", "https://", "<script", "src=", "@import", "url("] {
        assert!(!html.contains(outside), "external resource: {outside}");
    }

    let page = path("sheet.html");
    std::fs::write(&page, &html).unwrap();
    let Some(chromium) = chromium() else {
        eprintln!("note: chromium is not on PATH: skipping the PDF rendering of the sheet");
        return;
    };
    let pdf = path("sheet.pdf");
    let profile = path("chromium-profile");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("chromium did not finish printing in 60 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let bytes = std::fs::read(&pdf).expect("chromium wrote the PDF");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    assert!(
        bytes.len() > 10_000,
        "a nearly empty PDF: {} bytes",
        bytes.len()
    );
}

#[test]
fn report_writes_to_a_file() {
    let file = path_str("sheet.json");
    let out = run(&[
        "report",
        demo().record.to_str().unwrap(),
        "--format",
        "json",
        "--output",
        &file,
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let sheet: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    assert_eq!(sheet["attendance"]["present"], 24);
}

#[test]
fn report_refuses_a_record_that_does_not_verify() {
    let mut record = std::fs::read(&demo().record).unwrap();
    let list = entries(&record);
    let (offset, len, _) = *list.iter().find(|e| e.2 == BALLOT).unwrap();
    record[offset + len - 10] ^= 0x80;
    let file = path("report-tampered.record");
    std::fs::write(&file, &record).unwrap();
    for format in ["text", "json", "csv", "html"] {
        let out = run(&["report", file.to_str().unwrap(), "--format", format]);
        assert_error_line(&out, "report of a tampered record");
        assert!(out.stdout.is_empty(), "{format}: a sheet was printed");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("does not verify"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------
// manifest

fn manifest_check(file: &Path) -> Output {
    run(&["manifest", "check", file.to_str().unwrap()])
}

fn template() -> Value {
    let out = run(&["manifest", "new", "--seed", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn manifest_new_writes_a_template_that_checks() {
    let file = path_str("template.json");
    let out = run(&[
        "manifest",
        "new",
        "--output",
        &file,
        "--representatives",
        "120",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    // Every rule is spelled out.
    assert_eq!(json["roster"], 120);
    for rule in ["quorum", "pass"] {
        for field in ["num", "den", "base", "strict"] {
            assert!(!json[rule][field].is_null(), "{rule}.{field}");
        }
    }
    for field in [
        "tie",
        "shortfall",
        "privacy_floor",
        "revoting",
        "issuer_key",
        "report_key",
    ] {
        assert!(!json[field].is_null(), "{field}");
    }
    assert_eq!(json["trustees"]["keys"].as_array().unwrap().len(), 5);
    assert_eq!(json["trustees"]["keys"][0].as_str().unwrap().len(), 64);
    let kinds: Vec<&str> = json["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["kind"].as_str().unwrap())
        .collect();
    for kind in ["motion", "choice", "election", "evaluation"] {
        assert!(kinds.contains(&kind), "no {kind} question");
    }

    let out = manifest_check(Path::new(&file));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ok: the manifest is valid"), "{stdout}");
    assert!(stdout.contains("quorum          3·P ≥ 2·N"), "{stdout}");
    assert!(stdout.contains("pass            2·Y > N"), "{stdout}");
    assert!(stdout.contains("manifest hash"), "{stdout}");
}

#[test]
fn the_demos_manifest_checks_and_has_the_records_hash() {
    let d = demo();
    let out = manifest_check(&d.manifest);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let context = library_report()["context"].as_str().unwrap().to_owned();
    assert!(
        text(&out.stdout).contains(&format!("manifest hash   {context}")),
        "{}",
        text(&out.stdout)
    );
    // The binary encoding checks too, and hashes the same.
    let binary = path("demo-manifest.bin");
    let out = run(&[
        "manifest",
        "check",
        d.manifest.to_str().unwrap(),
        "--encode",
        binary.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let out = manifest_check(&binary);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("(binary encoding)"), "{stdout}");
    assert!(stdout.contains(&context));
}

#[test]
fn manifest_errors_point_at_the_field() {
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "seats",
            Box::new(|m| m["questions"][3]["seats"] = 9.into()),
            "questions[3].seats: must be between 1 and the number of candidates (7)",
        ),
        (
            "fraction",
            Box::new(|m| m["pass"]["den"] = 0.into()),
            "pass.den: must be at least num (1)",
        ),
        (
            "impossible pass rule",
            Box::new(|m| {
                m["pass"]["num"] = 1.into();
                m["pass"]["den"] = 1.into();
            }),
            "pass: Y > N can never be met",
        ),
        (
            "threshold",
            Box::new(|m| m["trustees"]["threshold"] = 6.into()),
            "trustees.threshold: must be between 1 and the number of keys (5)",
        ),
        (
            "key",
            Box::new(|m| m["trustees"]["keys"][2] = "00ff".into()),
            "trustees.keys[2]: must be 64 hex digits",
        ),
        (
            "identity key",
            Box::new(|m| m["issuer_key"] = "00".repeat(32).into()),
            "issuer_key: not a usable Ristretto255 public key",
        ),
        (
            "repeated key",
            Box::new(|m| m["trustees"]["keys"][4] = m["trustees"]["keys"][1].clone()),
            "trustees.keys[4]: the same key as trustees.keys[1]",
        ),
        (
            "privacy floor",
            Box::new(|m| m["privacy_floor"] = 301.into()),
            "privacy_floor: 301 is more than the roster (300)",
        ),
        (
            "indicator",
            Box::new(|m| m["questions"][4]["indicators"][0]["levels"] = vec![0, 5].into()),
            "questions[4].indicators[0].levels[1]: no level 5",
        ),
        (
            "choice",
            Box::new(|m| m["questions"][2]["max"] = 4.into()),
            "questions[2].max: must be between 1 and the number of options (3)",
        ),
        (
            "repeated candidate",
            Box::new(|m| m["questions"][3]["candidates"][6] = "candidate 1".into()),
            "questions[3].candidates[6]: repeats questions[3].candidates[0]",
        ),
        (
            "quorum of the present",
            Box::new(|m| m["quorum"]["base"] = "present".into()),
            "quorum.base: must be roster",
        ),
        (
            "unknown field",
            Box::new(|m| m["questions"][3]["sets"] = 5.into()),
            "unknown field `sets`",
        ),
        (
            "wrong type",
            Box::new(|m| m["roster"] = "many".into()),
            "roster: invalid type: string \"many\"",
        ),
        (
            "unknown policy",
            Box::new(|m| m["tie"] = "coin".into()),
            "tie: unknown variant `coin`",
        ),
    ];
    for (what, change, expected) in cases {
        let mut manifest = template();
        change(&mut manifest);
        let file = path(&format!("bad-{}.json", what.replace(' ', "-")));
        std::fs::write(&file, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
        let out = manifest_check(&file);
        assert_error_line(&out, what);
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert!(
            stderr
                .lines()
                .all(|l| l.starts_with("error: ") || l.starts_with("warning: ")),
            "{stderr}"
        );
    }
    // Warnings do not fail the check.
    let mut manifest = template();
    manifest["questions"][3]["seats"] = 7.into();
    let file = path("warning.json");
    std::fs::write(&file, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let out = manifest_check(&file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("warning: ")
            && text(&out.stderr).contains("questions[3].seats"),
        "{}",
        text(&out.stderr)
    );
    // Several problems: one line each.
    let mut manifest = template();
    manifest["roster"] = 0.into();
    manifest["questions"][3]["seats"] = 0.into();
    let file = path("bad-several.json");
    std::fs::write(&file, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let out = manifest_check(&file);
    assert_error_line(&out, "several");
    let stderr = text(&out.stderr);
    assert!(stderr.lines().count() >= 2, "{stderr}");
    assert!(stderr.contains("roster: must be at least 1"), "{stderr}");
    assert!(stderr.contains("questions[3].seats"), "{stderr}");
}

// ---------------------------------------------------------------------------------------
// bad input, help

#[test]
fn bad_input_gives_one_line_and_a_failure() {
    let missing = path_str("no-such.record");
    let empty = path("empty.record");
    std::fs::write(&empty, b"").unwrap();
    let garbage = path("garbage.record");
    std::fs::write(&garbage, b"this is not an election record\n").unwrap();
    let not_json = path("not-json.json");
    std::fs::write(&not_json, b"{ \"election_id\": ").unwrap();
    let cases: Vec<Vec<String>> = vec![
        vec!["verify".into(), missing.clone()],
        vec!["report".into(), missing.clone()],
        vec!["manifest".into(), "check".into(), missing.clone()],
        vec!["verify".into(), empty.to_str().unwrap().into()],
        vec!["report".into(), empty.to_str().unwrap().into()],
        vec!["verify".into(), garbage.to_str().unwrap().into()],
        vec!["report".into(), garbage.to_str().unwrap().into()],
        vec![
            "manifest".into(),
            "check".into(),
            garbage.to_str().unwrap().into(),
        ],
        vec![
            "manifest".into(),
            "check".into(),
            not_json.to_str().unwrap().into(),
        ],
        vec![
            "manifest".into(),
            "check".into(),
            demo().record.to_str().unwrap().into(),
        ],
        vec![
            "report".into(),
            demo().record.to_str().unwrap().into(),
            "--output".into(),
            path_str("no-such-dir/sheet.txt"),
        ],
    ];
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args);
        assert_error_line(&out, &format!("{args:?}"));
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
    // Impossible demo sizes are refused before anything runs.
    for args in [
        &["demo", "--representatives", "30", "--present", "40"][..],
        &["demo", "--present", "0"],
        &[
            "demo",
            "--representatives",
            "30",
            "--present",
            "24",
            "--privacy-floor",
            "50",
        ],
        &["demo", "--seats", "8"],
        &["demo", "--threshold", "6"],
        &["demo", "--absent-trustees", "3"],
        &["demo", "--paper", "240"],
        &["demo", "--record", "/no/such/directory/congress.record"],
    ] {
        let out = run(args);
        assert_error_line(&out, &format!("{args:?}"));
        assert_eq!(text(&out.stderr).lines().count(), 1, "{args:?}");
    }
    // Usage errors come from the argument parser, also as "error: …".
    for args in [
        &["frobnicate"][..],
        &["demo", "--bogus"],
        &["report"],
        &["verify"],
    ] {
        let out = run(args);
        assert_error_line(&out, &format!("{args:?}"));
    }
    let out = run(&["report", demo().record.to_str().unwrap(), "--format", "pdf"]);
    assert_error_line(&out, "unknown format");
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        &["--help"][..],
        &["demo", "--help"],
        &["verify", "--help"],
        &["report", "--help"],
        &["manifest", "--help"],
        &["manifest", "new", "--help"],
        &["manifest", "check", "--help"],
    ] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}");
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("Usage: secret-ballot"),
            "{args:?}: {stdout}"
        );
    }
    let out = run(&["--version"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("secret-ballot "));
    let help = text(&run(&["demo", "--help"]).stdout);
    for option in [
        "--representatives",
        "--present",
        "--seed",
        "--record",
        "--html",
    ] {
        assert!(help.contains(option), "{option}");
    }
}
