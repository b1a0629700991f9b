//! Python bindings: one-line adapters over `secret_ballot::wire`, bytes in, bytes out,
//! randomness passed in as a 32-byte seed (the Python package draws it from the OS).

use pyo3::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::wire;

mod ballot_box;
mod ceremony;
mod chunk;
mod error;
mod issuer;
mod manifest;
mod paper;
mod voter;

use error::to_py;

pub(crate) type Res<T> = PyResult<T>;

pub(crate) fn rng(seed: &[u8]) -> Res<ChaCha20Rng> {
    let seed: [u8; 32] = seed.try_into().map_err(|_| {
        to_py(
            secret_ballot::EncodingError::WrongLength {
                expected: 32,
                actual: seed.len(),
            }
            .into(),
        )
    })?;
    Ok(ChaCha20Rng::from_seed(seed))
}

/// The generator of a step: from `seed` if given (reproducible, for tests and vectors),
/// else from 32 bytes of `os.urandom`.
pub(crate) fn seeded(py: Python<'_>, seed: Option<&[u8]>) -> Res<ChaCha20Rng> {
    match seed {
        Some(seed) => rng(seed),
        None => {
            let bytes: Vec<u8> = py.import("os")?.call_method1("urandom", (32,))?.extract()?;
            rng(&bytes)
        }
    }
}

/// A fresh key pair `(secret, public)`, 32 bytes each: a trustee's long-term key, the
/// issuer's key or the issuance report key.
#[pyfunction]
#[pyo3(signature = (seed=None))]
fn generate_keypair(py: Python<'_>, seed: Option<&[u8]>) -> Res<(Vec<u8>, Vec<u8>)> {
    Ok(wire::keypair(&mut seeded(py, seed)?))
}

fn threshold(t: u64) -> Res<u16> {
    u16::try_from(t).map_err(|_| {
        to_py(secret_ballot::Error::InvalidThreshold {
            threshold: u16::MAX,
            trustees: 0,
        })
    })
}

#[pyfunction]
fn point_canonical(b: &[u8]) -> Res<Vec<u8>> {
    wire::point_canonical(b).map_err(to_py)
}

#[pyfunction]
fn scalar_canonical(b: &[u8]) -> Res<Vec<u8>> {
    wire::scalar_canonical(b).map_err(to_py)
}

#[pyfunction]
fn elgamal_public_key(secret: &[u8]) -> Res<Vec<u8>> {
    wire::elgamal_public_key(secret).map_err(to_py)
}

#[pyfunction]
fn elgamal_encrypt_with(public_key: &[u8], value: u64, randomness: &[u8]) -> Res<Vec<u8>> {
    wire::elgamal_encrypt_with(public_key, value, randomness).map_err(to_py)
}

#[pyfunction]
fn ciphertext_sum(ciphertexts: Vec<Vec<u8>>) -> Res<Vec<u8>> {
    let refs: Vec<&[u8]> = ciphertexts.iter().map(Vec::as_slice).collect();
    wire::ciphertext_sum(&refs).map_err(to_py)
}

#[pyfunction]
fn elgamal_decrypt(secret: &[u8], ciphertext: &[u8], max: u64) -> Res<u64> {
    wire::elgamal_decrypt(secret, ciphertext, max).map_err(to_py)
}

#[pyfunction]
fn schnorr_prove(context: &[u8], secret: &[u8], seed: &[u8]) -> Res<Vec<u8>> {
    wire::schnorr_prove(context, secret, &mut rng(seed)?).map_err(to_py)
}

#[pyfunction]
fn schnorr_verify(context: &[u8], x: &[u8], proof: &[u8]) -> Res<()> {
    wire::schnorr_verify(context, x, proof).map_err(to_py)
}

#[pyfunction]
fn dleq_prove(context: &[u8], g: &[u8], h: &[u8], secret: &[u8], seed: &[u8]) -> Res<Vec<u8>> {
    wire::dleq_prove(context, g, h, secret, &mut rng(seed)?).map_err(to_py)
}

#[pyfunction]
fn dleq_verify(context: &[u8], g: &[u8], h: &[u8], p: &[u8], q: &[u8], proof: &[u8]) -> Res<()> {
    wire::dleq_verify(context, g, h, p, q, proof).map_err(to_py)
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn range_prove(
    context: &[u8],
    public_key: &[u8],
    ciphertext: &[u8],
    value: u64,
    randomness: &[u8],
    min: u64,
    max: u64,
    seed: &[u8],
) -> Res<Vec<u8>> {
    wire::range_prove(
        context,
        public_key,
        ciphertext,
        value,
        randomness,
        min,
        max,
        &mut rng(seed)?,
    )
    .map_err(to_py)
}

#[pyfunction]
fn range_verify(
    context: &[u8],
    public_key: &[u8],
    ciphertext: &[u8],
    min: u64,
    max: u64,
    proof: &[u8],
) -> Res<()> {
    wire::range_verify(context, public_key, ciphertext, min, max, proof).map_err(to_py)
}

#[pyfunction]
fn credential_verify(
    issuer_key: &[u8],
    context: &[u8],
    pseudonym: &[u8],
    signature: &[u8],
) -> Res<()> {
    wire::credential_verify(issuer_key, context, pseudonym, signature).map_err(to_py)
}

#[pyfunction]
fn issuance_report_verify(report: &[u8], report_key: &[u8], context: &[u8]) -> Res<u64> {
    wire::issuance_report_verify(report, report_key, context).map_err(to_py)
}

#[pyfunction]
fn threshold_public_keys(
    context: &[u8],
    t: u64,
    trustee_keys: Vec<Vec<u8>>,
    round1: Vec<Vec<u8>>,
) -> Res<Vec<u8>> {
    let keys: Vec<&[u8]> = trustee_keys.iter().map(Vec::as_slice).collect();
    let packages: Vec<&[u8]> = round1.iter().map(Vec::as_slice).collect();
    wire::threshold_public_keys(context, threshold(t)?, &keys, &packages).map_err(to_py)
}

/// Returns `(totals, rejected trustees)`.
#[pyfunction]
fn threshold_tally(
    context: &[u8],
    t: u64,
    trustee_keys: Vec<Vec<u8>>,
    round1: Vec<Vec<u8>>,
    ballots: Vec<Vec<Vec<u8>>>,
    shares: Vec<Vec<u8>>,
) -> Res<(Vec<u64>, Vec<usize>)> {
    let keys: Vec<&[u8]> = trustee_keys.iter().map(Vec::as_slice).collect();
    let packages: Vec<&[u8]> = round1.iter().map(Vec::as_slice).collect();
    let ballots: Vec<Vec<&[u8]>> = ballots
        .iter()
        .map(|b| b.iter().map(Vec::as_slice).collect())
        .collect();
    let shares: Vec<&[u8]> = shares.iter().map(Vec::as_slice).collect();
    let tally = wire::threshold_tally(context, threshold(t)?, &keys, &packages, &ballots, &shares)
        .map_err(to_py)?;
    Ok((tally.totals, tally.rejected))
}

#[pyfunction]
fn manifest_context(manifest: &[u8]) -> Res<Vec<u8>> {
    wire::manifest_context(manifest).map_err(to_py)
}

/// Returns the ballot's tracking code.
#[pyfunction]
fn ballot_verify(manifest: &[u8], election_key: &[u8], ballot: &[u8]) -> Res<String> {
    wire::ballot_verify(manifest, election_key, ballot).map_err(to_py)
}

#[pyfunction]
fn spoiled_ballot_open(manifest: &[u8], election_key: &[u8], spoiled: &[u8]) -> Res<Vec<u64>> {
    wire::spoiled_ballot_open(manifest, election_key, spoiled).map_err(to_py)
}

/// Verifies an election record; returns the report as JSON (SPEC.md §14.9).
#[pyfunction]
fn record_verify(py: Python<'_>, record: &[u8], seed: &[u8]) -> Res<String> {
    let mut rng = rng(seed)?;
    Ok(py.detach(|| wire::record_verify(record, &mut rng)))
}

/// The record's lossless JSON view (SPEC.md §14.10).
#[pyfunction]
fn record_json(record: &[u8]) -> String {
    wire::record_json(record)
}

/// The native module `secret_ballot._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(point_canonical, m)?)?;
    m.add_function(wrap_pyfunction!(scalar_canonical, m)?)?;
    m.add_function(wrap_pyfunction!(elgamal_public_key, m)?)?;
    m.add_function(wrap_pyfunction!(elgamal_encrypt_with, m)?)?;
    m.add_function(wrap_pyfunction!(ciphertext_sum, m)?)?;
    m.add_function(wrap_pyfunction!(elgamal_decrypt, m)?)?;
    m.add_function(wrap_pyfunction!(schnorr_prove, m)?)?;
    m.add_function(wrap_pyfunction!(schnorr_verify, m)?)?;
    m.add_function(wrap_pyfunction!(dleq_prove, m)?)?;
    m.add_function(wrap_pyfunction!(dleq_verify, m)?)?;
    m.add_function(wrap_pyfunction!(range_prove, m)?)?;
    m.add_function(wrap_pyfunction!(range_verify, m)?)?;
    m.add_function(wrap_pyfunction!(credential_verify, m)?)?;
    m.add_function(wrap_pyfunction!(issuance_report_verify, m)?)?;
    m.add_function(wrap_pyfunction!(threshold_public_keys, m)?)?;
    m.add_function(wrap_pyfunction!(threshold_tally, m)?)?;
    m.add_function(wrap_pyfunction!(manifest_context, m)?)?;
    m.add_function(wrap_pyfunction!(ballot_verify, m)?)?;
    m.add_function(wrap_pyfunction!(spoiled_ballot_open, m)?)?;
    m.add_function(wrap_pyfunction!(record_verify, m)?)?;
    m.add_function(wrap_pyfunction!(record_json, m)?)?;
    m.add_function(wrap_pyfunction!(generate_keypair, m)?)?;
    m.add_function(wrap_pyfunction!(ballot_box::tally_record, m)?)?;
    m.add_function(wrap_pyfunction!(ballot_box::record_entry_len, m)?)?;
    m.add_function(wrap_pyfunction!(paper::paper_count_verify, m)?)?;
    m.add_class::<manifest::Manifest>()?;
    m.add_class::<ceremony::Trustee>()?;
    m.add_class::<issuer::Issuer>()?;
    m.add_class::<voter::IssuanceClient>()?;
    m.add_class::<voter::VoterCredential>()?;
    m.add_class::<voter::EncryptedBallot>()?;
    m.add_class::<ballot_box::BallotBox>()?;
    m.add_class::<ballot_box::RecordWriter>()?;
    m.add_class::<ballot_box::RecordVerifier>()?;
    m.add_class::<paper::PaperCount>()?;
    chunk::register(m)?;
    m.add("PROTOCOL_LABEL", secret_ballot::transcript::PROTOCOL_LABEL)?;
    Ok(())
}
