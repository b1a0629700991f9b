//! The ballot box (SPEC.md §13) driven by a sequence of operations the fuzzer chooses:
//! cast (a valid ballot of the vectors, a spoiled ballot's inner ballot, a mutation of
//! either, or arbitrary bytes), spoil (the same for spoiled ballots), close and publish.
//!
//! Invariants: never panics; a refused ballot changes nothing; nothing but the vectors'
//! validly signed ballots is ever accepted (a mutation that verifies is a forgery);
//! accepting the same bytes again is idempotent; after the close everything is refused;
//! and what the box publishes, completed with the vector's paper count and close,
//! verifies as a valid closed record counting exactly the box's ballots.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use secret_ballot::Error;
use secret_ballot::ballot_box::BallotBox;
use secret_ballot::encoding::MessageKind;
use secret_ballot::record::RecordWriter;
use secret_ballot::verify::{Stage, Verdict, verify};
use secret_ballot_fuzz::{Counter, Fixture, fixture};

/// The record up to and including the issuance report: where the box publishes.
fn prefix(f: &Fixture) -> RecordWriter {
    let mut w = RecordWriter::new();
    for p in &f.payloads {
        w.append(p).expect("the vector's prefix");
        if p[1] == MessageKind::IssuanceReport as u8 {
            break;
        }
    }
    w
}

/// What the box would publish: its whole observable state.
fn snapshot(b: &BallotBox, f: &Fixture) -> (usize, usize, bool, Vec<u8>) {
    let mut w = prefix(f);
    b.publish(&mut w)
        .expect("the box publishes in record order");
    (b.len(), b.spoiled(), b.is_closed(), w.into_bytes())
}

/// Bytes near `base`: a few bytes flipped, or truncated, or extended.
fn mutated(u: &mut Unstructured<'_>, base: &[u8]) -> Result<Vec<u8>> {
    let mut bytes = base.to_vec();
    match u.int_in_range(0u8..=2)? {
        0 => {
            for _ in 0..u.int_in_range(1u8..=4)? {
                if !bytes.is_empty() {
                    let at = u.choose_index(bytes.len())?;
                    bytes[at] ^= u.int_in_range(1u8..=255)?;
                }
            }
        }
        1 => bytes.truncate(u.int_in_range(0..=base.len())?),
        _ => bytes.extend_from_slice(u.arbitrary()?),
    }
    Ok(bytes)
}

fn verify_published(b: &BallotBox, f: &Fixture) {
    let mut w = prefix(f);
    b.publish(&mut w).expect("publish");
    for p in &f.payloads {
        if p[1] == MessageKind::OfflineCount as u8 || p[1] == MessageKind::Close as u8 {
            w.append(p).expect("paper count and close");
        }
    }
    let report = verify(w.as_bytes(), Counter(2));
    assert_eq!(
        report.verdict(),
        Verdict::Valid,
        "the box published a record that does not verify: {:?}",
        report.failures().collect::<Vec<_>>()
    );
    assert_eq!(report.stage, Stage::Closed);
    assert_eq!(report.ballots, b.len() as u64);
    assert_eq!(report.spoiled, b.spoiled() as u64);
}

fn run(
    u: &mut Unstructured<'_>,
    f: &Fixture,
    valid: &[Vec<u8>],
    spoiled: &[Vec<u8>],
) -> Result<()> {
    let mut b = BallotBox::new(f.keys.clone(), f.manifest.revoting);
    let mut published = false;
    for _ in 0..u.int_in_range(1u8..=24)? {
        let before = snapshot(&b, f);
        let op = u.int_in_range(0u8..=7)?;
        match op {
            // Cast.
            0..=3 => {
                let bytes = match op {
                    0 | 1 => u.choose(valid)?.clone(),
                    2 => {
                        let base = u.choose(valid)?.clone();
                        mutated(u, &base)?
                    }
                    _ => u.arbitrary::<Vec<u8>>()?,
                };
                match b.accept(&bytes) {
                    Ok(receipt) => {
                        assert!(!before.2, "accepted after the close");
                        assert!(valid.contains(&bytes), "accepted a ballot nobody signed");
                        assert!(b.ballots().any(|x| x.to_bytes() == bytes));
                        let again = snapshot(&b, f);
                        let second = b.accept(&bytes).expect("accepting again");
                        assert!(!second.replaced);
                        assert_eq!(second.tracking_code, receipt.tracking_code);
                        assert_eq!(snapshot(&b, f), again, "accepting again changed the box");
                    }
                    Err(e) => {
                        if before.2 {
                            assert_eq!(e, Error::BallotBoxClosed);
                        }
                        assert_eq!(snapshot(&b, f), before, "a refused ballot changed the box");
                    }
                }
            }
            // Spoil.
            4 | 5 => {
                let bytes = if op == 4 {
                    u.choose(spoiled)?.clone()
                } else {
                    let base = u.choose(spoiled)?.clone();
                    mutated(u, &base)?
                };
                match b.spoil(&bytes) {
                    Ok(_) => {
                        assert!(!before.2, "spoiled after the close");
                        assert!(
                            spoiled.contains(&bytes),
                            "kept a spoiled ballot nobody made"
                        );
                    }
                    Err(e) => {
                        if before.2 {
                            assert_eq!(e, Error::BallotBoxClosed);
                        }
                        assert_eq!(snapshot(&b, f), before, "a refused spoil changed the box");
                    }
                }
            }
            6 => b.close(),
            // Publish (verifying costs a record's worth of proofs: once per input).
            _ => {
                if !published {
                    verify_published(&b, f);
                    published = true;
                }
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    // Validly signed ballots: those cast, and those inside the spoiled ones.
    let mut valid = f.ballots();
    valid.extend(f.spoiled_inner());
    let spoiled = f.spoiled();
    let _ = run(&mut Unstructured::new(data), f, &valid, &spoiled);
});
