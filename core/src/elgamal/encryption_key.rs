//! The election key as an encrypting device uses it: optionally with a table of its
//! multiples, and encrypting a ballot's bits with their encodings batched.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use super::ciphertext::{Ciphertext, Randomness};
use super::keys::PublicKey;
use crate::encoding::GroupElement;
use crate::error::Error;

/// `1/2 mod ℓ`, that is `(ℓ + 1)/2`, little-endian.
const HALF_BYTES: [u8; 32] = [
    0xf7, 0xe9, 0x7a, 0x2e, 0x8d, 0x31, 0x09, 0x2c, 0x6b, 0xce, 0x7b, 0x51, 0xef, 0x7c, 0x6f, 0x0a,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
];

/// The encoding of `G/2 = (1/2)·G`.
const HALF_G: [u8; 32] = [
    0x80, 0x92, 0x9b, 0x2a, 0x27, 0xd6, 0x41, 0x90, 0xbc, 0x48, 0x58, 0x6e, 0x1e, 0x89, 0xd7, 0xe8,
    0xab, 0x82, 0xee, 0x0e, 0x73, 0xa9, 0xe2, 0x85, 0x83, 0xea, 0xb7, 0x4c, 0x89, 0xb5, 0x87, 0x20,
];

/// `1/2` in the scalar field.
pub(crate) fn half() -> Scalar {
    Scalar::from_bytes_mod_order(HALF_BYTES)
}

/// The election key `Y` prepared for encrypting and proving.
///
/// Every multiplication a ballot's prover does is by `G` or by `Y` (SPEC.md §6.4,
/// "Prover"). `G` has a static table; this type adds an optional one for `Y`:
///
/// * [`EncryptionKey::new`] has no set-up and multiplies by `Y` in variable base (what a
///   voter's device that encrypts one ballot wants);
/// * [`EncryptionKey::precomputed`] builds a 30 KiB table of multiples of `Y` once
///   (about the cost of 35 variable-base multiplications) and then multiplies by `Y`
///   about twice as fast: worth it from about five ballots on one device (a kiosk, an
///   HR system casting test ballots, a simulation).
///
/// Both give exactly the same ciphertexts and proofs for the same randomness.
///
/// # Security
/// Multiplications are constant time in the scalar with and without the table.
#[derive(Clone)]
pub struct EncryptionKey {
    public: PublicKey,
    table: Option<Box<RistrettoBasepointTable>>,
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionKey")
            .field("public", &self.public)
            .field("precomputed", &self.table.is_some())
            .finish()
    }
}

impl EncryptionKey {
    /// The key without a table.
    pub fn new(public: PublicKey) -> Self {
        EncryptionKey {
            public,
            table: None,
        }
    }

    /// The key with a precomputed table of its multiples.
    pub fn precomputed(public: PublicKey) -> Self {
        let table = RistrettoBasepointTable::create(public.element().point());
        EncryptionKey {
            public,
            table: Some(Box::new(table)),
        }
    }

    /// The public key.
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// Whether multiplications by `Y` use a table.
    pub fn is_precomputed(&self) -> bool {
        self.table.is_some()
    }

    /// `s·Y`, constant time in `s`.
    pub(crate) fn mul(&self, s: &Scalar) -> RistrettoPoint {
        match &self.table {
            Some(table) => table.as_ref() * s,
            None => self.public.element().point() * s,
        }
    }

    /// `s·K` for a key `K`: through this key's table when `K` is this key.
    pub(crate) fn mul_key(&self, key: &PublicKey, s: &Scalar) -> RistrettoPoint {
        if key == &self.public {
            self.mul(s)
        } else {
            key.element().point() * s
        }
    }

    /// Encrypts each of `bits` (each 0 or 1) with fresh randomness, as
    /// [`PublicKey::encrypt`] would one after the other (same randomness from `rng`, same
    /// ciphertexts), but with all encodings computed in one batch.
    ///
    /// # Errors
    /// [`Error::ValueOutOfRange`] if a value is neither 0 nor 1 (before drawing any
    /// randomness).
    ///
    /// # Security
    /// Constant time in the bits and the randomness: `m·G/2` is selected, not branched on.
    pub fn encrypt_bits<R: rand_core::RngCore + rand_core::CryptoRng>(
        &self,
        bits: &[u64],
        rng: &mut R,
    ) -> Result<(Vec<Ciphertext>, Vec<Randomness>), Error> {
        if bits.iter().any(|&bit| bit > 1) {
            return Err(Error::ValueOutOfRange);
        }
        let half_g = CompressedRistretto(HALF_G)
            .decompress()
            .ok_or(Error::Internal("G/2 encoding"))?;
        let half = half();
        let mut halves = Vec::with_capacity(2 * bits.len());
        let mut randomness = Vec::with_capacity(bits.len());
        for &bit in bits {
            let r = Randomness::generate(rng);
            let half_r = Zeroizing::new(r.expose_scalar() * half);
            let value = RistrettoPoint::conditional_select(
                &RistrettoPoint::identity(),
                &half_g,
                bit.ct_eq(&1),
            );
            halves.push(RISTRETTO_BASEPOINT_TABLE * &*half_r);
            halves.push(self.mul(&half_r) + value);
            randomness.push(r);
        }
        let elements = GroupElement::from_halves(&halves);
        let ciphertexts = elements
            .chunks_exact(2)
            .filter_map(|pair| match pair {
                [a, b] => Some(Ciphertext::from_elements(*a, *b)),
                _ => None,
            })
            .collect();
        Ok((ciphertexts, randomness))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elgamal::Keypair;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn the_constants_are_one_half_and_g_over_two() {
        assert_eq!(half() * Scalar::from(2u8), Scalar::ONE);
        let half_g = RISTRETTO_BASEPOINT_TABLE * &half();
        assert_eq!(half_g.compress().to_bytes(), HALF_G);
    }

    #[test]
    fn batched_encodings_match_one_by_one_with_and_without_table() {
        let key = *Keypair::generate(&mut ChaCha20Rng::seed_from_u64(1)).public();
        let bits = [0, 1, 1, 0, 0, 1, 0];
        for prepared in [EncryptionKey::new(key), EncryptionKey::precomputed(key)] {
            let mut rng = ChaCha20Rng::seed_from_u64(2);
            let (cts, rs) = prepared.encrypt_bits(&bits, &mut rng).expect("bits");
            let mut rng = ChaCha20Rng::seed_from_u64(2);
            for ((&bit, ct), r) in bits.iter().zip(&cts).zip(&rs) {
                let (expected, expected_r) = key.encrypt(bit, &mut rng);
                assert_eq!(ct.to_bytes(), expected.to_bytes());
                assert_eq!(ct.a().point(), expected.a().point());
                assert_eq!(ct.b().point(), expected.b().point());
                assert_eq!(r.expose_scalar(), expected_r.expose_scalar());
            }
        }
    }

    #[test]
    fn a_value_other_than_a_bit_is_refused() {
        let key =
            EncryptionKey::new(*Keypair::generate(&mut ChaCha20Rng::seed_from_u64(1)).public());
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        assert_eq!(
            key.encrypt_bits(&[0, 2], &mut rng).map(|_| ()),
            Err(Error::ValueOutOfRange)
        );
    }

    #[test]
    fn halves_encode_the_identity_and_their_doubles() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let mut points = alloc::vec![RistrettoPoint::identity()];
        points.extend((0..5).map(|_| RistrettoPoint::random(&mut rng)));
        points.push(RistrettoPoint::identity());
        for (element, half) in GroupElement::from_halves(&points).iter().zip(&points) {
            let double = half + half;
            assert_eq!(element.encoding(), &double.compress());
            assert_eq!(element.point(), &double);
        }
    }
}
