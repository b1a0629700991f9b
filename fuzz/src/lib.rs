//! What the fuzz targets share: a deterministic RNG, the valid election record of
//! `test-vectors/v1/record.json` taken apart (the starting point of structure-aware
//! targets), and re-chaining a list of payloads into a record (SPEC.md §14.1).

use std::sync::OnceLock;

use secret_ballot::ballot::{Ballot, ElectionKeys, SpoiledBallot};
use secret_ballot::encoding::MessageKind;
use secret_ballot::manifest::Manifest;
use secret_ballot::rand_core::{CryptoRng, RngCore};
use secret_ballot::record::{ENTRY_HEADER_LEN, GENESIS, RecordReader};
use secret_ballot::transcript::{hash_to_bytes, tags};
use secret_ballot::verify::{Report, Verdict, verify};

/// A fixed RNG: batch weights and proof nonces need no secrecy here, and a fuzzer wants
/// determinism (the same input always takes the same path).
pub struct Counter(pub u64);

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

/// The frame of an entry: `0x01 ‖ 0x40 ‖ previous ‖ LE32(len)`.
pub fn frame(previous: &[u8; 32], len: usize) -> [u8; ENTRY_HEADER_LEN] {
    let mut out = [0u8; ENTRY_HEADER_LEN];
    out[0] = 0x01;
    out[1] = MessageKind::RecordEntry as u8;
    out[2..34].copy_from_slice(previous);
    out[34..].copy_from_slice(&(len as u32).to_le_bytes());
    out
}

/// The record of these payloads, each entry carrying the hash of the one before:
/// `HashToBytes("record-entry", entry)` (SPEC.md §14.1). Payloads of any kind, valid or
/// not, are chained alike, so a verifier's later checks see them.
pub fn chain(payloads: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut previous = GENESIS;
    for payload in payloads {
        let frame = frame(&previous, payload.len());
        out.extend_from_slice(&frame);
        out.extend_from_slice(payload);
        previous = hash_to_bytes(tags::RECORD_ENTRY, &[&frame, payload]);
    }
    out
}

/// The valid, tallied record of the vectors, taken apart.
pub struct Fixture {
    /// The record's bytes.
    pub record: Vec<u8>,
    /// The same record at its close (before the aggregate).
    pub closed: Vec<u8>,
    /// Its report (valid, tallied).
    pub report: Report,
    /// Every entry's payload, in record order.
    pub payloads: Vec<Vec<u8>>,
    /// Payloads of the vectors' other records (closed and tampered), for splicing.
    pub others: Vec<Vec<u8>>,
    /// The manifest.
    pub manifest: Manifest,
    /// What ballots are checked against.
    pub keys: ElectionKeys,
    /// Every validly signed ballot of this election in the vectors that the record does
    /// not count: the ballots inside spoiled ones and the tampered records' extra
    /// ballots (an outsider's, a replay).
    pub signed_ballots: Vec<Vec<u8>>,
}

impl Fixture {
    /// The payloads of one kind.
    pub fn of_kind(&self, kind: MessageKind) -> Vec<&Vec<u8>> {
        self.payloads
            .iter()
            .filter(|p| p.get(1) == Some(&(kind as u8)))
            .collect()
    }

    /// The cast ballots' encodings.
    pub fn ballots(&self) -> Vec<Vec<u8>> {
        self.of_kind(MessageKind::Ballot)
            .into_iter()
            .cloned()
            .collect()
    }

    /// The spoiled ballots' encodings.
    pub fn spoiled(&self) -> Vec<Vec<u8>> {
        self.of_kind(MessageKind::SpoiledBallot)
            .into_iter()
            .cloned()
            .collect()
    }

    /// The ballot inside each spoiled ballot: validly signed, never to be counted.
    pub fn spoiled_inner(&self) -> Vec<Vec<u8>> {
        self.spoiled()
            .iter()
            .map(|s| {
                SpoiledBallot::from_bytes(s, self.keys.layout())
                    .expect("a vector's spoiled ballot")
                    .ballot()
                    .to_bytes()
            })
            .collect()
    }
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex in the vectors"))
        .collect()
}

fn payloads_of(record: &[u8]) -> Vec<Vec<u8>> {
    RecordReader::new(record)
        .map_while(Result::ok)
        .map(|e| e.payload().to_vec())
        .collect()
}

/// The record vector, parsed once per process.
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../test-vectors/v1/record.json"))
                .expect("record.json");
        let record = unhex(vectors["record"].as_str().expect("record"));
        let report = verify(&record, Counter(1));
        assert_eq!(report.verdict(), Verdict::Valid, "the vector verifies");
        let payloads = payloads_of(&record);
        assert_eq!(chain(&payloads), record, "re-chaining is the identity");
        let closed = unhex(vectors["closed"].as_str().expect("closed"));
        let mut others = payloads_of(&closed);
        for tampered in vectors["invalid"].as_array().expect("invalid") {
            others.extend(payloads_of(&unhex(
                tampered["record"].as_str().expect("hex"),
            )));
        }
        others.sort();
        others.dedup();
        others.retain(|p| !payloads.contains(p));
        let manifest = Manifest::from_bytes(&payloads[0]).expect("the manifest");
        let keys = ElectionKeys::new(&manifest, report.election_key.expect("election key"))
            .expect("election keys");
        for ballot in payloads
            .iter()
            .filter(|p| p[1] == MessageKind::Ballot as u8)
        {
            Ballot::from_bytes(ballot, keys.layout())
                .expect("ballot")
                .verify(&keys)
                .expect("a valid ballot");
        }
        let spoiled_inner = payloads
            .iter()
            .filter(|p| p[1] == MessageKind::SpoiledBallot as u8)
            .map(|p| {
                SpoiledBallot::from_bytes(p, keys.layout())
                    .expect("a spoiled ballot")
                    .ballot()
                    .to_bytes()
            });
        let mut signed_ballots: Vec<Vec<u8>> = others
            .iter()
            .filter(|p| p[1] == MessageKind::Ballot as u8)
            .cloned()
            .chain(spoiled_inner)
            .filter(|p| !payloads.contains(p))
            .filter(|p| Ballot::from_bytes(p, keys.layout()).is_ok_and(|b| b.verify(&keys).is_ok()))
            .collect();
        signed_ballots.sort();
        signed_ballots.dedup();
        Fixture {
            record,
            closed,
            report,
            payloads,
            others,
            manifest,
            keys,
            signed_ballots,
        }
    })
}
