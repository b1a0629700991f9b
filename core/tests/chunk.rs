//! Verification in chunks (SPEC.md §14.11): for every record, valid or tampered, and
//! every way of splitting it, the combined report is exactly `verify`'s; results that do
//! not fit the plan (a chunk missing, repeated, from another plan or prefix, with a
//! forged floor) are refused; results travel as bytes and their decoder refuses
//! malformed input.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]

#[path = "support/ceremony.rs"]
mod ceremony;
#[path = "support/common.rs"]
mod common;
#[path = "support/congress.rs"]
mod congress;
#[path = "support/sitting.rs"]
mod sitting;

use proptest::prelude::*;
use secret_ballot::Error;
use secret_ballot::encoding::MessageKind;
use secret_ballot::error::EncodingError;
use secret_ballot::record::{Entry, RecordReader};
use secret_ballot::verify::chunk::{ChunkResult, ChunkSpec, Plan, combine, verify_chunk};
use secret_ballot::verify::{CheckId, Report, Status, verify};
use serde_json::Value;
use sitting::chain;

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../test-vectors/v1/record.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn rng(seed: u8) -> rand_chacha::ChaCha20Rng {
    common::rng(seed)
}

/// The valid record of the vectors.
fn valid() -> Vec<u8> {
    unhex(&vectors()["record"])
}

/// Every record of the vectors: the valid one, its closed stage, every tampered one.
fn all_records() -> Vec<(String, Vec<u8>)> {
    let v = vectors();
    let mut out = vec![
        ("valid".to_string(), unhex(&v["record"])),
        ("closed".to_string(), unhex(&v["closed"])),
    ];
    for t in v["invalid"].as_array().unwrap() {
        out.push((
            t["reason"].as_str().unwrap().to_string(),
            unhex(&t["record"]),
        ));
    }
    out
}

fn payloads(record: &[u8]) -> Vec<Vec<u8>> {
    RecordReader::new(record)
        .map(|e| e.unwrap().payload().to_vec())
        .collect()
}

fn ballot_positions(payloads: &[Vec<u8>]) -> Vec<usize> {
    (0..payloads.len())
        .filter(|&i| payloads[i][1] == MessageKind::Ballot as u8)
        .collect()
}

fn slice(record: &[u8], from: u64, to: u64) -> &[u8] {
    &record[from as usize..to as usize]
}

/// Verifies every chunk of `plan` (in reverse order: the combiner must not care) and
/// returns the results.
fn results(record: &[u8], plan: &Plan) -> Vec<ChunkResult> {
    let prefix = slice(record, 0, plan.prefix_len);
    plan.chunks
        .iter()
        .rev()
        .map(|spec| {
            let bytes = slice(record, spec.start, spec.end);
            let result = verify_chunk(prefix, bytes, spec, rng(spec.index as u8)).unwrap();
            // Every result travels as bytes.
            let encoded = result.to_bytes();
            let decoded = ChunkResult::from_bytes(&encoded).unwrap();
            assert_eq!(decoded, result);
            decoded
        })
        .collect()
}

fn combined(record: &[u8], plan: &Plan, results: Vec<ChunkResult>) -> Result<Report, Error> {
    combine(
        plan,
        slice(record, 0, plan.prefix_len),
        results,
        slice(record, plan.suffix_start(), plan.record_len),
        rng(200),
    )
}

/// The combined report for every chunk size from 1 to beyond the number of ballots is
/// `verify`'s, field for field.
fn assert_same_report(name: &str, record: &[u8]) {
    let single = verify(record, rng(1));
    for per_chunk in [1, 2, 3, 5, 1000] {
        let plan = Plan::new(record, per_chunk);
        plan.validate().unwrap();
        let from_file = Plan::read(std::io::Cursor::new(record), per_chunk).unwrap();
        assert_eq!(from_file, plan, "{name}: planned from a reader");
        let report = combined(record, &plan, results(record, &plan))
            .unwrap_or_else(|e| panic!("{name}, {per_chunk} per chunk: {e}"));
        assert_eq!(report, single, "{name}, {per_chunk} per chunk");
        assert_eq!(report.to_json(), single.to_json(), "{name}");
    }
}

#[test]
fn every_vector_record_gives_the_report_of_verify_however_it_is_split() {
    for (name, record) in all_records() {
        assert_same_report(&name, &record);
    }
}

#[test]
fn a_valid_record_splits_into_chunks_whose_partial_aggregates_add_up() {
    let record = valid();
    let plan = Plan::new(&record, 1);
    let ballots = ballot_positions(&payloads(&record));
    assert_eq!(plan.chunks.len(), ballots.len());
    assert_eq!(plan.prefix_entries, ballots[0] as u64);
    for (spec, &at) in plan.chunks.iter().zip(&ballots) {
        assert_eq!(spec.first_entry, at as u64);
        assert_eq!(spec.entries, 1);
    }
    let results = results(&record, &plan);
    assert!(results.iter().all(ChunkResult::passed));
    assert_eq!(results.iter().map(|r| r.ballots).sum::<u64>(), 4);
    assert_eq!(results.iter().map(ChunkResult::pseudonyms).sum::<u64>(), 4);
    // The partial sums add up to what the whole-record verifier sums (checked through
    // the report: the aggregate check passes only with the exact sum).
    let report = combined(&record, &plan, results).unwrap();
    assert!(report.is_valid_and_tallied());
}

/// A pseudonym repeated across a chunk boundary is found by the later chunk.
#[test]
fn a_pseudonym_used_in_two_chunks_is_caught() {
    let mut p = payloads(&valid());
    let ballots = ballot_positions(&p);
    let copy = p[ballots[1]].clone();
    p.insert(ballots[1] + 1, copy);
    let record = chain(&p);
    let plan = Plan::new(&record, 2);
    // The copy opens the second chunk.
    assert_eq!(plan.chunks[1].first_entry, ballots[1] as u64 + 1);
    let results = results(&record, &plan);
    let pseudonyms = results[results.len() - 2].clone();
    assert!(!pseudonyms.passed(), "the later chunk names the duplicate");
    let report = combined(&record, &plan, results).unwrap();
    assert_eq!(
        report.status(CheckId::Pseudonyms),
        &Status::Failed(Error::DuplicatePseudonym)
    );
    assert_eq!(
        report.check_entry(CheckId::Pseudonyms),
        Some(ballots[1] + 1)
    );
    assert_eq!(report, verify(&record, rng(1)));
}

/// Ballots out of pseudonym order across chunks: a ballot below the highest pseudonym
/// read before it is not read, even when the ballot just before it is lower still.
#[test]
fn ballots_out_of_order_across_chunks_are_judged_against_the_highest_before_them() {
    let mut p = payloads(&valid());
    let b = ballot_positions(&p);
    // Pseudonyms p0 < p1 < p2 < p3; publish p2, p0, p1, p3.
    let (b0, b1, b2) = (p[b[0]].clone(), p[b[1]].clone(), p[b[2]].clone());
    p[b[0]] = b2;
    p[b[1]] = b0;
    p[b[2]] = b1;
    let record = chain(&p);
    let plan = Plan::new(&record, 1);
    assert_eq!(
        plan.chunks[2].floor, plan.chunks[1].floor,
        "p2 stays the highest"
    );
    assert_same_report("reordered", &record);
    let report = verify(&record, rng(1));
    assert_eq!(report.ballots, 2, "p0 and p1 are not read");
}

#[test]
fn records_broken_inside_the_run_of_ballots_give_the_report_of_verify() {
    let p = payloads(&valid());
    let b = ballot_positions(&p);
    let record = valid();
    let entries: Vec<Vec<u8>> = RecordReader::new(&record)
        .map(|e| e.unwrap().to_bytes())
        .collect();
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();

    // The record ends inside a ballot.
    let cut: usize = entries[..b[2]].iter().map(Vec::len).sum::<usize>() + 100;
    cases.push(("truncated inside a ballot", record[..cut].to_vec()));

    // A ballot's payload too short to hold a pseudonym.
    let mut short = p.clone();
    short[b[1]] = vec![0x01, 0x31, 0x07];
    cases.push(("a ballot without a pseudonym", chain(&short)));

    // A payload of a kind no section holds, inside the run: the framing stops there.
    let mut unknown = p.clone();
    unknown[b[2]][1] = 0x99;
    cases.push(("an unknown kind inside the run", chain(&unknown)));

    // A spoiled ballot among the cast ones: the run ends there, the rest is suffix.
    let mut spoiled = p.clone();
    let s = (0..p.len())
        .find(|&i| p[i][1] == MessageKind::SpoiledBallot as u8)
        .unwrap();
    let moved = spoiled.remove(s);
    spoiled.insert(b[2] - 1, moved);
    cases.push(("a spoiled ballot inside the run", chain(&spoiled)));

    // All the ballots after the close: the run is out of place.
    let mut late = p.clone();
    let run: Vec<Vec<u8>> = late.drain(b[0]..=b[3]).collect();
    let close = (0..late.len())
        .find(|&i| late[i][1] == MessageKind::Close as u8)
        .unwrap();
    for (k, ballot) in run.into_iter().enumerate() {
        late.insert(close + 1 + k, ballot);
    }
    cases.push(("the ballots after the close", chain(&late)));

    // The record starts with the ballots: there is no manifest.
    cases.push(("no manifest", chain(&p[b[0]..])));

    // A broken link at a chunk boundary, and one inside a chunk.
    let mut relinked = entries.clone();
    relinked[b[2]][2] ^= 1;
    cases.push(("a broken link into a ballot", relinked.concat()));

    // A ballot whose proofs fail (a byte of its last proof flipped).
    let mut bad = p.clone();
    let last = bad[b[3]].len() - 40;
    bad[b[3]][last] ^= 1;
    cases.push(("an invalid ballot", chain(&bad)));

    // No ballots at all, and the empty record.
    let mut none = p.clone();
    none.drain(b[0]..=b[3]);
    cases.push(("no ballots", chain(&none)));
    cases.push(("empty", Vec::new()));

    for (name, record) in cases {
        assert_same_report(name, &record);
    }
}

#[test]
fn a_missing_or_repeated_chunk_is_refused() {
    let record = valid();
    let plan = Plan::new(&record, 1);
    let all = results(&record, &plan);

    let mut missing = all.clone();
    missing.remove(1);
    assert!(matches!(
        combined(&record, &plan, missing),
        Err(Error::ChunkMismatch(_))
    ));

    let mut repeated = all.clone();
    repeated.push(all[0].clone());
    assert!(matches!(
        combined(&record, &plan, repeated),
        Err(Error::ChunkMismatch(_))
    ));

    // One chunk twice, in place of another.
    let mut twice = all.clone();
    twice[1] = twice[0].clone();
    assert!(matches!(
        combined(&record, &plan, twice),
        Err(Error::ChunkMismatch(_))
    ));

    // Results of another split of the same record.
    let other = Plan::new(&record, 2);
    assert!(matches!(
        combined(&record, &plan, results(&record, &other)),
        Err(Error::ChunkMismatch(_))
    ));

    assert!(combined(&record, &plan, all).is_ok());
}

#[test]
fn results_that_do_not_fit_the_record_are_refused() {
    let record = valid();
    let plan = Plan::new(&record, 2);
    let all = results(&record, &plan);

    // A worker that read another prefix (one bit of the manifest changed).
    let mut prefix = slice(&record, 0, plan.prefix_len).to_vec();
    prefix[60] ^= 1;
    let spec = &plan.chunks[0];
    let foreign =
        verify_chunk(&prefix, slice(&record, spec.start, spec.end), spec, rng(3)).unwrap();
    let mut mixed = all.clone();
    mixed[all.len() - 1] = foreign;
    assert!(matches!(
        combined(&record, &plan, mixed),
        Err(Error::ChunkMismatch(_))
    ));

    // A forged floor: the worker compares with nothing, the combiner notices.
    let mut forged = plan.clone();
    forged.chunks[1].floor = Some([0; 32]);
    let spec = &forged.chunks[1];
    let lax = verify_chunk(
        slice(&record, 0, plan.prefix_len),
        slice(&record, spec.start, spec.end),
        spec,
        rng(4),
    )
    .unwrap();
    let mut with_lax: Vec<ChunkResult> = all.clone();
    // `results` returns the chunks in reverse order.
    with_lax[0] = lax;
    assert!(matches!(
        combined(&record, &forged, with_lax),
        Err(Error::ChunkMismatch(_))
    ));

    // Bytes that are not the chunk's, and a plan whose chunks do not follow each other.
    let spec = &plan.chunks[1];
    let prefix = slice(&record, 0, plan.prefix_len);
    assert!(matches!(
        verify_chunk(
            prefix,
            slice(&record, spec.start, spec.end - 1),
            spec,
            rng(5)
        ),
        Err(Error::ChunkMismatch(_))
    ));
    assert!(matches!(
        verify_chunk(
            prefix,
            slice(&record, spec.start - 1, spec.end - 1),
            spec,
            rng(5)
        ),
        Err(Error::ChunkMismatch(_))
    ));
    let short_prefix = slice(&record, 0, plan.prefix_len - 1);
    assert!(matches!(
        verify_chunk(
            short_prefix,
            slice(&record, spec.start, spec.end),
            spec,
            rng(5)
        ),
        Err(Error::ChunkMismatch(_))
    ));
    let mut gap = plan.clone();
    gap.chunks[1].start += 1;
    assert!(matches!(gap.validate(), Err(Error::ChunkMismatch(_))));
    assert!(matches!(
        combined(&record, &gap, all.clone()),
        Err(Error::ChunkMismatch(_))
    ));
    // A suffix of the wrong length.
    assert!(matches!(
        combine(
            &plan,
            slice(&record, 0, plan.prefix_len),
            all,
            &record[..10],
            rng(6)
        ),
        Err(Error::ChunkMismatch(_))
    ));
}

#[test]
fn chunk_encodings_round_trip_and_refuse_malformed_bytes() {
    let record = valid();
    let plan = Plan::new(&record, 3);
    for spec in &plan.chunks {
        assert_eq!(ChunkSpec::from_bytes(&spec.to_bytes()).unwrap(), *spec);
    }
    let result = results(&record, &plan).remove(0);
    let bytes = result.to_bytes();
    for cut in 0..bytes.len() {
        assert!(
            ChunkResult::from_bytes(&bytes[..cut]).is_err(),
            "truncated at {cut}"
        );
    }
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(
        ChunkResult::from_bytes(&long),
        Err(EncodingError::TrailingBytes(1))
    );
    let mut kind = bytes.clone();
    kind[1] = MessageKind::Ballot as u8;
    assert!(matches!(
        ChunkResult::from_bytes(&kind),
        Err(EncodingError::WrongKind { .. })
    ));
    // A chunk that claims more entries than its bytes can hold.
    let mut spec = plan.chunks[0].clone();
    spec.entries = spec.end - spec.start;
    assert!(matches!(
        ChunkSpec::from_bytes(&spec.to_bytes()),
        Err(EncodingError::CountOutOfBounds { .. })
    ));
    // An option byte that is neither 0 nor 1.
    let mut option = plan.chunks[0].to_bytes();
    let last = option.len() - 1;
    option[last] = 2;
    assert_eq!(
        ChunkSpec::from_bytes(&option),
        Err(EncodingError::InvalidTag(2))
    );
}

/// A result with failures (so its error encodings are exercised) round-trips.
#[test]
fn failures_round_trip_through_the_result_encoding() {
    let mut p = payloads(&valid());
    let b = ballot_positions(&p);
    p[b[1]] = vec![0x01, 0x31, 0x07];
    let copy = p[b[2]].clone();
    p.insert(b[2] + 1, copy);
    let record = chain(&p);
    let plan = Plan::new(&record, 1000);
    let result = results(&record, &plan).remove(0);
    assert!(!result.passed());
    assert_eq!(ChunkResult::from_bytes(&result.to_bytes()).unwrap(), result);
}

/// 96 cases per property, or `CHUNK_CASES` of them for a longer search (say 6,000,
/// with `--release`).
fn cases() -> u32 {
    std::env::var("CHUNK_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(96)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// The decoders never panic, and what they accept re-encodes to the same bytes.
    #[test]
    fn chunk_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(result) = ChunkResult::from_bytes(&bytes) {
            prop_assert_eq!(result.to_bytes(), bytes.clone());
        }
        if let Ok(spec) = ChunkSpec::from_bytes(&bytes) {
            prop_assert_eq!(spec.to_bytes(), bytes);
        }
    }

    /// Flipping any byte of a valid record and splitting it anywhere still gives the
    /// report of `verify`.
    #[test]
    fn a_corrupted_record_split_anywhere_gives_the_report_of_verify(
        at in 0usize..50_000, bit in 0u8..8, per_chunk in 1u64..5,
    ) {
        let mut record = valid();
        let at = at % record.len();
        record[at] ^= 1 << bit;
        let plan = Plan::new(&record, per_chunk);
        let report = combined(&record, &plan, results(&record, &plan)).unwrap();
        prop_assert_eq!(report, verify(&record, rng(1)));
    }
}

#[test]
fn plan_of_the_valid_record_frames_every_entry() {
    let record = valid();
    let plan = Plan::new(&record, 2);
    let total: u64 = RecordReader::new(&record).count() as u64;
    let suffix = RecordReader::new(slice(&record, plan.suffix_start(), plan.record_len)).count();
    let chunked: u64 = plan.chunks.iter().map(|c| c.entries).sum();
    assert_eq!(plan.prefix_entries + chunked + suffix as u64, total);
    // Each chunk starts at an entry that is a cast ballot.
    for spec in &plan.chunks {
        let (entry, _) = Entry::parse(&record[spec.start as usize..]).unwrap();
        assert_eq!(entry.kind(), MessageKind::Ballot);
    }
}

/// An entry whose length field is one off (found in CI by
/// `a_corrupted_record_split_anywhere_gives_the_report_of_verify`): the reading
/// goes on one byte early or late, so the entry itself is one byte short or long and the
/// frame after it unreadable. Whole or in chunks, the report names the entry itself,
/// the first failure in record order, not the unreadable frame after it.
#[test]
fn an_entry_length_one_off_is_named_whole_and_in_chunks() {
    let valid = valid();
    let mut offset = 0usize;
    let mut at = 0usize;
    while offset < valid.len() {
        let len = secret_ballot::record::Entry::encoded_len(&valid[offset..]).unwrap();
        for bit in [0u8, 1] {
            let mut record = valid.clone();
            // The length's low byte: after the 2-byte header and the 32-byte `previous`.
            record[offset + 34] ^= 1 << bit;
            let single = verify(&record, rng(1));
            // The earliest entry any failed check names (the manifest's own decoding
            // failure is the `manifest` check's).
            let first = single
                .checks
                .iter()
                .filter(|c| matches!(c.status, Status::Failed(_)))
                .filter_map(|c| c.entry)
                .min();
            assert_eq!(first, Some(at), "entry {at}, bit {bit}: {single:?}");
            for per_chunk in [1, 2] {
                let plan = Plan::new(&record, per_chunk);
                let report = combined(&record, &plan, results(&record, &plan)).unwrap();
                assert_eq!(
                    report, single,
                    "entry {at}, bit {bit}, {per_chunk} per chunk"
                );
            }
        }
        offset += len;
        at += 1;
    }
}
