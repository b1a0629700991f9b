//! ElGamal key pairs.

use core::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::ciphertext::{Ciphertext, Randomness};
use crate::encoding::{GroupElement, POINT_LEN, SCALAR_LEN, decode_nonzero_scalar};
use crate::error::{EncodingError, Error};

/// An ElGamal secret key `y`: a non-zero scalar.
///
/// Not `Copy`, zeroized on drop, redacted in `Debug`, compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey(Scalar);

impl SecretKey {
    /// Draws a uniformly random non-zero secret key.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        loop {
            let scalar = Scalar::random(rng);
            if !bool::from(scalar.ct_eq(&Scalar::ZERO)) {
                return SecretKey(scalar);
            }
        }
    }

    /// Decodes a canonical, non-zero scalar.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        decode_nonzero_scalar(bytes).map(SecretKey)
    }

    /// The canonical encoding. The caller is responsible for where these bytes go.
    pub fn expose_bytes(&self) -> Zeroizing<[u8; SCALAR_LEN]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The scalar, for provers that need it as a witness.
    pub fn expose_scalar(&self) -> &Scalar {
        &self.0
    }

    /// The public key `Y = y·G`.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(GroupElement::from_point(
            RISTRETTO_BASEPOINT_TABLE * &self.0,
        ))
    }

    /// Computes the plaintext point `m·G = B − y·A` (constant time in `y`).
    ///
    /// Implements `ElGamal.DecryptToPoint` (SPEC.md §5.3). This is the single-key
    /// primitive; an election's key is shared among trustees, who only ever decrypt
    /// aggregates.
    pub fn decrypt_to_point(&self, ciphertext: &Ciphertext) -> RistrettoPoint {
        ciphertext.b().point() - ciphertext.a().point() * self.0
    }
}

impl ConstantTimeEq for SecretKey {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for SecretKey {}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// An ElGamal public key `Y = y·G`; never the identity.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PublicKey(GroupElement);

impl PublicKey {
    /// Decodes a canonical, non-identity point.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        GroupElement::from_bytes_nonidentity(bytes).map(PublicKey)
    }

    /// Wraps a point; rejects the identity.
    pub fn from_element(element: GroupElement) -> Result<Self, EncodingError> {
        if element.is_identity() {
            return Err(EncodingError::IdentityPoint);
        }
        Ok(PublicKey(element))
    }

    /// The canonical encoding.
    pub fn to_bytes(&self) -> [u8; POINT_LEN] {
        self.0.to_bytes()
    }

    /// The key as a group element.
    pub fn element(&self) -> &GroupElement {
        &self.0
    }

    /// Encrypts `value` with fresh randomness; returns the ciphertext and its randomness
    /// (needed to prove what it encrypts, and zeroized when dropped).
    ///
    /// Implements `ElGamal.Encrypt` (SPEC.md §5.2). Constant time in `value` and `r`:
    /// `value·G` is a fixed-base multiplication by the scalar `value`.
    pub fn encrypt<R: RngCore + CryptoRng>(
        &self,
        value: u64,
        rng: &mut R,
    ) -> (Ciphertext, Randomness) {
        let randomness = Randomness::generate(rng);
        (self.encrypt_with(value, &randomness), randomness)
    }

    /// Encrypts `value` with the given randomness: `(r·G, value·G + r·Y)`.
    ///
    /// Deterministic; used to re-check a spoiled ballot and by known-answer tests.
    pub fn encrypt_with(&self, value: u64, randomness: &Randomness) -> Ciphertext {
        let r = randomness.expose_scalar();
        let a = RISTRETTO_BASEPOINT_TABLE * r;
        let b = RISTRETTO_BASEPOINT_TABLE * &Scalar::from(value) + self.0.point() * r;
        Ciphertext::from_points(a, b)
    }

    /// Re-randomises a ciphertext: `(A + r'·G, B + r'·Y)` encrypts the same value.
    ///
    /// Implements `ElGamal.Rerandomize` (SPEC.md §5.4). Returns the added randomness.
    pub fn rerandomize<R: RngCore + CryptoRng>(
        &self,
        ciphertext: &Ciphertext,
        rng: &mut R,
    ) -> (Ciphertext, Randomness) {
        let randomness = Randomness::generate(rng);
        let zero = self.encrypt_with(0, &randomness);
        (*ciphertext + zero, randomness)
    }
}

/// A secret key with its public key.
#[derive(Clone, Debug)]
pub struct Keypair {
    secret: SecretKey,
    public: PublicKey,
}

impl Keypair {
    /// Draws a fresh key pair.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Self::from_secret(SecretKey::generate(rng))
    }

    /// Completes a secret key into a key pair.
    pub fn from_secret(secret: SecretKey) -> Self {
        let public = secret.public_key();
        Keypair { secret, public }
    }

    /// The secret half.
    pub fn secret(&self) -> &SecretKey {
        &self.secret
    }

    /// The public half.
    pub fn public(&self) -> &PublicKey {
        &self.public
    }
}

impl From<SecretKey> for Keypair {
    fn from(secret: SecretKey) -> Self {
        Keypair::from_secret(secret)
    }
}

impl TryFrom<&[u8]> for PublicKey {
    type Error = Error;
    fn try_from(bytes: &[u8]) -> Result<Self, Error> {
        Ok(PublicKey::from_bytes(bytes)?)
    }
}
