//! Chaum–Pedersen proof of equality of discrete logarithms.

#![allow(non_snake_case)]

use alloc::vec::Vec;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use super::batch::{BatchVerifier, Verifiable};
use crate::encoding::{
    GroupElement, HEADER_LEN, MessageKind, POINT_LEN, Reader, SCALAR_LEN, header,
};
use crate::error::{EncodingError, Error};
use crate::transcript::{TranscriptProtocol, labels};

/// Length of an encoded [`DleqProof`]: header, `R`, `S`, `z`.
pub const DLEQ_PROOF_LEN: usize = HEADER_LEN + 2 * POINT_LEN + SCALAR_LEN;

/// The statement of a [`DleqProof`]: `P = x·G'` and `Q = x·H` for the same `x`.
///
/// The bases `G'` and `H` must not be the identity. `G'` is usually the generator `G`
/// ([`DleqStatement::with_generator`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqStatement {
    /// First base.
    pub G: GroupElement,
    /// Second base.
    pub H: GroupElement,
    /// `P = x·G`.
    pub P: GroupElement,
    /// `Q = x·H`.
    pub Q: GroupElement,
}

impl DleqStatement {
    /// The statement `P = x·G ∧ Q = x·H` with `G` the standard generator.
    pub fn with_generator(H: GroupElement, P: GroupElement, Q: GroupElement) -> Self {
        DleqStatement {
            G: GroupElement::GENERATOR,
            H,
            P,
            Q,
        }
    }
}

/// A non-interactive Chaum–Pedersen proof that `log_G P = log_H Q`.
///
/// Implements `Dleq.Prove` / `Dleq.Verify` (SPEC.md §6.3); Chaum and Pedersen (Crypto
/// 1992) with Fiat–Shamir, in commitment form. Used for decryption shares
/// (`VKᵢ = sᵢ·G`, `Dᵢ = sᵢ·A`) and for "this ciphertext encrypts exactly `m`"
/// (`A = r·G`, `B − m·G = r·Y`).
///
/// # Construction
/// Relation: `{ (G, H, P, Q; x) : P = x·G ∧ Q = x·H }`. On a transcript already bound
/// to the context:
///
/// 1. append `dom-sep = "dleq-proof v1"`, then `G`, `H`, `P`, `Q`;
/// 2. nonce `k` (transcript RNG rekeyed with `x`); `R = k·G`, `S = k·H`, appended
///    (each rejected if the identity);
/// 3. challenge `c` (64 bytes, label `c`, reduced mod ℓ);
/// 4. response `z = k + c·x`.
///
/// Verification recomputes `c` and checks
///
/// ```text
/// [z]G == R + [c]P
/// [z]H == S + [c]Q
/// ```
///
/// # Security
/// The bases must not be the identity (checked). Prover constant-time in `x` and `k`;
/// verifier variable-time.
///
/// # Implementation details
/// Encoding (98 bytes): `0x01 ‖ 0x02 ‖ R ‖ S ‖ z`.
///
/// # Examples
/// ```
/// use secret_ballot::elgamal::Keypair;
/// use secret_ballot::encoding::GroupElement;
/// use secret_ballot::proofs::{DleqProof, DleqStatement, Verifiable};
/// use secret_ballot::transcript::election_transcript;
/// # let mut rng = rand_core::OsRng;
/// let key = Keypair::generate(&mut rng);
/// let (ct, _) = key.public().encrypt(3, &mut rng);
/// // A decryption share D = y·A, with Y = y·G.
/// let share = GroupElement::from_point(ct.a().point() * key.secret().expose_scalar());
/// let statement = DleqStatement::with_generator(*ct.a(), *key.public().element(), share);
/// let proof = DleqProof::prove(
///     &mut election_transcript(&[0; 32]), &statement, key.secret().expose_scalar(), &mut rng)?;
/// proof.verify(&mut election_transcript(&[0; 32]), &statement)?;
/// # Ok::<(), secret_ballot::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqProof {
    R: GroupElement,
    S: GroupElement,
    z: Scalar,
}

fn append_statement(transcript: &mut Transcript, statement: &DleqStatement) -> Result<(), Error> {
    transcript.dleq_domain_sep();
    transcript.validate_and_append_element(labels::G, &statement.G)?;
    transcript.validate_and_append_element(labels::H, &statement.H)?;
    transcript.append_element(labels::P, &statement.P);
    transcript.append_element(labels::Q, &statement.Q);
    Ok(())
}

impl DleqProof {
    /// Proves `statement.P = x·G ∧ statement.Q = x·H`.
    ///
    /// # Errors
    /// [`EncodingError::IdentityPoint`] if a base is the identity. A wrong `x` gives a
    /// proof that does not verify.
    pub fn prove<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        statement: &DleqStatement,
        x: &Scalar,
        rng: &mut R,
    ) -> Result<Self, Error> {
        append_statement(transcript, statement)?;
        let mut nonces = super::nonce_rng(transcript, &[(labels::WITNESS_X, x.as_bytes())], rng);
        let mut k = Scalar::random(&mut nonces);
        let R = GroupElement::from_point(statement.G.point() * k);
        let S = GroupElement::from_point(statement.H.point() * k);
        transcript.validate_and_append_element(labels::R, &R)?;
        transcript.validate_and_append_element(labels::S, &S)?;
        let c = transcript.challenge_scalar(labels::C);
        let z = k + c * x;
        k.zeroize();
        Ok(DleqProof { R, S, z })
    }

    fn challenge(
        &self,
        transcript: &mut Transcript,
        statement: &DleqStatement,
    ) -> Result<Scalar, Error> {
        append_statement(transcript, statement)?;
        transcript.validate_and_append_element(labels::R, &self.R)?;
        transcript.validate_and_append_element(labels::S, &self.S)?;
        Ok(transcript.challenge_scalar(labels::C))
    }

    /// The encoding `0x01 ‖ 0x02 ‖ R ‖ S ‖ z`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::DleqProof, 2 * POINT_LEN + SCALAR_LEN);
        out.extend_from_slice(&self.R.to_bytes());
        out.extend_from_slice(&self.S.to_bytes());
        out.extend_from_slice(self.z.as_bytes());
        out
    }

    /// Decodes a proof; rejects a wrong header or length, non-canonical or identity
    /// commitments, and a non-canonical response.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut reader = Reader::new(bytes);
        reader.header(MessageKind::DleqProof)?;
        let R = reader.nonidentity_element()?;
        let S = reader.nonidentity_element()?;
        let z = reader.scalar()?;
        reader.finish()?;
        Ok(DleqProof { R, S, z })
    }
}

impl Verifiable for DleqProof {
    type Statement = DleqStatement;

    fn verify(&self, transcript: &mut Transcript, statement: &DleqStatement) -> Result<(), Error> {
        let c = self
            .challenge(transcript, statement)
            .map_err(|_| Error::InvalidProof)?;
        let minus_c = -c;
        let first = RistrettoPoint::vartime_multiscalar_mul(
            [self.z, minus_c],
            [statement.G.point(), statement.P.point()],
        );
        let second = RistrettoPoint::vartime_multiscalar_mul(
            [self.z, minus_c],
            [statement.H.point(), statement.Q.point()],
        );
        if first == *self.R.point() && second == *self.S.point() {
            Ok(())
        } else {
            Err(Error::InvalidProof)
        }
    }

    fn queue(
        &self,
        transcript: &mut Transcript,
        statement: &DleqStatement,
        batch: &mut BatchVerifier,
    ) -> Result<(), Error> {
        let c = self
            .challenge(transcript, statement)
            .map_err(|_| Error::InvalidProof)?;
        // u·(z·G − R − c·P) + w·(z·H − S − c·Q) = 0
        let u = batch.weight();
        let w = batch.weight();
        batch.add_shared(&statement.G, u * self.z);
        batch.add_term(self.R.point(), -u);
        batch.add_term(statement.P.point(), -(u * c));
        batch.add_shared(&statement.H, w * self.z);
        batch.add_term(self.S.point(), -w);
        batch.add_term(statement.Q.point(), -(w * c));
        Ok(())
    }
}
