//! Ciphertexts and their randomness.

use core::fmt;
use core::ops::{Add, AddAssign, Sub};

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::encoding::{GroupElement, POINT_LEN, Reader, SCALAR_LEN, decode_scalar};
use crate::error::EncodingError;

/// Length of an encoded ciphertext: `A ‖ B`.
pub const CIPHERTEXT_LEN: usize = 2 * POINT_LEN;

/// An exponential-ElGamal ciphertext `(A, B) = (r·G, m·G + r·Y)`.
///
/// Public data: `Copy`, compared by encoding. Its encoding is `A ‖ B`, 64 bytes with
/// no header (SPEC.md §5.1); both points must be canonical, and the identity is
/// allowed (the empty sum encrypts 0 with `r = 0`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ciphertext {
    a: GroupElement,
    b: GroupElement,
}

impl Ciphertext {
    /// Builds a ciphertext from its two points.
    pub fn from_points(a: RistrettoPoint, b: RistrettoPoint) -> Self {
        Ciphertext {
            a: GroupElement::from_point(a),
            b: GroupElement::from_point(b),
        }
    }

    /// Builds a ciphertext from two elements whose encodings are already known.
    pub(crate) fn from_elements(a: GroupElement, b: GroupElement) -> Self {
        Ciphertext { a, b }
    }

    /// The encryption of 0 with randomness 0, neutral for `+`.
    pub fn zero() -> Self {
        Ciphertext {
            a: GroupElement::identity(),
            b: GroupElement::identity(),
        }
    }

    /// `A = r·G`.
    pub fn a(&self) -> &GroupElement {
        &self.a
    }

    /// `B = m·G + r·Y`.
    pub fn b(&self) -> &GroupElement {
        &self.b
    }

    /// The encoding `A ‖ B`.
    pub fn to_bytes(&self) -> [u8; CIPHERTEXT_LEN] {
        let mut out = [0u8; CIPHERTEXT_LEN];
        let (a, b) = out.split_at_mut(POINT_LEN);
        a.copy_from_slice(&self.a.to_bytes());
        b.copy_from_slice(&self.b.to_bytes());
        out
    }

    /// Decodes `A ‖ B`; rejects wrong lengths and non-canonical points.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        if bytes.len() != CIPHERTEXT_LEN {
            return Err(EncodingError::WrongLength {
                expected: CIPHERTEXT_LEN,
                actual: bytes.len(),
            });
        }
        let mut reader = Reader::new(bytes);
        let a = reader.element()?;
        let b = reader.element()?;
        reader.finish()?;
        Ok(Ciphertext { a, b })
    }

    /// Sums ciphertexts (the homomorphic tally), compressing only once at the end.
    ///
    /// Implements `ElGamal.Add` (SPEC.md §5.4) over a whole sequence.
    pub fn sum<'a, I: IntoIterator<Item = &'a Ciphertext>>(ciphertexts: I) -> Ciphertext {
        let (a, b) = ciphertexts.into_iter().fold(
            (RistrettoPoint::identity(), RistrettoPoint::identity()),
            |(a, b), c| (a + c.a.point(), b + c.b.point()),
        );
        Ciphertext::from_points(a, b)
    }
}

impl Add for Ciphertext {
    type Output = Ciphertext;
    fn add(self, rhs: Ciphertext) -> Ciphertext {
        Ciphertext::from_points(
            self.a.point() + rhs.a.point(),
            self.b.point() + rhs.b.point(),
        )
    }
}

impl AddAssign for Ciphertext {
    fn add_assign(&mut self, rhs: Ciphertext) {
        *self = *self + rhs;
    }
}

impl Sub for Ciphertext {
    type Output = Ciphertext;
    fn sub(self, rhs: Ciphertext) -> Ciphertext {
        Ciphertext::from_points(
            self.a.point() - rhs.a.point(),
            self.b.point() - rhs.b.point(),
        )
    }
}

/// Encryption randomness `r`: the witness of every proof about a ciphertext.
///
/// Not `Copy`, zeroized on drop, redacted in `Debug`. Randomness adds like the
/// ciphertexts it made, so the randomness of a sum is the sum of the randomness.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Randomness(Scalar);

impl Randomness {
    /// Draws uniformly random randomness.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Randomness(Scalar::random(rng))
    }

    /// Decodes a canonical scalar (for re-checking a spoiled ballot).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        decode_scalar(bytes).map(Randomness)
    }

    /// The canonical encoding. Revealing it reveals the plaintext of its ciphertext.
    pub fn expose_bytes(&self) -> Zeroizing<[u8; SCALAR_LEN]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The scalar `r`.
    pub fn expose_scalar(&self) -> &Scalar {
        &self.0
    }

    /// The randomness of the sum of ciphertexts made with these randomnesses.
    pub fn sum<'a, I: IntoIterator<Item = &'a Randomness>>(items: I) -> Randomness {
        Randomness(items.into_iter().map(|r| r.0).sum())
    }

    /// `−r`: the randomness of the negated ciphertext (a ballot's derived position has
    /// the negated sum of its group's others, SPEC.md §12.2).
    pub fn negated(&self) -> Randomness {
        Randomness(-self.0)
    }
}

impl fmt::Debug for Randomness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Randomness(<redacted>)")
    }
}
