//! Schnorr proof of knowledge of a discrete logarithm.

#![allow(non_snake_case)]

use alloc::vec::Vec;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use super::batch::{BatchVerifier, Verifiable};
use crate::encoding::{
    GroupElement, HEADER_LEN, MessageKind, POINT_LEN, Reader, SCALAR_LEN, header,
};
use crate::error::{EncodingError, Error};
use crate::transcript::{TranscriptProtocol, labels};

/// Length of an encoded [`SchnorrProof`]: header, `R`, `z`.
pub const SCHNORR_PROOF_LEN: usize = HEADER_LEN + POINT_LEN + SCALAR_LEN;

/// The statement of a [`SchnorrProof`]: the point `X`, which must not be the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchnorrStatement {
    /// `X = x·G`.
    pub X: GroupElement,
}

/// A non-interactive Schnorr proof of knowledge of `x` such that `X = x·G`.
///
/// Implements `Schnorr.Prove` / `Schnorr.Verify` (SPEC.md §6.2); Schnorr (J. Cryptology
/// 1991) with the Fiat–Shamir transform, in commitment form.
///
/// # Construction
/// Relation: `{ (X; x) : X = x·G }`. On a transcript already bound to the context:
///
/// 1. append `dom-sep = "schnorr-proof v1"`, then `G` and `X`;
/// 2. nonce `k` from the transcript RNG rekeyed with `x` and the caller's RNG;
///    commitment `R = k·G`, appended (rejected if the identity);
/// 3. challenge `c` = 64 bytes under label `c`, reduced mod ℓ;
/// 4. response `z = k + c·x`.
///
/// Verification recomputes `c` and checks
///
/// ```text
/// [z]G == R + [c]X
/// ```
///
/// Used with extra transcript content (a message appended by the caller first) it is a
/// Schnorr signature.
///
/// # Security
/// `X` must not be the identity. The prover is constant-time in `x` and `k`; the
/// verifier is variable-time (public data). The transcript MUST already hold everything
/// the proof is meant to be bound to.
///
/// # Implementation details
/// Encoding (66 bytes): `0x01 ‖ 0x01 ‖ R (32) ‖ z (32)`.
///
/// # Examples
/// ```
/// use secret_ballot::elgamal::SecretKey;
/// use secret_ballot::proofs::{SchnorrProof, SchnorrStatement, Verifiable};
/// use secret_ballot::transcript::election_transcript;
/// # let mut rng = rand_core::OsRng;
/// let x = SecretKey::generate(&mut rng);
/// let statement = SchnorrStatement { X: *x.public_key().element() };
/// let context = [7u8; 32];
/// let proof = SchnorrProof::prove(
///     &mut election_transcript(&context), &statement, x.expose_scalar(), &mut rng)?;
/// let bytes = proof.to_bytes();
/// let decoded = SchnorrProof::from_bytes(&bytes)?;
/// decoded.verify(&mut election_transcript(&context), &statement)?;
/// # Ok::<(), secret_ballot::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchnorrProof {
    R: GroupElement,
    z: Scalar,
}

fn append_statement(
    transcript: &mut Transcript,
    statement: &SchnorrStatement,
) -> Result<(), Error> {
    transcript.schnorr_domain_sep();
    transcript.append_element(labels::G, &GroupElement::GENERATOR);
    transcript.validate_and_append_element(labels::X, &statement.X)
}

impl SchnorrProof {
    /// Proves knowledge of `x` with `statement.X = x·G`.
    ///
    /// # Errors
    /// [`EncodingError::IdentityPoint`] if `X` is the identity. A wrong `x` gives a proof
    /// that does not verify.
    pub fn prove<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        statement: &SchnorrStatement,
        x: &Scalar,
        rng: &mut R,
    ) -> Result<Self, Error> {
        append_statement(transcript, statement)?;
        let mut nonces = super::nonce_rng(transcript, &[(labels::WITNESS_X, x.as_bytes())], rng);
        let mut k = Scalar::random(&mut nonces);
        let R = GroupElement::from_point(RISTRETTO_BASEPOINT_TABLE * &k);
        transcript.validate_and_append_element(labels::R, &R)?;
        let c = transcript.challenge_scalar(labels::C);
        let z = k + c * x;
        k.zeroize();
        Ok(SchnorrProof { R, z })
    }

    fn challenge(
        &self,
        transcript: &mut Transcript,
        statement: &SchnorrStatement,
    ) -> Result<Scalar, Error> {
        append_statement(transcript, statement)?;
        transcript.validate_and_append_element(labels::R, &self.R)?;
        Ok(transcript.challenge_scalar(labels::C))
    }

    /// The encoding `0x01 ‖ 0x01 ‖ R ‖ z`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::SchnorrProof, POINT_LEN + SCALAR_LEN);
        out.extend_from_slice(&self.R.to_bytes());
        out.extend_from_slice(self.z.as_bytes());
        out
    }

    /// Decodes a proof; rejects a wrong header, length, non-canonical or identity `R`,
    /// and a non-canonical `z`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut reader = Reader::new(bytes);
        reader.header(MessageKind::SchnorrProof)?;
        let R = reader.nonidentity_element()?;
        let z = reader.scalar()?;
        reader.finish()?;
        Ok(SchnorrProof { R, z })
    }
}

impl Verifiable for SchnorrProof {
    type Statement = SchnorrStatement;

    fn verify(
        &self,
        transcript: &mut Transcript,
        statement: &SchnorrStatement,
    ) -> Result<(), Error> {
        let c = self
            .challenge(transcript, statement)
            .map_err(|_| Error::InvalidProof)?;
        let expected =
            RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c, statement.X.point(), &self.z);
        if expected == *self.R.point() {
            Ok(())
        } else {
            Err(Error::InvalidProof)
        }
    }

    fn queue(
        &self,
        transcript: &mut Transcript,
        statement: &SchnorrStatement,
        batch: &mut BatchVerifier,
    ) -> Result<(), Error> {
        let c = self
            .challenge(transcript, statement)
            .map_err(|_| Error::InvalidProof)?;
        // w·(z·G − R − c·X) = 0
        let w = batch.weight();
        batch.add_generator(w * self.z);
        batch.add_term(self.R.point(), -w);
        batch.add_shared(&statement.X, -(w * c));
        Ok(())
    }
}
