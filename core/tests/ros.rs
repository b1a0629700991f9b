//! ROS regression suite (Benhamouda, Lepoint, Loss, Orrù, Raykova, Eurocrypt 2021).
//!
//! A test-only **plain blind Schnorr** issuer (the scheme this crate forbids) falls to the
//! polynomial-time ROS attack: 256 concurrent sessions yield 257 valid signatures. The
//! same adversary, run against the crate's Tessaro–Zhu issuer, gets its 256 honest
//! credentials and a forgery that does not verify.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]
#![allow(non_snake_case)]

#[path = "support/common.rs"]
mod common;

use common::{CONTEXT, rng};
use secret_ballot::credential::*;
use secret_ballot::curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use secret_ballot::curve25519_dalek::ristretto::RistrettoPoint;
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::curve25519_dalek::traits::Identity;
use secret_ballot::merlin::Transcript;

const SESSIONS: usize = 256;

/// The forged target's "difference" `d = c* − Σρᵢcᵢ⁰` written in binary: `bᵢ` for i < 256.
fn bits(d: &Scalar) -> Vec<bool> {
    let bytes = d.to_bytes();
    (0..SESSIONS)
        .map(|i| bytes[i / 8] >> (i % 8) & 1 == 1)
        .collect()
}

fn powers_of_two() -> Vec<Scalar> {
    let mut p = Scalar::ONE;
    (0..SESSIONS)
        .map(|_| {
            let out = p;
            p += p;
            out
        })
        .collect()
}

// ---------- the forbidden scheme, test-only ----------

fn schnorr_hash(R: &RistrettoPoint, m: &[u8]) -> Scalar {
    let mut t = Transcript::new(b"test-only plain blind schnorr");
    t.append_message(b"R", R.compress().as_bytes());
    t.append_message(b"m", m);
    let mut wide = [0u8; 64];
    t.challenge_bytes(b"c", &mut wide);
    Scalar::from_bytes_mod_order_wide(&wide)
}

fn schnorr_verify(X: &RistrettoPoint, m: &[u8], (R, s): &(RistrettoPoint, Scalar)) -> bool {
    RISTRETTO_BASEPOINT_TABLE * s == R + X * schnorr_hash(R, m)
}

#[test]
fn ros_attack_breaks_plain_blind_schnorr() {
    let mut rng = rng(1);
    let x = Scalar::random(&mut rng);
    let X = RISTRETTO_BASEPOINT_TABLE * &x;
    // The signer opens 256 sessions concurrently: nonces kᵢ, commitments Rᵢ.
    let k: Vec<Scalar> = (0..SESSIONS).map(|_| Scalar::random(&mut rng)).collect();
    let R: Vec<RistrettoPoint> = k.iter().map(|k| RISTRETTO_BASEPOINT_TABLE * k).collect();

    // The attacker: two messages per session, ρᵢ = 2ⁱ/(cᵢ¹ − cᵢ⁰), R* = Σ ρᵢRᵢ.
    let msg = |i: usize, b: u8| format!("message {i}/{b}").into_bytes();
    let c0: Vec<Scalar> = (0..SESSIONS)
        .map(|i| schnorr_hash(&R[i], &msg(i, 0)))
        .collect();
    let c1: Vec<Scalar> = (0..SESSIONS)
        .map(|i| schnorr_hash(&R[i], &msg(i, 1)))
        .collect();
    let rho: Vec<Scalar> = powers_of_two()
        .iter()
        .enumerate()
        .map(|(i, p)| p * (c1[i] - c0[i]).invert())
        .collect();
    let R_star: RistrettoPoint = rho.iter().zip(&R).map(|(r, R)| R * r).sum();
    let forged_message = b"the 257th signature".to_vec();
    let c_star = schnorr_hash(&R_star, &forged_message);
    let d = c_star - rho.iter().zip(&c0).map(|(r, c)| r * c).sum::<Scalar>();
    let b = bits(&d);
    // Challenges sent: cᵢ^{bᵢ}; the signer answers sᵢ = kᵢ + cᵢx.
    let challenges: Vec<Scalar> = (0..SESSIONS)
        .map(|i| if b[i] { c1[i] } else { c0[i] })
        .collect();
    let s: Vec<Scalar> = (0..SESSIONS).map(|i| k[i] + challenges[i] * x).collect();

    let mut valid = 0;
    for i in 0..SESSIONS {
        valid += usize::from(schnorr_verify(&X, &msg(i, u8::from(b[i])), &(R[i], s[i])));
    }
    let s_star: Scalar = rho.iter().zip(&s).map(|(r, s)| r * s).sum();
    valid += usize::from(schnorr_verify(&X, &forged_message, &(R_star, s_star)));
    assert_eq!(
        valid,
        SESSIONS + 1,
        "256 sessions must yield 257 valid signatures"
    );
}

#[test]
fn the_same_attack_fails_against_tessaro_zhu() {
    let mut rng = rng(2);
    let issuer = Issuer::new(
        IssuerKeypair::generate(&mut rng),
        InMemorySessionStore::new(),
        60,
    );
    let X = *issuer.key().public();
    let voters: Vec<VoterId> = (0..SESSIONS)
        .map(|i| VoterId::new(format!("v{i}").as_bytes()).unwrap())
        .collect();
    let commits: Vec<CommitMessage> = voters
        .iter()
        .map(|v| issuer.commit(&CONTEXT, v, 0, &mut rng).unwrap())
        .collect();

    // Two candidate pseudonyms per session; the challenge of the unblinded signature.
    let pseudonyms: Vec<[Pseudonym; 2]> = (0..SESSIONS)
        .map(|_| {
            [
                PseudonymSecret::generate(&mut rng).pseudonym(),
                PseudonymSecret::generate(&mut rng).pseudonym(),
            ]
        })
        .collect();
    let hash = |A: &RistrettoPoint, C: &RistrettoPoint, P: &Pseudonym| -> Scalar {
        // Build a signature shell only to reach the public challenge function.
        let mut bytes = vec![1u8, 0x23];
        bytes.extend_from_slice(&A.compress().to_bytes());
        bytes.extend_from_slice(&C.compress().to_bytes());
        bytes.extend_from_slice(Scalar::ONE.as_bytes());
        bytes.extend_from_slice(Scalar::ONE.as_bytes());
        bytes.extend_from_slice(Scalar::ONE.as_bytes());
        BlindSignature::from_bytes(&bytes)
            .unwrap()
            .challenge(&X, &CONTEXT, P)
    };
    let A: Vec<RistrettoPoint> = commits.iter().map(|c| *c.commitments().0.point()).collect();
    let C: Vec<RistrettoPoint> = commits.iter().map(|c| *c.commitments().1.point()).collect();
    let c0: Vec<Scalar> = (0..SESSIONS)
        .map(|i| hash(&A[i], &C[i], &pseudonyms[i][0]))
        .collect();
    let c1: Vec<Scalar> = (0..SESSIONS)
        .map(|i| hash(&A[i], &C[i], &pseudonyms[i][1]))
        .collect();
    let rho: Vec<Scalar> = powers_of_two()
        .iter()
        .enumerate()
        .map(|(i, p)| p * (c1[i] - c0[i]).invert())
        .collect();
    let A_star: RistrettoPoint = rho.iter().zip(&A).map(|(r, A)| A * r).sum();
    let C_star: RistrettoPoint = rho.iter().zip(&C).map(|(r, C)| C * r).sum();
    let P_star = PseudonymSecret::generate(&mut rng).pseudonym();
    let c_star = hash(&A_star, &C_star, &P_star);
    let d = c_star - rho.iter().zip(&c0).map(|(r, c)| r * c).sum::<Scalar>();
    let b = bits(&d);

    // All 256 sessions answered, concurrently open.
    let mut responses = Vec::new();
    for i in 0..SESSIONS {
        let e = if b[i] { c1[i] } else { c0[i] };
        let mut bytes = vec![1u8, 0x21];
        bytes.extend_from_slice(commits[i].session());
        bytes.extend_from_slice(e.as_bytes());
        let challenge = ChallengeMessage::from_bytes(&bytes).unwrap();
        responses.push(issuer.respond(&challenge, &voters[i], 1).unwrap());
    }
    // The 256 unblinded signatures are valid: the issuer did sign 256 times.
    let signature = |A: &RistrettoPoint, C: &RistrettoPoint, s: &Scalar, y: &Scalar, t: &Scalar| {
        let mut bytes = vec![1u8, 0x23];
        bytes.extend_from_slice(&A.compress().to_bytes());
        bytes.extend_from_slice(&C.compress().to_bytes());
        bytes.extend_from_slice(s.as_bytes());
        bytes.extend_from_slice(y.as_bytes());
        bytes.extend_from_slice(t.as_bytes());
        BlindSignature::from_bytes(&bytes).unwrap()
    };
    for i in 0..SESSIONS {
        let (s, y, t) = responses[i].scalars();
        let sig = signature(&A[i], &C[i], s, y, t);
        assert!(
            sig.verify(&X, &CONTEXT, &pseudonyms[i][usize::from(b[i])])
                .is_ok(),
            "session {i}"
        );
    }
    // The 257th, combined as in the ROS attack, is not: Σρᵢeᵢyᵢ ≠ c*·Σρᵢyᵢ because the
    // yᵢ were hidden when the eᵢ were chosen.
    let sum = |f: &dyn Fn(&ResponseMessage) -> Scalar| -> Scalar {
        rho.iter()
            .zip(&responses)
            .map(|(r, resp)| r * f(resp))
            .sum()
    };
    let s_star = sum(&|r| *r.scalars().0);
    let y_star = sum(&|r| *r.scalars().1);
    let t_star = sum(&|r| *r.scalars().2);
    assert_ne!(A_star, RistrettoPoint::identity());
    let forged = signature(&A_star, &C_star, &s_star, &y_star, &t_star);
    assert!(
        forged.verify(&X, &CONTEXT, &P_star).is_err(),
        "the ROS forgery must fail"
    );
}
