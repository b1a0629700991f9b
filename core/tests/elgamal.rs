//! Algebraic properties of exponential ElGamal and the discrete-log table.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]

#[path = "support/common.rs"]
mod common;

use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::elgamal::{
    CIPHERTEXT_LEN, Ciphertext, DlogTable, Keypair, PublicKey, Randomness, SecretKey,
};
use secret_ballot::{EncodingError, Error};

const MAX: u64 = 1 << 20;

fn table() -> &'static DlogTable {
    static TABLE: std::sync::OnceLock<DlogTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| DlogTable::new(2 * MAX).unwrap())
}

fn decrypt(key: &Keypair, ciphertext: &Ciphertext) -> Result<u64, Error> {
    table().vartime_lookup(&key.secret().decrypt_to_point(ciphertext))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn encryption_round_trips(seed in any::<[u8; 32]>(), m in 0..=MAX) {
        let mut rng = ChaCha20Rng::from_seed(seed);
        let key = Keypair::generate(&mut rng);
        let (ct, _) = key.public().encrypt(m, &mut rng);
        prop_assert_eq!(decrypt(&key, &ct), Ok(m));
        prop_assert_eq!(Ciphertext::from_bytes(&ct.to_bytes()), Ok(ct));
    }

    #[test]
    fn sum_of_encryptions_encrypts_the_sum(seed in any::<[u8; 32]>(), a in 0..=MAX, b in 0..=MAX) {
        let mut rng = ChaCha20Rng::from_seed(seed);
        let key = Keypair::generate(&mut rng);
        let (ca, ra) = key.public().encrypt(a, &mut rng);
        let (cb, rb) = key.public().encrypt(b, &mut rng);
        let sum = ca + cb;
        prop_assert_eq!(decrypt(&key, &sum), Ok(a + b));
        prop_assert_eq!(Ciphertext::sum([&ca, &cb]), sum);
        // The randomness adds too: the sum is exactly Enc(a + b; ra + rb).
        prop_assert_eq!(key.public().encrypt_with(a + b, &Randomness::sum([&ra, &rb])), sum);
        // Subtraction undoes addition.
        prop_assert_eq!(sum - cb, ca);
    }

    #[test]
    fn sum_of_many_bits_counts_them(seed in any::<[u8; 32]>(), votes in proptest::collection::vec(0u64..=1, 0..40)) {
        let mut rng = ChaCha20Rng::from_seed(seed);
        let key = Keypair::generate(&mut rng);
        let cts: Vec<Ciphertext> = votes.iter().map(|&v| key.public().encrypt(v, &mut rng).0).collect();
        let total = Ciphertext::sum(&cts);
        prop_assert_eq!(decrypt(&key, &total), Ok(votes.iter().sum::<u64>()));
    }

    #[test]
    fn rerandomisation_preserves_plaintext(seed in any::<[u8; 32]>(), m in 0..=MAX) {
        let mut rng = ChaCha20Rng::from_seed(seed);
        let key = Keypair::generate(&mut rng);
        let (ct, r) = key.public().encrypt(m, &mut rng);
        let (again, r2) = key.public().rerandomize(&ct, &mut rng);
        prop_assert_ne!(again, ct);
        prop_assert_eq!(decrypt(&key, &again), Ok(m));
        prop_assert_eq!(key.public().encrypt_with(m, &Randomness::sum([&r, &r2])), again);
    }

    #[test]
    fn bsgs_round_trips_over_random_bounds(max in 0u64..5_000_000, fraction in 0.0f64..=1.0) {
        let table = DlogTable::new(max).unwrap();
        let m = ((max as f64) * fraction) as u64;
        let point = RISTRETTO_BASEPOINT_POINT * Scalar::from(m);
        prop_assert_eq!(table.vartime_lookup(&point), Ok(m));
        let beyond = RISTRETTO_BASEPOINT_POINT * Scalar::from(max + 1);
        prop_assert_eq!(table.vartime_lookup(&beyond), Err(Error::PlaintextOutOfRange { max }));
    }

    #[test]
    fn ciphertext_decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
        if let Ok(ct) = Ciphertext::from_bytes(&bytes) {
            prop_assert_eq!(ct.to_bytes().to_vec(), bytes);
        }
    }
}

/// BSGS over its whole range, for several bounds, every value.
#[test]
fn bsgs_round_trips_over_its_whole_range() {
    for max in [0u64, 1, 2, 7, 8, 9, 63, 64, 65, 1000, 4096] {
        let table = DlogTable::new(max).unwrap();
        let mut point = secret_ballot::curve25519_dalek::ristretto::RistrettoPoint::default();
        for m in 0..=max {
            assert_eq!(table.vartime_lookup(&point), Ok(m), "max {max}");
            point += RISTRETTO_BASEPOINT_POINT;
        }
        assert_eq!(
            table.vartime_lookup(&point),
            Err(Error::PlaintextOutOfRange { max })
        );
    }
}

#[test]
fn keys_reject_bad_encodings() {
    assert_eq!(
        SecretKey::from_bytes(&[0; 32]).unwrap_err(),
        EncodingError::ZeroScalar
    );
    assert_eq!(
        SecretKey::from_bytes(&[0xff; 32]).unwrap_err(),
        EncodingError::NonCanonicalScalar
    );
    assert!(matches!(
        SecretKey::from_bytes(&[1; 33]).unwrap_err(),
        EncodingError::WrongLength { .. }
    ));
    assert_eq!(
        PublicKey::from_bytes(&[0; 32]).unwrap_err(),
        EncodingError::IdentityPoint
    );
    assert_eq!(
        PublicKey::from_bytes(&[0xff; 32]).unwrap_err(),
        EncodingError::InvalidPoint
    );
    let key = Keypair::generate(&mut common::rng(1));
    assert_eq!(
        PublicKey::from_bytes(&key.public().to_bytes()).unwrap(),
        *key.public()
    );
    let secret = SecretKey::from_bytes(key.secret().expose_bytes().as_slice()).unwrap();
    assert_eq!(&secret, key.secret());
    assert_eq!(format!("{:?}", key.secret()), "SecretKey(<redacted>)");
    assert!(!format!("{key:?}").contains(&format!("{:?}", key.secret().expose_scalar())));
    let (_, r) = key.public().encrypt(1, &mut common::rng(2));
    assert_eq!(format!("{r:?}"), "Randomness(<redacted>)");
}

#[test]
fn ciphertext_rejects_bad_encodings() {
    let key = Keypair::generate(&mut common::rng(3));
    let (ct, _) = key.public().encrypt(5, &mut common::rng(4));
    let bytes = ct.to_bytes();
    assert_eq!(bytes.len(), CIPHERTEXT_LEN);
    for len in [0, 32, 63, 65, 128] {
        let mut v = bytes.to_vec();
        v.resize(len, 0);
        assert_eq!(
            Ciphertext::from_bytes(&v).unwrap_err(),
            EncodingError::WrongLength {
                expected: 64,
                actual: len
            }
        );
    }
    for half in [0, 32] {
        let mut v = bytes;
        v[half..half + 32].fill(0xff);
        assert_eq!(
            Ciphertext::from_bytes(&v).unwrap_err(),
            EncodingError::InvalidPoint
        );
    }
    // The identity (the empty sum) is a valid ciphertext of 0.
    assert_eq!(
        Ciphertext::from_bytes(&[0; 64]).unwrap(),
        Ciphertext::zero()
    );
    assert_eq!(Ciphertext::sum(std::iter::empty()), Ciphertext::zero());
}

#[test]
fn wrong_key_does_not_decrypt() {
    let mut rng = common::rng(5);
    let key = Keypair::generate(&mut rng);
    let other = Keypair::generate(&mut rng);
    let (ct, _) = key.public().encrypt(3, &mut rng);
    assert!(
        table()
            .vartime_lookup(&other.secret().decrypt_to_point(&ct))
            .is_err()
    );
}
