//! The issuance report: the issuer's signed list of representatives who took a
//! credential (SPEC.md §9.7).

use alloc::vec::Vec;
use core::fmt;

use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::elgamal::{PublicKey, SecretKey};
use crate::encoding::{MessageKind, Reader, SCALAR_LEN, header};
use crate::error::{EncodingError, Error};
use crate::proofs::{SCHNORR_PROOF_LEN, SchnorrProof, SchnorrStatement, Verifiable};
use crate::transcript::{CONTEXT_LEN, TranscriptProtocol, election_transcript, labels};

/// The longest representative identifier.
pub const MAX_VOTER_ID_LEN: usize = 255;

/// A representative's identifier on the roster (1 to 255 bytes, e.g. a staff number).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VoterId(Vec<u8>);

impl VoterId {
    /// Wraps an identifier.
    ///
    /// # Errors
    /// [`Error::InvalidVoterId`] if it is empty or longer than [`MAX_VOTER_ID_LEN`].
    pub fn new(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.is_empty() || bytes.len() > MAX_VOTER_ID_LEN {
            return Err(Error::InvalidVoterId);
        }
        Ok(VoterId(bytes.to_vec()))
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The key that signs issuance reports: a Schnorr key published in the manifest,
/// separate from the blind-signing key. Zeroized, redacted.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ReportKeypair(SecretKey);

impl ReportKeypair {
    /// Generates a key.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        ReportKeypair(SecretKey::generate(rng))
    }

    /// Restores a key.
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        SecretKey::from_bytes(bytes).map(ReportKeypair)
    }

    /// The secret encoding.
    pub fn expose_secret_bytes(&self) -> Zeroizing<[u8; SCALAR_LEN]> {
        self.0.expose_bytes()
    }

    /// The public key, to publish in the manifest.
    pub fn public(&self) -> PublicKey {
        self.0.public_key()
    }
}

impl fmt::Debug for ReportKeypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReportKeypair(<redacted>)")
    }
}

/// The issuer's signed list of the representatives who took a credential for an
/// election. It goes into the election record: anyone checks that no more ballots were
/// cast than credentials issued, and each representative can see whether their name is
/// on it.
///
/// Encoding: `0x01 ‖ 0x24 ‖ context (32) ‖ LE32(count) ‖ (u8(len) ‖ id) × count ‖
/// Schnorr proof (66)`; identifiers strictly increasing (bytewise), hence unique.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuanceReport {
    context: [u8; CONTEXT_LEN],
    voters: Vec<VoterId>,
    signature: SchnorrProof,
}

fn report_transcript(context: &[u8; CONTEXT_LEN], voters: &[VoterId]) -> Transcript {
    let mut t = election_transcript(context);
    t.domain_sep(labels::ISSUANCE_REPORT);
    t.append_u64(labels::COUNT, voters.len() as u64);
    for voter in voters {
        t.append_message(labels::VOTER, voter.as_bytes());
    }
    t
}

impl IssuanceReport {
    /// Signs the list (sorted and checked for duplicates here).
    ///
    /// Implements `Credential.Report` (SPEC.md §9.7).
    ///
    /// # Errors
    /// [`Error::InvalidVoterId`] if an identifier repeats.
    pub fn sign<R: RngCore + CryptoRng>(
        context: &[u8; CONTEXT_LEN],
        mut voters: Vec<VoterId>,
        key: &ReportKeypair,
        rng: &mut R,
    ) -> Result<Self, Error> {
        voters.sort();
        if voters.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(Error::InvalidVoterId);
        }
        let statement = SchnorrStatement {
            X: *key.public().element(),
        };
        let secret: &Scalar = key.0.expose_scalar();
        let signature = SchnorrProof::prove(
            &mut report_transcript(context, &voters),
            &statement,
            secret,
            rng,
        )?;
        Ok(IssuanceReport {
            context: *context,
            voters,
            signature,
        })
    }

    /// Verifies the signature under the report key from the manifest, for this election.
    ///
    /// # Errors
    /// [`Error::InvalidProof`].
    pub fn verify(&self, key: &PublicKey, context: &[u8; CONTEXT_LEN]) -> Result<(), Error> {
        if &self.context != context {
            return Err(Error::InvalidProof);
        }
        let statement = SchnorrStatement { X: *key.element() };
        self.signature
            .verify(&mut report_transcript(context, &self.voters), &statement)
    }

    /// The representatives issued a credential (sorted).
    pub fn voters(&self) -> &[VoterId] {
        &self.voters
    }

    /// The number of credentials issued.
    pub fn count(&self) -> usize {
        self.voters.len()
    }

    /// The encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(
            MessageKind::IssuanceReport,
            CONTEXT_LEN + 4 + SCHNORR_PROOF_LEN,
        );
        out.extend_from_slice(&self.context);
        out.extend_from_slice(
            &u32::try_from(self.voters.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        for voter in &self.voters {
            out.push(u8::try_from(voter.0.len()).unwrap_or(u8::MAX));
            out.extend_from_slice(&voter.0);
        }
        out.extend_from_slice(&self.signature.to_bytes());
        out
    }

    /// Decodes a report; rejects empty, over-long, unsorted or repeated identifiers.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::IssuanceReport)?;
        let context = r.array::<CONTEXT_LEN>()?;
        let count = r.u32_le()? as usize;
        // Each entry takes at least two bytes: bound the allocation by the input.
        let mut voters: Vec<VoterId> = Vec::with_capacity(count.min(bytes.len() / 2));
        for _ in 0..count {
            let len = usize::from(r.u8()?);
            let voter =
                VoterId::new(r.take(len)?).map_err(|_| EncodingError::CountOutOfBounds {
                    count: len,
                    limit: MAX_VOTER_ID_LEN,
                })?;
            if voters.last().is_some_and(|last| last >= &voter) {
                return Err(EncodingError::NotStrictlyIncreasing);
            }
            voters.push(voter);
        }
        let signature = SchnorrProof::from_bytes(r.rest())?;
        Ok(IssuanceReport {
            context,
            voters,
            signature,
        })
    }
}
