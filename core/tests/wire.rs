//! The voter's steps in the byte-level API (`secret_ballot::wire`): issuance against the
//! real issuer, casting from small-integer answers, spoiling, and the record framing a
//! streaming host needs.
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

use rand_chacha::ChaCha20Rng;
use secret_ballot::ballot::{MotionVote, Vote};
use secret_ballot::credential::{ChallengeMessage, Credential, VoterId};
use secret_ballot::record::{ENTRY_HEADER_LEN, RecordReader};
use secret_ballot::{Error, wire};

use common::rng;
use sitting::Election;

/// 3 motions, an election of 5 seats from 7 candidates, 4 subjects on 3 levels + blank.
const ANSWERS: [&[u16]; 5] = [
    &[0],
    &[1],
    &[2],
    &[0, 0, 1, 2, 0, 1, 0],
    &[0, 1, wire::BLANK, 2],
];

fn votes() -> Vec<Vote> {
    use MotionVote::{Abstain, Against, For};
    vec![
        Vote::Motion(For),
        Vote::Motion(Against),
        Vote::Motion(Abstain),
        Vote::Election(vec![For, For, Against, Abstain, For, Against, For]),
        Vote::Evaluation(vec![Some(0), Some(1), None, Some(2)]),
    ]
}

fn manifest(e: &Election) -> Vec<u8> {
    e.manifest.to_bytes().unwrap()
}

fn issue(e: &Election, name: &[u8], rng: &mut ChaCha20Rng) -> Credential {
    let id = VoterId::new(name).unwrap();
    let commit = e.issuer.commit(&e.context, &id, 0, rng).unwrap();
    let (state, challenge) =
        wire::credential_challenge(&manifest(e), &commit.to_bytes(), rng).unwrap();
    let challenge = ChallengeMessage::from_bytes(&challenge).unwrap();
    let response = e.issuer.respond(&challenge, &id, 1).unwrap();
    wire::credential_finalize(state, &response.to_bytes()).unwrap()
}

#[test]
fn issuance_cast_and_spoil_through_the_wire_api() {
    let mut rng = rng(81);
    let e = sitting::setup(&mut rng, 30);
    let (manifest, key) = (manifest(&e), e.keys.election_key.to_bytes());
    let credential = issue(&e, b"rep-0001", &mut rng);

    let (ballot, secrets) =
        wire::ballot_cast(&manifest, &key, &credential, &ANSWERS, &mut rng).unwrap();
    let code = wire::ballot_verify(&manifest, &key, &ballot.to_bytes()).unwrap();
    assert_eq!(code, ballot.tracking_code());

    let spoiled = wire::ballot_spoil(ballot.clone(), secrets);
    let opened = wire::spoiled_ballot_open(&manifest, &key, &spoiled).unwrap();
    let expected: Vec<u64> = votes()
        .iter()
        .zip(&e.manifest.questions)
        .enumerate()
        .flat_map(|(i, (v, q))| v.bits(q, i).unwrap())
        .collect();
    assert_eq!(opened, expected);

    // After the challenge the device casts a fresh encryption under the same credential.
    let (again, _) = wire::ballot_cast(&manifest, &key, &credential, &ANSWERS, &mut rng).unwrap();
    assert_eq!(again.pseudonym(), ballot.pseudonym());
    assert_ne!(again.tracking_code(), ballot.tracking_code());
    wire::ballot_verify(&manifest, &key, &again.to_bytes()).unwrap();
}

#[test]
fn answers_that_do_not_fit_the_manifest_are_refused() {
    let mut rng = rng(82);
    let e = sitting::setup(&mut rng, 30);
    let (manifest, key) = (manifest(&e), e.keys.election_key.to_bytes());
    let credential = issue(&e, b"rep-0002", &mut rng);
    let mut cast = |answers: &[&[u16]]| {
        wire::ballot_cast(&manifest, &key, &credential, answers, &mut rng).map(|_| ())
    };
    assert!(matches!(cast(&ANSWERS[..4]), Err(Error::BallotShape)));
    let with = |q: usize, answer: &'static [u16]| {
        let mut a = ANSWERS;
        a[q] = answer;
        a
    };
    for (q, answer) in [
        (0, &[3][..]),                         // no fourth motion option
        (1, &[]),                              // a motion needs one answer
        (2, &[0, 1]),                          // two motion answers
        (3, &[0, 0, 0, 0, 0, 0, 1]),           // six "for" for five seats
        (3, &[0, 0, 1]),                       // too few candidates answered
        (4, &[0, 1, 3, 2]),                    // no fourth level
        (4, &[0, 1, 2]),                       // a subject missing
        (3, &[0, 0, 1, 2, 0, 1, wire::BLANK]), // no blank in an election
    ] {
        match cast(&with(q, answer)) {
            Err(Error::InvalidVote { question }) => assert_eq!(question, q, "{answer:?}"),
            other => panic!("{answer:?}: {other:?}"),
        }
    }
}

#[test]
fn a_credential_of_another_election_is_refused_before_casting() {
    let mut rng = rng(83);
    let e = sitting::setup(&mut rng, 30);
    let other = sitting::setup(&mut rng, 30);
    let credential = issue(&other, b"rep-0003", &mut rng);
    let err = wire::ballot_cast(
        &manifest(&e),
        &e.keys.election_key.to_bytes(),
        &credential,
        &ANSWERS,
        &mut rng,
    )
    .unwrap_err();
    assert_eq!(err, Error::InvalidCredential);
    assert_eq!(wire::error_code(&err), "invalid_credential");
}

#[test]
fn a_response_to_another_session_aborts_finalize() {
    let mut rng = rng(84);
    let e = sitting::setup(&mut rng, 30);
    let (a, b) = (
        VoterId::new(b"rep-a").unwrap(),
        VoterId::new(b"rep-b").unwrap(),
    );
    let commit_a = e.issuer.commit(&e.context, &a, 0, &mut rng).unwrap();
    let commit_b = e.issuer.commit(&e.context, &b, 0, &mut rng).unwrap();
    let (state_a, _) =
        wire::credential_challenge(&manifest(&e), &commit_a.to_bytes(), &mut rng).unwrap();
    let (_, challenge_b) =
        wire::credential_challenge(&manifest(&e), &commit_b.to_bytes(), &mut rng).unwrap();
    let response_b = e
        .issuer
        .respond(&ChallengeMessage::from_bytes(&challenge_b).unwrap(), &b, 1)
        .unwrap();
    let err = wire::credential_finalize(state_a, &response_b.to_bytes()).unwrap_err();
    assert!(matches!(err, Error::IssuerMisbehaved { .. }), "{err:?}");
    assert_eq!(wire::error_code(&err), "issuer_misbehaved");
    // A commitment that does not decode, or a manifest that does not, is an encoding error.
    let err = wire::credential_challenge(&manifest(&e), &[1, 0x20], &mut rng).unwrap_err();
    assert_eq!(wire::error_code(&err), "encoding");
}

#[test]
fn entry_lengths_frame_the_record_vector() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../test-vectors/v1/record.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let record = hex::decode(v["record"].as_str().unwrap()).unwrap();
    let mut offset = 0;
    for entry in RecordReader::new(&record) {
        let entry = entry.unwrap();
        let len = wire::record_entry_len(&record[offset..offset + ENTRY_HEADER_LEN]).unwrap();
        assert_eq!(len, entry.to_bytes().len());
        offset += len;
    }
    assert_eq!(offset, record.len());
    let err = wire::record_entry_len(&record[..ENTRY_HEADER_LEN - 1]).unwrap_err();
    assert_eq!(wire::error_code(&err), "encoding");
    let mut bad = record[..ENTRY_HEADER_LEN].to_vec();
    bad[1] = 0x41;
    assert!(wire::record_entry_len(&bad).is_err());
}
