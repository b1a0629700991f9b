//! Aggregate-only threshold decryption (SPEC.md §8).

#![allow(non_snake_case)]

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use super::{KeyShare, PublicKeyPackage, lagrange_at_zero};
use crate::elgamal::{CIPHERTEXT_LEN, Ciphertext, DlogTable};
use crate::encoding::{GroupElement, MessageKind, POINT_LEN, Reader, header};
use crate::error::{EncodingError, Error};
use crate::proofs::{DLEQ_PROOF_LEN, DleqProof, DleqStatement, Verifiable};
use crate::transcript::{
    CONTEXT_LEN, TranscriptProtocol, election_transcript, hash_to_bytes, labels, tags,
};

/// The largest number of ciphertexts in one aggregate.
pub const MAX_AGGREGATE_WIDTH: usize = 4096;

/// The homomorphic sum of a set of ballots: one ciphertext per position (option), and
/// the number of ballots summed.
///
/// Implements `Tally.Aggregate` (SPEC.md §8.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aggregate {
    ballots: u64,
    ciphertexts: Vec<Ciphertext>,
}

impl Aggregate {
    /// Sums ballots of `width` ciphertexts each.
    ///
    /// # Errors
    /// [`Error::AggregateMismatch`] if a ballot has another width, if `width` is 0 or
    /// above [`MAX_AGGREGATE_WIDTH`], or if a ciphertext occurs twice (a repeated ballot
    /// would multiply one voter's choice).
    pub fn from_ballots<B: AsRef<[Ciphertext]>>(
        ballots: &[B],
        width: usize,
    ) -> Result<Self, Error> {
        if width == 0 || width > MAX_AGGREGATE_WIDTH {
            return Err(Error::AggregateMismatch);
        }
        let mut seen: BTreeSet<[u8; CIPHERTEXT_LEN]> = BTreeSet::new();
        let mut sums = alloc::vec![Ciphertext::zero(); width];
        let mut points: Vec<(RistrettoPoint, RistrettoPoint)> = sums
            .iter()
            .map(|c| (*c.a().point(), *c.b().point()))
            .collect();
        for ballot in ballots {
            let ballot = ballot.as_ref();
            if ballot.len() != width {
                return Err(Error::AggregateMismatch);
            }
            for (sum, ciphertext) in points.iter_mut().zip(ballot) {
                if !seen.insert(ciphertext.to_bytes()) {
                    return Err(Error::AggregateMismatch);
                }
                sum.0 += ciphertext.a().point();
                sum.1 += ciphertext.b().point();
            }
        }
        for (sum, (a, b)) in sums.iter_mut().zip(points) {
            *sum = Ciphertext::from_points(a, b);
        }
        Ok(Aggregate {
            ballots: ballots.len() as u64,
            ciphertexts: sums,
        })
    }

    /// Builds an aggregate from its parts (as read from a record).
    ///
    /// # Errors
    /// [`Error::AggregateMismatch`] if there are no ciphertexts or more than
    /// [`MAX_AGGREGATE_WIDTH`].
    pub fn from_parts(ballots: u64, ciphertexts: Vec<Ciphertext>) -> Result<Self, Error> {
        if ciphertexts.is_empty() || ciphertexts.len() > MAX_AGGREGATE_WIDTH {
            return Err(Error::AggregateMismatch);
        }
        Ok(Aggregate {
            ballots,
            ciphertexts,
        })
    }

    /// The number of votes summed: the ballots, plus the paper voters when a paper count
    /// was added ([`crate::tally::OfflineCount::add_to`], SPEC.md §14.5). Totals decode in
    /// `[0, ballots]`.
    pub fn ballots(&self) -> u64 {
        self.ballots
    }

    /// The summed ciphertexts, one per position.
    pub fn ciphertexts(&self) -> &[Ciphertext] {
        &self.ciphertexts
    }

    /// The canonical encoding, as a record entry's payload (SPEC.md §14.5):
    /// `0x01 ‖ 0x43 ‖ LE64(ballots) ‖ LE16(width) ‖ Encode(A, B) × width`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(
            MessageKind::Aggregate,
            10 + CIPHERTEXT_LEN * self.ciphertexts.len(),
        );
        out.extend_from_slice(&self.ballots.to_le_bytes());
        out.extend_from_slice(
            &u16::try_from(self.ciphertexts.len())
                .unwrap_or(u16::MAX)
                .to_le_bytes(),
        );
        for c in &self.ciphertexts {
            out.extend_from_slice(&c.to_bytes());
        }
        out
    }

    /// Decodes an aggregate. Rejects a width of 0 or above [`MAX_AGGREGATE_WIDTH`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::Aggregate)?;
        let ballots = r.u64_le()?;
        let width = usize::from(r.u16_le()?);
        if width == 0 || width > MAX_AGGREGATE_WIDTH {
            return Err(EncodingError::CountOutOfBounds {
                count: width,
                limit: MAX_AGGREGATE_WIDTH,
            });
        }
        let ciphertexts = (0..width)
            .map(|_| Ciphertext::from_bytes(r.take(CIPHERTEXT_LEN)?))
            .collect::<Result<Vec<_>, _>>()?;
        r.finish()?;
        Ok(Aggregate {
            ballots,
            ciphertexts,
        })
    }

    /// `HashToBytes("aggregate-hash", context ‖ LE64(ballots) ‖ LE64(width) ‖ ciphertexts)`
    /// (SPEC.md §8.1): what a decryption share is bound to.
    pub fn hash(&self, context: &[u8; CONTEXT_LEN]) -> [u8; 32] {
        let ballots = self.ballots.to_le_bytes();
        let width = (self.ciphertexts.len() as u64).to_le_bytes();
        let encoded: Vec<[u8; CIPHERTEXT_LEN]> =
            self.ciphertexts.iter().map(Ciphertext::to_bytes).collect();
        let mut parts: Vec<&[u8]> = alloc::vec![context.as_slice(), &ballots, &width];
        parts.extend(encoded.iter().map(|c| c.as_slice()));
        hash_to_bytes(tags::AGGREGATE_HASH, &parts)
    }
}

fn share_transcript(
    context: &[u8; CONTEXT_LEN],
    trustee: u16,
    aggregate_hash: &[u8; 32],
    position: usize,
) -> Transcript {
    let mut t = election_transcript(context);
    t.domain_sep(labels::DECRYPTION_SHARE);
    t.append_u64(labels::TRUSTEE, u64::from(trustee));
    t.append_message(labels::AGGREGATE, aggregate_hash);
    t.append_u64(labels::POSITION, position as u64);
    t
}

/// One trustee's partial decryption of an aggregate: `Dₖ = sᵢ·Aₖ` for every position
/// `k`, each with a Chaum–Pedersen proof that `log_G VKᵢ = log_{Aₖ} Dₖ`, in a transcript
/// bound to the election, the trustee, the aggregate's hash and the position.
///
/// Encoding: `0x01 ‖ 0x14 ‖ LE16(trustee) ‖ aggregate hash (32) ‖ LE16(width) ‖
/// (D ‖ DLEQ proof (98)) × width`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecryptionShare {
    trustee: u16,
    aggregate_hash: [u8; 32],
    parts: Vec<(GroupElement, DleqProof)>,
}

impl DecryptionShare {
    /// The trustee who made it.
    pub fn trustee(&self) -> u16 {
        self.trustee
    }

    /// The hash of the aggregate it decrypts.
    pub fn aggregate_hash(&self) -> &[u8; 32] {
        &self.aggregate_hash
    }

    /// The partial decryptions `Dₖ = sᵢ·Aₖ`, one per position (public).
    pub fn partial_decryptions(&self) -> impl Iterator<Item = &GroupElement> {
        self.parts.iter().map(|(D, _)| D)
    }

    /// Verifies the share against the public ceremony result and the aggregate.
    ///
    /// Implements `Tally.VerifyShare` (SPEC.md §8.3).
    ///
    /// # Errors
    /// [`Error::InvalidDecryptionShares`] naming the trustee if the trustee is unknown or
    /// not a key holder, the share is for another aggregate, or a proof fails.
    pub fn verify(
        &self,
        public: &PublicKeyPackage,
        context: &[u8; CONTEXT_LEN],
        aggregate: &Aggregate,
    ) -> Result<(), Error> {
        let culprit = || Error::InvalidDecryptionShares {
            culprits: alloc::vec![usize::from(self.trustee)],
        };
        let vk = *public
            .verification_key(self.trustee)
            .map_err(|_| culprit())?;
        if self.aggregate_hash != aggregate.hash(context)
            || self.parts.len() != aggregate.ciphertexts.len()
        {
            return Err(culprit());
        }
        for (k, ((D, proof), ciphertext)) in
            self.parts.iter().zip(&aggregate.ciphertexts).enumerate()
        {
            let statement = DleqStatement::with_generator(*ciphertext.a(), vk, *D);
            let mut t = share_transcript(context, self.trustee, &self.aggregate_hash, k);
            proof.verify(&mut t, &statement).map_err(|_| culprit())?;
        }
        Ok(())
    }

    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(
            MessageKind::DecryptionShare,
            36 + self.parts.len() * (POINT_LEN + DLEQ_PROOF_LEN),
        );
        out.extend_from_slice(&self.trustee.to_le_bytes());
        out.extend_from_slice(&self.aggregate_hash);
        out.extend_from_slice(
            &u16::try_from(self.parts.len())
                .unwrap_or(u16::MAX)
                .to_le_bytes(),
        );
        for (D, proof) in &self.parts {
            out.extend_from_slice(&D.to_bytes());
            out.extend_from_slice(&proof.to_bytes());
        }
        out
    }

    /// Decodes a share. Rejects a width of 0 or above [`MAX_AGGREGATE_WIDTH`], a length
    /// that does not match it, and any malformed point or proof.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::DecryptionShare)?;
        let trustee = r.u16_le()?;
        let aggregate_hash = r.array::<32>()?;
        let width = usize::from(r.u16_le()?);
        if width == 0 || width > MAX_AGGREGATE_WIDTH {
            return Err(EncodingError::CountOutOfBounds {
                count: width,
                limit: MAX_AGGREGATE_WIDTH,
            });
        }
        let mut parts = Vec::with_capacity(width);
        for _ in 0..width {
            let D = r.element()?;
            let proof = DleqProof::from_bytes(r.take(DLEQ_PROOF_LEN)?)?;
            parts.push((D, proof));
        }
        r.finish()?;
        Ok(DecryptionShare {
            trustee,
            aggregate_hash,
            parts,
        })
    }
}

impl KeyShare {
    /// Produces this trustee's decryption share of an aggregate, after recomputing the
    /// aggregate itself from the ballots it is handed.
    ///
    /// Implements `Tally.DecryptShare` (SPEC.md §8.2). This is the only decryption a
    /// key share can do: there is no function that decrypts a single ciphertext.
    ///
    /// # Errors
    /// * [`Error::BelowPrivacyFloor`] if fewer than `privacy_floor` ballots were cast;
    /// * [`Error::AggregateMismatch`] if the ballots do not sum to `aggregate` (or repeat a
    ///   ciphertext, or differ in width).
    pub fn decrypt_aggregate<B: AsRef<[Ciphertext]>, R: RngCore + CryptoRng>(
        &self,
        ballots: &[B],
        aggregate: &Aggregate,
        privacy_floor: u64,
        rng: &mut R,
    ) -> Result<DecryptionShare, Error> {
        let cast = ballots.len() as u64;
        if cast < privacy_floor.max(1) {
            return Err(Error::BelowPrivacyFloor {
                ballots: cast,
                floor: privacy_floor.max(1),
            });
        }
        let recomputed = Aggregate::from_ballots(ballots, aggregate.ciphertexts.len())?;
        if &recomputed != aggregate {
            return Err(Error::AggregateMismatch);
        }
        self.share_of(&recomputed, rng)
    }

    /// The decryption share of an aggregate this crate recomputed itself: from the ballots
    /// ([`KeyShare::decrypt_aggregate`]) or from a record that verified
    /// ([`crate::verify::decrypt_record`]). Crate-private, so no caller can hand a key
    /// share an arbitrary ciphertext.
    pub(crate) fn share_of<R: RngCore + CryptoRng>(
        &self,
        recomputed: &Aggregate,
        rng: &mut R,
    ) -> Result<DecryptionShare, Error> {
        let aggregate_hash = recomputed.hash(&self.context);
        let vk = *self.public.verification_key(self.index)?;
        let mut parts = Vec::with_capacity(recomputed.ciphertexts.len());
        for (k, ciphertext) in recomputed.ciphertexts.iter().enumerate() {
            let D = GroupElement::from_point(ciphertext.a().point() * self.expose_share());
            let statement = DleqStatement::with_generator(*ciphertext.a(), vk, D);
            let mut t = share_transcript(&self.context, self.index, &aggregate_hash, k);
            let proof = DleqProof::prove(&mut t, &statement, self.expose_share(), rng)?;
            parts.push((D, proof));
        }
        Ok(DecryptionShare {
            trustee: self.index,
            aggregate_hash,
            parts,
        })
    }
}

/// The decrypted totals of an aggregate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    /// One total per position of the aggregate.
    pub totals: Vec<u64>,
    /// The trustees whose shares were combined (increasing).
    pub trustees: Vec<u16>,
    /// Trustees whose shares were rejected (increasing); the tally is still correct.
    pub rejected: Vec<usize>,
}

/// Verifies the decryption shares, rejects and names invalid ones, and combines `t`
/// valid shares (Lagrange interpolation at 0) into the totals.
///
/// Implements `Tally.Combine` (SPEC.md §8.4). Totals are decoded in `[0, ballots]`
/// (every ballot position encrypts a bit).
///
/// # Errors
/// [`Error::NotEnoughShares`] if fewer than `t` shares are valid (with the rejected
/// trustees); [`Error::PlaintextOutOfRange`] if a total is not in `[0, ballots]`.
pub fn combine(
    public: &PublicKeyPackage,
    context: &[u8; CONTEXT_LEN],
    aggregate: &Aggregate,
    shares: &[DecryptionShare],
) -> Result<Tally, Error> {
    let mut valid: Vec<&DecryptionShare> = Vec::new();
    let mut rejected = BTreeSet::new();
    for share in shares {
        if share.verify(public, context, aggregate).is_err() {
            rejected.insert(usize::from(share.trustee));
        } else if !valid.iter().any(|v| v.trustee == share.trustee) {
            // A valid share is deterministic in its D values; a second one adds nothing.
            valid.push(share);
        }
    }
    let rejected: Vec<usize> = rejected.into_iter().collect();
    let needed = public.threshold();
    if valid.len() < usize::from(needed) {
        return Err(Error::NotEnoughShares {
            valid: valid.len(),
            needed,
            culprits: rejected,
        });
    }
    valid.sort_by_key(|s| s.trustee);
    valid.truncate(usize::from(needed));
    let indices: Vec<u16> = valid.iter().map(|s| s.trustee).collect();
    let lambdas: Vec<Scalar> = indices
        .iter()
        .map(|&i| lagrange_at_zero(i, &indices))
        .collect();
    let table = DlogTable::new(aggregate.ballots)?;
    let mut totals = Vec::with_capacity(aggregate.ciphertexts.len());
    for (k, ciphertext) in aggregate.ciphertexts.iter().enumerate() {
        // M = B − Σ λᵢ·Dᵢ. Collected first: dalek asserts that both iterators report the
        // same length, and every valid share has a part at every position.
        let mut scalars = Vec::with_capacity(lambdas.len() + 1);
        let mut points = Vec::with_capacity(lambdas.len() + 1);
        scalars.push(Scalar::ONE);
        points.push(*ciphertext.b().point());
        for (lambda, share) in lambdas.iter().zip(&valid) {
            let (D, _) = share.parts.get(k).ok_or(Error::AggregateMismatch)?;
            scalars.push(-lambda);
            points.push(*D.point());
        }
        let M = RistrettoPoint::vartime_multiscalar_mul(&scalars, &points);
        totals.push(table.vartime_lookup(&M)?);
    }
    Ok(Tally {
        totals,
        trustees: indices,
        rejected,
    })
}
