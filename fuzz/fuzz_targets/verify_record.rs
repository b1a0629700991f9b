//! Record verification (SPEC.md §14.7) on arbitrary bytes: never panics, never calls
//! garbage valid, and streaming gives the same report as verifying in memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secret_ballot::record::RecordReader;
use secret_ballot::verify::{Verdict, Verifier, verify};
use secret_ballot_fuzz::Counter;

fuzz_target!(|data: &[u8]| {
    let report = verify(data, Counter(1));
    // Nothing a fuzzer finds is a valid, tallied election unless it is one of ours.
    if report.verdict() == Verdict::Valid {
        assert!(report.manifest.is_some());
    }
    // Entry by entry gives the same report.
    let mut v = Verifier::new(Counter(1));
    for entry in RecordReader::new(data) {
        match entry {
            Ok(e) => v.push_bytes(&e.to_bytes()),
            Err(e) => v.unreadable(e),
        }
    }
    assert_eq!(v.finish(), report);
    let _ = report.to_json();
});
