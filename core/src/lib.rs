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
