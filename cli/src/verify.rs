//! `secret-ballot verify RECORD`: streams a record through the library's verifier, one
//! entry in memory, and prints every check with its outcome and the entries to blame.

use std::cell::Cell;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use rand_core::OsRng;
use secret_ballot::encoding::MessageKind;
use secret_ballot::record::Section;
use secret_ballot::tally::OfflineCount;
use secret_ballot::verify::{Check, CheckId, ReadEvent, Report, Status, Verdict, Verifier};

use crate::failure::Failure;
use crate::progress;

/// Options of `secret-ballot verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// The election record to verify.
    record: PathBuf,
    /// Print the verification report as JSON (SPEC.md §14.9) instead of text.
    #[arg(long)]
    json: bool,
    /// The head the organiser published (64 hex digits): the record must end with the
    /// entry of that hash.
    #[arg(long, value_name = "HEX")]
    head: Option<String>,
}

/// Where one entry sits in the record, to name it in a failure.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EntryInfo {
    /// Byte offset of the entry in the record.
    pub(crate) offset: u64,
    /// Its section, if its framing could be read.
    pub(crate) section: Option<Section>,
    /// The input ended inside the entry.
    pub(crate) truncated: bool,
}

/// A verified record: the library's report and what the tool noted on the way.
#[derive(Debug)]
pub(crate) struct Verified {
    /// The library's report.
    pub(crate) report: Report,
    /// Every entry read, in order.
    pub(crate) entries: Vec<EntryInfo>,
    /// The scrutineers who signed the paper count, if there is one.
    pub(crate) paper_signers: Vec<u16>,
    /// The record's length in bytes.
    pub(crate) bytes: u64,
}

/// Verifies a record held in memory (the demo's), with a progress bar.
pub(crate) fn verify_bytes(record: &[u8]) -> Verified {
    let bar = progress::bytes("verify", record.len() as u64);
    // Reading from a slice cannot fail.
    let verified = verify_stream(record, &bar).unwrap_or_else(|_| Verified {
        report: secret_ballot::verify::verify(record, OsRng),
        entries: Vec::new(),
        paper_signers: Vec::new(),
        bytes: record.len() as u64,
    });
    bar.finish_and_clear();
    verified
}

/// Verifies the record in a file, with a progress bar driven by the bytes read.
pub(crate) fn verify_file(path: &Path) -> Result<Verified, Failure> {
    let cannot = |e: std::io::Error| Failure::new(format!("cannot read {}: {e}", path.display()));
    let file = File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    let bar = progress::bytes("verify", len);
    let verified = verify_stream(BufReader::with_capacity(1 << 20, file), &bar).map_err(cannot);
    bar.finish_and_clear();
    verified
}

/// Reads entries until the input ends, noting where each entry starts so that failures
/// can name it.
fn verify_stream<T: Read>(input: T, bar: &ProgressBar) -> std::io::Result<Verified> {
    let mut verifier = Verifier::new(OsRng);
    let mut entries = Vec::new();
    let mut paper_signers = Vec::new();
    let read = Cell::new(0u64);
    let counted = CountingReader {
        inner: input,
        read: &read,
        bar,
    };
    verifier.read_from_with(counted, |event| match event {
        ReadEvent::Entry { offset, entry } => {
            if entry.kind() == MessageKind::OfflineCount
                && let Ok(count) = OfflineCount::from_bytes(entry.payload())
            {
                paper_signers = count.signers().collect();
            }
            entries.push(EntryInfo {
                offset,
                section: Some(entry.section()),
                truncated: false,
            });
        }
        ReadEvent::Unreadable { offset, truncated } => {
            entries.push(EntryInfo {
                offset,
                section: None,
                truncated,
            });
        }
    })?;
    bar.set_message("counting");
    Ok(Verified {
        report: verifier.finish(),
        entries,
        paper_signers,
        bytes: read.get(),
    })
}

/// A reader that moves the progress bar by the bytes read.
struct CountingReader<'a, T> {
    inner: T,
    read: &'a Cell<u64>,
    bar: &'a ProgressBar,
}

impl<T: Read> Read for CountingReader<'_, T> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        self.bar.set_position(self.read.get());
        Ok(n)
    }
}

/// What an entry of a section is called.
fn section_name(section: Section) -> &'static str {
    match section {
        Section::Manifest => "manifest",
        Section::CeremonyRound1 => "key ceremony round 1",
        Section::CeremonyRound2 => "key ceremony round 2",
        Section::CeremonyComplaints => "key ceremony complaint",
        Section::CeremonyAnswers => "key ceremony answer",
        Section::IssuanceReport => "issuance report",
        Section::SpoiledBallots => "spoiled ballot",
        Section::Ballots => "cast ballot",
        Section::OfflineCount => "paper count",
        Section::Close => "close",
        Section::Aggregate => "aggregate",
        Section::DecryptionShares => "decryption share",
        Section::Totals => "totals",
        Section::Outcomes => "outcomes",
        _ => "entry",
    }
}

/// Thousands separators for byte offsets and counts.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Verified {
    /// "entry 37 (cast ballot no. 12, at byte 120,000)".
    pub(crate) fn describe(&self, index: usize) -> String {
        let Some(info) = self.entries.get(index) else {
            return format!("entry {index}");
        };
        match info.section {
            Some(section) => {
                let before = self
                    .entries
                    .get(..index)
                    .unwrap_or_default()
                    .iter()
                    .filter(|e| e.section == Some(section))
                    .count();
                let number = if section.is_single() {
                    String::new()
                } else {
                    format!(" no. {}", before + 1)
                };
                format!(
                    "entry {index} ({}{number}, at byte {})",
                    section_name(section),
                    grouped(info.offset)
                )
            }
            None if info.truncated => format!(
                "entry {index} (cut short by the end of the record, at byte {})",
                grouped(info.offset)
            ),
            None => format!(
                "entry {index} (unreadable, at byte {})",
                grouped(info.offset)
            ),
        }
    }

    /// One line per failed check: "ballots at entry 37".
    pub(crate) fn failure_summary(&self) -> String {
        let parts: Vec<String> = self
            .report
            .failures()
            .map(|c| match c.entry {
                Some(at) => format!("{} at entry {at}", c.id.name()),
                None => c.id.name().to_owned(),
            })
            .collect();
        let n = parts.len();
        format!(
            "{n} check{} failed: {}",
            if n == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }
}

/// What a check's items count, singular and plural.
fn unit(id: CheckId) -> (&'static str, &'static str) {
    match id {
        CheckId::Encoding | CheckId::HashChain => ("entry", "entries"),
        CheckId::Order => ("section", "sections"),
        CheckId::Manifest => ("manifest", "manifests"),
        CheckId::IssuanceReport => ("signed report", "signed reports"),
        CheckId::OfflineCount => ("signed paper count", "signed paper counts"),
        CheckId::KeyCeremony => ("qualified trustee", "qualified trustees"),
        CheckId::SpoiledBallots => ("spoiled ballot", "spoiled ballots"),
        CheckId::Ballots
        | CheckId::Pseudonyms
        | CheckId::SpoiledNotCounted
        | CheckId::Reconciliation
        | CheckId::PrivacyFloor
        | CheckId::Aggregate => ("ballot", "ballots"),
        CheckId::Attendance => ("present", "present"),
        CheckId::DecryptionShares => ("share", "shares"),
        CheckId::Totals => ("position", "positions"),
        CheckId::Outcomes => ("question", "questions"),
        _ => ("item", "items"),
    }
}

/// The culprits a failed check names, described.
fn culprit_lines(verified: &Verified, check: &Check) -> Vec<String> {
    const SHOWN: usize = 20;
    let Status::Failed(error) = &check.status else {
        return Vec::new();
    };
    let culprits = error.culprits();
    let mut lines = Vec::new();
    match check.id {
        CheckId::Ballots if !culprits.is_empty() => {
            for &at in culprits.iter().take(SHOWN) {
                lines.push(format!("culprit: {}", verified.describe(at)));
            }
            if culprits.len() > SHOWN {
                lines.push(format!("… and {} more", culprits.len() - SHOWN));
            }
        }
        CheckId::DecryptionShares if !culprits.is_empty() => {
            let list: Vec<String> = culprits.iter().map(ToString::to_string).collect();
            lines.push(format!("culprits: trustees {}", list.join(", ")));
        }
        CheckId::HashChain if check.entry.is_some() => {
            if let Some(at) = check.entry {
                lines.push(format!("at {}", verified.describe(at)));
                lines.push(match at.checked_sub(1) {
                    Some(before) => format!(
                        "so entry {before} was changed, or entries are missing or inserted before entry {at}"
                    ),
                    None => "so it is not the first entry of a record: entries are missing before it"
                        .to_owned(),
                });
            }
        }
        _ => {
            if let Some(at) = check.entry {
                lines.push(format!("at {}", verified.describe(at)));
            }
        }
    }
    lines
}

/// The report as text: every check with its outcome, then the verdict.
pub(crate) fn render(verified: &Verified, source: &str) -> String {
    let report = &verified.report;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "record   {source} ({} bytes, {} entries)",
        grouped(verified.bytes),
        report.entries
    );
    let _ = writeln!(out, "head     {}", hex::encode(report.head));
    match &report.context {
        Some(context) => {
            let _ = writeln!(out, "context  {} (manifest hash)", hex::encode(context));
        }
        None => {
            let _ = writeln!(out, "context  none (no valid manifest)");
        }
    }
    let _ = writeln!(out, "stage    {}", report.stage.name());
    out.push('\n');
    for check in &report.checks {
        let name = check.id.name();
        match &check.status {
            Status::Passed { items } => {
                let (one, many) = unit(check.id);
                let unit = if *items == 1 { one } else { many };
                let _ = writeln!(out, "  passed   {name:<20} {items} {unit}");
            }
            Status::Failed(error) => {
                let _ = writeln!(out, "  FAILED   {name:<20} {error} [{}]", error.code());
                for line in culprit_lines(verified, check) {
                    let _ = writeln!(out, "           {:<20} {line}", "");
                }
            }
            Status::Skipped(reason) => {
                let _ = writeln!(out, "  skipped  {name:<20} {reason}");
            }
        }
    }
    out.push('\n');
    let verdict = match report.verdict() {
        Verdict::Valid if report.is_valid_and_tallied() => {
            "valid: every check that applies passed; the record is tallied (final)".to_owned()
        }
        Verdict::Valid => format!(
            "valid so far: every check that applies passed, but the record stops at stage {} (not final)",
            report.stage.name()
        ),
        Verdict::VoidRedo => {
            "VOID: more ballots than credentials issued; the vote must be repeated (VOID_REDO)"
                .to_owned()
        }
        Verdict::Invalid => format!("INVALID: {}", verified.failure_summary()),
    };
    let _ = writeln!(out, "verdict  {verdict}");
    out
}

/// Fails unless the record's head is the published one.
fn check_head(report: &Report, expected: &str) -> Result<(), Failure> {
    let bytes = hex::decode(expected.trim())
        .ok()
        .filter(|b| b.len() == 32)
        .ok_or_else(|| Failure::new("--head: expected 64 hex digits (a 32-byte hash)"))?;
    if bytes.as_slice() == report.head {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "the record ends at head {}, not at the published head {}: it is not the record that was published",
            hex::encode(report.head),
            hex::encode(bytes)
        )))
    }
}

/// The one-line failure for a record that does not verify.
pub(crate) fn refusal(verified: &Verified, source: &str) -> Option<Failure> {
    match verified.report.verdict() {
        Verdict::Valid => None,
        Verdict::VoidRedo => Some(Failure::new(format!(
            "{source}: more ballots than credentials issued: the vote is void and must be repeated (VOID_REDO)"
        ))),
        Verdict::Invalid => Some(Failure::new(format!(
            "{source} does not verify: {}",
            verified.failure_summary()
        ))),
    }
}

/// Runs `secret-ballot verify`.
pub(crate) fn run(options: &Options) -> Result<(), Failure> {
    let verified = verify_file(&options.record)?;
    let source = options.record.display().to_string();
    if options.json {
        println!("{}", verified.report.to_json());
    } else {
        print!("{}", render(&verified, &source));
    }
    if let Some(head) = &options.head {
        check_head(&verified.report, head)?;
    }
    match refusal(&verified, &source) {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}
