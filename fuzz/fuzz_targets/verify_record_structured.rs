//! Structure-aware record fuzzing: start from the valid, tallied record of
//! `test-vectors/v1/record.json`, apply an edit script the fuzzer drives (change bytes of
//! one payload, splice in a payload of another record, drop, duplicate, swap or move
//! entries), **re-chain** the hashes so the chain check passes and the deeper checks of
//! SPEC.md §14.7 run, and verify.
//!
//! Never panics. The untouched record is valid, with the vector's report. An edited
//! record is valid only if it tells no other story. The edits that may keep a record
//! valid are those a public verifier cannot see by design (SPEC.md §14.7): a round-2
//! package's encrypted share (only its recipient can check it, by complaining), the
//! close's time and its attendance `P` within `credentials + paper voters ≤ P ≤ N`, a
//! lone manifest (any valid manifest is a record at its setup), and before the aggregate
//! a cast ballot swapped for another validly signed one (the voter finds out from the
//! tracking code); and dropping entries (a record at an earlier stage, or without a
//! spoiled ballot or a surplus decryption share). So a valid result must be, up to
//! those, a subsequence of the original's entries, hold the whole ceremony once it has
//! ballots, count every original ballot and the paper count once it has an aggregate,
//! and publish the original's totals and outcomes whenever it has any.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use secret_ballot::encoding::MessageKind;
use secret_ballot::record::ENTRY_HEADER_LEN;
use secret_ballot::verify::{Verdict, verify};
use secret_ballot_fuzz::{Counter, Fixture, chain, fixture};

/// Applies one edit; `Err` only when the input runs out.
fn edit(u: &mut Unstructured<'_>, payloads: &mut Vec<Vec<u8>>, f: &Fixture) -> Result<()> {
    if payloads.is_empty() {
        payloads.push(u.arbitrary()?);
        return Ok(());
    }
    let n = payloads.len();
    let i = u.choose_index(n)?;
    match u.int_in_range(0u8..=11)? {
        // Flip bits of one byte.
        0 => {
            let p = &mut payloads[i];
            if !p.is_empty() {
                let at = u.choose_index(p.len())?;
                p[at] ^= u.int_in_range(1u8..=255)?;
            }
        }
        // Overwrite bytes (counts, lengths, indices, flags).
        1 => {
            let p = &mut payloads[i];
            if !p.is_empty() {
                let at = u.choose_index(p.len())?;
                let bytes: &[u8] = u.arbitrary()?;
                let end = (at + bytes.len()).min(p.len());
                p[at..end].copy_from_slice(&bytes[..end - at]);
            }
        }
        // Copy a 32- or 64-byte field from another entry (a point, a scalar, a ciphertext).
        2 => {
            let j = u.choose_index(n)?;
            let len = if u.arbitrary()? { 32 } else { 64 };
            if payloads[i].len() >= len && payloads[j].len() >= len {
                let from = u.choose_index(payloads[j].len() - len + 1)?;
                let to = u.choose_index(payloads[i].len() - len + 1)?;
                let field = payloads[j][from..from + len].to_vec();
                payloads[i][to..to + len].copy_from_slice(&field);
            }
        }
        // Truncate or extend one payload.
        3 => {
            let len = payloads[i].len();
            let keep = u.int_in_range(0..=len)?;
            payloads[i].truncate(keep);
        }
        4 => {
            let tail: Vec<u8> = u.arbitrary()?;
            payloads[i].extend_from_slice(&tail);
        }
        // Drop, duplicate, swap, move entries.
        5 => {
            payloads.remove(i);
        }
        6 => {
            let copy = payloads[i].clone();
            let at = u.int_in_range(0..=n)?;
            payloads.insert(at, copy);
        }
        7 => {
            let j = u.choose_index(n)?;
            payloads.swap(i, j);
        }
        8 => {
            let entry = payloads.remove(i);
            let at = u.int_in_range(0..=n - 1)?;
            payloads.insert(at, entry);
        }
        // Replace with, or insert, a payload of another vector record (closed, tampered).
        9 => {
            if !f.others.is_empty() {
                payloads[i] = u.choose(&f.others)?.clone();
            }
        }
        10 => {
            if !f.others.is_empty() {
                let other = u.choose(&f.others)?.clone();
                payloads.insert(i, other);
            }
        }
        // Replace with arbitrary bytes under the same header (a message of that kind).
        _ => {
            let header = payloads[i].get(..2).unwrap_or_default().to_vec();
            let body: Vec<u8> = u.arbitrary()?;
            payloads[i] = [header, body].concat();
        }
    }
    Ok(())
}

/// Each entry of `edited` the original lacks: its index, kind byte and, against the
/// original entry of that kind it is closest to, where they first differ and the lengths.
fn describe(edited: &[Vec<u8>], original: &[Vec<u8>]) -> String {
    let mut out = String::new();
    for (i, p) in edited.iter().enumerate() {
        if original.contains(p) {
            continue;
        }
        let kind = p.get(1).copied();
        let closest = original
            .iter()
            .filter(|o| o.get(1).copied() == kind)
            .map(|o| (o.iter().zip(p).take_while(|(a, b)| a == b).count(), o))
            .max_by_key(|(same, _)| *same);
        match closest {
            Some((same, o)) => out.push_str(&format!(
                "[entry {i} kind {kind:?}: differs from the original's at byte {same}, len {} vs {}] ",
                p.len(),
                o.len()
            )),
            None => out.push_str(&format!("[entry {i} kind {kind:?}: new kind] ")),
        }
    }
    let order: Vec<Option<u8>> = edited.iter().map(|p| p.get(1).copied()).collect();
    out.push_str(&format!("kinds in order: {order:?}"));
    out
}

/// The payloads as a public verifier can tell them apart: a round-2 package's encrypted
/// share (bytes 6..54) is opaque to all but its recipient (SPEC.md §7.3, §14.7
/// `key_ceremony`), and nothing checks the close's time or, within the attendance
/// bounds, its `P` (§14.4), so those are blanked.
fn public(payloads: &[Vec<u8>]) -> Vec<Vec<u8>> {
    payloads
        .iter()
        .map(|p| {
            let mut p = p.clone();
            if p.len() == 54 && p[1] == MessageKind::DkgRound2 as u8 {
                p[6..].fill(0);
            }
            if p.get(1) == Some(&(MessageKind::Close as u8)) {
                p.truncate(2);
            }
            p
        })
        .collect()
}

/// Whether `a` is `b` with some entries dropped.
fn is_subsequence(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    let mut rest = b.iter();
    a.iter().all(|x| rest.any(|y| y == x))
}

fn of_kind(payloads: &[Vec<u8>], kind: MessageKind) -> Vec<&Vec<u8>> {
    payloads
        .iter()
        .filter(|p| p.get(1) == Some(&(kind as u8)))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let mut u = Unstructured::new(data);
    let mut payloads = f.payloads.clone();
    for _ in 0..u.int_in_range(0u8..=7).unwrap_or(0) {
        if edit(&mut u, &mut payloads, f).is_err() {
            break;
        }
    }
    let mut record = chain(&payloads);
    // Now and then, also break the chain (one entry's `previous`), to check that check.
    if let Ok(Some(k)) = u.arbitrary::<Option<u8>>()
        && !payloads.is_empty()
    {
        let k = usize::from(k) % payloads.len();
        let at: usize = payloads[..k]
            .iter()
            .map(|p| ENTRY_HEADER_LEN + p.len())
            .sum();
        record[at + 2] ^= 1;
    }

    let report = verify(&record, Counter(1));
    if record == f.record {
        assert_eq!(report, f.report, "the untouched record keeps its report");
        return;
    }
    if report.verdict() != Verdict::Valid || payloads.len() <= 1 {
        return;
    }
    let has = |kind| !of_kind(&payloads, kind).is_empty();
    let mut told = payloads.clone();
    if !has(MessageKind::Aggregate) {
        told.retain(|p| !f.signed_ballots.contains(p));
    }
    assert!(
        is_subsequence(&public(&told), &public(&f.payloads)),
        "a valid record with a payload the original does not have, or out of its order: {}",
        describe(&payloads, &f.payloads)
    );
    assert_eq!(
        report.manifest, f.report.manifest,
        "valid, with another manifest"
    );
    if has(MessageKind::Ballot) || has(MessageKind::SpoiledBallot) {
        assert_eq!(
            report.election_key, f.report.election_key,
            "ballots valid under another election key"
        );
        // Ballots are valid only under the ceremony's key, and a record that has them
        // must hold the whole ceremony it came from.
        for kind in [
            MessageKind::DkgRound1,
            MessageKind::DkgRound2,
            MessageKind::DkgComplaint,
            MessageKind::DkgComplaintAnswer,
        ] {
            let ceremony =
                |p: &[Vec<u8>]| public(&of_kind(p, kind).into_iter().cloned().collect::<Vec<_>>());
            assert!(
                ceremony(&payloads) == ceremony(&f.payloads),
                "ballots valid beside another ceremony ({kind:?}): {}",
                describe(&payloads, &f.payloads)
            );
        }
    }
    if has(MessageKind::Aggregate) {
        for kind in [MessageKind::Ballot, MessageKind::OfflineCount] {
            assert_eq!(
                of_kind(&payloads, kind),
                of_kind(&f.payloads, kind),
                "a valid aggregate of other ballots or another paper count"
            );
        }
    }
    if report.totals.is_some() {
        assert_eq!(report.totals, f.report.totals, "valid, with other totals");
    }
    if report.outcomes.is_some() {
        assert_eq!(
            report.outcomes, f.report.outcomes,
            "valid, with other outcomes"
        );
    }
});
