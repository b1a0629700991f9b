#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

//! # Table of contents
//!
//! | module | protocol step | SPEC.md |
//! |---|---|---|
//! | [`error`] | the one error type | §3.4 |
//! | [`encoding`] | canonical scalars, points, message headers | §3 |
//! | [`transcript`] | Fiat–Shamir transcripts, labels, hash-to-group | §4 |
//! | [`elgamal`] | exponential ElGamal, homomorphic sums, discrete-log decoding | §5 |
//! | [`proofs`] | Schnorr, Chaum–Pedersen, disjunctive range proofs, batch verification | §6 |
//! | [`threshold`] | the key ceremony, aggregate-only threshold decryption | §7, §8 |
//! | [`credential`] | blind ballot credentials (partially blind Tessaro–Zhu), issuance report | §9 |
//! | [`rules`] | the congress rules: thresholds, resolutions, elections, evaluations | §10 |
//! | [`manifest`] | the election manifest and its context | §11 |
//! | [`ballot`] | encrypted ballots, validity proofs, tracking codes, spoiling | §12 |
//! | [`ballot_box`] | accepting ballots, one per credential | §13 |
//! | [`record`] | the hash-chained election record, its sections and its JSON view | §14.1–§14.3, §14.10 |
//! | [`tally`] | the paper count, the close, totals and outcomes | §14.4–§14.6 |
//! | [`verify`] | `verify(record) -> Report`, streaming, and the report as JSON | §14.7–§14.9 |
//! | [`wire`] | the byte-level API the Python and WASM bindings adapt | — |

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod ballot;
pub mod ballot_box;
pub mod credential;
pub mod elgamal;
pub mod encoding;
pub mod error;
mod json;
pub mod manifest;
pub mod proofs;
pub mod record;
pub mod rules;
pub mod tally;
pub mod threshold;
pub mod transcript;
pub mod verify;
pub mod wire;

pub use error::{EncodingError, Error};

// Re-exported so users name the same versions of the types in our signatures.
pub use curve25519_dalek;
pub use merlin;
pub use rand_core;
