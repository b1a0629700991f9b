//! The blind signature (credential) and its verification.

#![allow(non_snake_case)]

use alloc::vec::Vec;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;

use super::keys::{IssuerPublicKey, Pseudonym, credential_generator};
use crate::encoding::{
    GroupElement, HEADER_LEN, MessageKind, POINT_LEN, Reader, SCALAR_LEN, header,
};
use crate::error::{EncodingError, Error};
use crate::proofs::BatchVerifier;
use crate::transcript::{CONTEXT_LEN, TranscriptProtocol, election_transcript, labels};

/// Length of an encoded [`BlindSignature`]: header, `A'`, `C'`, `s'`, `y'`, `t'`.
pub const BLIND_SIGNATURE_LEN: usize = HEADER_LEN + 2 * POINT_LEN + 3 * SCALAR_LEN;

/// `H_c(X, context, A', C', P)` (SPEC.md §9.4): the challenge of the blind signature.
pub(crate) fn challenge(
    context: &[u8; CONTEXT_LEN],
    issuer: &IssuerPublicKey,
    A: &GroupElement,
    C: &GroupElement,
    pseudonym: &Pseudonym,
) -> Scalar {
    let mut t: Transcript = election_transcript(context);
    t.domain_sep(labels::CREDENTIAL_CHALLENGE);
    t.append_element(labels::X, issuer.element());
    t.append_element(labels::A, A);
    t.append_element(labels::COMMITMENT, C);
    t.append_element(labels::BALLOT_KEY, pseudonym.element());
    t.challenge_scalar(labels::C)
}

/// A partially blind Tessaro–Zhu signature on a pseudonym key, for one election: the
/// credential of one voter.
///
/// Implements `Credential.Verify` (SPEC.md §9.6).
///
/// # Construction
/// In **commitment form** `σ = (A', C', s', y', t')` (the paper's `(c, s', y', t')` with
/// `c` recomputed), so many credentials batch into one multiscalar multiplication. With
/// `c = H_c(X, context, A', C', P)`, `Z = HashToGroup("Z", context)`:
///
/// ```text
/// [s']G == A' + [c·y']X
/// [t']G + [y']Z == C'
/// ```
///
/// and `c ≠ 0`, `y' ≠ 0`, `A' ≠ 0`, `C' ≠ 0`, `X ≠ 0`.
///
/// # Security
/// `y' = 0` would remove `X` from the equations and let anyone forge: rejected by the
/// decoder. Deduplicate ballots on the pseudonym, never on signature bytes.
///
/// # Implementation details
/// Encoding (162 bytes): `0x01 ‖ 0x23 ‖ A' ‖ C' ‖ s' ‖ y' ‖ t'`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlindSignature {
    pub(crate) A: GroupElement,
    pub(crate) C: GroupElement,
    pub(crate) s: Scalar,
    pub(crate) y: Scalar,
    pub(crate) t: Scalar,
}

impl BlindSignature {
    /// The commitments `(A', C')`.
    pub fn commitments(&self) -> (&GroupElement, &GroupElement) {
        (&self.A, &self.C)
    }

    /// The responses `(s', y', t')`.
    pub fn scalars(&self) -> (&Scalar, &Scalar, &Scalar) {
        (&self.s, &self.y, &self.t)
    }

    /// The challenge `c = H_c(X, context, A', C', P)` this signature is verified against.
    pub fn challenge(
        &self,
        issuer: &IssuerPublicKey,
        context: &[u8; CONTEXT_LEN],
        pseudonym: &Pseudonym,
    ) -> Scalar {
        challenge(context, issuer, &self.A, &self.C, pseudonym)
    }

    /// Verifies the credential for `pseudonym` in the election `context` under `issuer`
    /// (both taken from the manifest). Variable-time: public data only.
    ///
    /// # Errors
    /// [`Error::InvalidCredential`].
    pub fn verify(
        &self,
        issuer: &IssuerPublicKey,
        context: &[u8; CONTEXT_LEN],
        pseudonym: &Pseudonym,
    ) -> Result<(), Error> {
        let c = challenge(context, issuer, &self.A, &self.C, pseudonym);
        if c == Scalar::ZERO {
            return Err(Error::InvalidCredential);
        }
        let Z = credential_generator(context);
        let first = RistrettoPoint::vartime_double_scalar_mul_basepoint(
            &-(c * self.y),
            issuer.element().point(),
            &self.s,
        );
        let second =
            RistrettoPoint::vartime_double_scalar_mul_basepoint(&self.y, Z.point(), &self.t);
        if first == *self.A.point() && second == *self.C.point() {
            Ok(())
        } else {
            Err(Error::InvalidCredential)
        }
    }

    /// Queues both equations into a batch (weights as in SPEC.md §6.5). `Z` is the
    /// election's [`credential_generator`], computed once per batch by the caller.
    ///
    /// # Errors
    /// [`Error::InvalidCredential`] if the recomputed challenge is zero.
    pub fn queue(
        &self,
        issuer: &IssuerPublicKey,
        context: &[u8; CONTEXT_LEN],
        Z: &GroupElement,
        pseudonym: &Pseudonym,
        batch: &mut BatchVerifier,
    ) -> Result<(), Error> {
        let c = challenge(context, issuer, &self.A, &self.C, pseudonym);
        if c == Scalar::ZERO {
            return Err(Error::InvalidCredential);
        }
        // u·(s'·G − A' − c·y'·X) + w·(t'·G + y'·Z − C') = 0
        let u = batch.weight();
        let w = batch.weight();
        batch.add_generator(u * self.s + w * self.t);
        batch.add_shared(issuer.element(), -(u * c * self.y));
        batch.add_shared(Z, w * self.y);
        batch.add_term(self.A.point(), -u);
        batch.add_term(self.C.point(), -w);
        Ok(())
    }

    /// The encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::BlindSignature, 2 * POINT_LEN + 3 * SCALAR_LEN);
        out.extend_from_slice(&self.A.to_bytes());
        out.extend_from_slice(&self.C.to_bytes());
        out.extend_from_slice(self.s.as_bytes());
        out.extend_from_slice(self.y.as_bytes());
        out.extend_from_slice(self.t.as_bytes());
        out
    }

    /// Decodes a signature; rejects identity or non-canonical points, non-canonical
    /// scalars, and `y' = 0`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::BlindSignature)?;
        let A = r.nonidentity_element()?;
        let C = r.nonidentity_element()?;
        let s = r.scalar()?;
        let y = r.scalar()?;
        if y == Scalar::ZERO {
            return Err(EncodingError::ZeroScalar);
        }
        let t = r.scalar()?;
        r.finish()?;
        Ok(BlindSignature { A, C, s, y, t })
    }
}
