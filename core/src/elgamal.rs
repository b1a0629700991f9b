//! Exponential ElGamal on Ristretto255 (SPEC.md §5).
//!
//! A value `m` (a small non-negative integer: a vote bit, a count) is encrypted under a
//! public key `Y = y·G` as
//!
//! ```text
//! (A, B) = (r·G, m·G + r·Y)        r uniformly random, secret
//! ```
//!
//! Ciphertexts add component-wise, and the sum encrypts the sum of the values: this is
//! what makes tallying without decrypting individual ballots possible. Decryption
//! yields the point `m·G`; [`DlogTable`] recovers `m` by baby-step giant-step when `m` is
//! known to be at most a bound (for a tally: the number of ballots).
//!
//! # Security
//! * Encryption and re-randomisation run in constant time in the value and the
//!   randomness ([`PublicKey::encrypt`]).
//! * [`SecretKey`] and [`Randomness`] are zeroized on drop and never printed.
//! * Decoding the plaintext point ([`DlogTable::vartime_lookup`]) is variable-time: use
//!   it only on values that are public anyway (decrypted aggregates).

mod ciphertext;
mod dlog_table;
mod encryption_key;
mod keys;

pub use ciphertext::{CIPHERTEXT_LEN, Ciphertext, Randomness};
pub use dlog_table::{DLOG_MAX_LIMIT, DlogTable};
pub use encryption_key::EncryptionKey;
pub(crate) use encryption_key::half;
pub use keys::{Keypair, PublicKey, SecretKey};
