//! A 10,000-ballot record verified from a file, streamed entry by entry: ballots per
//! second batched and ballot by ballot (same run, so the ratio is fair), and the peak
//! heap the verifier uses, against the same figure for a record a tenth the size (it
//! should not grow with the number of ballots, SPEC.md §14.8).
//!
//! `cargo bench -p secret-ballot-benches --bench record_scale` (`SB_RECORD_BALLOTS`
//! changes the size). Not criterion: one verification of ten thousand ballots takes
//! tens of seconds, so it is timed once per mode.

#![allow(clippy::print_stdout, clippy::expect_used)] // a bench report

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::verify::{DEFAULT_BATCH, Verifier};
use secret_ballot_benches::{congress, scale};

/// In a child process: verifies the record at `path` streamed from disk and prints
/// `seconds peak_rss_kib ballots`.
fn measure(path: &Path, batch: usize) {
    let file = BufReader::new(File::open(path).expect("open the record"));
    let started = Instant::now();
    let mut v = Verifier::new(ChaCha20Rng::from_seed([9; 32])).with_batch_size(batch);
    v.read_from(file).expect("read the record");
    let report = v.finish();
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        report.is_valid_and_tallied(),
        "{:?}",
        report.failures().collect::<Vec<_>>()
    );
    scale::report(seconds, report.ballots);
}

/// Runs [`measure`] in a fresh process, so that neither the record's generation nor an
/// earlier run counts in its peak memory. With `pinned`, glibc's mmap threshold is fixed
/// at 128 KiB: by default glibc raises it after large frees, and the heap then keeps the
/// batch's large buffers fragmented, which grows the resident set slowly with the run's
/// length though the verifier's live memory does not grow.
fn run(path: &Path, batch: usize, pinned: bool, threads: usize) -> (f64, f64, u64) {
    let mut command = Command::new(std::env::current_exe().expect("this bench"));
    if pinned {
        command.env("MALLOC_MMAP_THRESHOLD_", "131072");
    }
    command.env("RAYON_NUM_THREADS", threads.to_string());
    scale::run_child(command.arg("--measure").arg(path).arg(batch.to_string()))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--measure") {
        let path = args.get(at + 1).expect("a path");
        let batch = args
            .get(at + 2)
            .and_then(|b| b.parse().ok())
            .expect("a batch size");
        measure(Path::new(path), batch);
        return;
    }
    let ballots: usize = std::env::var("SB_RECORD_BALLOTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let small = (ballots / 10).max(64);
    let started = Instant::now();
    let path = congress::cached_record(ballots, 2).expect("the record");
    let small_path = congress::cached_record(small, 3).expect("the small record");
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "record_scale: {ballots} ballots of 46 positions, {:.1} MiB on disk (ready in {:.0} s)",
        size as f64 / (1024.0 * 1024.0),
        started.elapsed().as_secs_f64()
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (parallel_s, parallel_mib, counted) = run(&path, DEFAULT_BATCH, false, cores);
    assert_eq!(counted, ballots as u64);
    let (batched_s, batched_mib, _) = run(&path, DEFAULT_BATCH, false, 1);
    let (_, pinned_mib, _) = run(&path, DEFAULT_BATCH, true, cores);
    let (single_s, single_mib, _) = run(&path, 1, false, 1);
    let (_, small_mib, _) = run(&small_path, DEFAULT_BATCH, false, cores);
    let (_, small_pinned_mib, _) = run(&small_path, DEFAULT_BATCH, true, cores);
    let rate = |s: f64| ballots as f64 / s;
    println!(
        "verify/batched, {cores} threads  {:>9.1} ballots/s  ({parallel_s:.1} s)  peak RSS {parallel_mib:.1} MiB ({pinned_mib:.1} MiB with the mmap threshold pinned)",
        rate(parallel_s)
    );
    println!(
        "verify/batched, 1 thread   {:>9.1} ballots/s  ({batched_s:.1} s)  peak RSS {batched_mib:.1} MiB",
        rate(batched_s)
    );
    println!(
        "verify/single, 1 thread    {:>9.1} ballots/s  ({single_s:.1} s)  peak RSS {single_mib:.1} MiB",
        rate(single_s)
    );
    println!(
        "ratios to verify/single: batched 1 thread {:.2}, batched {cores} threads {:.2}",
        single_s / batched_s,
        single_s / parallel_s
    );
    println!(
        "peak RSS for {small} ballots {small_mib:.1} MiB ({small_pinned_mib:.1} pinned): ratio {ballots}/{small} {:.2} ({:.2} pinned)",
        parallel_mib / small_mib,
        pinned_mib / small_pinned_mib
    );
}
