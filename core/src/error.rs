//! The one error type of the crate.
//!
//! Decoding failures are precise ([`EncodingError`]) because they concern public bytes
//! and help an integrator find a bug. Verification failures are deliberately opaque
//! ([`Error::InvalidProof`]): they never say which equation failed. Where several
//! proofs are checked together, [`Error::InvalidProofs`] names the *culprits* (the
//! positions of the failing proofs), never the reason.

use alloc::vec::Vec;

/// A byte string could not be decoded into the value it claims to encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodingError {
    /// The input has the wrong length for a fixed-size encoding.
    #[error("wrong length: expected {expected} bytes, got {actual}")]
    WrongLength {
        /// The length the encoding requires.
        expected: usize,
        /// The length that was given.
        actual: usize,
    },
    /// The input ended before the message was complete.
    #[error("input truncated: needed {needed} more bytes")]
    Truncated {
        /// How many more bytes were needed at the point of failure.
        needed: usize,
    },
    /// Bytes were left over after a complete message.
    #[error("{0} trailing bytes after a complete message")]
    TrailingBytes(usize),
    /// A scalar encoding is not the canonical encoding of an integer below the group order.
    #[error("non-canonical scalar encoding")]
    NonCanonicalScalar,
    /// A point encoding is not a canonical Ristretto255 encoding (RFC 9496 §4.3.1).
    #[error("invalid or non-canonical Ristretto255 point encoding")]
    InvalidPoint,
    /// The identity element was given where the protocol forbids it.
    #[error("identity point where a non-identity point is required")]
    IdentityPoint,
    /// A zero scalar was given where the protocol forbids it.
    #[error("zero scalar where a non-zero scalar is required")]
    ZeroScalar,
    /// The message starts with a format version this implementation does not know.
    #[error("unsupported format version {0}")]
    UnsupportedVersion(u8),
    /// The message is of another kind than the one expected.
    #[error("wrong message kind: expected {expected:#04x}, got {actual:#04x}")]
    WrongKind {
        /// The kind byte the decoder expects.
        expected: u8,
        /// The kind byte the message carries.
        actual: u8,
    },
    /// A count field is zero or above the limit the format allows.
    #[error("count field {count} outside 1..={limit}")]
    CountOutOfBounds {
        /// The decoded count.
        count: usize,
        /// The largest count the format allows.
        limit: usize,
    },
}

/// Every way an operation of this crate can fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input bytes could not be decoded.
    #[error("encoding error: {0}")]
    Encoding(#[from] EncodingError),
    /// A proof (or a batch of proofs) did not verify. Deliberately says nothing more.
    #[error("proof verification failed")]
    InvalidProof,
    /// Some proofs of a batch failed; `culprits` are their positions in the batch,
    /// in increasing order.
    #[error("{} proof(s) failed verification, at positions {culprits:?}", culprits.len())]
    InvalidProofs {
        /// Positions (0-based) of the proofs that failed.
        culprits: Vec<usize>,
    },
    /// A prover was asked to prove that a plaintext lies in a range it is not in.
    #[error("the plaintext is outside the stated range")]
    ValueOutOfRange,
    /// A range `[min, max]` is empty or wider than [`crate::proofs::MAX_RANGE_BRANCHES`].
    #[error("invalid range [{min}, {max}]")]
    InvalidRange {
        /// Lower end of the rejected range.
        min: u64,
        /// Upper end of the rejected range.
        max: u64,
    },
    /// A discrete-log table bound is zero-sized or above [`crate::elgamal::DLOG_MAX_LIMIT`].
    #[error("discrete-log bound {0} is above the supported limit")]
    DlogBoundTooLarge(u64),
    /// The decrypted point is not `m·G` for any `m` in `[0, max]`.
    #[error("plaintext not found in [0, {max}]")]
    PlaintextOutOfRange {
        /// The bound of the table that was searched.
        max: u64,
    },
}

impl Error {
    /// Positions of the proofs that failed, if this error names any.
    ///
    /// Exhaustive over the variants, so a new variant that names culprits cannot be
    /// forgotten here.
    pub fn culprits(&self) -> &[usize] {
        match self {
            Error::InvalidProofs { culprits } => culprits,
            Error::Encoding(_)
            | Error::InvalidProof
            | Error::ValueOutOfRange
            | Error::InvalidRange { .. }
            | Error::DlogBoundTooLarge(_)
            | Error::PlaintextOutOfRange { .. } => &[],
        }
    }
}
