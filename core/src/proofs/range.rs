//! Disjunctive Chaum–Pedersen proof that a ciphertext encrypts a value in `[min, max]`.

#![allow(non_snake_case)]

use alloc::vec::Vec;

use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, MultiscalarMul, VartimeMultiscalarMul};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use subtle::{ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater, ConstantTimeLess};
use zeroize::{Zeroize, Zeroizing};

use super::batch::{BatchVerifier, Verifiable};
use crate::elgamal::{Ciphertext, EncryptionKey, PublicKey, Randomness, half};
use crate::encoding::{
    GroupElement, HEADER_LEN, MessageKind, POINT_LEN, Reader, SCALAR_LEN, header,
};
use crate::error::{EncodingError, Error};
use crate::transcript::{TranscriptProtocol, labels};

/// The largest number of values (`max − min + 1`) a range proof may cover.
///
/// A proof is linear in this number (128 bytes per value); 1024 covers any ballot a
/// congress has. Decoders reject larger counts before allocating.
pub const MAX_RANGE_BRANCHES: usize = 1024;

/// An inclusive range of values `[min, max]` with `1 ≤ max − min + 1 ≤ MAX_RANGE_BRANCHES`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueRange {
    min: u64,
    max: u64,
}

impl ValueRange {
    /// `{0, 1}`: a vote bit.
    pub const BIT: ValueRange = ValueRange { min: 0, max: 1 };

    /// The range `[min, max]`.
    ///
    /// # Errors
    /// [`Error::InvalidRange`] if `min > max` or the range has more than
    /// [`MAX_RANGE_BRANCHES`] values.
    pub fn new(min: u64, max: u64) -> Result<Self, Error> {
        let width = max
            .checked_sub(min)
            .ok_or(Error::InvalidRange { min, max })?;
        if width >= MAX_RANGE_BRANCHES as u64 {
            return Err(Error::InvalidRange { min, max });
        }
        Ok(ValueRange { min, max })
    }

    /// The lower end.
    pub fn min(&self) -> u64 {
        self.min
    }

    /// The upper end.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The number of values, `max − min + 1` (between 1 and [`MAX_RANGE_BRANCHES`]).
    pub fn len(&self) -> usize {
        // Bounded by MAX_RANGE_BRANCHES at construction.
        usize::try_from(self.max - self.min).unwrap_or(MAX_RANGE_BRANCHES) + 1
    }

    /// Always false: a range holds at least one value.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// The statement of a [`RangeProof`]: `ciphertext` encrypts, under `public_key`, a value
/// in `range`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeStatement {
    /// The ElGamal public key `Y`.
    pub public_key: PublicKey,
    /// The ciphertext `(A, B)`.
    pub ciphertext: Ciphertext,
    /// The admissible values.
    pub range: ValueRange,
}

/// A non-interactive disjunctive Chaum–Pedersen proof that an exponential-ElGamal
/// ciphertext encrypts one of the values `min, min + 1, …, max`.
///
/// Implements `Range.Prove` / `Range.Verify` (SPEC.md §6.4): the OR-composition of
/// Cramer, Damgård and Schoenmakers (Crypto 1994) over Chaum–Pedersen proofs, as in
/// Helios and ElectionGuard, in commitment form. `[0, 1]` ([`ValueRange::BIT`]) proves a
/// ciphertext encrypts a bit; a wider range proves a sum of bits is within bounds.
///
/// # Construction
/// Relation: `{ (Y, A, B, min, max; r, m) : A = r·G ∧ B = m·G + r·Y ∧ min ≤ m ≤ max }`.
/// Let `n = max − min + 1`, `vⱼ = min + j`, `k = m − min` the true branch. On a
/// transcript already bound to the context:
///
/// 1. append `dom-sep = "range-proof v1"`, `min`, `max` (u64 LE), then `G`, `Y`, `A`, `B`;
/// 2. from the transcript RNG rekeyed with `r` and `m`: a nonce `w` and, for every
///    branch `j`, a simulated challenge `cⱼ` and response `zⱼ`;
/// 3. for every `j`: `Rⱼ = zⱼ·G − cⱼ·A`, `Sⱼ = zⱼ·Y − cⱼ·(B − vⱼ·G)`, except that for
///    `j = k` (selected in constant time) `Rₖ = w·G`, `Sₖ = w·Y`; append
///    `R₀, S₀, …, Rₙ₋₁, Sₙ₋₁` (each rejected if the identity);
/// 4. challenge `c` (64 bytes, label `c`, reduced mod ℓ);
/// 5. `cₖ = c − Σ_{j≠k} cⱼ`, `zₖ = w + cₖ·r` (again selected in constant time).
///
/// Verification recomputes `c`, sets `cₙ₋₁ = c − Σ_{j<n−1} cⱼ`, and checks for every `j`
///
/// ```text
/// [zⱼ]G == Rⱼ + [cⱼ]A
/// [zⱼ]Y == Sⱼ + [cⱼ](B − [vⱼ]G)
/// ```
///
/// # Security
/// The prover computes every branch the same way and selects with `subtle`, so its
/// time and memory accesses do not depend on the value (only on `n`). A value outside
/// the range is refused ([`Error::ValueOutOfRange`]), which reveals only that it was
/// out of range. The verifier is variable-time.
///
/// # Implementation details
/// Encoding (`128·n − 28` bytes): `0x01 ‖ 0x03 ‖ n (u16 LE) ‖ R₀ ‖ S₀ ‖ … ‖ Rₙ₋₁ ‖ Sₙ₋₁ ‖
/// c₀ ‖ … ‖ cₙ₋₂ ‖ z₀ ‖ … ‖ zₙ₋₁`. A bit proof is 228 bytes.
///
/// # Examples
/// ```
/// use secret_ballot::elgamal::Keypair;
/// use secret_ballot::proofs::{RangeProof, RangeStatement, ValueRange, Verifiable};
/// use secret_ballot::transcript::election_transcript;
/// # let mut rng = rand_core::OsRng;
/// let key = Keypair::generate(&mut rng);
/// let (ciphertext, randomness) = key.public().encrypt(1, &mut rng);
/// let statement = RangeStatement { public_key: *key.public(), ciphertext, range: ValueRange::BIT };
/// let proof = RangeProof::prove(&mut election_transcript(&[0; 32]), &statement, 1, &randomness, &mut rng)?;
/// proof.verify(&mut election_transcript(&[0; 32]), &statement)?;
/// # Ok::<(), secret_ballot::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeProof {
    /// `(Rⱼ, Sⱼ)` for every branch.
    commitments: Vec<(GroupElement, GroupElement)>,
    /// `c₀ … cₙ₋₂` (the last is implied).
    challenges: Vec<Scalar>,
    /// `z₀ … zₙ₋₁`.
    responses: Vec<Scalar>,
}

fn append_statement(transcript: &mut Transcript, statement: &RangeStatement) {
    transcript.range_domain_sep(statement.range.min, statement.range.max);
    transcript.append_element(labels::G, &GroupElement::GENERATOR);
    transcript.append_element(labels::Y, statement.public_key.element());
    transcript.append_element(labels::A, statement.ciphertext.a());
    transcript.append_element(labels::B, statement.ciphertext.b());
}

/// One proof for [`RangeProof::prove_many`]: the transcript to make it on (already bound
/// to its context), its statement, and the witness (the value and the randomness behind
/// the statement's ciphertext).
pub struct RangeWitness<'a> {
    /// The transcript, in the state just before the proof; the proof is appended to it.
    pub transcript: &'a mut Transcript,
    /// The statement.
    pub statement: &'a RangeStatement,
    /// The encrypted value.
    pub value: u64,
    /// The ciphertext's randomness.
    pub randomness: &'a Randomness,
}

impl core::fmt::Debug for RangeWitness<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RangeWitness")
            .field("statement", self.statement)
            .finish_non_exhaustive()
    }
}

/// A proof between its commitments and its responses.
struct Pending {
    /// `w`, the real branch's nonce.
    w: Zeroizing<Scalar>,
    /// `cⱼ` as drawn (the real branch's is replaced).
    challenges: Vec<Scalar>,
    /// `zⱼ` as drawn (the real branch's is replaced).
    responses: Vec<Scalar>,
    /// Where its commitments start in the batch.
    first: usize,
}

impl RangeProof {
    /// Proves that `statement.ciphertext`, made with `randomness`, encrypts `value`, and
    /// that `value` lies in `statement.range`.
    ///
    /// # Errors
    /// [`Error::ValueOutOfRange`] if `value` is outside the range. A `value` or
    /// `randomness` that does not match the ciphertext gives a proof that does not verify.
    pub fn prove<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        statement: &RangeStatement,
        value: u64,
        randomness: &Randomness,
        rng: &mut R,
    ) -> Result<Self, Error> {
        let key = EncryptionKey::new(statement.public_key);
        let mut witness = [RangeWitness {
            transcript,
            statement,
            value,
            randomness,
        }];
        let mut proofs = Self::prove_many(&key, &mut witness, rng)?;
        proofs.pop().ok_or(Error::Internal("one proof"))
    }

    /// Proves several statements at once, as [`prove`](Self::prove) would one after the
    /// other (same nonces from `rng` in the same order, same proofs), with every
    /// commitment encoded in one batch and multiplications by a statement's key going
    /// through `key`'s table when the statement is under `key`.
    ///
    /// # Errors
    /// [`Error::ValueOutOfRange`] if any value is outside its range (checked before any
    /// randomness is drawn).
    pub fn prove_many<R: RngCore + CryptoRng>(
        key: &EncryptionKey,
        witnesses: &mut [RangeWitness<'_>],
        rng: &mut R,
    ) -> Result<Vec<Self>, Error> {
        for witness in witnesses.iter() {
            let range = witness.statement.range;
            let in_range = !(witness.value.ct_lt(&range.min) | witness.value.ct_gt(&range.max));
            if !bool::from(in_range) {
                return Err(Error::ValueOutOfRange);
            }
        }
        Ok(prove_all(key, witnesses, rng))
    }

    /// The textbook prover, without the range check: simulated branches are computed
    /// from the ciphertext (`Rⱼ = zⱼ·G − cⱼ·A`, `Sⱼ = zⱼ·Y − cⱼ·(B − vⱼ·G)`), in
    /// constant time but with variable-base multiplications and one compression per
    /// point.
    ///
    /// For tests only: a cheating prover (a value out of range, a witness that does not
    /// match the ciphertext) must not produce a proof that verifies, and for an honest
    /// witness [`prove`](Self::prove) must give exactly this proof.
    #[doc(hidden)]
    pub fn prove_unchecked<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        statement: &RangeStatement,
        value: u64,
        randomness: &Randomness,
        rng: &mut R,
    ) -> Self {
        let range = statement.range;
        let n = range.len();
        let r = randomness.expose_scalar();
        let Y = statement.public_key.element().point();
        let A = statement.ciphertext.a().point();
        let B = statement.ciphertext.b().point();
        let true_index = value.wrapping_sub(range.min);

        append_statement(transcript, statement);
        let value_bytes = value.to_le_bytes();
        let mut nonces = super::nonce_rng(
            transcript,
            &[
                (labels::WITNESS_R, r.as_bytes()),
                (labels::WITNESS_V, &value_bytes),
            ],
            rng,
        );
        let mut w = Scalar::random(&mut nonces);
        let real_R = RISTRETTO_BASEPOINT_TABLE * &w;
        let real_S = Y * w;

        let mut challenges = Vec::with_capacity(n);
        let mut responses = Vec::with_capacity(n);
        let mut commitments = Vec::with_capacity(n);
        let mut shifted_B = B - RISTRETTO_BASEPOINT_TABLE * &Scalar::from(range.min);
        for j in 0..n as u64 {
            let is_real = j.ct_eq(&true_index);
            let c_j = Scalar::random(&mut nonces);
            let z_j = Scalar::random(&mut nonces);
            let sim_R =
                RistrettoPoint::multiscalar_mul([z_j, -c_j], [RISTRETTO_BASEPOINT_POINT, *A]);
            let sim_S = RistrettoPoint::multiscalar_mul([z_j, -c_j], [*Y, shifted_B]);
            let R_j = RistrettoPoint::conditional_select(&sim_R, &real_R, is_real);
            let S_j = RistrettoPoint::conditional_select(&sim_S, &real_S, is_real);
            commitments.push((GroupElement::from_point(R_j), GroupElement::from_point(S_j)));
            challenges.push(c_j);
            responses.push(z_j);
            shifted_B -= RISTRETTO_BASEPOINT_POINT;
        }
        for (R_j, S_j) in &commitments {
            // An identity commitment has negligible probability; the verifier would reject
            // it, so absorb it unchecked and let verification fail.
            transcript.append_element(labels::R, R_j);
            transcript.append_element(labels::S, S_j);
        }
        let c = transcript.challenge_scalar(labels::C);

        let mut others = Scalar::ZERO;
        for (j, c_j) in challenges.iter().enumerate() {
            let is_real = (j as u64).ct_eq(&true_index);
            others += Scalar::conditional_select(c_j, &Scalar::ZERO, is_real);
        }
        let c_real = c - others;
        let z_real = w + c_real * r;
        for (j, (c_j, z_j)) in challenges.iter_mut().zip(responses.iter_mut()).enumerate() {
            let is_real = (j as u64).ct_eq(&true_index);
            c_j.conditional_assign(&c_real, is_real);
            z_j.conditional_assign(&z_real, is_real);
        }
        w.zeroize();
        challenges.pop();
        RangeProof {
            commitments,
            challenges,
            responses,
        }
    }

    /// The number of branches `n` this proof covers.
    pub fn branches(&self) -> usize {
        self.responses.len()
    }

    /// Recomputes the challenge and returns every branch challenge `c₀ … cₙ₋₁`.
    fn branch_challenges(
        &self,
        transcript: &mut Transcript,
        statement: &RangeStatement,
    ) -> Result<Vec<Scalar>, Error> {
        if self.branches() != statement.range.len() {
            return Err(Error::InvalidProof);
        }
        append_statement(transcript, statement);
        for (R_j, S_j) in &self.commitments {
            transcript.validate_and_append_element(labels::R, R_j)?;
            transcript.validate_and_append_element(labels::S, S_j)?;
        }
        let c = transcript.challenge_scalar(labels::C);
        let mut all = self.challenges.clone();
        let last = c - self.challenges.iter().sum::<Scalar>();
        all.push(last);
        Ok(all)
    }

    /// The encoding (SPEC.md §6.4).
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.branches();
        let mut out = header(MessageKind::RangeProof, 2 + 128 * n);
        // n ≤ MAX_RANGE_BRANCHES < 2^16 by construction and decoding.
        out.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_le_bytes());
        for (R_j, S_j) in &self.commitments {
            out.extend_from_slice(&R_j.to_bytes());
            out.extend_from_slice(&S_j.to_bytes());
        }
        for c_j in &self.challenges {
            out.extend_from_slice(c_j.as_bytes());
        }
        for z_j in &self.responses {
            out.extend_from_slice(z_j.as_bytes());
        }
        out
    }

    /// Decodes a proof. Rejects a wrong header, a count of 0 or above
    /// [`MAX_RANGE_BRANCHES`], a length that does not match the count, identity or
    /// non-canonical commitments, and non-canonical scalars.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut reader = Reader::new(bytes);
        reader.header(MessageKind::RangeProof)?;
        let n = usize::from(reader.u16_le()?);
        if n == 0 || n > MAX_RANGE_BRANCHES {
            return Err(EncodingError::CountOutOfBounds {
                count: n,
                limit: MAX_RANGE_BRANCHES,
            });
        }
        let expected = HEADER_LEN + 2 + n * (2 * POINT_LEN + 2 * SCALAR_LEN) - SCALAR_LEN;
        if bytes.len() != expected {
            return Err(EncodingError::WrongLength {
                expected,
                actual: bytes.len(),
            });
        }
        let mut commitments = Vec::with_capacity(n);
        for _ in 0..n {
            commitments.push((reader.nonidentity_element()?, reader.nonidentity_element()?));
        }
        let mut challenges = Vec::with_capacity(n - 1);
        for _ in 1..n {
            challenges.push(reader.scalar()?);
        }
        let mut responses = Vec::with_capacity(n);
        for _ in 0..n {
            responses.push(reader.scalar()?);
        }
        reader.finish()?;
        Ok(RangeProof {
            commitments,
            challenges,
            responses,
        })
    }
}

/// `Range.Prove` (SPEC.md §6.4) for every witness, in two passes: all commitments, one
/// batch encoding, then all challenges and responses.
///
/// With the witness, every simulated commitment is a combination of `G` and `Y` only:
/// `Rⱼ = zⱼ·G − cⱼ·A = uⱼ·G` and `Sⱼ = zⱼ·Y − cⱼ·(B − vⱼ·G) = uⱼ·Y + tⱼ·G` with
/// `uⱼ = zⱼ − cⱼ·r` and `tⱼ = cⱼ·(vⱼ − m)`; the real branch is `uₖ = w`, `tₖ = 0`. So
/// the prover multiplies only by fixed bases (`G`'s static table, `Y`'s if `key` has
/// one), computes each point halved for [`GroupElement::from_halves`], and produces the
/// same points as the textbook simulation whenever the witness matches the ciphertext.
///
/// Every value is in its range (the caller checked), so `tₖ` is zero at the real
/// branch: a bit proof needs one correction `(t₀ + t₁)·G`, added to the simulated
/// branch (selected in constant time), and a single-value proof none.
fn prove_all<R: RngCore + CryptoRng>(
    key: &EncryptionKey,
    witnesses: &mut [RangeWitness<'_>],
    rng: &mut R,
) -> Vec<RangeProof> {
    let half = half();
    let mut halves = Vec::new();
    let mut pending = Vec::with_capacity(witnesses.len());
    for witness in witnesses.iter_mut() {
        let statement = witness.statement;
        let range = statement.range;
        let n = range.len();
        let r = witness.randomness.expose_scalar();
        let true_index = witness.value.wrapping_sub(range.min);

        append_statement(witness.transcript, statement);
        let value_bytes = Zeroizing::new(witness.value.to_le_bytes());
        let mut nonces = super::nonce_rng(
            witness.transcript,
            &[
                (labels::WITNESS_R, r.as_bytes()),
                (labels::WITNESS_V, &*value_bytes),
            ],
            rng,
        );
        let w = Zeroizing::new(Scalar::random(&mut nonces));
        let m = Zeroizing::new(Scalar::from(witness.value));
        let mut challenges = Vec::with_capacity(n);
        let mut responses = Vec::with_capacity(n);
        // uⱼ/2 and tⱼ/2.
        let mut u = Zeroizing::new(Vec::with_capacity(n));
        let mut t = Zeroizing::new(Vec::with_capacity(n));
        for j in 0..n as u64 {
            let is_real = j.ct_eq(&true_index);
            let c_j = Scalar::random(&mut nonces);
            let z_j = Scalar::random(&mut nonces);
            u.push(Scalar::conditional_select(&(z_j - c_j * r), &w, is_real) * half);
            t.push(c_j * (Scalar::from(range.min + j) - *m) * half);
            challenges.push(c_j);
            responses.push(z_j);
        }
        let correction = match n {
            1 => Some(RistrettoPoint::identity()),
            2 => Some(RISTRETTO_BASEPOINT_TABLE * &Zeroizing::new(t.iter().sum())),
            _ => None,
        };
        let first = halves.len();
        for (j, (u_j, t_j)) in u.iter().zip(t.iter()).enumerate() {
            let is_real = (j as u64).ct_eq(&true_index);
            let shift = match &correction {
                Some(point) => {
                    RistrettoPoint::conditional_select(point, &RistrettoPoint::identity(), is_real)
                }
                None => RISTRETTO_BASEPOINT_TABLE * t_j,
            };
            halves.push(RISTRETTO_BASEPOINT_TABLE * u_j);
            halves.push(key.mul_key(&statement.public_key, u_j) + shift);
        }
        pending.push(Pending {
            w,
            challenges,
            responses,
            first,
        });
    }

    let elements = GroupElement::from_halves(&halves);
    let mut proofs = Vec::with_capacity(witnesses.len());
    for (witness, mut pending) in witnesses.iter_mut().zip(pending) {
        let n = pending.responses.len();
        let true_index = witness.value.wrapping_sub(witness.statement.range.min);
        let commitments: Vec<(GroupElement, GroupElement)> = elements
            .iter()
            .skip(pending.first)
            .take(2 * n)
            .collect::<Vec<_>>()
            .chunks_exact(2)
            .filter_map(|pair| match pair {
                [R_j, S_j] => Some((**R_j, **S_j)),
                _ => None,
            })
            .collect();
        for (R_j, S_j) in &commitments {
            // An identity commitment has negligible probability; the verifier would reject
            // it, so absorb it unchecked and let verification fail.
            witness.transcript.append_element(labels::R, R_j);
            witness.transcript.append_element(labels::S, S_j);
        }
        let c = witness.transcript.challenge_scalar(labels::C);

        let mut others = Scalar::ZERO;
        for (j, c_j) in pending.challenges.iter().enumerate() {
            let is_real = (j as u64).ct_eq(&true_index);
            others += Scalar::conditional_select(c_j, &Scalar::ZERO, is_real);
        }
        let c_real = c - others;
        let z_real = Zeroizing::new(*pending.w + c_real * witness.randomness.expose_scalar());
        for (j, (c_j, z_j)) in pending
            .challenges
            .iter_mut()
            .zip(pending.responses.iter_mut())
            .enumerate()
        {
            let is_real = (j as u64).ct_eq(&true_index);
            c_j.conditional_assign(&c_real, is_real);
            z_j.conditional_assign(&z_real, is_real);
        }
        pending.challenges.pop();
        proofs.push(RangeProof {
            commitments,
            challenges: pending.challenges,
            responses: pending.responses,
        });
    }
    proofs
}

impl Verifiable for RangeProof {
    type Statement = RangeStatement;

    fn verify(&self, transcript: &mut Transcript, statement: &RangeStatement) -> Result<(), Error> {
        let challenges = self
            .branch_challenges(transcript, statement)
            .map_err(|_| Error::InvalidProof)?;
        let Y = statement.public_key.element().point();
        let A = statement.ciphertext.a().point();
        let mut shifted_B = statement.ciphertext.b().point()
            - RISTRETTO_BASEPOINT_TABLE * &Scalar::from(statement.range.min);
        let mut ok = true;
        for (((R_j, S_j), c_j), z_j) in self
            .commitments
            .iter()
            .zip(&challenges)
            .zip(&self.responses)
        {
            let minus_c = -c_j;
            let first = RistrettoPoint::vartime_double_scalar_mul_basepoint(&minus_c, A, z_j);
            let second = RistrettoPoint::vartime_multiscalar_mul([*z_j, minus_c], [Y, &shifted_B]);
            ok &= first == *R_j.point() && second == *S_j.point();
            shifted_B -= RISTRETTO_BASEPOINT_POINT;
        }
        if ok { Ok(()) } else { Err(Error::InvalidProof) }
    }

    fn queue(
        &self,
        transcript: &mut Transcript,
        statement: &RangeStatement,
        batch: &mut BatchVerifier,
    ) -> Result<(), Error> {
        let (a, b) = self.queue_folded(transcript, statement, batch)?;
        batch.add_term(statement.ciphertext.a().point(), a);
        batch.add_term(statement.ciphertext.b().point(), b);
        Ok(())
    }
}

impl RangeProof {
    /// Queues every equation of the proof into `batch` except the statement
    /// ciphertext's own two terms, and returns their coefficients `(α, β)`: the batch
    /// still owes `α·A + β·B`. A caller whose `A` and `B` are sums of points it queues
    /// anyway (a group's sum, a ballot's derived ciphertext, SPEC.md §12.2) adds the
    /// coefficients to those points' instead of adding two terms (§6.5).
    ///
    /// # Errors
    /// As [`Verifiable::queue`]; nothing is queued then.
    pub(crate) fn queue_folded(
        &self,
        transcript: &mut Transcript,
        statement: &RangeStatement,
        batch: &mut BatchVerifier,
    ) -> Result<(Scalar, Scalar), Error> {
        let challenges = self
            .branch_challenges(transcript, statement)
            .map_err(|_| Error::InvalidProof)?;
        // For each j, with weights u, w:
        //   u·(zⱼ·G − Rⱼ − cⱼ·A) + w·(zⱼ·Y − Sⱼ − cⱼ·B + cⱼ·vⱼ·G) = 0
        let mut g = Scalar::ZERO;
        let mut y = Scalar::ZERO;
        let mut a = Scalar::ZERO;
        let mut b = Scalar::ZERO;
        for (j, (((R_j, S_j), c_j), z_j)) in self
            .commitments
            .iter()
            .zip(&challenges)
            .zip(&self.responses)
            .enumerate()
        {
            let v_j = Scalar::from(statement.range.min + j as u64);
            let u = batch.weight();
            let w = batch.weight();
            g += u * z_j + w * c_j * v_j;
            y += w * z_j;
            a -= u * c_j;
            b -= w * c_j;
            batch.add_term(R_j.point(), -u);
            batch.add_term(S_j.point(), -w);
        }
        batch.add_generator(g);
        batch.add_shared(statement.public_key.element(), y);
        Ok((a, b))
    }
}
