//! Verifying a run of cast ballots: decode, sum, batch-verify, name culprits. One run is
//! split into chunks, each checked on its own (and, with the `parallel` feature, on its
//! own core); the chunks' results are merged in record order.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::traits::Identity;
use rand_core::{CryptoRng, RngCore};

use crate::ballot::{Ballot, BallotLayout, ElectionKeys};
use crate::elgamal::CIPHERTEXT_LEN;
use crate::error::{EncodingError, Error};
use crate::proofs::BatchVerifier;

/// What every chunk needs, read-only.
#[derive(Clone, Copy)]
pub(super) struct Shared<'a> {
    /// The election's keys, if the ceremony gave them (else nothing is verified).
    pub(super) keys: Option<&'a ElectionKeys>,
    /// The layout of the election's ballots, if the manifest was read (else no ballot
    /// decodes).
    pub(super) layout: Option<&'a BallotLayout>,
    /// Every spoiled ballot's ciphertexts.
    pub(super) spoiled: &'a BTreeSet<[u8; CIPHERTEXT_LEN]>,
    /// Whether to verify in batches (else ballot by ballot).
    pub(super) batched: bool,
    /// Whether to hand back every ciphertext (for the trustees' duplicate check).
    pub(super) collect: bool,
}

/// What one chunk found, to merge in record order.
pub(super) struct ChunkResult {
    /// Ballots that decoded.
    pub(super) decoded: u64,
    /// Entries that did not decode.
    pub(super) encoding: Vec<(usize, EncodingError)>,
    /// Entries with a spoiled ballot's ciphertext.
    pub(super) spoiled_hits: Vec<usize>,
    /// Every counted ballot's ciphertexts, if collected.
    pub(super) ciphertexts: Vec<(usize, Vec<[u8; CIPHERTEXT_LEN]>)>,
    /// Ballots counted into the sums (decoded, with the ballot's width).
    pub(super) counted: u64,
    /// The chunk's sums, position by position.
    pub(super) sums: Vec<(RistrettoPoint, RistrettoPoint)>,
    /// Ballots that verified.
    pub(super) verified: u64,
    /// Entries whose ballot does not verify (or has another width).
    pub(super) bad: Vec<usize>,
}

/// Checks one chunk of `(entry, payload)` pairs.
pub(super) fn check_chunk<R: RngCore + CryptoRng>(
    chunk: &[(usize, Vec<u8>)],
    shared: Shared<'_>,
    rng: &mut R,
) -> ChunkResult {
    let mut result = ChunkResult {
        decoded: 0,
        encoding: Vec::new(),
        spoiled_hits: Vec::new(),
        ciphertexts: Vec::new(),
        counted: 0,
        sums: alloc::vec![(RistrettoPoint::identity(), RistrettoPoint::identity()); shared.layout.map_or(0, BallotLayout::width)],
        verified: 0,
        bad: Vec::new(),
    };
    let mut ballots: Vec<(usize, Ballot)> = Vec::with_capacity(chunk.len());
    for (at, payload) in chunk {
        let decoded = shared
            .layout
            .ok_or(Error::BallotShape)
            .and_then(|layout| Ballot::from_bytes(payload, layout));
        let ballot = match decoded {
            Ok(ballot) => ballot,
            Err(Error::Encoding(e)) => {
                result.encoding.push((*at, e));
                continue;
            }
            // Framed as a ballot, but not of this election's shape.
            Err(_) => {
                result.decoded += 1;
                result.bad.push(*at);
                continue;
            }
        };
        result.decoded += 1;
        let ciphertexts = ballot.ciphertexts();
        let encoded: Vec<[u8; CIPHERTEXT_LEN]> = ciphertexts.iter().map(|c| c.to_bytes()).collect();
        if encoded.iter().any(|c| shared.spoiled.contains(c)) {
            result.spoiled_hits.push(*at);
        }
        if shared.collect {
            result.ciphertexts.push((*at, encoded));
        }
        result.counted += 1;
        for (sum, c) in result.sums.iter_mut().zip(&ciphertexts) {
            sum.0 += c.a().point();
            sum.1 += c.b().point();
        }
        ballots.push((*at, ballot));
    }
    let Some(keys) = shared.keys else {
        return result;
    };
    let mut bad: Vec<usize> = Vec::new();
    let batch_ok = shared.batched && {
        let mut batch = BatchVerifier::new(rng);
        let mut queued_all = true;
        for (at, ballot) in &ballots {
            if ballot.queue(keys, &mut batch).is_err() {
                bad.push(*at);
                queued_all = false;
            }
        }
        // A ballot whose queueing failed may have left part of its equations in the
        // batch: then only the per-ballot pass can tell the others apart.
        queued_all && batch.vartime_verify().is_ok()
    };
    if !batch_ok {
        for (at, ballot) in &ballots {
            if !bad.contains(at) && ballot.verify(keys).is_err() {
                bad.push(*at);
            }
        }
    }
    result.verified = (ballots.len() - bad.len()) as u64;
    result.bad.extend(bad);
    result
}

/// How many batches are checked at once: one per thread of rayon's pool with the
/// `parallel` feature, else one.
pub(super) fn lanes() -> usize {
    #[cfg(feature = "parallel")]
    {
        rayon::current_num_threads().max(1)
    }
    #[cfg(not(feature = "parallel"))]
    {
        1
    }
}

/// Checks `pending` as one chunk.
#[cfg(not(feature = "parallel"))]
pub(super) fn check_all<R: RngCore + CryptoRng>(
    pending: &[(usize, Vec<u8>)],
    shared: Shared<'_>,
    rng: &mut R,
) -> Vec<ChunkResult> {
    alloc::vec![check_chunk(pending, shared, rng)]
}

/// The seeds of the chunks `pending` is cut into, one per thread of rayon's pool: each
/// chunk's batch weights come from its own generator seeded from the verifier's RNG.
#[cfg(feature = "parallel")]
pub(super) fn seeds<R: RngCore + CryptoRng>(pending: usize, rng: &mut R) -> Vec<[u8; 32]> {
    let threads = lanes().clamp(1, pending.max(1));
    let size = pending.div_ceil(threads).max(1);
    (0..pending.div_ceil(size))
        .map(|_| {
            let mut seed = [0u8; 32];
            rng.fill_bytes(&mut seed);
            seed
        })
        .collect()
}

/// Checks `pending` in one chunk per thread of rayon's pool, each with batch weights
/// from its own generator seeded from `rng`; results in record order.
#[cfg(feature = "parallel")]
pub(super) fn check_all<R: RngCore + CryptoRng>(
    pending: &[(usize, Vec<u8>)],
    shared: Shared<'_>,
    rng: &mut R,
) -> Vec<ChunkResult> {
    check_seeded(pending, shared, seeds(pending.len(), rng))
}

/// What [`Shared`] borrows, owned: for batches checked on rayon's pool while the
/// verifier reads on.
#[cfg(feature = "parallel")]
pub(super) struct Snapshot {
    pub(super) keys: Option<ElectionKeys>,
    pub(super) spoiled: BTreeSet<[u8; CIPHERTEXT_LEN]>,
    pub(super) layout: Option<BallotLayout>,
    pub(super) batched: bool,
    pub(super) collect: bool,
}

#[cfg(feature = "parallel")]
impl Snapshot {
    /// Borrows it as the chunks' shared data.
    pub(super) fn shared(&self) -> Shared<'_> {
        Shared {
            keys: self.keys.as_ref(),
            layout: self.layout.as_ref(),
            spoiled: &self.spoiled,
            batched: self.batched,
            collect: self.collect,
        }
    }
}

/// Checks `pending` in one chunk per seed (see [`seeds`]), in parallel on rayon's pool;
/// results in record order.
#[cfg(feature = "parallel")]
pub(super) fn check_seeded(
    pending: &[(usize, Vec<u8>)],
    shared: Shared<'_>,
    seeds: Vec<[u8; 32]>,
) -> Vec<ChunkResult> {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;
    use rayon::prelude::*;
    let size = pending.len().div_ceil(seeds.len().max(1)).max(1);
    pending
        .par_chunks(size)
        .zip(seeds)
        .map(|(chunk, seed)| check_chunk(chunk, shared, &mut ChaCha20Rng::from_seed(seed)))
        .collect()
}
