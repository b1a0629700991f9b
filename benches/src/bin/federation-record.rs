//! Writes a federation-wide ballot's record: `federation-record BALLOTS PATH [SEED]`.
//!
//! One 1-of-4 question, a blind credential and a signed ballot per representative, a
//! 3-of-5 key ceremony, the count and the outcomes (see
//! `secret_ballot_benches::federation`). For the scale measurements of BENCHMARKS.md:
//! `cargo run -p secret-ballot-benches --release --bin federation-record -- 1000000
//! target/federation-1000000.record`.

#![allow(clippy::print_stderr)] // a command-line tool's progress

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(ballots), Some(path)) = (
        args.first()
            .and_then(|a| a.replace('_', "").parse::<usize>().ok()),
        args.get(1).map(PathBuf::from),
    ) else {
        eprintln!("usage: federation-record BALLOTS PATH [SEED]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let started = Instant::now();
    let progress = |n: usize| {
        eprintln!(
            "{n} of {ballots} ballots cast ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
    };
    match secret_ballot_benches::federation::write_record(&path, ballots, seed, &progress) {
        Ok(()) => {
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            eprintln!(
                "{}: {ballots} ballots, {size} bytes, written in {:.1} s",
                path.display(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("federation-record: {e}");
            ExitCode::FAILURE
        }
    }
}
