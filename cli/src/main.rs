//! `secret-ballot`: simulate a congress, verify its election record, print its result
//! sheet, write and check manifests.
//!
//! Every subcommand is a thin face over the library: `demo` runs a whole sitting through
//! the real protocol steps and publishes its record; `verify` streams a record through
//! `secret_ballot::verify::Verifier`; `report` verifies first and only then renders the
//! result sheet (text, JSON, CSV or a printable HTML page); `manifest` writes a template
//! and checks a manifest with errors that name the field. Bad input ends with one line
//! starting with `error: ` on stderr and a non-zero exit, never a panic.

// A command-line tool prints by design.
#![allow(clippy::print_stdout)]

mod demo;
mod failure;
mod manifest_file;
mod progress;
mod report;
mod rng;
mod sheet;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::failure::Failure;

/// Anonymous, verifiable secret ballots for employee-representative congresses.
#[derive(Debug, Parser)]
#[command(name = "secret-ballot", version, args_override_self = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate a whole congress and publish its election record.
    ///
    /// Scrutineers run a t-of-n key ceremony; representatives check in and receive blind
    /// credentials; they vote online (some spoil a ballot first to audit their device,
    /// some vote again if revoting is allowed), a few vote on paper; voting closes; only
    /// the sum of the ballots is decrypted, by the scrutineers present; the congress rules
    /// decide; the record is verified, written to a file, and its result sheet printed.
    Demo(demo::Options),
    /// Verify an election record: every check of SPEC.md §14.7, with its outcome.
    ///
    /// Exits 0 only if every check that applies passes (the record may still be
    /// incomplete: the stage says how far it got). Failed checks name the record entries
    /// to blame.
    Verify(verify::Options),
    /// Print the result sheet of a record that verifies (text, JSON, CSV or HTML).
    ///
    /// The record is verified first; a record that does not verify, or is not yet
    /// tallied, gets no result sheet.
    Report(report::Options),
    /// Write a manifest template, or check a manifest.
    #[command(subcommand)]
    Manifest(ManifestCommand),
}

#[derive(Debug, Subcommand)]
enum ManifestCommand {
    /// Write a JSON manifest template with every rule spelled out.
    ///
    /// The keys in the template are placeholders generated for it (their secrets are
    /// discarded): replace them with the scrutineers', the check-in desk's and the report
    /// signer's public keys.
    New(manifest_file::NewOptions),
    /// Check a manifest (JSON, or the binary encoding of SPEC.md §11.3): every problem is
    /// reported with the field it is in.
    Check(manifest_file::CheckOptions),
}

/// The formats of the result sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Plain text for a terminal or a log.
    Text,
    /// JSON: the sheet and the full verification report (lossless).
    Json,
    /// CSV: one row per figure, the same columns on every row.
    Csv,
    /// A self-contained HTML page that prints on A4.
    Html,
}

/// An output path, where `-` is standard output.
pub(crate) fn write_output(path: Option<&PathBuf>, text: &str) -> Result<(), Failure> {
    match path {
        Some(path) if path.as_os_str() != "-" => std::fs::write(path, text)
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display()))),
        _ => {
            print!("{text}");
            Ok(())
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Demo(options) => demo::run(&options),
        Command::Verify(options) => verify::run(&options),
        Command::Report(options) => report::run(&options),
        Command::Manifest(ManifestCommand::New(options)) => manifest_file::new(&options),
        Command::Manifest(ManifestCommand::Check(options)) => manifest_file::check(&options),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print();
            ExitCode::FAILURE
        }
    }
}
