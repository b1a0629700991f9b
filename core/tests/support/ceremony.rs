//! Runs the key ceremony's rounds for every trustee in one process (tests only).
#![allow(dead_code)]

use rand_chacha::ChaCha20Rng;
use secret_ballot::elgamal::SecretKey;
use secret_ballot::threshold::dkg::{self, round1, round2};
use secret_ballot::threshold::{CeremonyParameters, KeyShare, PublicKeyPackage};

/// Round 1 for every trustee, in index order.
pub(crate) fn first(
    params: &CeremonyParameters,
    rng: &mut ChaCha20Rng,
) -> (Vec<round1::SecretPackage>, Vec<round1::Package>) {
    params
        .indices()
        .map(|i| dkg::part1(params, i, rng).unwrap())
        .unzip()
}

/// Round 2 for every trustee.
pub(crate) fn second(
    secrets: Vec<round1::SecretPackage>,
    params: &CeremonyParameters,
    long_term: &[SecretKey],
) -> (Vec<round2::SecretPackage>, Vec<round2::Package>) {
    let mut kept = Vec::new();
    let mut sent = Vec::new();
    for (secret, key) in secrets.into_iter().zip(long_term) {
        let (secret, packages) = dkg::part2(secret, params, key).unwrap();
        kept.push(secret);
        sent.extend(packages);
    }
    (kept, sent)
}

/// An honest ceremony, start to end.
pub(crate) struct Honest {
    pub(crate) round1: Vec<round1::Package>,
    pub(crate) round2: Vec<round2::Package>,
    pub(crate) shares: Vec<KeyShare>,
    pub(crate) public: PublicKeyPackage,
}

pub(crate) fn honest(
    params: &CeremonyParameters,
    long_term: &[SecretKey],
    rng: &mut ChaCha20Rng,
) -> Honest {
    let (s1, round1) = first(params, rng);
    let (s2, round2) = second(s1, params, long_term);
    for (s, key) in s2.iter().zip(long_term) {
        let complaints = dkg::check_shares(s, params, key, &round1, &round2);
        assert!(
            complaints.is_empty(),
            "honest ceremony produced complaints: {complaints:?}"
        );
    }
    let resolution = dkg::resolve(params, &round1, &[], &[]).unwrap();
    let shares: Vec<KeyShare> = s2
        .iter()
        .zip(long_term)
        .map(|(s, key)| dkg::part3(s, params, key, &round1, &round2, &resolution).unwrap())
        .collect();
    let public = dkg::public_key_package(params, &round1, &resolution).unwrap();
    Honest {
        round1,
        round2,
        shares,
        public,
    }
}
