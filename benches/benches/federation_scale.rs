//! A federation-wide ballot's record (one 1-of-4 question, credentials and signatures
//! included; 100,000 ballots by default) verified from a file: streamed on every core
//! and on one, and split into chunks (SPEC.md §14.11) verified one after another and
//! combined, each in a fresh process so that its peak resident set is its own.
//!
//! `cargo bench -p secret-ballot-benches --bench federation_scale`; `SB_FEDERATION_BALLOTS`
//! changes the size (the million-ballot run of BENCHMARKS.md uses the
//! `federation-record` command and the CLI instead, to keep the record out of the bench
//! cache). Not criterion: one verification takes about a minute, so each mode is timed
//! once.

#![allow(clippy::print_stdout, clippy::expect_used)] // a bench report

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::verify::Verifier;
use secret_ballot::verify::chunk::{Plan, combine, verify_chunk};
use secret_ballot_benches::{federation, scale};

/// Ballots per chunk in the chunked mode.
const PER_CHUNK: u64 = 4096;

fn read_range(file: &mut File, from: u64, to: u64) -> Vec<u8> {
    let mut out = vec![0; usize::try_from(to - from).expect("a chunk in memory")];
    file.seek(SeekFrom::Start(from)).expect("seek");
    file.read_exact(&mut out).expect("read");
    out
}

/// In a child process: verifies the record at `path` in `mode` and prints
/// `seconds peak_rss_kib ballots`.
fn measure(path: &Path, mode: &str) {
    let started = Instant::now();
    let report = if mode == "stream" {
        let mut v = Verifier::new(ChaCha20Rng::from_seed([9; 32]));
        v.read_from(BufReader::new(File::open(path).expect("open")))
            .expect("read");
        v.finish()
    } else {
        let plan = Plan::read(File::open(path).expect("open"), PER_CHUNK).expect("plan");
        let mut file = File::open(path).expect("open");
        let prefix = read_range(&mut file, 0, plan.prefix_len);
        let results: Vec<_> = plan
            .chunks
            .iter()
            .map(|spec| {
                let bytes = read_range(&mut file, spec.start, spec.end);
                let mut seed = [0u8; 32];
                seed[..4].copy_from_slice(&spec.index.to_le_bytes());
                verify_chunk(&prefix, &bytes, spec, ChaCha20Rng::from_seed(seed)).expect("a chunk")
            })
            .collect();
        let suffix = read_range(&mut file, plan.suffix_start(), plan.record_len);
        combine(
            &plan,
            &prefix,
            results,
            &suffix,
            ChaCha20Rng::from_seed([8; 32]),
        )
        .expect("the combination")
    };
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        report.is_valid_and_tallied(),
        "{:?}",
        report.failures().collect::<Vec<_>>()
    );
    scale::report(seconds, report.ballots);
}

fn run(path: &Path, mode: &str, threads: usize) -> (f64, f64, u64) {
    scale::run_child(
        Command::new(std::env::current_exe().expect("this bench"))
            .env("RAYON_NUM_THREADS", threads.to_string())
            .arg("--measure")
            .arg(path)
            .arg(mode),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--measure") {
        let path = args.get(at + 1).expect("a path");
        let mode = args.get(at + 2).expect("a mode");
        measure(Path::new(path), mode);
        return;
    }
    let ballots: usize = std::env::var("SB_FEDERATION_BALLOTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let started = Instant::now();
    let path = federation::cached_record(ballots, 1).expect("the record");
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "federation_scale: {ballots} ballots of one 1-of-4 question, {:.1} MiB on disk (ready in {:.0} s)",
        size as f64 / (1024.0 * 1024.0),
        started.elapsed().as_secs_f64()
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rate = |s: f64| ballots as f64 / s;
    let (all_s, all_mib, counted) = run(&path, "stream", cores);
    assert_eq!(counted, ballots as u64);
    let (one_s, one_mib, _) = run(&path, "stream", 1);
    let (chunks_s, chunks_mib, _) = run(&path, "chunks", 1);
    println!(
        "verify/stream, {cores} threads  {:>9.1} ballots/s  ({all_s:.1} s)  peak RSS {all_mib:.1} MiB",
        rate(all_s)
    );
    println!(
        "verify/stream, 1 thread   {:>9.1} ballots/s  ({one_s:.1} s)  peak RSS {one_mib:.1} MiB",
        rate(one_s)
    );
    println!(
        "verify/chunks of {PER_CHUNK}, 1 thread  {:>9.1} ballots/s  ({chunks_s:.1} s)  peak RSS {chunks_mib:.1} MiB",
        rate(chunks_s)
    );
    println!(
        "ratios: {cores} threads / 1 thread {:.2}; chunked / streamed (1 thread) {:.2}",
        one_s / all_s,
        one_s / chunks_s
    );
}
