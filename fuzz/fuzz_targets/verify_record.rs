//! Record verification (SPEC.md §14.7) on arbitrary bytes: never panics, never calls
//! garbage valid, and streaming gives the same report as verifying in memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secret_ballot::rand_core::{CryptoRng, RngCore};
use secret_ballot::record::RecordReader;
use secret_ballot::verify::{Verdict, Verifier, verify};

/// A fixed RNG: batch weights need no secrecy here, and a fuzzer wants determinism.
struct Counter(u64);

impl RngCore for Counter {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), secret_ballot::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for Counter {}

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
