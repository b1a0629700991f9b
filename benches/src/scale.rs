//! What the scale benches (`record_scale`, `federation_scale`) share: each verification
//! runs in a fresh child process of the bench itself, so that its peak resident set is
//! its own, and reports `seconds peak_rss_kib ballots` on one line.

#![allow(clippy::expect_used, clippy::print_stdout)] // a bench harness

use std::process::Command;

/// The peak resident set of this process (`VmHWM`), in KiB; 0 where /proc is missing.
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// In the child: prints what [`run_child`] reads.
pub fn report(seconds: f64, ballots: u64) {
    println!("{seconds} {} {ballots}", peak_rss_kib());
}

/// Runs `command` (this bench with `--measure` and its arguments) and returns the
/// child's `(seconds, peak RSS in MiB, ballots)`.
pub fn run_child(command: &mut Command) -> (f64, f64, u64) {
    let out = command.output().expect("run the measurement");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut fields = text.split_whitespace();
    let mut next = || fields.next().expect("a figure");
    let seconds: f64 = next().parse().expect("seconds");
    let peak_kib: f64 = next().parse().expect("peak");
    let ballots: u64 = next().parse().expect("ballots");
    (seconds, peak_kib / 1024.0, ballots)
}
