//! The key ceremony and aggregate-only threshold decryption, honest and malicious.

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

use common::{CONTEXT, rng};
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::Error;
use secret_ballot::curve25519_dalek::ristretto::RistrettoPoint;
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::elgamal::{Ciphertext, DlogTable, Keypair, PublicKey, SecretKey};
use secret_ballot::threshold::dkg::{self, Complaint, ComplaintAnswer, round1, round2};
use secret_ballot::threshold::{
    Aggregate, CeremonyParameters, DecryptionShare, KeyShare, PublicKeyPackage, combine,
};

struct Ceremony {
    params: CeremonyParameters,
    long_term: Vec<SecretKey>,
    round1: Vec<round1::Package>,
    round2: Vec<round2::Package>,
    shares: Vec<KeyShare>,
    public: PublicKeyPackage,
}

fn parameters(n: u16, t: u16, rng: &mut ChaCha20Rng) -> (CeremonyParameters, Vec<SecretKey>) {
    let long_term: Vec<SecretKey> = (0..n).map(|_| SecretKey::generate(rng)).collect();
    let keys: Vec<PublicKey> = long_term.iter().map(SecretKey::public_key).collect();
    (
        CeremonyParameters::new(CONTEXT, t, keys).unwrap(),
        long_term,
    )
}

fn run_ceremony(n: u16, t: u16, seed: u8) -> Ceremony {
    let mut rng = rng(seed);
    let (params, long_term) = parameters(n, t, &mut rng);
    let done = ceremony::honest(&params, &long_term, &mut rng);
    assert_eq!(done.public.qualified().len(), usize::from(n));
    for share in &done.shares {
        assert_eq!(
            share.public(),
            &done.public,
            "every trustee computes the same public result"
        );
    }
    Ceremony {
        params,
        long_term,
        round1: done.round1,
        round2: done.round2,
        shares: done.shares,
        public: done.public,
    }
}

/// Ballots of `width` bits; returns them with the expected totals.
fn ballots(
    public: &PublicKey,
    count: usize,
    width: usize,
    seed: u8,
) -> (Vec<Vec<Ciphertext>>, Vec<u64>) {
    let mut rng = rng(seed);
    let mut totals = vec![0u64; width];
    let ballots = (0..count)
        .map(|b| {
            let choice = (b * 7 + 3) % width;
            totals[choice] += 1;
            (0..width)
                .map(|k| public.encrypt(u64::from(k == choice), &mut rng).0)
                .collect()
        })
        .collect();
    (ballots, totals)
}

fn decrypt_with(
    c: &Ceremony,
    trustees: &[u16],
    ballots: &[Vec<Ciphertext>],
    aggregate: &Aggregate,
) -> Result<secret_ballot::threshold::Tally, Error> {
    let mut rng = rng(99);
    let shares: Vec<DecryptionShare> = trustees
        .iter()
        .map(|&i| {
            c.shares[usize::from(i) - 1]
                .decrypt_aggregate(ballots, aggregate, 3, &mut rng)
                .unwrap()
        })
        .collect();
    combine(&c.public, &CONTEXT, aggregate, &shares)
}

#[test]
fn ceremonies_end_to_end() {
    for (n, t) in [(1u16, 1u16), (3, 2), (5, 3), (7, 4)] {
        let c = run_ceremony(n, t, n as u8);
        let (ballots, totals) = ballots(c.public.election_key(), 9, 3, 1);
        let aggregate = Aggregate::from_ballots(&ballots, 3).unwrap();
        let first: Vec<u16> = (1..=t).collect();
        let tally = decrypt_with(&c, &first, &ballots, &aggregate).unwrap();
        assert_eq!(tally.totals, totals, "({n}, {t})");
        assert_eq!(tally.trustees, first);
        let last: Vec<u16> = (n - t + 1..=n).collect();
        assert_eq!(
            decrypt_with(&c, &last, &ballots, &aggregate)
                .unwrap()
                .totals,
            totals
        );
        // All n shares: any t of them are used, the result is the same.
        let all: Vec<u16> = (1..=n).collect();
        assert_eq!(
            decrypt_with(&c, &all, &ballots, &aggregate).unwrap().totals,
            totals
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_t_subset_decrypts_the_same_totals(mask in 0u8..32) {
        static CEREMONY: std::sync::OnceLock<(Ceremony, Vec<Vec<Ciphertext>>, Vec<u64>)> = std::sync::OnceLock::new();
        let (c, ballots, totals) = CEREMONY.get_or_init(|| {
            let c = run_ceremony(5, 3, 53);
            let (b, t) = ballots(c.public.election_key(), 7, 4, 2);
            (c, b, t)
        });
        let subset: Vec<u16> = (1..=5u16).filter(|i| mask & (1 << (i - 1)) != 0).collect();
        let aggregate = Aggregate::from_ballots(ballots, 4).unwrap();
        let result = decrypt_with(c, &subset, ballots, &aggregate);
        if subset.len() >= 3 {
            prop_assert_eq!(&result.unwrap().totals, totals);
        } else {
            prop_assert!(
                matches!(result, Err(Error::NotEnoughShares { valid, needed: 3, .. }) if valid == subset.len()),
                "subset {:?} gave {:?}", subset, result
            );
        }
    }
}

#[test]
fn t_minus_one_shares_interpolate_to_the_wrong_value() {
    let c = run_ceremony(5, 3, 60);
    let (ballots, totals) = ballots(c.public.election_key(), 5, 2, 3);
    let aggregate = Aggregate::from_ballots(&ballots, 2).unwrap();
    let mut rng = rng(61);
    let shares: Vec<DecryptionShare> = [2u16, 4]
        .iter()
        .map(|&i| {
            c.shares[usize::from(i) - 1]
                .decrypt_aggregate(&ballots, &aggregate, 1, &mut rng)
                .unwrap()
        })
        .collect();
    // Interpolating with only t − 1 = 2 shares, by hand.
    let lambda = |i: u64, others: &[u64]| -> Scalar {
        others
            .iter()
            .filter(|&&j| j != i)
            .fold(Scalar::ONE, |acc, &j| {
                acc * Scalar::from(j) * (Scalar::from(j) - Scalar::from(i)).invert()
            })
    };
    let table = DlogTable::new(1000).unwrap();
    for (k, ct) in aggregate.ciphertexts().iter().enumerate() {
        let combined: RistrettoPoint = shares
            .iter()
            .map(|s| {
                s.partial_decryptions().nth(k).unwrap().point()
                    * lambda(u64::from(s.trustee()), &[2, 4])
            })
            .sum();
        let m = ct.b().point() - combined;
        assert_ne!(
            table.vartime_lookup(&m),
            Ok(totals[k]),
            "t − 1 shares must not decrypt"
        );
    }
}

#[test]
fn refuses_below_privacy_floor_and_mismatched_aggregates() {
    let c = run_ceremony(3, 2, 70);
    let (ballots, _) = ballots(c.public.election_key(), 4, 2, 4);
    let aggregate = Aggregate::from_ballots(&ballots, 2).unwrap();
    let mut rng = rng(71);
    let trustee = &c.shares[0];
    assert_eq!(
        trustee
            .decrypt_aggregate(&ballots, &aggregate, 5, &mut rng)
            .unwrap_err(),
        Error::BelowPrivacyFloor {
            ballots: 4,
            floor: 5
        }
    );
    // An "aggregate" that is really one ballot.
    let single = Aggregate::from_ballots(&ballots[..1], 2).unwrap();
    assert_eq!(
        trustee
            .decrypt_aggregate(&ballots, &single, 1, &mut rng)
            .unwrap_err(),
        Error::AggregateMismatch
    );
    // A ballot dropped from what the trustee is shown.
    assert_eq!(
        trustee
            .decrypt_aggregate(&ballots[1..], &aggregate, 1, &mut rng)
            .unwrap_err(),
        Error::AggregateMismatch
    );
    // The same ballot repeated to reach the floor and amplify one vote.
    let repeated = vec![ballots[0].clone(), ballots[0].clone(), ballots[0].clone()];
    assert_eq!(
        Aggregate::from_ballots(&repeated, 2).unwrap_err(),
        Error::AggregateMismatch
    );
    // Ballots of another width.
    assert_eq!(
        Aggregate::from_ballots(&ballots, 3).unwrap_err(),
        Error::AggregateMismatch
    );
    assert!(
        trustee
            .decrypt_aggregate(&ballots, &aggregate, 4, &mut rng)
            .is_ok()
    );
}

#[test]
fn wrong_decryption_shares_are_rejected_and_named() {
    let c = run_ceremony(5, 3, 80);
    let (ballots, totals) = ballots(c.public.election_key(), 6, 3, 5);
    let aggregate = Aggregate::from_ballots(&ballots, 3).unwrap();
    let mut rng = rng(81);
    let mut shares: Vec<DecryptionShare> = (0..5)
        .map(|i| {
            c.shares[i]
                .decrypt_aggregate(&ballots, &aggregate, 1, &mut rng)
                .unwrap()
        })
        .collect();

    // Trustee 2's share for a different aggregate (one ballot fewer).
    let other = Aggregate::from_ballots(&ballots[1..], 3).unwrap();
    shares[1] = c.shares[1]
        .decrypt_aggregate(&ballots[1..], &other, 1, &mut rng)
        .unwrap();
    // Trustee 4's share with a tampered partial decryption (another valid point).
    let mut bytes = shares[3].to_bytes();
    let d_offset = 2 + 2 + 32 + 2;
    bytes[d_offset..d_offset + 32].copy_from_slice(&c.public.election_key().to_bytes());
    shares[3] = DecryptionShare::from_bytes(&bytes).unwrap();

    let tally = combine(&c.public, &CONTEXT, &aggregate, &shares).unwrap();
    assert_eq!(tally.totals, totals);
    assert_eq!(tally.rejected, vec![2, 4]);
    assert_eq!(tally.trustees, vec![1, 3, 5]);

    // With only two honest shares left, decryption fails and names the culprits.
    let err = combine(&c.public, &CONTEXT, &aggregate, &shares[..4]).unwrap_err();
    assert_eq!(
        err,
        Error::NotEnoughShares {
            valid: 2,
            needed: 3,
            culprits: vec![2, 4]
        }
    );
    assert_eq!(err.culprits(), &[2, 4]);

    // A share verified under another election context fails.
    let other_context = [0x99; 32];
    assert!(
        shares[0]
            .verify(&c.public, &other_context, &aggregate)
            .is_err()
    );
}

#[test]
fn a_bad_share_leads_to_a_complaint_and_an_unanswered_complaint_to_disqualification() {
    let mut rng = rng(90);
    let (params, long_term) = parameters(5, 3, &mut rng);
    let (mut s1, round1) = ceremony::first(&params, &mut rng);
    // Trustee 3 cheats: it publishes one polynomial and deals shares of another.
    let (other_secret, _) = dkg::part1(&params, 3, &mut rng).unwrap();
    s1[2] = other_secret;
    let (s2, round2) = ceremony::second(s1, &params, &long_term);
    let complaints: Vec<Complaint> = s2
        .iter()
        .zip(&long_term)
        .flat_map(|(s, k)| dkg::check_shares(s, &params, k, &round1, &round2))
        .collect();
    assert_eq!(complaints.len(), 4);
    assert!(complaints.iter().all(|c| c.accused == 3));
    // The cheater answers with its real (inconsistent) shares: rejected.
    let answers: Vec<ComplaintAnswer> = complaints
        .iter()
        .map(|c| dkg::answer_complaint(&s2[2], &params, c).unwrap())
        .collect();
    let resolution = dkg::resolve(&params, &round1, &complaints, &answers).unwrap();
    assert_eq!(resolution.disqualified(), &[3]);
    assert_eq!(resolution.qualified(), &[1, 2, 4, 5]);
    // Without answers at all, the same.
    assert_eq!(
        dkg::resolve(&params, &round1, &complaints, &[])
            .unwrap()
            .disqualified(),
        &[3]
    );

    // The others complete the ceremony without trustee 3's polynomial, and decrypt.
    let shares: Vec<KeyShare> = [0usize, 1, 3, 4]
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
    let public = shares[0].public().clone();
    assert_eq!(public.qualified(), &[1, 2, 4, 5]);
    let (ballots, totals) = ballots(public.election_key(), 4, 2, 6);
    let aggregate = Aggregate::from_ballots(&ballots, 2).unwrap();
    let ds: Vec<DecryptionShare> = shares
        .iter()
        .take(3)
        .map(|s| {
            s.decrypt_aggregate(&ballots, &aggregate, 1, &mut rng)
                .unwrap()
        })
        .collect();
    assert_eq!(
        combine(&public, &CONTEXT, &aggregate, &ds).unwrap().totals,
        totals
    );
}

#[test]
fn a_false_complaint_is_dismissed_by_a_public_answer() {
    let c = run_ceremony(3, 2, 100);
    let mut rng = rng(101);
    let (params, long_term) = (&c.params, &c.long_term);
    // Rerun rounds 1–2 (the stored ceremony's secrets are consumed); trustee 1 falsely
    // accuses trustee 2, who answers.
    let (s1, round1) = ceremony::first(params, &mut rng);
    let (s2, round2) = ceremony::second(s1, params, long_term);
    let complaint = Complaint {
        accuser: 1,
        accused: 2,
    };
    let answer = dkg::answer_complaint(&s2[1], params, &complaint).unwrap();
    assert_eq!(
        ComplaintAnswer::from_bytes(&answer.to_bytes()).unwrap(),
        answer
    );
    let resolution = dkg::resolve(params, &round1, &[complaint], &[answer]).unwrap();
    assert!(resolution.disqualified().is_empty());
    // Only the accused can answer, and only complaints against itself.
    assert!(dkg::answer_complaint(&s2[0], params, &complaint).is_err());
    // Trustee 1 completes using the revealed share even if its round-2 package is lost.
    let without_2_to_1: Vec<round2::Package> = round2
        .iter()
        .filter(|p| !(p.sender() == 2 && p.recipient() == 1))
        .cloned()
        .collect();
    let share = dkg::part3(
        &s2[0],
        params,
        &long_term[0],
        &round1,
        &without_2_to_1,
        &resolution,
    )
    .unwrap();
    assert_eq!(share.public().qualified(), &[1, 2, 3]);
    let _ = c.round2;
}

#[test]
fn invalid_round1_packages_are_named_and_disqualified() {
    let c = run_ceremony(4, 2, 110);
    // A proof of knowledge moved to another dealer index.
    let mut bytes = c.round1[0].to_bytes();
    bytes[2..4].copy_from_slice(&2u16.to_le_bytes());
    let moved = round1::Package::from_bytes(&bytes).unwrap();
    assert_eq!(
        moved.verify(&c.params).unwrap_err(),
        Error::InvalidCeremonyMessages { culprits: vec![2] }
    );
    // A commitment changed: the proof is bound to every commitment.
    let mut bytes = c.round1[1].to_bytes();
    let c1 = 2 + 4 + 32;
    bytes[c1..c1 + 32].copy_from_slice(&c.public.election_key().to_bytes());
    let changed = round1::Package::from_bytes(&bytes).unwrap();
    assert!(changed.verify(&c.params).is_err());
    let mut packages = c.round1.clone();
    packages[1] = changed;
    let resolution = dkg::resolve(&c.params, &packages, &[], &[]).unwrap();
    assert_eq!(resolution.disqualified(), &[2]);
    // Missing packages: fewer than t qualified fails the ceremony.
    assert_eq!(
        dkg::resolve(&c.params, &c.round1[..1], &[], &[]).unwrap_err(),
        Error::CeremonyFailed {
            qualified: 1,
            threshold: 2
        }
    );
    // Another election's parameters reject the package.
    let other = CeremonyParameters::new(
        [0x55; 32],
        2,
        c.long_term.iter().map(SecretKey::public_key).collect(),
    )
    .unwrap();
    assert!(c.round1[0].verify(&other).is_err());
    // A package with too few commitments.
    let small = run_ceremony(4, 1, 111);
    assert!(small.round1[0].verify(&c.params).is_err());
}

#[test]
fn tampered_encrypted_shares_produce_complaints() {
    let mut rng = rng(120);
    let (params, long_term) = parameters(3, 2, &mut rng);
    let (s1, round1) = ceremony::first(&params, &mut rng);
    let (s2, mut round2) = ceremony::second(s1, &params, &long_term);
    // Flip a bit of the share from 1 to 3; redirect the share from 2 to 3 so it looks as
    // if it came from 1 (authentication: it does not decrypt).
    let idx = round2
        .iter()
        .position(|p| p.sender() == 1 && p.recipient() == 3)
        .unwrap();
    let mut bytes = round2[idx].to_bytes();
    bytes[10] ^= 1;
    round2[idx] = round2::Package::from_bytes(&bytes).unwrap();
    let complaints = dkg::check_shares(&s2[2], &params, &long_term[2], &round1, &round2);
    assert_eq!(
        complaints,
        vec![Complaint {
            accuser: 3,
            accused: 1
        }]
    );
    let mut forged = round2
        .iter()
        .find(|p| p.sender() == 2 && p.recipient() == 3)
        .unwrap()
        .to_bytes();
    forged[2..4].copy_from_slice(&1u16.to_le_bytes());
    round2[idx] = round2::Package::from_bytes(&forged).unwrap();
    assert_eq!(
        dkg::check_shares(&s2[2], &params, &long_term[2], &round1, &round2),
        vec![Complaint {
            accuser: 3,
            accused: 1
        }]
    );
    // Someone else's long-term key cannot read or complete.
    assert!(
        dkg::part3(
            &s2[0],
            &params,
            &long_term[1],
            &round1,
            &round2,
            &dkg::resolve(&params, &round1, &[], &[]).unwrap()
        )
        .is_err()
    );
}

#[test]
fn parameters_and_messages_reject_bad_input() {
    let mut rng = rng(130);
    let keys: Vec<PublicKey> = (0..3)
        .map(|_| *Keypair::generate(&mut rng).public())
        .collect();
    assert!(matches!(
        CeremonyParameters::new(CONTEXT, 0, keys.clone()),
        Err(Error::InvalidThreshold { .. })
    ));
    assert!(matches!(
        CeremonyParameters::new(CONTEXT, 4, keys.clone()),
        Err(Error::InvalidThreshold { .. })
    ));
    assert_eq!(
        CeremonyParameters::new(CONTEXT, 2, vec![keys[0], keys[0]]).unwrap_err(),
        Error::DuplicateTrusteeKey
    );
    let params = CeremonyParameters::new(CONTEXT, 2, keys).unwrap();
    assert_eq!(
        dkg::part1(&params, 0, &mut rng).unwrap_err(),
        Error::UnknownTrustee(0)
    );
    assert_eq!(
        dkg::part1(&params, 4, &mut rng).unwrap_err(),
        Error::UnknownTrustee(4)
    );

    let c = run_ceremony(3, 2, 131);
    for bytes in [
        c.round1[0].to_bytes(),
        c.round2[0].to_bytes(),
        Complaint {
            accuser: 1,
            accused: 2,
        }
        .to_bytes(),
    ] {
        for len in 0..bytes.len() {
            assert!(round1::Package::from_bytes(&bytes[..len]).is_err());
            assert!(round2::Package::from_bytes(&bytes[..len]).is_err());
            assert!(Complaint::from_bytes(&bytes[..len]).is_err());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(round1::Package::from_bytes(&longer).is_err());
        assert!(round2::Package::from_bytes(&longer).is_err());
        assert!(Complaint::from_bytes(&longer).is_err());
    }
    assert_eq!(
        round1::Package::from_bytes(&c.round1[0].to_bytes()).unwrap(),
        c.round1[0]
    );
    assert_eq!(
        round2::Package::from_bytes(&c.round2[0].to_bytes()).unwrap(),
        c.round2[0]
    );
    // Identity constant-term commitment is refused by the decoder.
    let mut bytes = c.round1[0].to_bytes();
    bytes[6..38].fill(0);
    assert!(round1::Package::from_bytes(&bytes).is_err());
    // Decryption shares round-trip and reject truncation.
    let (ballots, _) = ballots(c.public.election_key(), 3, 2, 7);
    let aggregate = Aggregate::from_ballots(&ballots, 2).unwrap();
    let share = c.shares[0]
        .decrypt_aggregate(&ballots, &aggregate, 1, &mut rng)
        .unwrap();
    let bytes = share.to_bytes();
    assert_eq!(DecryptionShare::from_bytes(&bytes).unwrap(), share);
    for len in 0..bytes.len() {
        assert!(DecryptionShare::from_bytes(&bytes[..len]).is_err());
    }
    // Secrets are redacted.
    let debug = format!("{:?}", c.shares[0]);
    assert!(debug.contains("<redacted>"));
    let _ = ChaCha20Rng::from_seed([0; 32]);
}
