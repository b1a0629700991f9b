//! The adversarial suite (issue 10): one test per attack on the protocol, named after
//! it, through the public API only. Each test shows the attack refused with its typed
//! error (or the record check of SPEC.md §14.7 that must fail) and honest data passing
//! alongside. The threat model is SPEC.md §15; `SECURITY.md` states what is promised.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]
#![allow(non_snake_case)]

#[path = "support/ceremony.rs"]
mod ceremony;
#[path = "support/common.rs"]
mod common;
#[path = "support/congress.rs"]
mod congress;
#[path = "support/sitting.rs"]
mod sitting;
#[path = "support/tamper.rs"]
mod tamper;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use secret_ballot::ballot::{
    Ballot, ElectionKeys, MotionVote, QuestionLayout, SpoiledBallot, Vote,
};
use secret_ballot::ballot_box::BallotBox;
use secret_ballot::credential::{
    BlindSignature, ChallengeMessage, CommitMessage, Credential, InMemorySessionStore,
    IssuanceReport, Issuer, IssuerPublicKey, Pseudonym, PseudonymSecret, ResponseMessage,
    VoterAwaitingCommit, VoterId,
};
use secret_ballot::curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::elgamal::{Ciphertext, PublicKey, Randomness, SecretKey};
use secret_ballot::encoding::{GroupElement, MessageKind};
use secret_ballot::manifest::{Group, Manifest};
use secret_ballot::merlin::Transcript;
use secret_ballot::proofs::{
    DleqProof, DleqStatement, RangeProof, RangeStatement, SchnorrProof, SchnorrStatement,
    ValueRange, Verifiable,
};
use secret_ballot::record::{Entry, RecordReader};
use secret_ballot::tally::{Close, OfflineCount, Outcomes, Totals};
use secret_ballot::threshold::dkg::{self, Complaint, ComplaintAnswer, round1};
use secret_ballot::threshold::{Aggregate, DecryptionShare, combine};
use secret_ballot::transcript::{election_transcript, hash_to_bytes, labels, tags};
use secret_ballot::verify::{CheckId, Report, Status, Verdict, verify};
use secret_ballot::{EncodingError, Error};

use common::{CONTEXT, OTHER_CONTEXT, add_ell};
use congress::Authorities;
use sitting::{Election, Published, Sitting, chain};
use tamper::positions;

// ---------------------------------------------------------------------------------------
// Fixture: one small sitting, run once (20 on the roster, 12 online of whom 1 spoils a
// ballot first, 2 on paper, trustees 1, 3 and 5 decrypt).

struct Small {
    e: Election,
    p: Published,
}

fn sitting_of_small() -> Sitting {
    Sitting {
        online: 12,
        spoil: 1,
        paper: 2,
        trustees: vec![0, 2, 4],
        votes: sitting::votes_of,
    }
}

/// Shared by every test of this file, issuer and all: under `cargo test` they run in one
/// process, so each test checks in voters no other test uses (`rep-0500` … `rep-0516`,
/// `rep-0600` … `rep-0602`; the sitting itself checks in `rep-0000` … `rep-0011`, and
/// `support/tamper.rs` `rep-0900` and `rep-0901` at a desk of its own).
fn small() -> &'static Small {
    static SMALL: OnceLock<Small> = OnceLock::new();
    SMALL.get_or_init(|| {
        let mut rng = common::rng(10);
        let e = sitting::setup(&mut rng, 20);
        let p = sitting::run(&e, &sitting_of_small(), &mut rng);
        Small { e, p }
    })
}

fn rng(seed: u8) -> ChaCha20Rng {
    common::rng(seed)
}

fn failed(report: &Report, id: CheckId) -> &Error {
    match report.status(id) {
        Status::Failed(e) => e,
        other => panic!("{id:?} should fail, is {other:?}"),
    }
}

fn assert_passed(report: &Report, id: CheckId) {
    assert!(
        matches!(report.status(id), Status::Passed { .. }),
        "{id:?}: {:?}",
        report.status(id)
    );
}

/// The honest record still verifies: every attack below is measured against it.
fn assert_honest_record_verifies(s: &Small) {
    let report = verify(&s.p.record, rng(1));
    assert!(
        report.is_valid_and_tallied(),
        "{:?}",
        report.failures().collect::<Vec<_>>()
    );
}

/// The record at close, as `Published` (its payloads cut there), for attacks that add
/// or change ballots: before the count, the only checks in question are theirs.
fn closed(s: &Small) -> Published {
    let n = RecordReader::new(&s.p.closed).count();
    with_payloads(&s.p, s.p.payloads[..n].to_vec())
}

/// `p` with other payloads (the record re-chained from them).
fn with_payloads(p: &Published, payloads: Vec<Vec<u8>>) -> Published {
    Published {
        closed: p.closed.clone(),
        record: chain(&payloads),
        expected: p.expected.clone(),
        present: p.present,
        payloads,
        paper: p.paper.clone(),
    }
}

/// A fresh box holding the keys of the small election.
fn open_box(s: &Small) -> BallotBox {
    BallotBox::new(s.e.keys.clone(), s.e.manifest.revoting)
}

fn cast(s: &Small, credential: &Credential, v: u32, rng: &mut ChaCha20Rng) -> Ballot {
    Ballot::cast(
        &s.e.manifest,
        &s.e.keys,
        credential,
        &sitting::votes_of(v),
        rng,
    )
    .unwrap()
    .0
}

// Byte layout of a ballot (SPEC.md §12.3): header, pseudonym, credential, then answers;
// the signature is the last 66 bytes.
const PSEUDONYM_AT: usize = 2;
const CREDENTIAL_AT: usize = PSEUDONYM_AT + 32;
const ANSWERS_AT: usize = CREDENTIAL_AT + 162;
/// The first ciphertext of the first question (after its count byte and `LE16` width).
const FIRST_CT_AT: usize = ANSWERS_AT + 1 + 2;
/// The ciphertexts the first question (a motion) sends: its abstain is derived (SPEC.md
/// §12.2), so its first bit proof follows two ciphertexts.
const SENT_FIRST: usize = 2;
const SIGNATURE_LEN: usize = 66;

/// Signs `unsigned` ballot bytes (everything but the signature) with `secret`, exactly as
/// SPEC.md §12.3 says, through the public transcript API: what an attacker holding a
/// credential of its own can always do.
fn sign_ballot(
    unsigned: &[u8],
    secret: &PseudonymSecret,
    context: &[u8; 32],
    rng: &mut ChaCha20Rng,
) -> Vec<u8> {
    let hash = hash_to_bytes(tags::BALLOT, &[unsigned]);
    let mut t = election_transcript(context);
    t.append_message(labels::DOM_SEP, labels::BALLOT_SIGNATURE);
    t.append_message(labels::BALLOT_HASH, &hash);
    let signature = SchnorrProof::prove(
        &mut t,
        &SchnorrStatement {
            X: *secret.pseudonym().element(),
        },
        secret.expose_scalar(),
        rng,
    )
    .unwrap();
    let mut out = unsigned.to_vec();
    out.extend_from_slice(&signature.to_bytes());
    out
}

/// `ballot`'s answers under `credential`'s pseudonym and credential, re-signed by it.
fn under_credential(
    ballot: &[u8],
    credential: &Credential,
    context: &[u8; 32],
    rng: &mut ChaCha20Rng,
) -> Vec<u8> {
    let mut unsigned = ballot[..ballot.len() - SIGNATURE_LEN].to_vec();
    unsigned[PSEUDONYM_AT..CREDENTIAL_AT].copy_from_slice(&credential.pseudonym().to_bytes());
    unsigned[CREDENTIAL_AT..ANSWERS_AT].copy_from_slice(&credential.signature().to_bytes());
    sign_ballot(&unsigned, credential.pseudonym_secret(), context, rng)
}

/// A cheating voting device: it encrypts any integers (not only bits; a negative `m` as
/// `B = r·Y − |m|·G`), then proves and signs them as `prove_and_sign` does. Honest values
/// give a ballot the box accepts, which shows this builder is faithful.
fn forge(
    manifest: &Manifest,
    keys: &ElectionKeys,
    credential: &Credential,
    values: &[Vec<i64>],
    rng: &mut ChaCha20Rng,
) -> Vec<u8> {
    let rows = encrypt_values(keys, values, rng);
    prove_and_sign(manifest, keys, credential, &rows, rng)
}

/// Encrypts any integers, with the randomness and value of each ciphertext.
fn encrypt_values(
    keys: &ElectionKeys,
    values: &[Vec<i64>],
    rng: &mut ChaCha20Rng,
) -> Vec<Vec<(Ciphertext, Randomness, i64)>> {
    let Y = keys.election_key;
    values
        .iter()
        .map(|question| {
            question
                .iter()
                .map(|&value| {
                    let r = Randomness::generate(rng);
                    let ct = Y.encrypt_with(value.unsigned_abs(), &r);
                    let ct = if value < 0 {
                        let zero = Y.encrypt_with(0, &r);
                        let m = RISTRETTO_BASEPOINT_POINT * Scalar::from(value.unsigned_abs());
                        Ciphertext::from_points(*zero.a().point(), zero.b().point() - m)
                    } else {
                        ct
                    };
                    (ct, r, value)
                })
                .collect()
        })
        .collect()
}

/// A question's row with each derived position (SPEC.md §12.2) replaced by what the
/// format makes of it, whatever the device encrypted there: `(0, [k]G)` minus its
/// group's others, randomness `−Σ r`, value `k − Σ` values. A row of another width than
/// the question's is left as it is.
fn derive_row(
    row: &[(Ciphertext, Randomness, i64)],
    shape: &QuestionLayout,
) -> Vec<(Ciphertext, Randomness, i64)> {
    let mut row = row.to_vec();
    if row.len() != shape.width() {
        return row;
    }
    for group in shape.groups() {
        let (&last, others) = group.positions.split_last().unwrap();
        if !shape.is_derived(last) {
            continue;
        }
        let sum = Ciphertext::sum(others.iter().map(|&p| &row[p].0));
        let k = RISTRETTO_BASEPOINT_POINT * Scalar::from(group.min);
        let ct = Ciphertext::from_points(-sum.a().point(), k - sum.b().point());
        let r = Randomness::sum(others.iter().map(|&p| &row[p].1)).negated();
        let value = group.min as i64 - others.iter().map(|&p| row[p].2).sum::<i64>();
        row[last] = (ct, r, value);
    }
    row
}

/// A ballot of the given ciphertexts, with their randomness and the values the device
/// claims: every position and group proved with the prover that skips its range check
/// (`RangeProof::prove_unchecked`), everything bound to the election exactly as SPEC.md
/// §12.2 says, signed with the voter's own key. Built from the public API only. A
/// derived position's ciphertext is not sent (the format derives it, [`derive_row`]),
/// nor is a derived group's proof.
fn prove_and_sign(
    manifest: &Manifest,
    keys: &ElectionKeys,
    credential: &Credential,
    rows: &[Vec<(Ciphertext, Randomness, i64)>],
    rng: &mut ChaCha20Rng,
) -> Vec<u8> {
    let shapes = keys.layout().questions();
    let rows: Vec<Vec<(Ciphertext, Randomness, i64)>> = rows
        .iter()
        .enumerate()
        .map(|(q, row)| match shapes.get(q) {
            Some(shape) => derive_row(row, shape),
            None => row.clone(),
        })
        .collect();
    let sent = |q: usize, p: usize| {
        shapes
            .get(q)
            .is_none_or(|s| rows[q].len() != s.width() || !s.is_derived(p))
    };
    let Y = keys.election_key;
    let pseudonym = credential.pseudonym();
    let mut base = election_transcript(&keys.context);
    base.append_message(labels::DOM_SEP, labels::BALLOT);
    base.append_message(labels::BALLOT_KEY, &pseudonym.to_bytes());
    for row in &rows {
        base.append_u64(labels::COUNT, row.len() as u64);
        for (ct, _, _) in row {
            base.append_message(labels::CIPHERTEXT, &ct.to_bytes());
        }
    }
    let proof_transcript = |q: usize, label: &'static [u8], k: usize| -> Transcript {
        let mut t = base.clone();
        t.append_u64(labels::QUESTION, q as u64);
        t.append_u64(label, k as u64);
        t
    };
    let push_proof = |out: &mut Vec<u8>, proof: &RangeProof| {
        let bytes = proof.to_bytes();
        out.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
        out.extend_from_slice(&bytes);
    };
    let mut unsigned = vec![0x01, MessageKind::Ballot as u8];
    unsigned.extend_from_slice(&pseudonym.to_bytes());
    unsigned.extend_from_slice(&credential.signature().to_bytes());
    unsigned.push(rows.len() as u8);
    for (q, row) in rows.iter().enumerate() {
        unsigned.extend_from_slice(&(row.len() as u16).to_le_bytes());
        for (p, (ct, _, _)) in row.iter().enumerate() {
            if sent(q, p) {
                unsigned.extend_from_slice(&ct.to_bytes());
            }
        }
        for (k, (ct, r, value)) in row.iter().enumerate() {
            let statement = RangeStatement {
                public_key: Y,
                ciphertext: *ct,
                range: ValueRange::BIT,
            };
            let proof = RangeProof::prove_unchecked(
                &mut proof_transcript(q, labels::POSITION, k),
                &statement,
                *value as u64,
                r,
                rng,
            );
            push_proof(&mut unsigned, &proof);
        }
        let groups: Vec<(usize, Group)> = manifest.questions[q]
            .groups()
            .into_iter()
            .enumerate()
            .filter(|(_, group)| group.positions.last().is_none_or(|&p| sent(q, p)))
            .collect();
        unsigned.push(groups.len() as u8);
        for (g, group) in groups {
            let sum = Ciphertext::sum(group.positions.iter().map(|&p| &row[p].0));
            let value: i64 = group.positions.iter().map(|&p| row[p].2).sum();
            let r = Randomness::sum(group.positions.iter().map(|&p| &row[p].1));
            let statement = RangeStatement {
                public_key: Y,
                ciphertext: sum,
                range: ValueRange::new(group.min, group.max).unwrap(),
            };
            let proof = RangeProof::prove_unchecked(
                &mut proof_transcript(q, labels::GROUP, g),
                &statement,
                value as u64,
                &r,
                rng,
            );
            push_proof(&mut unsigned, &proof);
        }
    }
    sign_ballot(&unsigned, credential.pseudonym_secret(), &keys.context, rng)
}

/// The honest 0/1 values of `votes`, as a forger's input.
fn honest_values(manifest: &Manifest, votes: &[Vote]) -> Vec<Vec<i64>> {
    votes
        .iter()
        .zip(&manifest.questions)
        .enumerate()
        .map(|(q, (v, question))| {
            v.bits(question, q)
                .unwrap()
                .into_iter()
                .map(|b| b as i64)
                .collect()
        })
        .collect()
}

/// A second election run by the same authorities (same trustees' long-term keys, same
/// issuer and report keys), differing only in its election id: the source of replays.
fn other_election(s: &Small, rng: &mut ChaCha20Rng) -> Election {
    let mut manifest = s.e.manifest.clone();
    manifest.election_id = b"sh-2026-congress-05".to_vec();
    let authorities = Authorities {
        trustees: s.e.authorities.trustees.clone(),
        issuer: s.e.authorities.issuer.clone(),
        report: s.e.authorities.report.clone(),
    };
    sitting::setup_with(rng, manifest, authorities)
}

// ---------------------------------------------------------------------------------------
// Double voting.

/// One credential, two ballots: the box refuses the second, and a record that carries
/// both (or the same entry twice) fails `pseudonyms` and counts neither extra ballot.
#[test]
fn double_voting_with_one_credential() {
    let s = small();
    let mut rng = rng(20);
    let alice = sitting::check_in(&s.e, 500, &mut rng);
    let (first, second) = (cast(s, &alice, 1, &mut rng), cast(s, &alice, 2, &mut rng));
    let mut ballot_box = open_box(s);
    assert!(ballot_box.accept(&first.to_bytes()).is_ok());
    assert_eq!(
        ballot_box.accept(&second.to_bytes()),
        Err(Error::DuplicatePseudonym)
    );
    // The same ballot re-signed by its own key (new bytes, same content) is a second
    // ballot of the same pseudonym too.
    let resigned = sign_ballot(
        &first.to_bytes()[..first.to_bytes().len() - SIGNATURE_LEN],
        alice.pseudonym_secret(),
        &s.e.context,
        &mut rng,
    );
    assert_ne!(resigned, first.to_bytes());
    assert_eq!(ballot_box.accept(&resigned), Err(Error::DuplicatePseudonym));
    assert_eq!(ballot_box.len(), 1);

    // In the record: both ballots where their pseudonym sorts, and a replayed entry.
    let c = closed(s);
    let (mut payloads, at) = tamper::inserted_sorted(&c, &first);
    payloads.insert(at + 1, second.to_bytes());
    let report = verify(&chain(&payloads), rng.clone());
    assert_eq!(
        failed(&report, CheckId::Pseudonyms),
        &Error::DuplicatePseudonym
    );
    assert_eq!(report.ballots, 13, "the second ballot is not counted");
    let ballots = positions(&c.payloads, MessageKind::Ballot);
    let mut payloads = c.payloads.clone();
    payloads.insert(ballots[3] + 1, payloads[ballots[3]].clone());
    let report = verify(&chain(&payloads), rng.clone());
    assert_eq!(
        failed(&report, CheckId::Pseudonyms),
        &Error::DuplicatePseudonym
    );
    assert_eq!(report.ballots, 12);
    assert_eq!(report.verdict(), Verdict::Invalid);
    assert_honest_record_verifies(s);
}

// ---------------------------------------------------------------------------------------
// Ballot copying (Cortier–Smyth).

/// Bob copies Alice's ciphertexts and proofs into a ballot carrying his own pseudonym
/// and credential and signs it properly with his own key: the signature and credential
/// verify, but every proof is bound to Alice's pseudonym (SPEC.md §12.2), so the copy is
/// refused. Re-randomising the copied ciphertexts does not help: the proofs no longer
/// match them, and Bob cannot prove them afresh without Alice's randomness.
#[test]
fn ballot_copying_under_another_credential() {
    let s = small();
    let mut rng = rng(21);
    let alice = sitting::check_in(&s.e, 501, &mut rng);
    let bob = sitting::check_in(&s.e, 502, &mut rng);
    let alices = cast(s, &alice, 3, &mut rng).to_bytes();
    let copied = under_credential(&alices, &bob, &s.e.context, &mut rng);
    let mut ballot_box = open_box(s);
    assert_eq!(
        ballot_box.accept(&copied),
        Err(Error::InvalidBallotProof { question: 0 })
    );

    // Re-randomised copy: every ciphertext gets `+ Encrypt(Y, 0; r')`.
    let ballot = Ballot::from_bytes(&alices, s.e.keys.layout()).unwrap();
    let mut rerandomised = copied[..copied.len() - SIGNATURE_LEN].to_vec();
    let mut at = ANSWERS_AT + 1;
    for (answer, shape) in ballot.answers().iter().zip(s.e.keys.layout().questions()) {
        at += 2;
        // Only the sent ciphertexts are on the wire (SPEC.md §12.2).
        for (_, ct) in answer
            .ciphertexts()
            .iter()
            .enumerate()
            .filter(|&(p, _)| !shape.is_derived(p))
        {
            let (fresh, _) = s.e.keys.election_key.rerandomize(ct, &mut rng);
            rerandomised[at..at + 64].copy_from_slice(&fresh.to_bytes());
            at += 64;
        }
        // Skip the proofs of this answer: read their lengths.
        for _ in 0..answer.ciphertexts().len() {
            let len = u16::from_le_bytes([rerandomised[at], rerandomised[at + 1]]) as usize;
            at += 2 + len;
        }
        let groups = rerandomised[at] as usize;
        at += 1;
        for _ in 0..groups {
            let len = u16::from_le_bytes([rerandomised[at], rerandomised[at + 1]]) as usize;
            at += 2 + len;
        }
    }
    assert_eq!(at, rerandomised.len());
    let rerandomised = sign_ballot(
        &rerandomised,
        bob.pseudonym_secret(),
        &s.e.context,
        &mut rng,
    );
    let decoded = Ballot::from_bytes(&rerandomised, s.e.keys.layout()).unwrap();
    assert_eq!(decoded.pseudonym(), bob.pseudonym());
    assert!(
        decoded
            .ciphertexts()
            .iter()
            .zip(ballot.ciphertexts())
            .all(|(a, b)| *a != b)
    );
    assert_eq!(
        ballot_box.accept(&rerandomised),
        Err(Error::InvalidBallotProof { question: 0 })
    );

    // In the record, the copy is named by its entry.
    let c = closed(s);
    for bad in [&copied, &rerandomised] {
        let (payloads, at) =
            tamper::inserted_sorted(&c, &Ballot::from_bytes(bad, s.e.keys.layout()).unwrap());
        let report = verify(&chain(&payloads), rng.clone());
        assert_eq!(
            failed(&report, CheckId::Ballots),
            &Error::InvalidBallots { culprits: vec![at] }
        );
    }
    // Alice's and Bob's honest ballots are accepted.
    assert!(ballot_box.accept(&alices).is_ok());
    assert!(
        ballot_box
            .accept(&cast(s, &bob, 3, &mut rng).to_bytes())
            .is_ok()
    );
    assert_honest_record_verifies(s);
}

// ---------------------------------------------------------------------------------------
// Replay from another election.

/// A ballot, a credential, a decryption share and an issuance report of election X
/// (the same authorities, another election id), presented in election Y.
#[test]
fn replay_from_another_election() {
    let s = small();
    let mut rng = rng(22);
    let x = other_election(s, &mut rng);
    assert_ne!(x.context, s.e.context);

    // A ballot cast in X by a representative holding a credential of X.
    let credential_x = sitting::check_in(&x, 503, &mut rng);
    let ballot_x = Ballot::cast(
        &x.manifest,
        &x.keys,
        &credential_x,
        &sitting::votes_of(4),
        &mut rng,
    )
    .unwrap()
    .0;
    assert!(x.keys.election_key != s.e.keys.election_key);
    let mut ballot_box = open_box(s);
    assert_eq!(
        ballot_box.accept(&ballot_x.to_bytes()),
        Err(Error::InvalidCredential)
    );
    // X's credential, used to cast in Y: the credential is bound to X's context.
    let cast_y = Ballot::cast(
        &s.e.manifest,
        &s.e.keys,
        &credential_x,
        &sitting::votes_of(4),
        &mut rng,
    )
    .unwrap()
    .0;
    assert_eq!(
        ballot_box.accept(&cast_y.to_bytes()),
        Err(Error::InvalidCredential)
    );
    assert!(
        credential_x
            .signature()
            .verify(&s.e.keys.issuer_key, &s.e.context, credential_x.pseudonym())
            .is_err()
    );
    // A Y credential with X's ballot answers (signed by the Y pseudonym): the proofs are
    // bound to X's context and X's key.
    let credential_y = sitting::check_in(&s.e, 504, &mut rng);
    let grafted = under_credential(&ballot_x.to_bytes(), &credential_y, &s.e.context, &mut rng);
    assert_eq!(
        ballot_box.accept(&grafted),
        Err(Error::InvalidBallotProof { question: 0 })
    );
    let c = closed(s);
    let (payloads, at) = tamper::inserted_sorted(&c, &ballot_x);
    let report = verify(&chain(&payloads), rng.clone());
    assert_eq!(
        failed(&report, CheckId::Ballots),
        &Error::InvalidBallots { culprits: vec![at] }
    );

    // A decryption share by X's trustee 1 (the same person, X's key share) on Y's ballots.
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let rows: Vec<Vec<Ciphertext>> = ballots
        .iter()
        .map(|&i| {
            Ballot::from_bytes(&s.p.payloads[i], s.e.keys.layout())
                .unwrap()
                .ciphertexts()
        })
        .collect();
    let online = Aggregate::from_ballots(&rows, s.e.keys.width()).unwrap();
    let replayed = x.shares[0]
        .decrypt_aggregate(&rows, &online, 1, &mut rng)
        .unwrap();
    let honest = s.e.shares[0]
        .decrypt_aggregate(&rows, &online, 1, &mut rng)
        .unwrap();
    let public_y = s.e.shares[0].public();
    assert!(honest.verify(public_y, &s.e.context, &online).is_ok());
    assert_eq!(
        replayed.verify(public_y, &s.e.context, &online),
        Err(Error::InvalidDecryptionShares { culprits: vec![1] })
    );
    // In the record, in place of trustee 1's share.
    let share_at = positions(&s.p.payloads, MessageKind::DecryptionShare)[0];
    assert_eq!(
        DecryptionShare::from_bytes(&s.p.payloads[share_at])
            .unwrap()
            .trustee(),
        1
    );
    let report = verify(
        &tamper::replaced(&s.p, share_at, replayed.to_bytes()),
        rng.clone(),
    );
    assert_eq!(
        failed(&report, CheckId::DecryptionShares),
        &Error::InvalidDecryptionShares { culprits: vec![1] }
    );

    // X's issuance report (signed by the same report key) in Y's record.
    sitting::check_in(&x, 505, &mut rng);
    let report_x = x
        .issuer
        .report(&x.context, &x.authorities.report, &mut rng)
        .unwrap();
    assert!(
        report_x
            .verify(&s.e.manifest.report_key, &x.context)
            .is_ok()
    );
    assert_eq!(
        report_x.verify(&s.e.manifest.report_key, &s.e.context),
        Err(Error::InvalidProof)
    );
    let report_at = positions(&s.p.payloads, MessageKind::IssuanceReport)[0];
    let report = verify(
        &tamper::replaced(&s.p, report_at, report_x.to_bytes()),
        rng.clone(),
    );
    assert_eq!(
        failed(&report, CheckId::IssuanceReport),
        &Error::InvalidProof
    );
    assert_eq!(report.verdict(), Verdict::Invalid);
    assert_honest_record_verifies(s);
}

// ---------------------------------------------------------------------------------------
// Weak Fiat–Shamir.

/// A valid proof whose statement is changed after the challenge (Bernhard–Pereira–
/// Warinschi): every statement element, and the election context, is in the transcript
/// before the challenge, so keeping the proof and swapping the ciphertext, the public key,
/// the base, the range or the context makes it fail.
#[test]
fn weak_fiat_shamir_statement_changed_after_the_challenge() {
    let mut rng = rng(23);
    let key = SecretKey::generate(&mut rng);
    let Y = key.public_key();
    let other_key = SecretKey::generate(&mut rng).public_key();
    let t = || election_transcript(&CONTEXT);
    let other_t = || election_transcript(&OTHER_CONTEXT);

    // Schnorr: another X, another context.
    let x = Scalar::random(&mut rng);
    let X = GroupElement::from_point(RISTRETTO_BASEPOINT_POINT * x);
    let statement = SchnorrStatement { X };
    let proof = SchnorrProof::prove(&mut t(), &statement, &x, &mut rng).unwrap();
    assert!(proof.verify(&mut t(), &statement).is_ok());
    let moved = SchnorrStatement {
        X: *other_key.element(),
    };
    assert_eq!(proof.verify(&mut t(), &moved), Err(Error::InvalidProof));
    assert_eq!(
        proof.verify(&mut other_t(), &statement),
        Err(Error::InvalidProof)
    );

    // DLEQ (a decryption share's statement): another Q, another base H.
    let (ct, _) = Y.encrypt(1, &mut rng);
    let s = key.expose_scalar();
    let statement = DleqStatement::with_generator(
        *ct.a(),
        *Y.element(),
        GroupElement::from_point(ct.a().point() * s),
    );
    let proof = DleqProof::prove(&mut t(), &statement, s, &mut rng).unwrap();
    assert!(proof.verify(&mut t(), &statement).is_ok());
    let (other_ct, _) = Y.encrypt(1, &mut rng);
    for moved in [
        DleqStatement {
            Q: *other_ct.a(),
            ..statement
        },
        DleqStatement {
            H: *other_ct.a(),
            ..statement
        },
        DleqStatement {
            P: *other_key.element(),
            ..statement
        },
    ] {
        assert_eq!(proof.verify(&mut t(), &moved), Err(Error::InvalidProof));
    }
    assert_eq!(
        proof.verify(&mut other_t(), &statement),
        Err(Error::InvalidProof)
    );

    // Range (a ballot position's bit proof): the ciphertext re-randomised, another key,
    // another range, another context.
    let (ct, r) = Y.encrypt(1, &mut rng);
    let statement = RangeStatement {
        public_key: Y,
        ciphertext: ct,
        range: ValueRange::BIT,
    };
    let proof = RangeProof::prove(&mut t(), &statement, 1, &r, &mut rng).unwrap();
    assert!(proof.verify(&mut t(), &statement).is_ok());
    let (rerandomised, _) = Y.rerandomize(&ct, &mut rng);
    for moved in [
        RangeStatement {
            ciphertext: rerandomised,
            ..statement
        },
        RangeStatement {
            public_key: other_key,
            ..statement
        },
        RangeStatement {
            ciphertext: Ciphertext::from_points(*ct.b().point(), *ct.a().point()),
            ..statement
        },
    ] {
        assert_eq!(proof.verify(&mut t(), &moved), Err(Error::InvalidProof));
    }
    assert_eq!(
        proof.verify(&mut other_t(), &statement),
        Err(Error::InvalidProof)
    );
    // The proof of the range [0, 1] does not pass as one of [1, 2] (same number of
    // branches, so the same shape).
    let shifted = RangeStatement {
        range: ValueRange::new(1, 2).unwrap(),
        ..statement
    };
    assert_eq!(proof.verify(&mut t(), &shifted), Err(Error::InvalidProof));

    // A whole ballot checked against another election key with the same context: its
    // proofs were made for the real key.
    let s = small();
    let credential = sitting::check_in(&s.e, 506, &mut rng);
    let ballot = cast(s, &credential, 5, &mut rng);
    assert!(ballot.verify(&s.e.keys).is_ok());
    let mut swapped = s.e.keys.clone();
    swapped.election_key = other_key;
    assert_eq!(
        ballot.verify(&swapped),
        Err(Error::InvalidBallotProof { question: 0 })
    );
    // A credential (blind signature) presented for another pseudonym or context.
    let other = PseudonymSecret::generate(&mut rng).pseudonym();
    let sig = credential.signature();
    assert!(
        sig.verify(&s.e.keys.issuer_key, &s.e.context, credential.pseudonym())
            .is_ok()
    );
    assert_eq!(
        sig.verify(&s.e.keys.issuer_key, &s.e.context, &other),
        Err(Error::InvalidCredential)
    );
    assert_eq!(
        sig.verify(&s.e.keys.issuer_key, &OTHER_CONTEXT, credential.pseudonym()),
        Err(Error::InvalidCredential)
    );
}

// ---------------------------------------------------------------------------------------
// Over-votes.

/// The honest device refuses an over-vote before encrypting anything.
#[test]
fn over_vote_refused_by_an_honest_device() {
    let s = small();
    let mut rng = rng(24);
    let credential = sitting::check_in(&s.e, 507, &mut rng);
    let cases: [(usize, Vote); 4] = [
        // Six "for" for five seats.
        (
            3,
            Vote::Election(
                (0..7)
                    .map(|c| {
                        if c < 6 {
                            MotionVote::For
                        } else {
                            MotionVote::Against
                        }
                    })
                    .collect(),
            ),
        ),
        // A fourth level on a three-level scale.
        (
            4,
            Vote::Evaluation(vec![Some(3), Some(0), Some(0), Some(0)]),
        ),
        // Answers for five of four managers, and for six of seven candidates.
        (4, Vote::Evaluation(vec![Some(0); 5])),
        (3, Vote::Election(vec![MotionVote::Abstain; 6])),
    ];
    for (question, vote) in cases {
        let mut votes = sitting::votes_of(1);
        votes[question] = vote;
        assert_eq!(
            Ballot::cast(&s.e.manifest, &s.e.keys, &credential, &votes, &mut rng).unwrap_err(),
            Error::InvalidVote { question }
        );
    }
    // More answers than questions.
    let mut votes = sitting::votes_of(1);
    votes.push(Vote::Motion(MotionVote::For));
    assert_eq!(
        Ballot::cast(&s.e.manifest, &s.e.keys, &credential, &votes, &mut rng).unwrap_err(),
        Error::BallotShape
    );
    assert!(
        Ballot::cast(
            &s.e.manifest,
            &s.e.keys,
            &credential,
            &sitting::votes_of(1),
            &mut rng
        )
        .is_ok()
    );
}

/// A cheating device encrypts a 2 in a 0/1 slot, a "negative" value (`−1`, i.e.
/// `B = r·Y − G`) next to it so that the motion's sum is still exactly 1, or six "for"
/// for five seats; it proves them with the unchecked prover and signs. The bit proofs
/// (or the seats' group proof) do not verify: the box refuses, and in the record the
/// ballot is named. The same builder with honest values gives a ballot the box accepts.
#[test]
fn over_vote_by_a_cheating_device() {
    let s = small();
    let mut rng = rng(25);
    let credential = sitting::check_in(&s.e, 508, &mut rng);
    let honest = honest_values(&s.e.manifest, &sitting::votes_of(2));
    let forged = forge(&s.e.manifest, &s.e.keys, &credential, &honest, &mut rng);
    assert!(
        Ballot::from_bytes(&forged, s.e.keys.layout())
            .unwrap()
            .verify(&s.e.keys)
            .is_ok(),
        "the forger is faithful to SPEC.md §12"
    );

    let f = |value: i64| value;
    let mut two = honest.clone();
    two[0] = vec![f(2), f(0), f(0)];
    let mut two_and_minus_one = honest.clone();
    two_and_minus_one[1] = vec![f(2), f(-1), f(0)];
    let mut six_for_five_seats = honest.clone();
    for c in 0..7 {
        let for_ = usize::from(c < 6);
        six_for_five_seats[3][3 * c] = f(for_ as i64);
        six_for_five_seats[3][3 * c + 1] = f(1 - for_ as i64);
        six_for_five_seats[3][3 * c + 2] = f(0);
    }
    let mut half_blank_evaluation = honest.clone();
    // A manager rated on two levels at once.
    half_blank_evaluation[4][0] = f(1);
    half_blank_evaluation[4][1] = f(1);
    half_blank_evaluation[4][2] = f(0);
    half_blank_evaluation[4][3] = f(0);

    let c = closed(s);
    let mut ballot_box = open_box(s);
    for (name, values, question) in [
        ("a 2 in a bit slot", two, 0),
        ("2 and −1: the sum is still 1", two_and_minus_one, 1),
        ("six for five seats", six_for_five_seats, 3),
        ("two levels for one manager", half_blank_evaluation, 4),
    ] {
        let bytes = forge(&s.e.manifest, &s.e.keys, &credential, &values, &mut rng);
        assert_eq!(
            ballot_box.accept(&bytes),
            Err(Error::InvalidBallotProof { question }),
            "{name}"
        );
        let (payloads, at) =
            tamper::inserted_sorted(&c, &Ballot::from_bytes(&bytes, s.e.keys.layout()).unwrap());
        let report = verify(&chain(&payloads), rng.clone());
        assert_eq!(
            failed(&report, CheckId::Ballots),
            &Error::InvalidBallots { culprits: vec![at] },
            "{name}"
        );
    }
    assert!(ballot_box.accept(&forged).is_ok());
}

// ---------------------------------------------------------------------------------------
// Identity and non-canonical encodings.

/// The canonical encoding of the generator `G`.
fn g_bytes() -> [u8; 32] {
    RISTRETTO_BASEPOINT_POINT.compress().to_bytes()
}

/// Non-canonical or invalid 32-byte point encodings, each with the reason.
fn bad_points() -> Vec<(&'static str, [u8; 32])> {
    let mut high_bit = g_bytes();
    high_bit[31] |= 0x80;
    // The field element p = 2^255 − 19, a non-canonical encoding of 0.
    let mut p = [0xff; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    // s = 1: odd, so "negative", which RFC 9496 forbids.
    let mut negative = [0u8; 32];
    negative[0] = 1;
    // p + 1: a non-canonical encoding of the field element 1.
    let mut p_plus_one = p;
    p_plus_one[0] = 0xee;
    vec![
        ("high bit set", high_bit),
        ("s = p", p),
        ("s = p + 1", p_plus_one),
        ("negative s", negative),
        ("all ones", [0xff; 32]),
    ]
}

/// Decoders with the result's value dropped, so that one table can list them all.
mod decode {
    use super::*;

    pub(crate) type Decode = fn(&[u8]) -> Result<(), EncodingError>;

    pub(crate) fn ballot_decode(b: &[u8]) -> Result<(), EncodingError> {
        match Ballot::from_bytes(b, super::small().e.keys.layout()) {
            Ok(_) => Ok(()),
            Err(Error::Encoding(e)) => Err(e),
            Err(other) => panic!("a ballot of the election's shape: {other}"),
        }
    }
    pub(crate) fn share_decode(b: &[u8]) -> Result<(), EncodingError> {
        DecryptionShare::from_bytes(b).map(drop)
    }
    pub(crate) fn aggregate_decode(b: &[u8]) -> Result<(), EncodingError> {
        Aggregate::from_bytes(b).map(drop)
    }
    pub(crate) fn round1_decode(b: &[u8]) -> Result<(), EncodingError> {
        round1::Package::from_bytes(b).map(drop)
    }
    pub(crate) fn commit_decode(b: &[u8]) -> Result<(), EncodingError> {
        CommitMessage::from_bytes(b).map(drop)
    }
    pub(crate) fn challenge_decode(b: &[u8]) -> Result<(), EncodingError> {
        ChallengeMessage::from_bytes(b).map(drop)
    }
    pub(crate) fn response_decode(b: &[u8]) -> Result<(), EncodingError> {
        ResponseMessage::from_bytes(b).map(drop)
    }
    pub(crate) fn report_decode(b: &[u8]) -> Result<(), EncodingError> {
        IssuanceReport::from_bytes(b).map(drop)
    }
    pub(crate) fn public_key(b: &[u8]) -> Result<(), EncodingError> {
        PublicKey::from_bytes(b).map(drop)
    }
    pub(crate) fn issuer_key(b: &[u8]) -> Result<(), EncodingError> {
        IssuerPublicKey::from_bytes(b).map(drop)
    }
    pub(crate) fn pseudonym(b: &[u8]) -> Result<(), EncodingError> {
        Pseudonym::from_bytes(b).map(drop)
    }
}

/// Every point of every message, replaced by the identity where the protocol forbids it
/// and by each non-canonical encoding everywhere: refused with the precise encoding error
/// by the decoder (and so by the box and by the record's `encoding` check).
#[test]
fn identity_and_non_canonical_points_everywhere() {
    let s = small();
    let mut rng = rng(26);
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let ballot = s.p.payloads[ballots[0]].clone();
    let share_at = positions(&s.p.payloads, MessageKind::DecryptionShare)[0];
    let share = s.p.payloads[share_at].clone();
    let aggregate_at = positions(&s.p.payloads, MessageKind::Aggregate)[0];
    let aggregate = s.p.payloads[aggregate_at].clone();
    let round1_at = positions(&s.p.payloads, MessageKind::DkgRound1)[0];
    let round1 = s.p.payloads[round1_at].clone();
    let voter = VoterId::new(b"rep-0600").unwrap();
    let commit =
        s.e.issuer
            .commit(&s.e.context, &voter, 0, &mut rng)
            .unwrap();
    let commit = commit.to_bytes();

    use decode::*;
    // (message, decoder, offset of a point, whether the identity is forbidden there)
    let sites: Vec<(&str, &[u8], Decode, usize, bool)> = vec![
        (
            "ballot pseudonym",
            &ballot,
            ballot_decode,
            PSEUDONYM_AT,
            true,
        ),
        (
            "ballot credential A'",
            &ballot,
            ballot_decode,
            CREDENTIAL_AT + 2,
            true,
        ),
        (
            "ballot credential C'",
            &ballot,
            ballot_decode,
            CREDENTIAL_AT + 34,
            true,
        ),
        (
            "ballot ciphertext A",
            &ballot,
            ballot_decode,
            FIRST_CT_AT,
            false,
        ),
        (
            "ballot ciphertext B",
            &ballot,
            ballot_decode,
            FIRST_CT_AT + 32,
            false,
        ),
        // The first bit proof's R₀ (after the question's ciphertexts and its length).
        (
            "ballot range proof R₀",
            &ballot,
            ballot_decode,
            FIRST_CT_AT + SENT_FIRST * 64 + 2 + 4,
            true,
        ),
        (
            "ballot signature R",
            &ballot,
            ballot_decode,
            ballot.len() - 64,
            true,
        ),
        ("decryption share D", &share, share_decode, 38, false),
        (
            "decryption share proof R",
            &share,
            share_decode,
            38 + 32 + 2,
            true,
        ),
        ("aggregate A", &aggregate, aggregate_decode, 12, false),
        (
            "round-1 constant commitment",
            &round1,
            round1_decode,
            6,
            true,
        ),
        ("issuer commit A", &commit, commit_decode, 18, true),
        ("issuer commit C", &commit, commit_decode, 50, true),
    ];
    for (name, message, decode, at, identity_forbidden) in sites {
        assert_eq!(
            decode(message),
            Ok(()),
            "{name}: the honest message decodes"
        );
        let mut identity = message.to_vec();
        identity[at..at + 32].fill(0);
        if identity_forbidden {
            assert_eq!(
                decode(&identity),
                Err(EncodingError::IdentityPoint),
                "{name}: identity"
            );
        } else {
            assert_eq!(decode(&identity), Ok(()), "{name}: identity allowed");
        }
        for (why, bad) in bad_points() {
            let mut m = message.to_vec();
            m[at..at + 32].copy_from_slice(&bad);
            assert_eq!(
                decode(&m),
                Err(EncodingError::InvalidPoint),
                "{name}: {why}"
            );
        }
    }

    // Bare keys: the election key, a trustee key, the issuer key, a pseudonym.
    let keys: [(&str, Decode); 3] = [
        ("public key", public_key),
        ("issuer key", issuer_key),
        ("pseudonym", pseudonym),
    ];
    for (name, decode) in keys {
        assert_eq!(decode(&g_bytes()), Ok(()));
        assert_eq!(
            decode(&[0; 32]),
            Err(EncodingError::IdentityPoint),
            "{name}"
        );
        for (why, bad) in bad_points() {
            assert_eq!(
                decode(&bad),
                Err(EncodingError::InvalidPoint),
                "{name}: {why}"
            );
        }
        assert!(matches!(
            decode(&[0; 31]),
            Err(EncodingError::WrongLength { .. })
        ));
    }

    // The manifest's keys: the election's trust anchors.
    let manifest = s.p.payloads[0].clone();
    for key in [
        s.e.manifest.trustee_keys[0].to_bytes(),
        s.e.manifest.issuer_key.to_bytes(),
        s.e.manifest.report_key.to_bytes(),
    ] {
        let at = manifest
            .windows(32)
            .position(|w| w == key)
            .expect("the key is in the manifest");
        let mut m = manifest.clone();
        m[at..at + 32].fill(0);
        assert_eq!(
            Manifest::from_bytes(&m),
            Err(Error::Encoding(EncodingError::IdentityPoint))
        );
        m[at..at + 32].copy_from_slice(&bad_points()[0].1);
        assert_eq!(
            Manifest::from_bytes(&m),
            Err(Error::Encoding(EncodingError::InvalidPoint))
        );
    }

    // Through the box and the record.
    let mut identity_pseudonym = ballot.clone();
    identity_pseudonym[PSEUDONYM_AT..PSEUDONYM_AT + 32].fill(0);
    assert_eq!(
        open_box(s).accept(&identity_pseudonym),
        Err(Error::Encoding(EncodingError::IdentityPoint))
    );
    let mut high_bit = ballot.clone();
    high_bit[FIRST_CT_AT + 31] |= 0x80;
    assert_eq!(
        open_box(s).accept(&high_bit),
        Err(Error::Encoding(EncodingError::InvalidPoint))
    );
    // An identity ciphertext component decodes (a ciphertext may be (0, m·G)); in
    // another's ballot the signature refuses it, and in the voter's own ballot, signed
    // again, the proofs do.
    let mut identity_ct = ballot.clone();
    identity_ct[FIRST_CT_AT..FIRST_CT_AT + 32].fill(0);
    assert_eq!(
        open_box(s).accept(&identity_ct),
        Err(Error::InvalidBallotSignature)
    );
    let voter = sitting::check_in(&s.e, 516, &mut rng);
    let own = cast(s, &voter, 2, &mut rng).to_bytes();
    let mut unsigned = own[..own.len() - SIGNATURE_LEN].to_vec();
    unsigned[FIRST_CT_AT..FIRST_CT_AT + 32].fill(0);
    let resigned = sign_ballot(&unsigned, voter.pseudonym_secret(), &s.e.context, &mut rng);
    assert_eq!(
        open_box(s).accept(&resigned),
        Err(Error::InvalidBallotProof { question: 0 })
    );
    assert!(open_box(s).accept(&own).is_ok());
    for (index, payload) in [
        (ballots[0], high_bit),
        (share_at, {
            let mut m = share.clone();
            m[38 + 31] |= 0x80;
            m
        }),
        (round1_at, {
            let mut m = round1.clone();
            m[6..38].fill(0);
            m
        }),
    ] {
        let report = verify(&tamper::replaced(&s.p, index, payload), rng.clone());
        assert!(
            matches!(failed(&report, CheckId::Encoding), Error::Encoding(_)),
            "entry {index}"
        );
        assert_eq!(report.check_entry(CheckId::Encoding), Some(index));
        assert_eq!(report.verdict(), Verdict::Invalid);
    }
    assert_honest_record_verifies(s);
}

/// Every scalar of every message given as `value + ℓ` (the same residue, a second
/// encoding) or as 32 bytes of `0xff`: refused as `NonCanonicalScalar`, so no message has
/// two encodings. A zero challenge or secret where one is forbidden is `ZeroScalar`.
#[test]
fn non_canonical_scalars_everywhere() {
    let s = small();
    let mut rng = rng(27);
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let ballot = s.p.payloads[ballots[0]].clone();
    let share_at = positions(&s.p.payloads, MessageKind::DecryptionShare)[0];
    let share = s.p.payloads[share_at].clone();
    let report_at = positions(&s.p.payloads, MessageKind::IssuanceReport)[0];
    let issuance = s.p.payloads[report_at].clone();
    let voter = VoterId::new(b"rep-0601").unwrap();
    let commit =
        s.e.issuer
            .commit(&s.e.context, &voter, 0, &mut rng)
            .unwrap();
    let request = VoterAwaitingCommit::new(
        s.e.manifest.issuer_key,
        s.e.context,
        PseudonymSecret::generate(&mut rng),
    );
    let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
    let response = s.e.issuer.respond(&challenge, &voter, 1).unwrap();
    let challenge = challenge.to_bytes();
    let response = response.to_bytes();
    let spoiled_at = positions(&s.p.payloads, MessageKind::SpoiledBallot)[0];
    let spoiled = s.p.payloads[spoiled_at].clone();

    use decode::*;
    let n = ballot.len();
    let sites: Vec<(&str, &[u8], Decode, usize)> = vec![
        (
            "ballot credential s'",
            &ballot,
            ballot_decode,
            CREDENTIAL_AT + 66,
        ),
        (
            "ballot credential y'",
            &ballot,
            ballot_decode,
            CREDENTIAL_AT + 98,
        ),
        (
            "ballot credential t'",
            &ballot,
            ballot_decode,
            CREDENTIAL_AT + 130,
        ),
        ("ballot signature z", &ballot, ballot_decode, n - 32),
        // The first bit proof: after its 2 (R, S) pairs, c₀ then z₀.
        (
            "ballot range proof c₀",
            &ballot,
            ballot_decode,
            FIRST_CT_AT + SENT_FIRST * 64 + 2 + 4 + 128,
        ),
        (
            "ballot range proof z₁",
            &ballot,
            ballot_decode,
            FIRST_CT_AT + SENT_FIRST * 64 + 2 + 4 + 128 + 64,
        ),
        ("share proof z", &share, share_decode, 38 + 32 + 2 + 64),
        (
            "issuance report signature z",
            &issuance,
            report_decode,
            issuance.len() - 32,
        ),
        ("voter challenge e", &challenge, challenge_decode, 18),
        ("issuer response s", &response, response_decode, 2),
        ("issuer response y", &response, response_decode, 34),
        ("issuer response t", &response, response_decode, 66),
    ];
    for (name, message, decode, at) in sites {
        assert_eq!(
            decode(message),
            Ok(()),
            "{name}: the honest message decodes"
        );
        let mut plus_ell = message.to_vec();
        let before = plus_ell[at..at + 32].to_vec();
        add_ell(&mut plus_ell[at..at + 32]);
        assert_ne!(plus_ell[at..at + 32], before[..]);
        if plus_ell[at + 31] < before[31] {
            continue; // ℓ did not fit in 256 bits: not a second encoding.
        }
        assert_eq!(
            decode(&plus_ell),
            Err(EncodingError::NonCanonicalScalar),
            "{name}: + ℓ"
        );
        let mut ones = message.to_vec();
        ones[at..at + 32].fill(0xff);
        assert_eq!(
            decode(&ones),
            Err(EncodingError::NonCanonicalScalar),
            "{name}: 0xff…"
        );
    }
    // e = 0 (on a fresh session) would have the issuer answer no challenge at all.
    let voter2 = VoterId::new(b"rep-0602").unwrap();
    let commit2 =
        s.e.issuer
            .commit(&s.e.context, &voter2, 0, &mut rng)
            .unwrap();
    let mut zero = vec![0x01, MessageKind::CredentialChallenge as u8];
    zero.extend_from_slice(commit2.session());
    zero.extend_from_slice(&[0; 32]);
    assert_eq!(
        s.e.issuer
            .respond(&ChallengeMessage::from_bytes(&zero).unwrap(), &voter2, 1),
        Err(Error::Encoding(EncodingError::ZeroScalar))
    );
    // Secret keys: zero is refused, non-canonical too.
    assert!(SecretKey::from_bytes(&[0; 32]).is_err());
    let mut key = *SecretKey::generate(&mut rng).expose_bytes();
    add_ell(&mut key);
    assert_eq!(
        SecretKey::from_bytes(&key).map(drop),
        Err(EncodingError::NonCanonicalScalar)
    );
    // A spoiled ballot's opening randomness given as r + ℓ: the same ciphertext, so the
    // box and the record must refuse the second encoding.
    let width = s.e.keys.width();
    let first_opening = spoiled.len() - width * 33 + 1;
    let mut plus_ell = spoiled.clone();
    add_ell(&mut plus_ell[first_opening..first_opening + 32]);
    if plus_ell[first_opening + 31] >= spoiled[first_opening + 31] {
        assert!(SpoiledBallot::from_bytes(&spoiled, s.e.keys.layout()).is_ok());
        assert!(matches!(
            open_box(s).spoil(&plus_ell),
            Err(Error::Encoding(EncodingError::NonCanonicalScalar))
        ));
        let report = verify(&tamper::replaced(&s.p, spoiled_at, plus_ell), rng.clone());
        assert_eq!(report.verdict(), Verdict::Invalid);
    }
    // Through the box and the record: the ballot signature's response + ℓ.
    let mut bad = ballot.clone();
    add_ell(&mut bad[n - 32..]);
    assert_eq!(
        open_box(s).accept(&bad),
        Err(Error::Encoding(EncodingError::NonCanonicalScalar))
    );
    let report = verify(&tamper::replaced(&s.p, ballots[0], bad), rng.clone());
    assert!(matches!(
        failed(&report, CheckId::Encoding),
        Error::Encoding(EncodingError::NonCanonicalScalar)
    ));
    // The honest issuance finishes.
    assert!(
        pending
            .finalize(&ResponseMessage::from_bytes(&response).unwrap())
            .is_ok()
    );
    assert_honest_record_verifies(s);
}

// ---------------------------------------------------------------------------------------
// Dishonest trustees.

/// A decryption share computed honestly, but for another aggregate (one ballot fewer):
/// its proofs verify for that aggregate only, so `combine` rejects it and names the
/// trustee, and the record's `decryption_shares` check fails naming it.
#[test]
fn decryption_share_for_a_different_aggregate() {
    let s = small();
    let mut rng = rng(28);
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let rows: Vec<Vec<Ciphertext>> = ballots
        .iter()
        .map(|&i| {
            Ballot::from_bytes(&s.p.payloads[i], s.e.keys.layout())
                .unwrap()
                .ciphertexts()
        })
        .collect();
    let aggregate_at = positions(&s.p.payloads, MessageKind::Aggregate)[0];
    let aggregate = Aggregate::from_bytes(&s.p.payloads[aggregate_at]).unwrap();
    let smaller = Aggregate::from_ballots(&rows[1..], s.e.keys.width()).unwrap();
    let public = s.e.shares[0].public();
    let wrong = s.e.shares[2]
        .decrypt_aggregate(&rows[1..], &smaller, 1, &mut rng)
        .unwrap();
    assert!(wrong.verify(public, &s.e.context, &smaller).is_ok());
    assert_eq!(
        wrong.verify(public, &s.e.context, &aggregate),
        Err(Error::InvalidDecryptionShares { culprits: vec![3] })
    );
    assert_ne!(wrong.aggregate_hash(), &aggregate.hash(&s.e.context));
    let shares = positions(&s.p.payloads, MessageKind::DecryptionShare);
    let mut record_shares: Vec<DecryptionShare> = shares
        .iter()
        .map(|&i| DecryptionShare::from_bytes(&s.p.payloads[i]).unwrap())
        .collect();
    assert_eq!(record_shares[1].trustee(), 3);
    record_shares[1] = wrong.clone();
    assert_eq!(
        combine(public, &s.e.context, &aggregate, &record_shares).unwrap_err(),
        Error::NotEnoughShares {
            valid: 2,
            needed: 3,
            culprits: vec![3]
        }
    );
    let report = verify(
        &tamper::replaced(&s.p, shares[1], wrong.to_bytes()),
        rng.clone(),
    );
    assert_eq!(
        failed(&report, CheckId::DecryptionShares),
        &Error::InvalidDecryptionShares { culprits: vec![3] }
    );
    assert_eq!(report.verdict(), Verdict::Invalid);
    assert_honest_record_verifies(s);
}

/// A trustee publishes a wrong partial decryption (another valid point) with its
/// honest proof, or its honest partial decryption with a wrong proof (another response,
/// or another trustee's proof): each is rejected and the trustee named.
#[test]
fn dishonest_trustee_wrong_share_or_wrong_proof() {
    let s = small();
    let mut rng = rng(29);
    let shares = positions(&s.p.payloads, MessageKind::DecryptionShare);
    let honest = s.p.payloads[shares[0]].clone();
    let other = s.p.payloads[shares[1]].clone();
    assert_eq!(DecryptionShare::from_bytes(&honest).unwrap().trustee(), 1);
    let d = 38; // first partial decryption
    let proof_z = d + 32 + 2 + 64;
    let mut wrong_point = honest.clone();
    wrong_point[d..d + 32].copy_from_slice(&s.e.keys.election_key.to_bytes());
    let mut wrong_response = honest.clone();
    wrong_response[proof_z] ^= 1;
    let mut borrowed_proof = honest.clone();
    borrowed_proof[d + 32..d + 130].copy_from_slice(&other[d + 32..d + 130]);
    let mut borrowed_point = honest.clone();
    borrowed_point[d..d + 32].copy_from_slice(&other[d..d + 32]);
    let aggregate_at = positions(&s.p.payloads, MessageKind::Aggregate)[0];
    let aggregate = Aggregate::from_bytes(&s.p.payloads[aggregate_at]).unwrap();
    let public = s.e.shares[0].public();
    for (name, bad) in [
        ("wrong partial decryption", wrong_point),
        ("wrong DLEQ response", wrong_response),
        ("another trustee's proof", borrowed_proof),
        ("another trustee's partial decryption", borrowed_point),
    ] {
        let share = DecryptionShare::from_bytes(&bad).unwrap();
        assert_eq!(
            share.verify(public, &s.e.context, &aggregate),
            Err(Error::InvalidDecryptionShares { culprits: vec![1] }),
            "{name}"
        );
        let report = verify(&tamper::replaced(&s.p, shares[0], bad), rng.clone());
        assert_eq!(
            failed(&report, CheckId::DecryptionShares),
            &Error::InvalidDecryptionShares { culprits: vec![1] },
            "{name}"
        );
        // Two valid shares of the three are fewer than t: nothing is decrypted, so the
        // published totals are not confirmed.
        assert!(matches!(report.status(CheckId::Totals), Status::Skipped(_)));
    }
    assert!(
        DecryptionShare::from_bytes(&honest)
            .unwrap()
            .verify(public, &s.e.context, &aggregate)
            .is_ok()
    );
    let _ = &mut rng;
    assert_honest_record_verifies(s);
}

/// A dealer publishes one polynomial's commitments and deals shares of another: every
/// recipient complains, the dealer's answers do not match its commitments (or it does
/// not answer), and the resolution disqualifies it; the others finish without it. A false
/// complaint against an honest dealer is dismissed by its answer.
#[test]
fn dishonest_dealer_bad_dkg_share_complaint_disqualification() {
    let s = small();
    let mut rng = rng(30);
    let params = s.e.manifest.ceremony_parameters().unwrap();
    let long_term = &s.e.authorities.trustees;
    let (mut s1, round1) = ceremony::first(&params, &mut rng);
    let (other, _) = dkg::part1(&params, 2, &mut rng).unwrap();
    s1[1] = other;
    let (s2, round2) = ceremony::second(s1, &params, long_term);
    let complaints: Vec<Complaint> = s2
        .iter()
        .zip(long_term)
        .flat_map(|(s, k)| dkg::check_shares(s, &params, k, &round1, &round2))
        .collect();
    assert_eq!(complaints.len(), 4);
    assert!(complaints.iter().all(|c| c.accused == 2));
    let answers: Vec<ComplaintAnswer> = complaints
        .iter()
        .map(|c| dkg::answer_complaint(&s2[1], &params, c).unwrap())
        .collect();
    for answers in [&answers[..], &[]] {
        let resolution = dkg::resolve(&params, &round1, &complaints, answers).unwrap();
        assert_eq!(resolution.disqualified(), &[2]);
        assert_eq!(resolution.qualified(), &[1, 3, 4, 5]);
    }
    // An honest dealer falsely accused answers and stays qualified.
    let false_complaint = Complaint {
        accuser: 1,
        accused: 3,
    };
    let answer = dkg::answer_complaint(&s2[2], &params, &false_complaint).unwrap();
    let mut all = complaints.clone();
    all.push(false_complaint);
    let mut all_answers = answers.clone();
    all_answers.push(answer);
    let resolution = dkg::resolve(&params, &round1, &all, &all_answers).unwrap();
    assert_eq!(resolution.disqualified(), &[2]);
    // The qualified trustees finish and agree on one key without the cheater.
    let keys: Vec<_> = [0usize, 2, 3, 4]
        .iter()
        .map(|&i| {
            dkg::part3(
                &s2[i],
                &params,
                &long_term[i],
                &round1,
                &round2,
                &resolution,
            )
            .unwrap()
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0].public() == w[1].public()));
    assert_eq!(keys[0].public().qualified(), &[1, 3, 4, 5]);
}

// ---------------------------------------------------------------------------------------
// A dishonest issuer.

/// The issuer reports fewer credentials than it issued (it hides one): there are more
/// ballots than credentials, and the vote is void and repeated (VOID_REDO).
#[test]
fn issuer_over_issuing_is_void_redo() {
    let s = small();
    let mut rng = rng(31);
    let report_at = positions(&s.p.payloads, MessageKind::IssuanceReport)[0];
    let honest = IssuanceReport::from_bytes(&s.p.payloads[report_at]).unwrap();
    let fewer: Vec<VoterId> = honest.voters()[1..].to_vec();
    let short =
        IssuanceReport::sign(&s.e.context, fewer, &s.e.authorities.report, &mut rng).unwrap();
    let report = verify(
        &tamper::replaced(&s.p, report_at, short.to_bytes()),
        rng.clone(),
    );
    assert_eq!(
        failed(&report, CheckId::Reconciliation),
        &Error::MoreBallotsThanCredentials {
            ballots: 12,
            credentials: 11
        }
    );
    assert_eq!(report.verdict(), Verdict::VoidRedo);
    assert_passed(&report, CheckId::IssuanceReport);
    assert_honest_record_verifies(s);
}

/// The issuer mints a credential off the books (a second desk with the same key and its
/// own session store, so the report never lists it) and casts a ballot with it. The
/// ghost ballot verifies, but the record then has more ballots than the report has
/// credentials: VOID_REDO. (Minting for a representative who then stays away keeps the
/// numbers equal; that is what the public, contestable attendance list is for, SPEC.md
/// §15.3.)
#[test]
fn issuer_minting_a_credential_not_in_the_report() {
    let s = small();
    let mut rng = rng(32);
    let rogue = Issuer::new(
        s.e.authorities.issuer.clone(),
        InMemorySessionStore::new(),
        600,
    );
    let ghost = VoterId::new(b"nobody").unwrap();
    let commit = rogue.commit(&s.e.context, &ghost, 0, &mut rng).unwrap();
    let request = VoterAwaitingCommit::new(
        s.e.manifest.issuer_key,
        s.e.context,
        PseudonymSecret::generate(&mut rng),
    );
    let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
    let credential = pending
        .finalize(&rogue.respond(&challenge, &ghost, 1).unwrap())
        .unwrap();
    let ballot = cast(s, &credential, 6, &mut rng);
    assert!(
        ballot.verify(&s.e.keys).is_ok(),
        "the ghost credential is valid"
    );
    let c = closed(s);
    let honest = verify(&c.record, rng.clone());
    assert_eq!(honest.verdict(), Verdict::Valid);
    let report_at = positions(&c.payloads, MessageKind::IssuanceReport)[0];
    let listed = IssuanceReport::from_bytes(&c.payloads[report_at]).unwrap();
    assert!(!listed.voters().contains(&ghost));
    let (payloads, _) = tamper::inserted_sorted(&c, &ballot);
    let report = verify(&chain(&payloads), rng.clone());
    assert_passed(&report, CheckId::Ballots);
    assert_eq!(
        failed(&report, CheckId::Reconciliation),
        &Error::MoreBallotsThanCredentials {
            ballots: 13,
            credentials: 12
        }
    );
    assert_eq!(report.verdict(), Verdict::VoidRedo);
}

// ---------------------------------------------------------------------------------------
// ROS.

/// The ROS adversary's setting (Benhamouda et al.): many issuance sessions open at
/// once, the challenges chosen after seeing every commitment. `core/tests/ros.rs` runs
/// the full 256-session attack; here the issuer's side: every session answers exactly one
/// challenge, a second challenge on any session is refused (it would reveal the key), a
/// representative gets one credential per election, the report lists exactly the
/// sessions answered, and a linear combination of the answers is no signature.
#[test]
fn ros_adversary_gets_one_signature_per_session() {
    const SESSIONS: usize = 32;
    let s = small();
    let mut rng = rng(33);
    let issuer = Issuer::new(
        s.e.authorities.issuer.clone(),
        InMemorySessionStore::new(),
        600,
    );
    let X = s.e.manifest.issuer_key;
    let voters: Vec<VoterId> = (0..SESSIONS)
        .map(|i| VoterId::new(format!("ros-{i:03}").as_bytes()).unwrap())
        .collect();
    let commits: Vec<CommitMessage> = voters
        .iter()
        .map(|v| issuer.commit(&s.e.context, v, 0, &mut rng).unwrap())
        .collect();
    // Every commitment is seen before any challenge is sent.
    let mut pending = Vec::new();
    let mut challenges = Vec::new();
    for commit in &commits {
        let request = VoterAwaitingCommit::new(X, s.e.context, PseudonymSecret::generate(&mut rng));
        let (p, c) = request.challenge(commit, &mut rng).unwrap();
        pending.push(p);
        challenges.push(c);
    }
    let responses: Vec<ResponseMessage> = challenges
        .iter()
        .zip(&voters)
        .map(|(c, v)| issuer.respond(c, v, 1).unwrap())
        .collect();
    let credentials: Vec<Credential> = pending
        .into_iter()
        .zip(&responses)
        .map(|(p, r)| p.finalize(r).unwrap())
        .collect();
    assert_eq!(credentials.len(), SESSIONS);

    for i in 0..SESSIONS {
        // Another challenge on an answered session: refused, never answered.
        let mut bytes = challenges[i].to_bytes();
        bytes[18..50].copy_from_slice(challenges[(i + 1) % SESSIONS].e().as_bytes());
        let other = ChallengeMessage::from_bytes(&bytes).unwrap();
        assert_eq!(
            issuer.respond(&other, &voters[i], 2),
            Err(Error::SessionReplayed)
        );
        // The identical challenge gets the identical answer: nothing new is signed.
        assert_eq!(
            issuer.respond(&challenges[i], &voters[i], 2).unwrap(),
            responses[i]
        );
        // A fresh session for the same representative.
        assert_eq!(
            issuer
                .commit(&s.e.context, &voters[i], 3, &mut rng)
                .unwrap_err(),
            Error::AlreadyIssued
        );
    }
    let report = issuer
        .report(&s.e.context, &s.e.authorities.report, &mut rng)
        .unwrap();
    assert_eq!(report.count(), SESSIONS);

    // The (s, y, t) of two sessions, combined linearly with the commitments, do not make
    // a signature on a new pseudonym: the yᵢ were hidden when the challenges were made.
    let rho = Scalar::from(3u64);
    let (A0, C0) = commits[0].commitments();
    let (A1, C1) = commits[1].commitments();
    let (s0, y0, t0) = responses[0].scalars();
    let (s1, y1, t1) = responses[1].scalars();
    let mut bytes = vec![0x01, MessageKind::BlindSignature as u8];
    bytes.extend_from_slice(&(A0.point() + A1.point() * rho).compress().to_bytes());
    bytes.extend_from_slice(&(C0.point() + C1.point() * rho).compress().to_bytes());
    for (a, b) in [(s0, s1), (y0, y1), (t0, t1)] {
        bytes.extend_from_slice((a + b * rho).as_bytes());
    }
    let combined = BlindSignature::from_bytes(&bytes).unwrap();
    let target = PseudonymSecret::generate(&mut rng).pseudonym();
    assert_eq!(
        combined.verify(&X, &s.e.context, &target),
        Err(Error::InvalidCredential)
    );
    // Every honest credential verifies.
    for credential in &credentials {
        assert!(
            credential
                .signature()
                .verify(&X, &s.e.context, credential.pseudonym())
                .is_ok()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Tracking-code clashes.

/// Two voters shown the same tracking code (a dishonest device or box hands Bob Alice's
/// receipt). The code is a hash of the whole unsigned ballot, pseudonym included: two
/// distinct ballots do not share one (every byte of a ballot that still decodes changes
/// it), every code in the record is distinct, and Bob, looking his code up in the record,
/// finds a ballot whose pseudonym is not his: the clash is detected.
#[test]
fn tracking_code_clash() {
    let s = small();
    let mut rng = rng(34);
    let alice = sitting::check_in(&s.e, 509, &mut rng);
    let bob = sitting::check_in(&s.e, 510, &mut rng);
    let a = cast(s, &alice, 7, &mut rng);
    let b = cast(s, &bob, 7, &mut rng);
    let a_again = cast(s, &alice, 7, &mut rng);
    let mut ballot_box = open_box(s);
    let receipt_a = ballot_box.accept(&a.to_bytes()).unwrap();
    let receipt_b = ballot_box.accept(&b.to_bytes()).unwrap();
    assert_eq!(receipt_a.tracking_code, a.tracking_code());
    assert_eq!(receipt_a.tracking_code.len(), 24);
    // Same votes, another voter or fresh randomness: another code.
    assert_ne!(receipt_a.tracking_code, receipt_b.tracking_code);
    assert_ne!(a.tracking_code(), a_again.tracking_code());
    // The same answers under Bob's credential: another code.
    let copied = under_credential(&a.to_bytes(), &bob, &s.e.context, &mut rng);
    assert_ne!(
        Ballot::from_bytes(&copied, s.e.keys.layout())
            .unwrap()
            .tracking_code(),
        a.tracking_code()
    );
    // Every byte of the unsigned ballot is bound: a change that still decodes changes
    // the code (sampled: every 5th byte, each bit of it in turn).
    let bytes = a.to_bytes();
    let unsigned = bytes.len() - SIGNATURE_LEN;
    let mut decoded = 0;
    for i in (0..unsigned).step_by(5) {
        let mut changed = bytes.clone();
        changed[i] ^= 1 << (i % 8);
        if let Ok(other) = Ballot::from_bytes(&changed, s.e.keys.layout()) {
            decoded += 1;
            assert_ne!(other.tracking_code(), a.tracking_code(), "byte {i}");
        }
    }
    assert!(decoded > 100, "{decoded} changed ballots decoded");
    // Only the signature is outside the hash: a re-signature keeps the code, but only
    // the pseudonym's holder can make one, its content is identical, and the box takes
    // it as that pseudonym's second ballot.
    let resigned = sign_ballot(
        &bytes[..unsigned],
        alice.pseudonym_secret(),
        &s.e.context,
        &mut rng,
    );
    assert_eq!(
        Ballot::from_bytes(&resigned, s.e.keys.layout())
            .unwrap()
            .tracking_code(),
        a.tracking_code()
    );
    assert_eq!(ballot_box.accept(&resigned), Err(Error::DuplicatePseudonym));

    // In the published record, every tracking code is distinct.
    let view: serde_json::Value =
        serde_json::from_str(&secret_ballot::record::to_json(&s.p.record)).unwrap();
    let cast: Vec<&serde_json::Value> = view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["section"] == "ballots")
        .collect();
    let codes: std::collections::BTreeSet<&str> = cast
        .iter()
        .map(|e| e["view"]["tracking_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), cast.len());
    // Detection: Bob is handed the receipt of the record's first ballot. The entry it
    // names carries another pseudonym than Bob's.
    let shown = cast[0]["view"]["tracking_code"].as_str().unwrap();
    let found = cast
        .iter()
        .find(|e| e["view"]["tracking_code"] == shown)
        .unwrap();
    assert_ne!(
        found["view"]["pseudonym"].as_str().unwrap(),
        hex::encode(bob.pseudonym().to_bytes())
    );
    let own = Ballot::from_bytes(
        &s.p.payloads[positions(&s.p.payloads, MessageKind::Ballot)[0]],
        s.e.keys.layout(),
    )
    .unwrap();
    assert_eq!(
        found["view"]["pseudonym"].as_str().unwrap(),
        hex::encode(own.pseudonym().to_bytes())
    );
}

/// Two colluding voters share a ciphertext: Alice gives Bob the randomness of one of her
/// ciphertexts, and Bob puts it in his own ballot with fresh, valid proofs. Each ballot
/// verifies alone, and the record verifier does not look for repeats (SPEC.md §14.3),
/// but every trustee refuses to decrypt an aggregate with a repeated ciphertext (§8.1,
/// §14.5): a box that took both ballots would let two voters stop the count. The box
/// refuses the second with the trustees' own error (`AggregateMismatch`), and a record
/// that carries both is refused by the trustees.
#[test]
fn shared_ciphertext_between_colluding_voters() {
    let s = small();
    let mut rng = rng(40);
    let alice = sitting::check_in(&s.e, 513, &mut rng);
    let bob = sitting::check_in(&s.e, 514, &mut rng);
    let values = honest_values(&s.e.manifest, &sitting::votes_of(3));
    let alices_rows = encrypt_values(&s.e.keys, &values, &mut rng);
    let mut bobs_rows = encrypt_values(&s.e.keys, &values, &mut rng);
    bobs_rows[0][0] = alices_rows[0][0].clone();
    let a = prove_and_sign(&s.e.manifest, &s.e.keys, &alice, &alices_rows, &mut rng);
    let b = prove_and_sign(&s.e.manifest, &s.e.keys, &bob, &bobs_rows, &mut rng);
    let (a, b) = (
        Ballot::from_bytes(&a, s.e.keys.layout()).unwrap(),
        Ballot::from_bytes(&b, s.e.keys.layout()).unwrap(),
    );
    assert!(a.verify(&s.e.keys).is_ok() && b.verify(&s.e.keys).is_ok());
    assert_eq!(a.ciphertexts()[0], b.ciphertexts()[0]);

    let mut ballot_box = open_box(s);
    assert!(ballot_box.accept(&a.to_bytes()).is_ok());
    assert_eq!(
        ballot_box.accept(&b.to_bytes()),
        Err(Error::AggregateMismatch)
    );
    // Bob's honest ballot is accepted.
    assert!(
        ballot_box
            .accept(&cast(s, &bob, 3, &mut rng).to_bytes())
            .is_ok()
    );
    assert_eq!(ballot_box.len(), 2);
    // One voter's ballot repeating its own ciphertext (candidates 1 and 2 both "against",
    // with one encryption): valid proofs, refused alike.
    let carol = sitting::check_in(&s.e, 515, &mut rng);
    let mut values = values.clone();
    values[3][..6].copy_from_slice(&[0, 1, 0, 0, 1, 0]);
    let mut rows = encrypt_values(&s.e.keys, &values, &mut rng);
    rows[3][4] = rows[3][1].clone();
    let repeated = prove_and_sign(&s.e.manifest, &s.e.keys, &carol, &rows, &mut rng);
    assert!(
        Ballot::from_bytes(&repeated, s.e.keys.layout())
            .unwrap()
            .verify(&s.e.keys)
            .is_ok()
    );
    assert_eq!(ballot_box.accept(&repeated), Err(Error::AggregateMismatch));

    // A closed record carrying both verifies, and no trustee decrypts it.
    // (Alice and Bob are on the issuance report, and present.)
    let c = closed(s);
    let mut payloads = c.payloads.clone();
    let report_at = positions(&payloads, MessageKind::IssuanceReport)[0];
    let mut voters = IssuanceReport::from_bytes(&payloads[report_at])
        .unwrap()
        .voters()
        .to_vec();
    voters.extend([513, 514].map(|v| VoterId::new(format!("rep-{v:04}").as_bytes()).unwrap()));
    payloads[report_at] =
        IssuanceReport::sign(&s.e.context, voters, &s.e.authorities.report, &mut rng)
            .unwrap()
            .to_bytes();
    let close_at = positions(&payloads, MessageKind::Close)[0];
    payloads[close_at] = Close {
        present: c.present + 2,
        closed_at: sitting::CLOSED_AT,
    }
    .to_bytes();
    let c = with_payloads(&c, payloads);
    let (payloads, _) = tamper::inserted_sorted(&c, &a);
    let (payloads, _) = tamper::inserted_sorted(&with_payloads(&c, payloads), &b);
    let record = chain(&payloads);
    assert_eq!(verify(&record, rng.clone()).verdict(), Verdict::Valid);
    assert!(matches!(
        secret_ballot::verify::decrypt_record(&s.e.shares[0], &record, &mut rng),
        Err(Error::RecordRefused(_) | Error::AggregateMismatch)
    ));
    assert!(secret_ballot::verify::decrypt_record(&s.e.shares[0], &s.p.closed, &mut rng).is_ok());
}

// ---------------------------------------------------------------------------------------
// Record entries truncated, reordered, duplicated.

/// The record cut anywhere: inside an entry it fails `encoding` (`Truncated`); at an
/// entry boundary it is an earlier stage of the record, whose head differs from the
/// published one (so a holder of the head tells it apart, SPEC.md §14.1).
#[test]
fn truncated_record() {
    let s = small();
    let rng = rng(35);
    let full = verify(&s.p.record, rng.clone());
    let mut boundaries = vec![0usize];
    for entry in RecordReader::new(&s.p.record) {
        let len = entry.unwrap().to_bytes().len();
        boundaries.push(boundaries.last().unwrap() + len);
    }
    assert_eq!(*boundaries.last().unwrap(), s.p.record.len());
    let inside: Vec<usize> = boundaries
        .windows(2)
        .flat_map(|w| {
            [
                w[0] + 1,
                w[0] + 37,
                w[0] + 38 + (w[1] - w[0] - 38) / 2,
                w[1] - 1,
            ]
        })
        .collect();
    for cut in inside {
        let report = verify(&s.p.record[..cut], rng.clone());
        assert!(
            matches!(
                failed(&report, CheckId::Encoding),
                Error::Encoding(EncodingError::Truncated { .. })
            ),
            "cut at {cut}"
        );
        assert_eq!(report.verdict(), Verdict::Invalid);
    }
    for &cut in &boundaries[1..boundaries.len() - 1] {
        let report = verify(&s.p.record[..cut], rng.clone());
        assert_ne!(report.head, full.head, "cut at {cut}");
        assert!(report.stage < full.stage, "cut at {cut}");
        assert!(!report.is_valid_and_tallied());
    }
    assert!(full.is_valid_and_tallied());
}

/// Entries reordered: without re-chaining, `hash_chain` names the first moved entry;
/// re-chained, `order` catches two ballots out of pseudonym order, a share before the
/// aggregate, or the close before the paper count.
#[test]
fn reordered_record_entries() {
    let s = small();
    let rng = rng(36);
    let entries: Vec<Vec<u8>> = RecordReader::new(&s.p.record)
        .map(|e| e.unwrap().to_bytes())
        .collect();
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let mut swapped = entries.clone();
    swapped.swap(ballots[2], ballots[5]);
    let report = verify(&swapped.concat(), rng.clone());
    assert_eq!(
        failed(&report, CheckId::HashChain),
        &Error::RecordChain { entry: ballots[2] }
    );
    let aggregate = positions(&s.p.payloads, MessageKind::Aggregate)[0];
    let paper = positions(&s.p.payloads, MessageKind::OfflineCount)[0];
    for (a, b) in [
        (ballots[2], ballots[5]),
        (aggregate, aggregate + 1),
        (paper, paper + 1),
    ] {
        let mut payloads = s.p.payloads.clone();
        payloads.swap(a, b);
        let report = verify(&chain(&payloads), rng.clone());
        assert_passed(&report, CheckId::HashChain);
        assert!(
            matches!(
                failed(&report, CheckId::Order),
                Error::RecordOrder { .. } | Error::RecordIncomplete(_)
            ),
            "swap {a} and {b}"
        );
        assert_eq!(report.verdict(), Verdict::Invalid);
    }
    assert_honest_record_verifies(s);
}

/// Entries duplicated (re-chained): a second manifest, report, close, aggregate, totals
/// or outcomes repeats a single section; a repeated round-1 package, spoiled ballot or
/// decryption share breaks its section's strict order; a repeated ballot is a second
/// ballot of its pseudonym. None is counted twice.
#[test]
fn duplicated_record_entries() {
    let s = small();
    let rng = rng(37);
    let kinds = [
        MessageKind::Manifest,
        MessageKind::DkgRound1,
        MessageKind::DkgRound2,
        MessageKind::IssuanceReport,
        MessageKind::SpoiledBallot,
        MessageKind::OfflineCount,
        MessageKind::Close,
        MessageKind::Aggregate,
        MessageKind::DecryptionShare,
        MessageKind::Totals,
        MessageKind::Outcomes,
    ];
    for kind in kinds {
        let at = positions(&s.p.payloads, kind)[0];
        let mut payloads = s.p.payloads.clone();
        payloads.insert(at + 1, payloads[at].clone());
        let report = verify(&chain(&payloads), rng.clone());
        assert_eq!(
            failed(&report, CheckId::Order),
            &Error::RecordOrder { entry: at + 1 },
            "{kind:?}"
        );
        assert_eq!(report.verdict(), Verdict::Invalid, "{kind:?}");
    }
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let mut payloads = s.p.payloads.clone();
    payloads.insert(ballots[4] + 1, payloads[ballots[4]].clone());
    let report = verify(&chain(&payloads), rng.clone());
    assert_eq!(
        failed(&report, CheckId::Pseudonyms),
        &Error::DuplicatePseudonym
    );
    assert_eq!(report.ballots, 12);
    assert_passed(&report, CheckId::Aggregate);
    assert_honest_record_verifies(s);
}

// ---------------------------------------------------------------------------------------
// Denial of service: huge counts and lengths.

/// Messages whose count or length fields claim gigabytes. Every decoder checks each
/// count against its bound and against the bytes actually there before allocating, so
/// each is refused at once (`CountOutOfBounds` or `Truncated`). On Linux the same
/// decoding runs again in a child process whose address space is capped at 1 GiB, where
/// any allocation of the claimed size would abort it.
#[test]
fn huge_counts_and_lengths_are_refused_before_allocation() {
    let started = Instant::now();
    huge_inputs_are_refused();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    #[cfg(target_os = "linux")]
    {
        let exe = std::env::current_exe().unwrap();
        let status = std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
            .arg(exe)
            .args([
                "--exact",
                "huge_inputs_under_a_memory_cap",
                "--ignored",
                "--test-threads=1",
            ])
            .env("SECRET_BALLOT_MEMORY_CAP", "1")
            .stdout(std::process::Stdio::null())
            .status();
        if let Ok(status) = status {
            assert!(
                status.success(),
                "a decoder allocated what it was told: {status}"
            );
        }
    }
}

/// Run by `huge_counts_and_lengths_are_refused_before_allocation` under `ulimit -v`.
#[test]
#[ignore = "run by huge_counts_and_lengths_are_refused_before_allocation in a memory-capped child"]
fn huge_inputs_under_a_memory_cap() {
    if std::env::var_os("SECRET_BALLOT_MEMORY_CAP").is_some() {
        // The cap is real: this would need 2 GiB.
        assert!(Vec::<u8>::new().try_reserve(2 << 30).is_err());
        huge_inputs_are_refused();
    }
}

fn header(kind: MessageKind) -> Vec<u8> {
    vec![0x01, kind as u8]
}

fn out_of_bounds(count: usize, limit: usize) -> EncodingError {
    EncodingError::CountOutOfBounds { count, limit }
}

fn huge_inputs_are_refused() {
    let s = small();
    let mut rng = rng(38);
    let ballots = positions(&s.p.payloads, MessageKind::Ballot);
    let ballot = s.p.payloads[ballots[0]].clone();

    // A record entry claiming 2^24 + 1 or 2^32 − 1 payload bytes.
    for len in [(1u32 << 24) + 1, u32::MAX] {
        let mut entry = header(MessageKind::RecordEntry);
        entry.extend_from_slice(&[0; 32]);
        entry.extend_from_slice(&len.to_le_bytes());
        entry.extend_from_slice(&s.p.payloads[0]);
        assert_eq!(
            Entry::encoded_len(&entry),
            Err(out_of_bounds(len as usize, 1 << 24))
        );
        let report = verify(&entry, &mut rng);
        assert_eq!(
            failed(&report, CheckId::Encoding),
            &Error::Encoding(out_of_bounds(len as usize, 1 << 24))
        );
        let mut verifier = secret_ballot::verify::Verifier::new(&mut rng);
        verifier.read_from(entry.as_slice()).unwrap();
        assert_eq!(verifier.finish().verdict(), Verdict::Invalid);
    }
    // Exactly 2^24 claimed, 10 bytes there: truncated, not allocated.
    let mut entry = header(MessageKind::RecordEntry);
    entry.extend_from_slice(&[0; 32]);
    entry.extend_from_slice(&(1u32 << 24).to_le_bytes());
    entry.extend_from_slice(&s.p.payloads[0][..10]);
    assert!(matches!(
        Entry::parse(&entry),
        Err(EncodingError::Truncated { .. })
    ));
    let mut verifier = secret_ballot::verify::Verifier::new(&mut rng);
    verifier.read_from(entry.as_slice()).unwrap();
    assert_eq!(verifier.finish().verdict(), Verdict::Invalid);

    // A ballot: 255 questions, or the right number with a width of 65535 (a gigabyte
    // of ciphertexts): the layout is not the election's, refused before reading on; the
    // right shape with nothing behind it is truncated.
    let mut huge = ballot[..ANSWERS_AT].to_vec();
    huge.push(255);
    huge.extend_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(
        Ballot::from_bytes(&huge, s.e.keys.layout()),
        Err(Error::BallotShape)
    );
    let mut wide = ballot[..=ANSWERS_AT].to_vec();
    wide.extend_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(
        Ballot::from_bytes(&wide, s.e.keys.layout()),
        Err(Error::BallotShape)
    );
    let empty = ballot[..ANSWERS_AT + 3].to_vec();
    assert!(matches!(
        Ballot::from_bytes(&empty, s.e.keys.layout()),
        Err(Error::Encoding(EncodingError::Truncated { .. }))
    ));
    // A range proof claiming 65535 branches inside a ballot.
    let mut proof_len = ballot.clone();
    let first_proof = FIRST_CT_AT + SENT_FIRST * 64;
    proof_len[first_proof..first_proof + 2].copy_from_slice(&u16::MAX.to_le_bytes());
    assert!(matches!(
        Ballot::from_bytes(&proof_len, s.e.keys.layout()),
        Err(Error::Encoding(EncodingError::Truncated { .. }))
    ));
    let mut branches = header(MessageKind::RangeProof);
    branches.extend_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(
        RangeProof::from_bytes(&branches),
        Err(out_of_bounds(65535, 1024))
    );
    // A spoiled ballot claiming 2^32 − 1 bytes of ballot.
    let mut spoiled = header(MessageKind::SpoiledBallot);
    spoiled.extend_from_slice(&u32::MAX.to_le_bytes());
    spoiled.extend_from_slice(&ballot);
    assert!(matches!(
        SpoiledBallot::from_bytes(&spoiled, s.e.keys.layout()),
        Err(Error::Encoding(EncodingError::Truncated { .. }))
    ));
    // An issuance report claiming 2^32 − 1 representatives.
    let mut report = header(MessageKind::IssuanceReport);
    report.extend_from_slice(&s.e.context);
    report.extend_from_slice(&u32::MAX.to_le_bytes());
    report.extend_from_slice(&[4, b'r', b'e', b'p', b'0']);
    assert!(matches!(
        IssuanceReport::from_bytes(&report),
        Err(EncodingError::Truncated { .. })
    ));
    // Aggregate, totals, decryption share: width 65535.
    let mut aggregate = header(MessageKind::Aggregate);
    aggregate.extend_from_slice(&u64::MAX.to_le_bytes());
    aggregate.extend_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(
        Aggregate::from_bytes(&aggregate),
        Err(out_of_bounds(65535, 4096))
    );
    let mut totals = header(MessageKind::Totals);
    totals.extend_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(Totals::from_bytes(&totals), Err(out_of_bounds(65535, 4096)));
    let mut share = header(MessageKind::DecryptionShare);
    share.extend_from_slice(&1u16.to_le_bytes());
    share.extend_from_slice(&[0; 32]);
    share.extend_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(
        DecryptionShare::from_bytes(&share),
        Err(out_of_bounds(65535, 4096))
    );
    // A round-1 package with a threshold of 65535 (a polynomial of that degree).
    let mut round1 = header(MessageKind::DkgRound1);
    round1.extend_from_slice(&1u16.to_le_bytes());
    round1.extend_from_slice(&u16::MAX.to_le_bytes());
    assert_eq!(
        round1::Package::from_bytes(&round1),
        Err(out_of_bounds(65535, 255))
    );
    // A paper count of 2^32 − 1 voters and of width 65535.
    let mut paper = header(MessageKind::OfflineCount);
    paper.extend_from_slice(&u32::MAX.to_le_bytes());
    paper.extend_from_slice(&1u16.to_le_bytes());
    assert!(matches!(
        OfflineCount::from_bytes(&paper),
        Err(EncodingError::CountOutOfBounds { .. })
    ));
    let mut paper = header(MessageKind::OfflineCount);
    paper.extend_from_slice(&1u32.to_le_bytes());
    paper.extend_from_slice(&u16::MAX.to_le_bytes());
    assert!(matches!(
        OfflineCount::from_bytes(&paper),
        Err(EncodingError::CountOutOfBounds { .. })
    ));
    // Outcomes: an election whose candidate lists claim 65535 entries, an evaluation of
    // 65535 subjects by 65535 indicators.
    let mut outcomes = header(MessageKind::Outcomes);
    outcomes.extend_from_slice(&20u32.to_le_bytes());
    outcomes.extend_from_slice(&14u32.to_le_bytes());
    outcomes.extend_from_slice(&[1, 1, 2]);
    outcomes.extend_from_slice(&u16::MAX.to_le_bytes());
    assert!(matches!(
        Outcomes::from_bytes(&outcomes),
        Err(EncodingError::CountOutOfBounds { .. } | EncodingError::Truncated { .. })
    ));
    let mut outcomes = header(MessageKind::Outcomes);
    outcomes.extend_from_slice(&20u32.to_le_bytes());
    outcomes.extend_from_slice(&14u32.to_le_bytes());
    outcomes.extend_from_slice(&[1, 1, 3]);
    outcomes.extend_from_slice(&u16::MAX.to_le_bytes());
    outcomes.extend_from_slice(&u16::MAX.to_le_bytes());
    assert!(matches!(
        Outcomes::from_bytes(&outcomes),
        Err(EncodingError::CountOutOfBounds { .. } | EncodingError::Truncated { .. })
    ));
    // The close has no count to inflate, only its fixed 14 bytes.
    let close = Close {
        present: u32::MAX,
        closed_at: u64::MAX,
    }
    .to_bytes();
    assert_eq!(close.len(), 14);
    assert!(matches!(
        Close::from_bytes(&close[..13]),
        Err(EncodingError::Truncated { .. })
    ));
    // A manifest whose every text and list length is at its largest, with nothing behind.
    let manifest = &s.p.payloads[0];
    let title_len_at = 2 + 2 + s.e.manifest.election_id.len();
    let mut long = manifest[..title_len_at.min(manifest.len())].to_vec();
    long.extend_from_slice(&[0xff; 8]);
    assert!(Manifest::from_bytes(&long).is_err());
    // Nested: a record whose payload is a ballot claiming the largest widths is refused
    // by the decoder as not of the election's shape (under `ballots`); one of the right
    // shape with nothing behind its first width is reported under `encoding`.
    let record = chain(&[s.p.payloads[0].clone(), huge.clone()]);
    let report = verify(&record, &mut rng);
    assert!(matches!(
        failed(&report, CheckId::Ballots),
        Error::InvalidBallots { .. }
    ));
    let record = chain(&[s.p.payloads[0].clone(), empty.clone()]);
    let report = verify(&record, &mut rng);
    assert!(matches!(
        failed(&report, CheckId::Encoding),
        Error::Encoding(_)
    ));
}

// ---------------------------------------------------------------------------------------
// Spoiled ciphertexts recast (a regression test for a ballot-box bug found here).

/// A voter spoils a ballot (its openings are then public), then casts a ballot that
/// reuses a spoiled ciphertext with a fresh, valid proof: the device knows its
/// randomness, so the proofs verify and the ballot hash is new. SPEC.md §14.3 makes such a
/// record invalid (`spoiled_not_counted`), so a box that accepted it would let any voter
/// invalidate the election. The box refuses it (`SpoiledBallotCounted`), as it refuses to
/// spoil a ballot that reuses a counted ciphertext.
#[test]
fn spoiled_ciphertext_recast_with_fresh_proofs() {
    let s = small();
    let mut rng = rng(39);
    let voter = sitting::check_in(&s.e, 511, &mut rng);
    let votes = sitting::votes_of(8);
    let (ballot, secrets) =
        Ballot::cast(&s.e.manifest, &s.e.keys, &voter, &votes, &mut rng).unwrap();
    let spoiled = SpoiledBallot::new(ballot.clone(), secrets);
    let mut ballot_box = open_box(s);
    ballot_box.spoil(&spoiled.to_bytes()).unwrap();
    // The spoiled ballot itself, and the same ballot re-signed (same hash).
    assert_eq!(
        ballot_box.accept(&ballot.to_bytes()),
        Err(Error::SpoiledBallotCounted)
    );
    // Its ciphertexts proved afresh: a forger that reuses the spoiled randomness.
    let recast = recast_spoiled(s, &voter, &spoiled, &mut rng);
    let recast_ballot = Ballot::from_bytes(&recast, s.e.keys.layout()).unwrap();
    assert!(recast_ballot.verify(&s.e.keys).is_ok());
    assert_ne!(recast_ballot.hash(), ballot.hash());
    assert_eq!(recast_ballot.ciphertexts(), ballot.ciphertexts());
    assert_eq!(ballot_box.accept(&recast), Err(Error::SpoiledBallotCounted));
    // The record the box would have published is invalid: the reason for the refusal.
    let mut w = sitting::setup_record(&s.e);
    let report_at = positions(&s.p.payloads, MessageKind::IssuanceReport)[0];
    w.append(&s.p.payloads[report_at]).unwrap();
    w.append(&spoiled.to_bytes()).unwrap();
    w.append(&recast).unwrap();
    let report = verify(w.as_bytes(), rng.clone());
    assert_eq!(
        failed(&report, CheckId::SpoiledNotCounted),
        &Error::SpoiledBallotCounted
    );
    // A fresh encryption under the same credential is accepted, as SPEC.md §12.4 says.
    let fresh = cast(s, &voter, 8, &mut rng);
    assert!(ballot_box.accept(&fresh.to_bytes()).is_ok());

    // The other way round: a counted ballot's ciphertexts cannot be spoiled (by the
    // voter who knows their randomness) under a new hash.
    let other = sitting::check_in(&s.e, 512, &mut rng);
    let (counted, secrets) =
        Ballot::cast(&s.e.manifest, &s.e.keys, &other, &votes, &mut rng).unwrap();
    ballot_box.accept(&counted.to_bytes()).unwrap();
    let spoiled_counted = SpoiledBallot::new(counted.clone(), secrets);
    assert_eq!(
        ballot_box.spoil(&spoiled_counted.to_bytes()),
        Err(Error::SpoiledBallotCounted)
    );
    assert_eq!(ballot_box.len(), 2);
    assert_eq!(ballot_box.spoiled(), 1);
}

/// The spoiled ballot's ciphertexts, re-proved with their published openings and signed
/// again by the voter: a valid ballot with the spoiled ciphertexts and a new hash.
fn recast_spoiled(
    s: &Small,
    voter: &Credential,
    spoiled: &SpoiledBallot,
    rng: &mut ChaCha20Rng,
) -> Vec<u8> {
    let bytes = spoiled.to_bytes();
    let width = s.e.keys.width();
    let mut openings = (0..width).map(|k| {
        let at = bytes.len() - (width - k) * 33;
        (
            i64::from(bytes[at]),
            Randomness::from_bytes(&bytes[at + 1..at + 33]).unwrap(),
        )
    });
    let rows: Vec<Vec<(Ciphertext, Randomness, i64)>> = spoiled
        .ballot()
        .answers()
        .iter()
        .map(|answer| {
            answer
                .ciphertexts()
                .iter()
                .map(|ct| {
                    let (value, r) = openings.next().unwrap();
                    (*ct, r, value)
                })
                .collect()
        })
        .collect();
    prove_and_sign(&s.e.manifest, &s.e.keys, voter, &rows, rng)
}
