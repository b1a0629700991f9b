//! A whole sitting run through the real protocol steps, published as an election record:
//! manifest and ceremony, check-in, ballots (some spoiled first), paper ballots, close,
//! aggregate-only threshold decryption, totals and outcomes. Shared by the election and
//! record tests and by the record test vectors.
#![allow(dead_code)]

use rand_chacha::ChaCha20Rng;
use secret_ballot::ballot::{Ballot, ElectionKeys, MotionVote, SpoiledBallot, Vote};
use secret_ballot::ballot_box::BallotBox;
use secret_ballot::credential::{
    Credential, InMemorySessionStore, Issuer, PseudonymSecret, VoterAwaitingCommit, VoterId,
};
use secret_ballot::manifest::Manifest;
use secret_ballot::record::RecordWriter;
use secret_ballot::tally::{Close, Outcomes, PaperTally, Totals};
use secret_ballot::threshold::dkg::{round1, round2};
use secret_ballot::threshold::{KeyShare, combine};
use secret_ballot::verify::decrypt_record;

use super::ceremony;
use super::congress::{self, Authorities};

/// When the test sittings close: 2026-06-18T17:30:00+08:00.
pub(crate) const CLOSED_AT: u64 = 1_781_775_000;

/// An election after its key ceremony, ready for check-in.
pub(crate) struct Election {
    pub(crate) manifest: Manifest,
    pub(crate) keys: ElectionKeys,
    pub(crate) shares: Vec<KeyShare>,
    pub(crate) issuer: Issuer<InMemorySessionStore>,
    pub(crate) context: [u8; 32],
    pub(crate) authorities: Authorities,
    pub(crate) round1: Vec<round1::Package>,
    pub(crate) round2: Vec<round2::Package>,
}

pub(crate) fn setup(rng: &mut ChaCha20Rng, roster: u32) -> Election {
    let (manifest, authorities) = congress::congress(rng, roster);
    setup_with(rng, manifest, authorities)
}

/// The key ceremony of any manifest whose authorities the test holds.
pub(crate) fn setup_with(
    rng: &mut ChaCha20Rng,
    manifest: Manifest,
    authorities: Authorities,
) -> Election {
    let params = manifest.ceremony_parameters().unwrap();
    let honest = ceremony::honest(&params, &authorities.trustees, rng);
    let keys = ElectionKeys::new(&manifest, *honest.public.election_key()).unwrap();
    let context = manifest.context().unwrap();
    let issuer = desk(&authorities);
    Election {
        manifest,
        keys,
        shares: honest.shares,
        issuer,
        context,
        authorities,
        round1: honest.round1,
        round2: honest.round2,
    }
}

pub(crate) fn check_in(e: &Election, voter: u32, rng: &mut ChaCha20Rng) -> Credential {
    check_in_at(e, &e.issuer, voter, rng)
}

/// [`check_in`] at a desk of its own: the election's issuer key with a fresh session
/// store, so a helper that several tests call on one shared election (in one process,
/// under `cargo test`) can check in the same representative each time.
pub(crate) fn check_in_elsewhere(e: &Election, voter: u32, rng: &mut ChaCha20Rng) -> Credential {
    check_in_at(e, &desk(&e.authorities), voter, rng)
}

/// A check-in desk: the authorities' issuer key, an empty session store, sessions open
/// for 600 s.
fn desk(authorities: &Authorities) -> Issuer<InMemorySessionStore> {
    Issuer::new(authorities.issuer.clone(), InMemorySessionStore::new(), 600)
}

fn check_in_at(
    e: &Election,
    issuer: &Issuer<InMemorySessionStore>,
    voter: u32,
    rng: &mut ChaCha20Rng,
) -> Credential {
    let id = VoterId::new(format!("rep-{voter:04}").as_bytes()).unwrap();
    let commit = issuer.commit(&e.context, &id, 0, rng).unwrap();
    let request = VoterAwaitingCommit::new(
        e.manifest.issuer_key,
        e.context,
        PseudonymSecret::generate(rng),
    );
    let (pending, challenge) = request.challenge(&commit, rng).unwrap();
    pending
        .finalize(&issuer.respond(&challenge, &id, 1).unwrap())
        .unwrap()
}

/// The plaintext vote of voter `v` (deterministic, so the test knows the totals).
pub(crate) fn votes_of(v: u32) -> Vec<Vote> {
    let m = |x: u32| {
        [
            MotionVote::For,
            MotionVote::For,
            MotionVote::Against,
            MotionVote::Abstain,
        ][(x % 4) as usize]
    };
    let election: Vec<MotionVote> = (0..7u32)
        .map(|c| {
            if (v + c) % 7 < 4 {
                MotionVote::For
            } else if c % 2 == 0 {
                MotionVote::Against
            } else {
                MotionVote::Abstain
            }
        })
        .collect();
    let evaluation: Vec<Option<usize>> = (0..4u32)
        .map(|s| {
            if (v + s).is_multiple_of(9) {
                None
            } else {
                Some(((v * (s + 1)) % 3) as usize)
            }
        })
        .collect();
    vec![
        Vote::Motion(m(v)),
        Vote::Motion(m(v + 1)),
        Vote::Motion(if v.is_multiple_of(5) {
            MotionVote::Against
        } else {
            MotionVote::For
        }),
        Vote::Election(election),
        Vote::Evaluation(evaluation),
    ]
}

/// Adds the 0/1 values of `votes` to `totals`, position by position.
pub(crate) fn add_votes(totals: &mut [u64], manifest: &Manifest, votes: &[Vote]) {
    let mut offset = 0;
    for (q, vote) in votes.iter().enumerate() {
        let question = &manifest.questions[q];
        for (k, bit) in vote.bits(question, q).unwrap().into_iter().enumerate() {
            totals[offset + k] += bit;
        }
        offset += question.width();
    }
}

/// What happens at the sitting.
pub(crate) struct Sitting {
    /// Representatives who check in online and vote (voters `0 .. online`).
    pub(crate) online: u32,
    /// Of those, how many spoil one ballot first (a Benaloh challenge), then cast.
    pub(crate) spoil: u32,
    /// Representatives who vote on paper (voters `online .. online + paper`).
    pub(crate) paper: u32,
    /// Trustees (0-based) who decrypt.
    pub(crate) trustees: Vec<usize>,
    /// The vote of voter `v`.
    pub(crate) votes: fn(u32) -> Vec<Vote>,
}

/// A published record and what the test knows about it.
pub(crate) struct Published {
    /// The record at close (stage 2).
    pub(crate) closed: Vec<u8>,
    /// The complete record.
    pub(crate) record: Vec<u8>,
    /// The totals the test cast (online and paper).
    pub(crate) expected: Vec<u64>,
    /// Representatives present.
    pub(crate) present: u32,
    /// The payload of every entry, in order (to build tampered records).
    pub(crate) payloads: Vec<Vec<u8>>,
    /// The paper tally sheet's counts (never in the record).
    pub(crate) paper: Vec<u64>,
}

/// Stage 1: the manifest and the key ceremony.
pub(crate) fn setup_record(e: &Election) -> RecordWriter {
    let mut w = RecordWriter::new();
    w.append(&e.manifest.to_bytes().unwrap()).unwrap();
    for p in &e.round1 {
        w.append(&p.to_bytes()).unwrap();
    }
    let mut round2 = e.round2.clone();
    round2.sort_by_key(|p| (p.sender(), p.recipient()));
    for p in &round2 {
        w.append(&p.to_bytes()).unwrap();
    }
    w
}

/// Runs the sitting and publishes its record.
pub(crate) fn run(e: &Election, s: &Sitting, rng: &mut ChaCha20Rng) -> Published {
    let mut record = setup_record(e);
    let mut ballot_box = BallotBox::new(e.keys.clone(), e.manifest.revoting);
    let width = e.keys.width();
    let mut expected = vec![0u64; width];
    for v in 0..s.online {
        let credential = check_in(e, v, rng);
        let votes = (s.votes)(v);
        if v < s.spoil {
            let (ballot, secrets) =
                Ballot::cast(&e.manifest, &e.keys, &credential, &(s.votes)(v + 1), rng).unwrap();
            let spoiled = SpoiledBallot::new(ballot, secrets);
            ballot_box.spoil(&spoiled.to_bytes()).unwrap();
        }
        let (ballot, _) = Ballot::cast(&e.manifest, &e.keys, &credential, &votes, rng).unwrap();
        ballot_box.accept(&ballot.to_bytes()).unwrap();
        add_votes(&mut expected, &e.manifest, &votes);
    }
    ballot_box.close();
    let report = e
        .issuer
        .report(&e.context, &e.authorities.report, rng)
        .unwrap();
    record.append(&report.to_bytes()).unwrap();
    ballot_box.publish(&mut record).unwrap();
    let mut paper = vec![0u64; width];
    for v in s.online..s.online + s.paper {
        add_votes(&mut paper, &e.manifest, &(s.votes)(v));
    }
    // The paper count: scrutineer 1 encrypts the room's tally sheet; scrutineers 1 … t
    // each check the opening, then sign.
    let offline = (s.paper > 0).then(|| {
        let sheet = PaperTally::new(&e.manifest, s.paper, paper.clone()).unwrap();
        let (mut count, opening) = sheet
            .encrypt(&e.context, &e.keys.election_key, rng)
            .unwrap();
        for i in 1..=e.manifest.trustee_threshold {
            count
                .check_opening(&sheet, &opening, &e.keys.election_key)
                .unwrap();
            let key = &e.authorities.trustees[usize::from(i) - 1];
            count.sign(&e.manifest, i, key, rng).unwrap();
        }
        record.append(&count.to_bytes()).unwrap();
        count
    });
    let present = s.online + s.paper;
    record
        .append(
            &Close {
                present,
                closed_at: CLOSED_AT,
            }
            .to_bytes(),
        )
        .unwrap();
    let closed = record.as_bytes().to_vec();

    // The count: the aggregate of the ballots and the paper count; each trustee verifies
    // the closed record and decrypts the aggregate it recomputes from it.
    let online = ballot_box.aggregate().unwrap();
    let aggregate = match &offline {
        Some(count) => count.add_to(&online).unwrap(),
        None => online,
    };
    record.append(&aggregate.to_bytes()).unwrap();
    let mut decrypting = s.trustees.clone();
    decrypting.sort_unstable();
    let shares: Vec<_> = decrypting
        .iter()
        .map(|&i| decrypt_record(&e.shares[i], &closed, rng).unwrap())
        .collect();
    for share in &shares {
        record.append(&share.to_bytes()).unwrap();
    }
    let tally = combine(e.shares[0].public(), &e.context, &aggregate, &shares).unwrap();
    let totals = tally.totals;
    for (k, p) in paper.iter().enumerate() {
        expected[k] += p;
    }
    assert_eq!(totals, expected, "the decrypted totals are the votes cast");
    record.append(&Totals(totals.clone()).to_bytes()).unwrap();
    let outcomes = Outcomes::compute(&e.manifest, &totals, present).unwrap();
    record.append(&outcomes.to_bytes()).unwrap();
    let record = record.into_bytes();
    let payloads = secret_ballot::record::RecordReader::new(&record)
        .map(|entry| entry.unwrap().payload().to_vec())
        .collect();
    Published {
        closed,
        record,
        expected,
        present,
        payloads,
        paper,
    }
}

/// Builds a record from payloads with a correct hash chain, computed here from
/// SPEC.md §14.1 and not by the library's writer (which refuses misordered records).
pub(crate) fn chain(payloads: &[Vec<u8>]) -> Vec<u8> {
    use secret_ballot::transcript::{hash_to_bytes, tags};
    let mut out = Vec::new();
    let mut previous = [0u8; 32];
    for payload in payloads {
        let mut entry = vec![0x01, 0x40];
        entry.extend_from_slice(&previous);
        entry.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        entry.extend_from_slice(payload);
        previous = hash_to_bytes(tags::RECORD_ENTRY, &[&entry]);
        out.extend_from_slice(&entry);
    }
    out
}
