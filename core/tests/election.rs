//! A congress end to end: manifest, key ceremony, check-in, ballots, ballot box,
//! aggregate-only threshold decryption, congress rules. And the attacks the ballot box
//! must refuse.

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

use secret_ballot::Error;
use secret_ballot::ballot::{Ballot, ElectionKeys, MotionVote, SpoiledBallot, Vote};
use secret_ballot::ballot_box::BallotBox;
use secret_ballot::credential::{PseudonymSecret, VoterAwaitingCommit, VoterId};
use secret_ballot::rules::{CandidateCounts, EvaluationCounts, election, resolution};
use secret_ballot::threshold::combine;

use sitting::{Election, check_in, setup, votes_of};

fn run_congress(roster: u32, present: u32, seed: u8) {
    let mut rng = common::rng(seed);
    let e = setup(&mut rng, roster);
    let mut ballot_box = BallotBox::new(e.keys.clone(), e.manifest.revoting);
    let mut expected = vec![0u64; e.keys.width()];
    for v in 0..present {
        let credential = check_in(&e, v, &mut rng);
        let votes = votes_of(v);
        let (ballot, _) =
            Ballot::cast(&e.manifest, &e.keys, &credential, &votes, &mut rng).unwrap();
        let receipt = ballot_box.accept(&ballot.to_bytes()).unwrap();
        assert_eq!(receipt.tracking_code, ballot.tracking_code());
        let mut offset = 0;
        for (q, vote) in votes.iter().enumerate() {
            for (k, bit) in vote
                .bits(&e.manifest.questions[q], q)
                .unwrap()
                .into_iter()
                .enumerate()
            {
                expected[offset + k] += bit;
            }
            offset += e.manifest.questions[q].width();
        }
    }
    ballot_box.close();
    let report = e
        .issuer
        .report(
            &e.context,
            &secret_ballot::credential::ReportKeypair::generate(&mut rng),
            &mut rng,
        )
        .unwrap();
    assert!(ballot_box.len() <= report.count());

    // Trustees 1, 2 and 4 decrypt; 3 and 5 are absent.
    let aggregate = ballot_box.aggregate().unwrap();
    let rows = ballot_box.rows();
    let floor = u64::from(e.manifest.privacy_floor);
    let shares: Vec<_> = [0usize, 1, 3]
        .iter()
        .map(|&i| {
            e.shares[i]
                .decrypt_aggregate(&rows, &aggregate, floor, &mut rng)
                .unwrap()
        })
        .collect();
    let tally = combine(e.shares[0].public(), &e.context, &aggregate, &shares).unwrap();
    assert_eq!(tally.totals, expected);

    // The rules.
    let (n, p) = (u64::from(roster), u64::from(present));
    let t = &tally.totals;
    for motion in 0..3 {
        let r = resolution(
            t[3 * motion],
            t[3 * motion + 1],
            t[3 * motion + 2],
            n,
            p,
            &e.manifest.quorum,
            &e.manifest.pass,
        );
        assert_eq!(r.quorum, 3 * p >= 2 * n);
        assert_eq!(r.passed, r.quorum && 2 * t[3 * motion] > n);
    }
    let candidates: Vec<CandidateCounts> = (0..7)
        .map(|c| CandidateCounts {
            yes: t[9 + 3 * c],
            no: t[10 + 3 * c],
            abstain: t[11 + 3 * c],
        })
        .collect();
    let outcome = election(
        &candidates,
        5,
        n,
        p,
        &e.manifest.quorum,
        &e.manifest.pass,
        e.manifest.tie,
        e.manifest.shortfall,
    )
    .unwrap();
    assert!(outcome.elected.len() <= 5);
    if 3 * p < 2 * n {
        assert!(outcome.elected.is_empty());
    }
    for s in 0..4 {
        let counts = EvaluationCounts {
            levels: t[30 + 4 * s..33 + 4 * s].to_vec(),
            blank: t[33 + 4 * s],
        };
        assert_eq!(counts.valid() + counts.blank, p);
        assert!(counts.indicator(&[0, 1]).unwrap().basis_points().is_some());
    }
}

#[test]
fn congress_of_300_with_240_present() {
    run_congress(300, 240, 1);
}

#[test]
fn quorum_not_met_199_of_300() {
    run_congress(300, 199, 2);
}

#[test]
fn the_ballot_box_refuses_attacks() {
    let mut rng = common::rng(3);
    let e = setup(&mut rng, 30);
    let mut ballot_box = BallotBox::new(e.keys.clone(), false);
    let alice = check_in(&e, 1, &mut rng);
    let bob = check_in(&e, 2, &mut rng);
    let (ballot, _) = Ballot::cast(&e.manifest, &e.keys, &alice, &votes_of(1), &mut rng).unwrap();
    let bytes = ballot.to_bytes();
    assert!(ballot_box.accept(&bytes).is_ok());
    // Idempotent for the same bytes.
    assert_eq!(
        ballot_box.accept(&bytes).unwrap().tracking_code,
        ballot.tracking_code()
    );
    // Double vote with one credential.
    let (again, _) = Ballot::cast(&e.manifest, &e.keys, &alice, &votes_of(2), &mut rng).unwrap();
    assert_eq!(
        ballot_box.accept(&again.to_bytes()),
        Err(Error::DuplicatePseudonym)
    );

    // Copying Alice's ciphertexts under Bob's credential: re-sign a ballot whose
    // ciphertexts and proofs are Alice's but whose pseudonym is Bob's.
    let (bobs, _) = Ballot::cast(&e.manifest, &e.keys, &bob, &votes_of(2), &mut rng).unwrap();
    let mut copied = bobs.to_bytes();
    let alice_bytes = ballot.to_bytes();
    let answers_at = 2 + 32 + 162;
    let answers_len = alice_bytes.len() - answers_at - 66;
    assert_eq!(copied.len(), alice_bytes.len());
    copied[answers_at..answers_at + answers_len]
        .copy_from_slice(&alice_bytes[answers_at..answers_at + answers_len]);
    assert!(matches!(
        ballot_box.accept(&copied),
        Err(Error::InvalidBallotSignature | Error::InvalidBallotProof { .. })
    ));

    // Content changed after signing: flip a ciphertext bit (still a valid point?) — any
    // change is refused, by decoding or by verification.
    for offset in [
        answers_at + 3 + 40,
        answers_at + 3 + 64 * 3 + 2 + 100,
        alice_bytes.len() - 10,
    ] {
        let mut changed = bobs.to_bytes();
        changed[offset] ^= 1;
        assert!(ballot_box.accept(&changed).is_err(), "offset {offset}");
    }

    // A ballot from another election (same authorities, another election id).
    let mut other_manifest = e.manifest.clone();
    other_manifest.election_id = b"another-election".to_vec();
    let other_keys = ElectionKeys::new(&other_manifest, e.keys.election_key).unwrap();
    let (foreign, _) =
        Ballot::cast(&other_manifest, &other_keys, &bob, &votes_of(3), &mut rng).unwrap();
    // Bob's credential is valid here, but the signature and proofs are bound to the other
    // election's context.
    assert_eq!(
        ballot_box.accept(&foreign.to_bytes()),
        Err(Error::InvalidBallotSignature)
    );
    // A credential issued for the other election does not verify here at all.
    let other_context = other_manifest.context().unwrap();
    let id = VoterId::new(b"rep-9999").unwrap();
    let commit = e.issuer.commit(&other_context, &id, 0, &mut rng).unwrap();
    let request = VoterAwaitingCommit::new(
        e.manifest.issuer_key,
        other_context,
        PseudonymSecret::generate(&mut rng),
    );
    let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
    let foreign_credential = pending
        .finalize(&e.issuer.respond(&challenge, &id, 1).unwrap())
        .unwrap();
    let (foreign, _) = Ballot::cast(
        &e.manifest,
        &e.keys,
        &foreign_credential,
        &votes_of(3),
        &mut rng,
    )
    .unwrap();
    assert_eq!(
        ballot_box.accept(&foreign.to_bytes()),
        Err(Error::InvalidCredential)
    );

    // Bob's honest ballot is accepted; after close, nothing is.
    assert!(ballot_box.accept(&bobs.to_bytes()).is_ok());
    ballot_box.close();
    let carol = check_in(&e, 3, &mut rng);
    let (late, _) = Ballot::cast(&e.manifest, &e.keys, &carol, &votes_of(3), &mut rng).unwrap();
    assert_eq!(
        ballot_box.accept(&late.to_bytes()),
        Err(Error::BallotBoxClosed)
    );
    assert_eq!(ballot_box.len(), 2);

    // Malformed bytes.
    assert!(matches!(
        ballot_box_open(&e).accept(&bytes[..100]),
        Err(Error::Encoding(_))
    ));
}

fn ballot_box_open(e: &Election) -> BallotBox {
    BallotBox::new(e.keys.clone(), false)
}

#[test]
fn invalid_votes_are_refused_before_encryption() {
    let mut rng = common::rng(4);
    let e = setup(&mut rng, 30);
    let alice = check_in(&e, 1, &mut rng);
    let mut votes = votes_of(1);
    votes[3] = Vote::Election(vec![MotionVote::For; 7]); // 7 "for" for 5 seats
    assert_eq!(
        Ballot::cast(&e.manifest, &e.keys, &alice, &votes, &mut rng).unwrap_err(),
        Error::InvalidVote { question: 3 }
    );
    let mut votes = votes_of(1);
    votes[4] = Vote::Evaluation(vec![Some(3), None, None, None]);
    assert_eq!(
        Ballot::cast(&e.manifest, &e.keys, &alice, &votes, &mut rng).unwrap_err(),
        Error::InvalidVote { question: 4 }
    );
    let mut votes = votes_of(1);
    votes.swap(0, 3);
    assert!(matches!(
        Ballot::cast(&e.manifest, &e.keys, &alice, &votes, &mut rng),
        Err(Error::InvalidVote { .. })
    ));
    assert_eq!(
        Ballot::cast(&e.manifest, &e.keys, &alice, &votes_of(1)[..4], &mut rng).unwrap_err(),
        Error::BallotShape
    );
}

/// Keys with the election key's table cast exactly the ballots keys without it cast
/// (all five question kinds, 5-of-7 included), and the ballot box accepts them.
#[test]
fn precomputed_encryption_casts_the_same_ballots() {
    let mut rng = common::rng(6);
    let e = setup(&mut rng, 30);
    let alice = check_in(&e, 1, &mut rng);
    let precomputed = e.keys.clone().precompute_encryption();
    for voter in 1..4 {
        let (plain, _) = Ballot::cast(
            &e.manifest,
            &e.keys,
            &alice,
            &votes_of(voter),
            &mut common::rng(9),
        )
        .unwrap();
        let (fast, _) = Ballot::cast(
            &e.manifest,
            &precomputed,
            &alice,
            &votes_of(voter),
            &mut common::rng(9),
        )
        .unwrap();
        assert_eq!(plain.to_bytes(), fast.to_bytes());
        let mut ballot_box = BallotBox::new(precomputed.clone(), true);
        ballot_box.accept(&fast.to_bytes()).unwrap();
    }
    // Keys whose public election key was replaced after precomputing do not use the
    // stale table: the ballot is made, and checked, under the new key.
    let other = setup(&mut rng, 30);
    let mut mixed = precomputed.clone();
    mixed.election_key = other.keys.election_key;
    let (ballot, _) = Ballot::cast(&e.manifest, &mixed, &alice, &votes_of(1), &mut rng).unwrap();
    BallotBox::new(mixed, true)
        .accept(&ballot.to_bytes())
        .unwrap();
}

#[test]
fn revoting_replaces_and_the_last_ballot_counts() {
    let mut rng = common::rng(5);
    let e = setup(&mut rng, 30);
    let mut ballot_box = BallotBox::new(e.keys.clone(), true);
    let alice = check_in(&e, 1, &mut rng);
    let (first, _) = Ballot::cast(&e.manifest, &e.keys, &alice, &votes_of(1), &mut rng).unwrap();
    let (second, _) = Ballot::cast(&e.manifest, &e.keys, &alice, &votes_of(2), &mut rng).unwrap();
    assert!(!ballot_box.accept(&first.to_bytes()).unwrap().replaced);
    assert!(ballot_box.accept(&second.to_bytes()).unwrap().replaced);
    assert_eq!(ballot_box.len(), 1);
    assert_eq!(ballot_box.ballots().next().unwrap(), &second);
}

#[test]
fn spoiled_ballots_reveal_their_plaintext_and_are_checked() {
    let mut rng = common::rng(6);
    let e = setup(&mut rng, 30);
    let alice = check_in(&e, 1, &mut rng);
    let votes = votes_of(7);
    let (ballot, secrets) = Ballot::cast(&e.manifest, &e.keys, &alice, &votes, &mut rng).unwrap();
    let spoiled = SpoiledBallot::new(ballot, secrets);
    let plaintexts = spoiled.verify(&e.keys).unwrap();
    for (q, vote) in votes.iter().enumerate() {
        assert_eq!(
            plaintexts[q],
            vote.bits(&e.manifest.questions[q], q).unwrap()
        );
    }
    let bytes = spoiled.to_bytes();
    assert_eq!(
        SpoiledBallot::from_bytes(&bytes, e.keys.layout()).unwrap(),
        spoiled
    );
    // A lying device: one opening changed.
    let mut lie = bytes.clone();
    let last = lie.len() - 33;
    lie[last] ^= 1;
    assert!(
        SpoiledBallot::from_bytes(&lie, e.keys.layout())
            .map(|s| s.verify(&e.keys).is_err())
            .unwrap_or(true)
    );
    assert!(
        format!(
            "{:?}",
            Ballot::cast(&e.manifest, &e.keys, &alice, &votes, &mut rng)
                .unwrap()
                .1
        )
        .contains("<redacted>")
    );
}

#[test]
fn batch_verification_of_ballots_matches_single() {
    use secret_ballot::proofs::BatchVerifier;
    let mut rng = common::rng(7);
    let e = setup(&mut rng, 30);
    let ballots: Vec<Ballot> = (0..4)
        .map(|v| {
            Ballot::cast(
                &e.manifest,
                &e.keys,
                &check_in(&e, v, &mut rng),
                &votes_of(v),
                &mut rng,
            )
            .unwrap()
            .0
        })
        .collect();
    let mut batch = BatchVerifier::new(&mut rng);
    for b in &ballots {
        b.verify(&e.keys).unwrap();
        b.queue(&e.keys, &mut batch).unwrap();
    }
    assert!(batch.vartime_verify().is_ok());
    // One altered ballot: both fail.
    let mut bytes = ballots[2].to_bytes();
    let n = bytes.len();
    bytes[n - 1] ^= 1;
    if let Ok(bad) = Ballot::from_bytes(&bytes, e.keys.layout()) {
        assert!(bad.verify(&e.keys).is_err());
        let mut batch = BatchVerifier::new(&mut rng);
        for b in ballots.iter().take(2) {
            b.queue(&e.keys, &mut batch).unwrap();
        }
        let _ = bad.queue(&e.keys, &mut batch);
        assert!(batch.vartime_verify().is_err());
    }
}

#[test]
fn an_over_vote_is_refused_by_the_ballot_box() {
    // A cheating device casts 7 "for" for 5 seats: it proves the election group against
    // its own, looser manifest (seats = 7) while binding everything else to the real
    // election. The ballot box checks the real group [0, 5] and refuses.
    let mut rng = common::rng(8);
    let e = setup(&mut rng, 30);
    let alice = check_in(&e, 1, &mut rng);
    let mut loose = e.manifest.clone();
    if let secret_ballot::manifest::Question::Election { seats, .. } = &mut loose.questions[3] {
        *seats = 7;
    }
    let mut cheat_keys = ElectionKeys::new(&loose, e.keys.election_key).unwrap();
    cheat_keys.context = e.keys.context;
    cheat_keys.z = e.keys.z;
    let mut votes = votes_of(1);
    votes[3] = Vote::Election(vec![MotionVote::For; 7]);
    let (over_vote, _) = Ballot::cast(&loose, &cheat_keys, &alice, &votes, &mut rng).unwrap();
    let mut ballot_box = BallotBox::new(e.keys.clone(), false);
    assert_eq!(
        ballot_box.accept(&over_vote.to_bytes()),
        Err(Error::InvalidBallotProof { question: 3 })
    );
    assert!(ballot_box.is_empty());
}

/// The base transcript of a ballot (SPEC.md §12.2), rebuilt from the public transcript
/// API: what [`queue_answer`] is given.
fn base_transcript(keys: &ElectionKeys, ballot: &Ballot) -> secret_ballot::merlin::Transcript {
    use secret_ballot::transcript::{election_transcript, labels};
    let mut t = election_transcript(&keys.context);
    t.append_message(labels::DOM_SEP, labels::BALLOT);
    t.append_message(labels::BALLOT_KEY, &ballot.pseudonym().to_bytes());
    for answer in ballot.answers() {
        t.append_u64(labels::COUNT, answer.ciphertexts().len() as u64);
        for c in answer.ciphertexts() {
            t.append_message(labels::CIPHERTEXT, &c.to_bytes());
        }
    }
    t
}

/// Folding a group sum's and a derived ciphertext's coefficients into the sent
/// ciphertexts' terms (SPEC.md §6.5, §12.2) checks the same equations: a congress
/// ballot's answers (motions, an election with its "for" group, an evaluation) pass
/// batched, one answer at a time; an answer whose sent ciphertext was re-randomised
/// (derived ciphertext recomputed, so the answer is consistent) fails, as it does alone;
/// an answer whose derived ciphertext is not what its sent ones make is refused before
/// anything is queued.
#[test]
fn folded_answers_batch_as_the_proofs_do_alone() {
    use secret_ballot::ballot::{Answer, queue_answer};
    use secret_ballot::proofs::BatchVerifier;
    let mut rng = common::rng(11);
    let e = setup(&mut rng, 30);
    let credential = check_in(&e, 3, &mut rng);
    let (ballot, _) =
        Ballot::cast(&e.manifest, &e.keys, &credential, &votes_of(3), &mut rng).unwrap();
    let base = base_transcript(&e.keys, &ballot);
    let shapes = e.keys.layout().questions();
    let mut batch = BatchVerifier::new(&mut rng);
    for (q, answer) in ballot.answers().iter().enumerate() {
        queue_answer(&e.keys, &base, q, answer, &mut batch).unwrap();
    }
    assert!(batch.vartime_verify().is_ok());

    for (q, (answer, shape)) in ballot.answers().iter().zip(shapes).enumerate() {
        let sent: Vec<_> = answer
            .ciphertexts()
            .iter()
            .enumerate()
            .filter(|(p, _)| !shape.is_derived(*p))
            .map(|(_, c)| *c)
            .collect();
        for i in 0..sent.len() {
            let mut moved = sent.clone();
            moved[i] = e.keys.election_key.rerandomize(&moved[i], &mut rng).0;
            let tampered = Answer::new(
                shape.complete(&moved).unwrap(),
                answer.bit_proofs().to_vec(),
                answer.group_proofs().to_vec(),
            );
            let mut batch = BatchVerifier::new(&mut rng);
            // The transcript is the honest one: only the statement moved.
            let queued = queue_answer(&e.keys, &base, q, &tampered, &mut batch);
            assert!(
                queued.is_err() || batch.vartime_verify().is_err(),
                "q{q} sent {i}"
            );
        }
        // A derived ciphertext that the sent ones do not make.
        if let Some(d) = (0..shape.width()).find(|&p| shape.is_derived(p)) {
            let mut cts = answer.ciphertexts().to_vec();
            cts[d] = e.keys.election_key.rerandomize(&cts[d], &mut rng).0;
            let inconsistent = Answer::new(
                cts,
                answer.bit_proofs().to_vec(),
                answer.group_proofs().to_vec(),
            );
            let mut batch = BatchVerifier::new(&mut rng);
            assert_eq!(
                queue_answer(&e.keys, &base, q, &inconsistent, &mut batch),
                Err(Error::BallotShape)
            );
            assert!(batch.is_empty());
        }
    }
}

/// Keys of another manifest, whose first question has another width: refused before
/// anything is encrypted, not cast with positions the keys' layout does not have.
#[test]
fn casting_with_keys_of_another_shape_is_refused() {
    use secret_ballot::manifest::Question;
    let mut rng = common::rng(12);
    let e = setup(&mut rng, 30);
    let mut other = e.manifest.clone();
    other.questions[0] = Question::Choice {
        title: "four options".into(),
        options: (0..4).map(|i| format!("option {i}")).collect(),
        min: 1,
        max: 1,
    };
    let keys = ElectionKeys::new(&other, e.keys.election_key).unwrap();
    let credential = check_in(&e, 4, &mut rng);
    assert_eq!(
        Ballot::cast(&e.manifest, &keys, &credential, &votes_of(4), &mut rng).map(|_| ()),
        Err(Error::BallotShape)
    );
}
