//! The `secret-ballot` binary as a user runs it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_secret-ballot"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn demo_runs_a_vote_and_prints_the_tally() {
    let (ok, out, err) = run(&["demo", "--voters", "9", "--roster", "11"]);
    assert!(ok, "stderr: {err}");
    // 9 voters, every third votes no: 6 yes, 3 no.
    assert!(out.contains("yes 6, no 3, abstain 0"), "{out}");
    assert!(out.contains("quorum (3·P ≥ 2·N): met"), "{out}");
    assert!(out.contains("motion CARRIED"), "{out}");
}

#[test]
fn quorum_and_majority_of_the_whole_roster() {
    let (ok, out, _) = run(&["demo", "--voters", "6", "--roster", "10"]);
    assert!(ok);
    assert!(out.contains("quorum (3·P ≥ 2·N): NOT met"), "{out}");
    assert!(out.contains("NOT carried"), "{out}");
}

#[test]
fn bad_arguments_are_refused_with_a_message() {
    for args in [
        &["demo", "--voters"][..],
        &["demo", "--voters", "x"],
        &["demo", "--voters", "0"],
        &["demo", "--bogus"],
        &["frobnicate"],
        &["demo", "--voters", "2"],
        &["demo", "--voters", "40", "--roster", "30"],
    ] {
        let (ok, _, err) = run(args);
        assert!(!ok, "{args:?} accepted");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
    let (ok, out, _) = run(&["--help"]);
    assert!(ok && out.contains("USAGE"));
    let (ok, out, _) = run(&["--version"]);
    assert!(ok && out.starts_with("secret-ballot "));
}
