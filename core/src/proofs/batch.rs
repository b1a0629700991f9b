//! Batch verification of commitment-form proofs.

use alloc::vec::Vec;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use crate::encoding::GroupElement;
use crate::error::Error;
use crate::transcript::labels;

/// How many distinct recurring points [`BatchVerifier`] merges before it treats further
/// ones as ordinary terms.
const MAX_SHARED: usize = 16;

/// Bytes of a weight.
const WEIGHT_LEN: usize = 16;

/// Weight bytes drawn at once (ten weights, within one STROBE block).
const WEIGHT_BUFFER: usize = 10 * WEIGHT_LEN;

/// Accumulates verification equations `Σ sᵢ·Pᵢ = 0` of many proofs, each multiplied by
/// an independent random 128-bit weight, and checks their sum with one variable-time
/// multiscalar multiplication.
///
/// Implements `Batch.Verify` (SPEC.md §6.5). If every queued equation holds the sum is
/// zero; if any fails, the sum is zero with probability at most 2⁻¹²⁸ over the weights
/// (the small-exponents test of Bellare, Garay and Rabin, Eurocrypt 1998).
///
/// # Security
/// The weights come from the caller's RNG through a merlin RNG, so a prover cannot
/// predict them. Everything here is variable-time and touches only public data.
pub struct BatchVerifier {
    weights: merlin::TranscriptRng,
    /// Weight bytes drawn ahead: one STROBE call fills ten weights, where one call per
    /// weight cost as much as a tenth of a ballot's verification.
    buffer: [u8; WEIGHT_BUFFER],
    /// How many bytes of `buffer` are used up.
    used: usize,
    g: Scalar,
    shared: Vec<(GroupElement, Scalar)>,
    scalars: Vec<Scalar>,
    points: Vec<RistrettoPoint>,
}

impl core::fmt::Debug for BatchVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BatchVerifier")
            .field("terms", &(self.points.len() + self.shared.len() + 1))
            .finish_non_exhaustive()
    }
}

impl BatchVerifier {
    /// An empty batch whose weights are drawn from `rng`.
    pub fn new<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let weights = Transcript::new(labels::BATCH_WEIGHTS)
            .build_rng()
            .finalize(rng);
        BatchVerifier {
            weights,
            buffer: [0; WEIGHT_BUFFER],
            used: WEIGHT_BUFFER,
            g: Scalar::ZERO,
            shared: Vec::new(),
            scalars: Vec::new(),
            points: Vec::new(),
        }
    }

    /// A fresh non-zero 128-bit weight for one equation.
    pub(crate) fn weight(&mut self) -> Scalar {
        loop {
            if self.used + WEIGHT_LEN > WEIGHT_BUFFER {
                self.weights.fill_bytes(&mut self.buffer);
                self.used = 0;
            }
            let mut bytes = [0u8; 32];
            if let (Some(low), Some(drawn)) = (
                bytes.get_mut(..WEIGHT_LEN),
                self.buffer.get(self.used..self.used + WEIGHT_LEN),
            ) {
                low.copy_from_slice(drawn);
            }
            self.used += WEIGHT_LEN;
            let weight = Scalar::from_bytes_mod_order(bytes);
            if weight != Scalar::ZERO {
                return weight;
            }
        }
    }

    /// Adds `s·G`.
    pub(crate) fn add_generator(&mut self, s: Scalar) {
        self.g += s;
    }

    /// Adds `s·P` for a point expected to recur across proofs (a public key), merging its
    /// coefficients.
    pub(crate) fn add_shared(&mut self, point: &GroupElement, s: Scalar) {
        if point == &GroupElement::GENERATOR {
            self.g += s;
            return;
        }
        if let Some((_, coefficient)) = self.shared.iter_mut().find(|(p, _)| p == point) {
            *coefficient += s;
        } else if self.shared.len() < MAX_SHARED {
            self.shared.push((*point, s));
        } else {
            // Bound the linear search: past a few distinct points, merging no longer pays.
            self.add_term(point.point(), s);
        }
    }

    /// Adds `s·P`.
    pub(crate) fn add_term(&mut self, point: &RistrettoPoint, s: Scalar) {
        self.scalars.push(s);
        self.points.push(*point);
    }

    /// Number of terms of the multiscalar multiplication so far.
    pub fn len(&self) -> usize {
        1 + self.shared.len() + self.points.len()
    }

    /// Whether no equation has been queued yet.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty() && self.shared.is_empty() && self.g == Scalar::ZERO
    }

    /// Checks all queued equations at once.
    ///
    /// # Errors
    /// [`Error::InvalidProof`] if the weighted sum is not the identity.
    pub fn vartime_verify(self) -> Result<(), Error> {
        // Both iterators have exact lengths (dalek asserts that they agree): `add_term`
        // pushes to `scalars` and `points` together.
        let scalars = core::iter::once(self.g)
            .chain(self.shared.iter().map(|(_, s)| *s))
            .chain(self.scalars);
        let points = core::iter::once(RISTRETTO_BASEPOINT_POINT)
            .chain(self.shared.iter().map(|(p, _)| *p.point()))
            .chain(self.points);
        if RistrettoPoint::vartime_multiscalar_mul(scalars, points).is_identity() {
            Ok(())
        } else {
            Err(Error::InvalidProof)
        }
    }
}

/// A proof that can be verified alone or queued into a [`BatchVerifier`].
pub trait Verifiable {
    /// What the proof is about.
    type Statement;

    /// Verifies the proof alone. On failure says only [`Error::InvalidProof`].
    fn verify(&self, transcript: &mut Transcript, statement: &Self::Statement)
    -> Result<(), Error>;

    /// Recomputes the challenge and queues the proof's equations into `batch`.
    ///
    /// # Errors
    /// Fails early, without queuing anything, if the proof is malformed for this
    /// statement (e.g. a range proof with the wrong number of branches).
    fn queue(
        &self,
        transcript: &mut Transcript,
        statement: &Self::Statement,
        batch: &mut BatchVerifier,
    ) -> Result<(), Error>;
}

/// One entry of [`verify_batch`]: a proof, its statement, and the transcript it was made
/// on (in the state just before the proof).
#[derive(Clone)]
pub struct BatchItem<'a, P: Verifiable> {
    /// The transcript, bound to the election and the context of this proof.
    pub transcript: Transcript,
    /// The statement.
    pub statement: &'a P::Statement,
    /// The proof.
    pub proof: &'a P,
}

/// Verifies many proofs of one kind with a single multiscalar multiplication; if that
/// fails, verifies each alone to name the culprits.
///
/// # Errors
/// [`Error::InvalidProofs`] with the positions of every failing proof.
pub fn verify_batch<P: Verifiable, R: RngCore + CryptoRng>(
    items: &[BatchItem<'_, P>],
    rng: &mut R,
) -> Result<(), Error> {
    let mut batch = BatchVerifier::new(rng);
    let mut queued = true;
    for item in items {
        let mut transcript = item.transcript.clone();
        if item
            .proof
            .queue(&mut transcript, item.statement, &mut batch)
            .is_err()
        {
            queued = false;
            break;
        }
    }
    if queued && batch.vartime_verify().is_ok() {
        return Ok(());
    }
    let culprits: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            let mut transcript = item.transcript.clone();
            item.proof.verify(&mut transcript, item.statement).is_err()
        })
        .map(|(index, _)| index)
        .collect();
    if culprits.is_empty() {
        // The batch failed but every proof passes alone: impossible unless the weights
        // were zero-probability unlucky. Never accept on that path.
        return Err(Error::InvalidProof);
    }
    Err(Error::InvalidProofs { culprits })
}
