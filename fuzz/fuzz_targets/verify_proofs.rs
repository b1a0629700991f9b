//! Verifiers on arbitrary bytes: never panic, and accept nothing that was not proven
//! (the statement is fixed and nobody holds its witness's proof in the corpus).
#![no_main]

use libfuzzer_sys::fuzz_target;
use secret_ballot::wire;

const G: [u8; 32] = [
    0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71, 0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f,
    0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76,
];

fuzz_target!(|data: &[u8]| {
    let context = [7u8; 32];
    // X = G: its discrete log (1) is public, but no proof in the input is bound to this
    // context unless the fuzzer forges Fiat–Shamir, which it cannot.
    let _ = wire::schnorr_verify(&context, &G, data);
    let _ = wire::dleq_verify(&context, &G, &G, &G, &G, data);
    let mut ciphertext = [0u8; 64];
    ciphertext[..32].copy_from_slice(&G);
    ciphertext[32..].copy_from_slice(&G);
    let _ = wire::range_verify(&context, &G, &ciphertext, 0, 1, data);
    let _ = wire::credential_verify(&G, &context, &G, data);
    let _ = wire::issuance_report_verify(data, &G, &context);
});
