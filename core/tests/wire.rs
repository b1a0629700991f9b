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

/// The key ceremony of the congress manifest run through the wire API, one trustee at a
/// time, bytes in and bytes out.
fn wire_ceremony(
    manifest: &[u8],
    trustees: &[Vec<u8>],
    rng: &mut ChaCha20Rng,
) -> (Vec<secret_ballot::threshold::KeyShare>, Vec<Vec<u8>>) {
    let mut secrets1 = Vec::new();
    let mut round1 = Vec::new();
    for i in 1..=trustees.len() as u16 {
        let (s, p) = wire::ceremony_round1(manifest, i, rng).unwrap();
        secrets1.push(s);
        round1.push(p);
    }
    let mut secrets2 = Vec::new();
    let mut round2 = Vec::new();
    for (s, key) in secrets1.into_iter().zip(trustees) {
        let (s, packages) = wire::ceremony_round2(s, manifest, key).unwrap();
        secrets2.push(s);
        round2.extend(packages);
    }
    let r1: Vec<&[u8]> = round1.iter().map(Vec::as_slice).collect();
    let r2: Vec<&[u8]> = round2.iter().map(Vec::as_slice).collect();
    for (s, key) in secrets2.iter().zip(trustees) {
        assert!(
            wire::ceremony_complaints(s, manifest, key, &r1, &r2)
                .unwrap()
                .is_empty()
        );
    }
    let public = wire::CeremonyMessages {
        round1: &r1,
        round2: &r2,
        ..Default::default()
    };
    let shares = secrets2
        .iter()
        .zip(trustees)
        .map(|(s, key)| wire::ceremony_finish(s, manifest, key, &public).unwrap())
        .collect();
    // A trustee that is not accused cannot answer; a complaint that does not decode is an
    // encoding error.
    let complaint = [1u8, 0x33, 2, 0, 1, 0];
    assert!(wire::ceremony_answer(&secrets2[0], manifest, &complaint).is_err());
    let mut sorted = round2;
    sorted.sort_by_key(|p| {
        let p = secret_ballot::threshold::dkg::round2::Package::from_bytes(p).unwrap();
        (p.sender(), p.recipient())
    });
    let mut published = round1;
    published.extend(sorted);
    (shares, published)
}

#[test]
fn a_sitting_through_the_wire_api_gives_a_valid_tallied_record() {
    use secret_ballot::ballot::ElectionKeys;
    use secret_ballot::ballot_box::BallotBox;
    use secret_ballot::credential::{InMemorySessionStore, Issuer};
    use secret_ballot::elgamal::PublicKey;
    use secret_ballot::manifest::Manifest;
    use secret_ballot::record::RecordWriter;

    let mut rng = rng(85);
    let (secret, public) = wire::keypair(&mut rng);
    assert_eq!(wire::elgamal_public_key(&secret).unwrap(), public);

    let (m, authorities) = congress::congress(&mut rng, 12);
    let m = Manifest {
        privacy_floor: 3,
        ..m
    };
    let manifest = m.to_bytes().unwrap();
    let trustees: Vec<Vec<u8>> = authorities
        .trustees
        .iter()
        .map(|k| k.expose_bytes().to_vec())
        .collect();
    let (shares, ceremony) = wire_ceremony(&manifest, &trustees, &mut rng);
    let election_key = *shares[0].public().election_key();
    let key = election_key.to_bytes();

    let mut record = RecordWriter::new();
    record.append(&manifest).unwrap();
    for p in &ceremony {
        record.append(p).unwrap();
    }
    let e = Election {
        keys: ElectionKeys::new(&m, PublicKey::from_bytes(&key).unwrap()).unwrap(),
        context: m.context().unwrap(),
        issuer: Issuer::new(authorities.issuer.clone(), InMemorySessionStore::new(), 600),
        manifest: m,
        shares: Vec::new(),
        authorities,
        round1: Vec::new(),
        round2: Vec::new(),
    };
    let mut ballot_box = BallotBox::new(e.keys.clone(), false);
    for v in 0..4u8 {
        let credential = issue(&e, &[b'r', v], &mut rng);
        let (ballot, _) =
            wire::ballot_cast(&manifest, &key, &credential, &ANSWERS, &mut rng).unwrap();
        ballot_box.accept(&ballot.to_bytes()).unwrap();
    }
    ballot_box.close();
    let report = e
        .issuer
        .report(&e.context, &e.authorities.report, &mut rng)
        .unwrap();
    record.append(&report.to_bytes()).unwrap();
    ballot_box.publish(&mut record).unwrap();
    record
        .append(&wire::record_close(4, 1_781_775_000))
        .unwrap();
    let closed = record.into_bytes();

    // Refused before the close.
    let open = &closed[..closed.len() - wire::record_close(4, 0).len() - ENTRY_HEADER_LEN];
    assert!(matches!(
        wire::record_decrypt(&shares[0], open, &mut rng),
        Err(Error::RecordRefused(_))
    ));
    let decrypted: Vec<Vec<u8>> = [4usize, 0, 2]
        .iter()
        .map(|&i| wire::record_decrypt(&shares[i], &closed, &mut rng).unwrap())
        .collect();
    let refs: Vec<&[u8]> = decrypted.iter().map(Vec::as_slice).collect();
    assert!(matches!(
        wire::record_tally(open, &refs, &mut rng),
        Err(Error::RecordRefused(_))
    ));
    assert!(matches!(
        wire::record_tally(&closed, &refs[..2], &mut rng),
        Err(Error::NotEnoughShares { .. })
    ));
    let (complete, tally) = wire::record_tally(&closed, &refs, &mut rng).unwrap();
    assert_eq!(tally.trustees, vec![1, 3, 5]);
    assert_eq!(
        tally.totals.iter().take(3).copied().collect::<Vec<_>>(),
        [4, 0, 0]
    );
    let report: serde_json::Value =
        serde_json::from_str(&wire::record_verify(&complete, &mut rng)).unwrap();
    assert_eq!(report["verdict"], "valid", "{report}");
    assert_eq!(report["stage"], "tallied");
    assert_eq!(
        report["totals"].as_array().unwrap().len(),
        tally.totals.len()
    );
}
