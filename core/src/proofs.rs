//! Sigma proofs made non-interactive with Fiat–Shamir (SPEC.md §6).
//!
//! | proof | statement | SPEC.md |
//! |---|---|---|
//! | [`SchnorrProof`] | knowledge of `x` with `X = x·G` | §6.2 |
//! | [`DleqProof`] | knowledge of `x` with `P = x·G` and `Q = x·H` (Chaum–Pedersen) | §6.3 |
//! | [`RangeProof`] | an ElGamal ciphertext encrypts a value in `[min, max]` (disjunctive Chaum–Pedersen; `{0, 1}` is `[0, 1]`) | §6.4 |
//!
//! Every proof is in **commitment form**: it carries the prover's commitments and the
//! responses, and the verifier recomputes the challenge. Each verification equation then
//! has the shape `Σ sᵢ·Pᵢ = 0`, so many proofs can be checked at once with a single
//! multiscalar multiplication under random weights ([`BatchVerifier`]). When a batch
//! fails, [`verify_batch`] re-checks each proof on its own and names the culprits.
//!
//! Each proof function takes a `&mut Transcript` that the caller has already bound to
//! the election ([`crate::transcript::election_transcript`]) and to whatever else the
//! proof must be bound to; the proof appends its own domain separator and its *whole*
//! statement before any commitment (Bernhard, Pereira, Warinschi 2012).

mod batch;
mod dleq;
mod range;
mod schnorr;

pub use batch::{BatchItem, BatchVerifier, Verifiable, verify_batch};
pub use dleq::{DLEQ_PROOF_LEN, DleqProof, DleqStatement};
pub use range::{MAX_RANGE_BRANCHES, RangeProof, RangeStatement, RangeWitness, ValueRange};
pub use schnorr::{SCHNORR_PROOF_LEN, SchnorrProof, SchnorrStatement};

/// Draws a nonce from the transcript's witness-bound RNG (merlin `build_rng`).
pub(crate) fn nonce_rng<R: rand_core::RngCore + rand_core::CryptoRng>(
    transcript: &merlin::Transcript,
    witnesses: &[(&'static [u8], &[u8])],
    rng: &mut R,
) -> merlin::TranscriptRng {
    let mut builder = transcript.build_rng();
    for (label, bytes) in witnesses {
        builder = builder.rekey_with_witness_bytes(label, bytes);
    }
    builder.finalize(rng)
}
