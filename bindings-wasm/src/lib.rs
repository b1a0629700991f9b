//! WASM bindings: one-line adapters over `secret_ballot::wire`. Bytes are `Uint8Array`,
//! 64-bit integers are `BigInt`, lists are arrays of `Uint8Array`; randomness comes in as
//! a 32-byte seed (the JS caller draws it with `crypto.getRandomValues`).
//!
//! What must keep state between calls is a class holding the core type: the voter's
//! issuance session, credential and encrypted ballot ([`voter`]), whose secrets never
//! cross into JS and are zeroized when the object is freed (`.free()`), and the streaming
//! record verifier ([`record`]). The `test-issuer` feature adds an issuer for tests only.

use js_sys::{Array, Uint8Array};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::wire;
use wasm_bindgen::prelude::*;

mod error;
pub mod record;
#[cfg(feature = "test-issuer")]
pub mod test_issuer;
pub mod voter;

use error::{invalid_input, to_js};

type Res<T> = Result<T, JsValue>;

fn rng(seed: &[u8]) -> Res<ChaCha20Rng> {
    let seed: [u8; 32] = seed.try_into().map_err(|_| {
        to_js(
            secret_ballot::EncodingError::WrongLength {
                expected: 32,
                actual: seed.len(),
            }
            .into(),
        )
    })?;
    Ok(ChaCha20Rng::from_seed(seed))
}

fn byte_list(array: &Array) -> Res<Vec<Vec<u8>>> {
    array
        .iter()
        .map(|item| {
            item.dyn_into::<Uint8Array>()
                .map(|bytes| bytes.to_vec())
                .map_err(|_| invalid_input("expected an array of Uint8Array"))
        })
        .collect()
}

fn slices(list: &[Vec<u8>]) -> Vec<&[u8]> {
    list.iter().map(Vec::as_slice).collect()
}

/// The canonical encoding of a point; throws `code = "encoding"` otherwise.
#[wasm_bindgen(js_name = pointCanonical)]
pub fn point_canonical(point: &[u8]) -> Res<Vec<u8>> {
    wire::point_canonical(point).map_err(to_js)
}

/// The canonical encoding of a scalar.
#[wasm_bindgen(js_name = scalarCanonical)]
pub fn scalar_canonical(scalar: &[u8]) -> Res<Vec<u8>> {
    wire::scalar_canonical(scalar).map_err(to_js)
}

/// The ElGamal public key of a secret key.
#[wasm_bindgen(js_name = elgamalPublicKey)]
pub fn elgamal_public_key(secret: &[u8]) -> Res<Vec<u8>> {
    wire::elgamal_public_key(secret).map_err(to_js)
}

/// Encrypts `value` with the given randomness.
#[wasm_bindgen(js_name = elgamalEncryptWith)]
pub fn elgamal_encrypt_with(public_key: &[u8], value: u64, randomness: &[u8]) -> Res<Vec<u8>> {
    wire::elgamal_encrypt_with(public_key, value, randomness).map_err(to_js)
}

/// The homomorphic sum of an array of ciphertexts.
#[wasm_bindgen(js_name = ciphertextSum)]
pub fn ciphertext_sum(ciphertexts: &Array) -> Res<Vec<u8>> {
    wire::ciphertext_sum(&slices(&byte_list(ciphertexts)?)).map_err(to_js)
}

/// Decrypts with a single key and decodes a value `≤ max`.
#[wasm_bindgen(js_name = elgamalDecrypt)]
pub fn elgamal_decrypt(secret: &[u8], ciphertext: &[u8], max: u64) -> Res<u64> {
    wire::elgamal_decrypt(secret, ciphertext, max).map_err(to_js)
}

/// A Schnorr proof of knowledge of `secret`.
#[wasm_bindgen(js_name = schnorrProve)]
pub fn schnorr_prove(context: &[u8], secret: &[u8], seed: &[u8]) -> Res<Vec<u8>> {
    wire::schnorr_prove(context, secret, &mut rng(seed)?).map_err(to_js)
}

/// Verifies a Schnorr proof; throws `code = "invalid_proof"` if it does not verify.
#[wasm_bindgen(js_name = schnorrVerify)]
pub fn schnorr_verify(context: &[u8], x: &[u8], proof: &[u8]) -> Res<()> {
    wire::schnorr_verify(context, x, proof).map_err(to_js)
}

/// A DLEQ proof for `P = secret·g`, `Q = secret·h`.
#[wasm_bindgen(js_name = dleqProve)]
pub fn dleq_prove(context: &[u8], g: &[u8], h: &[u8], secret: &[u8], seed: &[u8]) -> Res<Vec<u8>> {
    wire::dleq_prove(context, g, h, secret, &mut rng(seed)?).map_err(to_js)
}

/// Verifies a DLEQ proof.
#[wasm_bindgen(js_name = dleqVerify)]
pub fn dleq_verify(
    context: &[u8],
    g: &[u8],
    h: &[u8],
    p: &[u8],
    q: &[u8],
    proof: &[u8],
) -> Res<()> {
    wire::dleq_verify(context, g, h, p, q, proof).map_err(to_js)
}

/// A range proof that the ciphertext encrypts `value ∈ [min, max]`.
#[wasm_bindgen(js_name = rangeProve)]
#[allow(clippy::too_many_arguments)]
pub fn range_prove(
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
    .map_err(to_js)
}

/// Verifies a range proof.
#[wasm_bindgen(js_name = rangeVerify)]
pub fn range_verify(
    context: &[u8],
    public_key: &[u8],
    ciphertext: &[u8],
    min: u64,
    max: u64,
    proof: &[u8],
) -> Res<()> {
    wire::range_verify(context, public_key, ciphertext, min, max, proof).map_err(to_js)
}

/// Verifies a blind credential.
#[wasm_bindgen(js_name = credentialVerify)]
pub fn credential_verify(
    issuer_key: &[u8],
    context: &[u8],
    pseudonym: &[u8],
    signature: &[u8],
) -> Res<()> {
    wire::credential_verify(issuer_key, context, pseudonym, signature).map_err(to_js)
}

/// Verifies an issuance report; returns the number of credentials issued.
#[wasm_bindgen(js_name = issuanceReportVerify)]
pub fn issuance_report_verify(report: &[u8], report_key: &[u8], context: &[u8]) -> Res<u64> {
    wire::issuance_report_verify(report, report_key, context).map_err(to_js)
}

/// The election key followed by each trustee's verification key (32 bytes each).
#[wasm_bindgen(js_name = thresholdPublicKeys)]
pub fn threshold_public_keys(
    context: &[u8],
    threshold: u16,
    trustee_keys: &Array,
    round1: &Array,
) -> Res<Vec<u8>> {
    let (keys, packages) = (byte_list(trustee_keys)?, byte_list(round1)?);
    wire::threshold_public_keys(context, threshold, &slices(&keys), &slices(&packages))
        .map_err(to_js)
}

/// Recomputes the aggregate of `ballots` (an array of arrays of ciphertexts), verifies
/// the decryption shares and combines them. Returns `{ totals: BigInt[], rejected:
/// number[] }`.
#[wasm_bindgen(js_name = thresholdTally)]
pub fn threshold_tally(
    context: &[u8],
    threshold: u16,
    trustee_keys: &Array,
    round1: &Array,
    ballots: &Array,
    shares: &Array,
) -> Res<JsValue> {
    let (keys, packages, shares) = (
        byte_list(trustee_keys)?,
        byte_list(round1)?,
        byte_list(shares)?,
    );
    let ballots: Vec<Vec<Vec<u8>>> = ballots
        .iter()
        .map(|ballot| byte_list(&Array::from(&ballot)))
        .collect::<Res<_>>()?;
    let ballot_slices: Vec<Vec<&[u8]>> = ballots.iter().map(|b| slices(b)).collect();
    let tally = wire::threshold_tally(
        context,
        threshold,
        &slices(&keys),
        &slices(&packages),
        &ballot_slices,
        &slices(&shares),
    )
    .map_err(to_js)?;
    let result = js_sys::Object::new();
    let totals: Array = tally
        .totals
        .iter()
        .map(|&t| JsValue::from(js_sys::BigInt::from(t)))
        .collect();
    let rejected: Array = tally
        .rejected
        .iter()
        .map(|&r| JsValue::from(r as u32))
        .collect();
    js_sys::Reflect::set(&result, &"totals".into(), &totals)?;
    js_sys::Reflect::set(&result, &"rejected".into(), &rejected)?;
    Ok(result.into())
}

/// The election context (32 bytes) of a manifest; validates it.
#[wasm_bindgen(js_name = manifestContext)]
pub fn manifest_context(manifest: &[u8]) -> Res<Vec<u8>> {
    wire::manifest_context(manifest).map_err(to_js)
}

/// Verifies a ballot against the manifest and election key; returns its tracking code.
#[wasm_bindgen(js_name = ballotVerify)]
pub fn ballot_verify(manifest: &[u8], election_key: &[u8], ballot: &[u8]) -> Res<String> {
    wire::ballot_verify(manifest, election_key, ballot).map_err(to_js)
}

/// Checks a spoiled ballot's openings; returns every position's plaintext.
#[wasm_bindgen(js_name = spoiledBallotOpen)]
pub fn spoiled_ballot_open(manifest: &[u8], election_key: &[u8], spoiled: &[u8]) -> Res<Vec<u64>> {
    wire::spoiled_ballot_open(manifest, election_key, spoiled).map_err(to_js)
}

/// Verifies an election record; returns the report as a JSON string (SPEC.md §14.9).
/// Never throws for a bad record (every problem is a failed check); throws
/// `code = "encoding"` for a seed that is not 32 bytes.
#[wasm_bindgen(js_name = recordVerify)]
pub fn record_verify(record: &[u8], seed: &[u8]) -> Res<String> {
    Ok(wire::record_verify(record, &mut rng(seed)?))
}

/// The record's lossless JSON view as a string (SPEC.md §14.10). Never throws.
#[wasm_bindgen(js_name = recordJson)]
pub fn record_json(record: &[u8]) -> String {
    wire::record_json(record)
}
