//! Issuer and pseudonym keys, and the credential generator `Z`.

use core::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::encoding::{GroupElement, POINT_LEN, SCALAR_LEN, decode_nonzero_scalar};
use crate::error::EncodingError;
use crate::transcript::{CONTEXT_LEN, hash_to_group, tags};

/// `Z = HashToGroup("Z", context)`: the second generator of an election's credentials,
/// with a discrete log nobody knows (SPEC.md §9.2). A known `log Z` would let anyone
/// forge unlimited credentials from one session.
pub fn credential_generator(context: &[u8; CONTEXT_LEN]) -> GroupElement {
    GroupElement::from_point(hash_to_group(tags::Z, context))
}

fn random_nonzero<R: RngCore + CryptoRng>(rng: &mut R) -> Scalar {
    loop {
        let s = Scalar::random(rng);
        if s != Scalar::ZERO {
            return s;
        }
    }
}

/// The issuer's blind-signing key `x` with `X = x·G`. One long-term key serves every
/// election (the election context is the public part of the partially blind signature).
///
/// Zeroized on drop, redacted in `Debug`. Never use it for anything but issuance.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct IssuerKeypair {
    secret: Scalar,
    #[zeroize(skip)]
    public: IssuerPublicKey,
}

impl IssuerKeypair {
    /// Generates a key (`x ≠ 0`). Publish the public key in the election manifest before
    /// check-in opens.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Self::from_secret_scalar(random_nonzero(rng))
    }

    /// Restores a key from its secret encoding.
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        decode_nonzero_scalar(bytes).map(Self::from_secret_scalar)
    }

    fn from_secret_scalar(secret: Scalar) -> Self {
        let public = IssuerPublicKey(GroupElement::from_point(
            RISTRETTO_BASEPOINT_TABLE * &secret,
        ));
        IssuerKeypair { secret, public }
    }

    /// The secret encoding, for the host's key storage.
    pub fn expose_secret_bytes(&self) -> Zeroizing<[u8; SCALAR_LEN]> {
        Zeroizing::new(self.secret.to_bytes())
    }

    pub(crate) fn expose_secret(&self) -> &Scalar {
        &self.secret
    }

    /// The public key `X`.
    pub fn public(&self) -> &IssuerPublicKey {
        &self.public
    }
}

impl fmt::Debug for IssuerKeypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKeypair")
            .field("secret", &"<redacted>")
            .field("public", &self.public)
            .finish()
    }
}

/// The issuer's public key `X`; never the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IssuerPublicKey(GroupElement);

impl IssuerPublicKey {
    /// Decodes a canonical, non-identity point.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        GroupElement::from_bytes_nonidentity(bytes).map(IssuerPublicKey)
    }

    /// The encoding.
    pub fn to_bytes(&self) -> [u8; POINT_LEN] {
        self.0.to_bytes()
    }

    /// The key as a group element.
    pub fn element(&self) -> &GroupElement {
        &self.0
    }
}

/// A voter's one-time pseudonym secret `p`: signs the ballot. Zeroized, redacted.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PseudonymSecret(Scalar);

impl PseudonymSecret {
    /// Draws a fresh pseudonym secret (`p ≠ 0`) from the voter's own RNG.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        PseudonymSecret(random_nonzero(rng))
    }

    /// Restores a pseudonym secret.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        decode_nonzero_scalar(bytes).map(PseudonymSecret)
    }

    /// The secret encoding.
    pub fn expose_bytes(&self) -> Zeroizing<[u8; SCALAR_LEN]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The scalar, as a witness for the ballot signature.
    pub fn expose_scalar(&self) -> &Scalar {
        &self.0
    }

    /// The pseudonym key `P = p·G`.
    pub fn pseudonym(&self) -> Pseudonym {
        Pseudonym(GroupElement::from_point(
            RISTRETTO_BASEPOINT_TABLE * &self.0,
        ))
    }
}

impl fmt::Debug for PseudonymSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymSecret(<redacted>)")
    }
}

/// A voter's one-time pseudonym key `P`: the message a credential signs. Never the
/// identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pseudonym(GroupElement);

impl Pseudonym {
    /// Decodes a canonical, non-identity point.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        GroupElement::from_bytes_nonidentity(bytes).map(Pseudonym)
    }

    /// The encoding.
    pub fn to_bytes(&self) -> [u8; POINT_LEN] {
        self.0.to_bytes()
    }

    /// The key as a group element.
    pub fn element(&self) -> &GroupElement {
        &self.0
    }

    /// The key as a point.
    pub fn point(&self) -> &RistrettoPoint {
        self.0.point()
    }
}
