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
    /// An enumeration byte has no meaning here.
    #[error("invalid tag byte {0}")]
    InvalidTag(u8),
    /// Text that is not UTF-8.
    #[error("text is not UTF-8")]
    InvalidUtf8,
    /// A list that must be strictly increasing (sorted, no repeats) is not.
    #[error("list not strictly increasing")]
    NotStrictlyIncreasing,
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
    /// Threshold parameters outside `1 ≤ t ≤ n ≤ MAX_TRUSTEES`.
    #[error("invalid threshold {threshold} of {trustees} trustees")]
    InvalidThreshold {
        /// The requested threshold.
        threshold: u16,
        /// The number of trustees.
        trustees: usize,
    },
    /// Two trustees have the same long-term key.
    #[error("two trustees share a long-term key")]
    DuplicateTrusteeKey,
    /// Stored key-share bytes that decode but do not hold a consistent share (SPEC.md
    /// §7.7): the share is not its verification key's discrete log, the verification
    /// keys do not give the election key, or fewer dealers are qualified than `t`.
    #[error("invalid key share: {0}")]
    InvalidKeyShare(&'static str),
    /// A stored key share belongs to another election, ceremony or trustee (SPEC.md
    /// §7.7); the text says which.
    #[error("key share mismatch: {0}")]
    KeyShareMismatch(&'static str),
    /// A trustee index outside `1 ..= n`, or a message addressed to someone else.
    #[error("unknown or unexpected trustee {0}")]
    UnknownTrustee(u16),
    /// Key-ceremony messages from these trustees are invalid or missing (the culprits
    /// are trustee indices).
    #[error("invalid key-ceremony messages from trustees {culprits:?}")]
    InvalidCeremonyMessages {
        /// Indices (1-based) of the trustees at fault.
        culprits: Vec<usize>,
    },
    /// Fewer than `t` trustees remain qualified after the complaints.
    #[error("only {qualified} qualified trustees, {threshold} needed")]
    CeremonyFailed {
        /// Qualified trustees.
        qualified: usize,
        /// The threshold.
        threshold: u16,
    },
    /// The ballots handed to a trustee do not add up to the aggregate it was asked to
    /// decrypt, or contain a repeated ciphertext.
    #[error("the aggregate does not match the ballots")]
    AggregateMismatch,
    /// Fewer ballots than the privacy floor: no aggregate may be decrypted.
    #[error("{ballots} ballots is below the privacy floor of {floor}")]
    BelowPrivacyFloor {
        /// Ballots cast.
        ballots: u64,
        /// The floor.
        floor: u64,
    },
    /// Decryption shares from these trustees are invalid (culprits are trustee indices).
    #[error("invalid decryption shares from trustees {culprits:?}")]
    InvalidDecryptionShares {
        /// Indices (1-based) of the trustees whose shares were rejected.
        culprits: Vec<usize>,
    },
    /// Not enough valid decryption shares to decrypt.
    #[error("{valid} valid decryption shares, {needed} needed (rejected: {culprits:?})")]
    NotEnoughShares {
        /// Valid shares received.
        valid: usize,
        /// The threshold.
        needed: u16,
        /// Trustees whose shares were rejected.
        culprits: Vec<usize>,
    },
    /// A credential (blind signature) did not verify. Deliberately says nothing more.
    #[error("invalid credential")]
    InvalidCredential,
    /// The issuer's messages failed a check the voter must make (SPEC.md §9.5); the
    /// voter discards the session. `check` names the failed check.
    #[error("issuer misbehaved: {check}")]
    IssuerMisbehaved {
        /// Which check failed.
        check: &'static str,
    },
    /// No open issuance session has this id (never opened, or expired and removed).
    #[error("unknown issuance session")]
    UnknownSession,
    /// The session was already answered for a different challenge: refused, never
    /// recomputed (answering twice would reveal the issuer key).
    #[error("issuance session already used with another challenge")]
    SessionReplayed,
    /// The session expired before the voter's challenge arrived.
    #[error("issuance session expired")]
    SessionExpired,
    /// The session belongs to another representative.
    #[error("issuance session belongs to another representative")]
    WrongVoter,
    /// This representative already received a credential for this election.
    #[error("a credential was already issued to this representative for this election")]
    AlreadyIssued,
    /// The session store failed (host-provided storage).
    #[error("session store failure: {0}")]
    SessionStore(&'static str),
    /// A representative identifier is empty or longer than 255 bytes, or repeated.
    #[error("invalid representative identifier")]
    InvalidVoterId,
    /// A congress rule is malformed (a fraction, a seat count, an indicator).
    #[error("invalid rule: {0}")]
    InvalidRule(&'static str),
    /// The election manifest is inconsistent; the text names the rule it breaks.
    #[error("invalid manifest: {0}")]
    InvalidManifest(&'static str),
    /// A ballot's shape (questions, widths, proof counts) does not match the manifest.
    #[error("ballot does not match the manifest's questions")]
    BallotShape,
    /// A ballot's signature by its pseudonym key does not verify.
    #[error("invalid ballot signature")]
    InvalidBallotSignature,
    /// A validity proof of the ballot's answer to `question` does not verify.
    #[error("invalid proof in the answer to question {question}")]
    InvalidBallotProof {
        /// The question (0-based).
        question: usize,
    },
    /// The pseudonym already cast a ballot and the manifest does not allow revoting.
    #[error("this credential already cast a ballot")]
    DuplicatePseudonym,
    /// The ballot box is closed.
    #[error("the ballot box is closed")]
    BallotBoxClosed,
    /// The answers given for a ballot are not a valid vote for the question.
    #[error("invalid vote for question {question}")]
    InvalidVote {
        /// The question (0-based).
        question: usize,
    },
    /// Record entry `entry` (0-based) does not carry the hash of the entry before it.
    #[error("record entry {entry} does not chain to the entry before it")]
    RecordChain {
        /// The entry's position in the record.
        entry: usize,
    },
    /// Record entry `entry` is out of order: its section comes too early or too late,
    /// it repeats a single-entry section, or it breaks its section's sort order.
    #[error("record entry {entry} is out of order")]
    RecordOrder {
        /// The entry's position in the record.
        entry: usize,
    },
    /// The record lacks an entry that a later one needs; the text names it.
    #[error("record incomplete: {0}")]
    RecordIncomplete(&'static str),
    /// These cast-ballot entries of the record do not verify (culprits are entry
    /// positions, 0-based, increasing).
    #[error("{} invalid ballot(s), at record entries {culprits:?}", culprits.len())]
    InvalidBallots {
        /// Record positions of the failing ballots.
        culprits: Vec<usize>,
    },
    /// More ballots than credentials issued: the vote is void and must be repeated
    /// (VOID_REDO).
    #[error("{ballots} ballots but only {credentials} credentials issued: void, vote again")]
    MoreBallotsThanCredentials {
        /// Ballots counted.
        ballots: u64,
        /// Credentials issued.
        credentials: u64,
    },
    /// A spoiled ballot's ciphertext is among the counted ballots.
    #[error("a spoiled ballot is counted")]
    SpoiledBallotCounted,
    /// The paper count is malformed or not signed off; the text says which.
    #[error("invalid paper count: {0}")]
    InvalidOfflineCount(&'static str),
    /// The attendance does not add up; the text says which inequality fails.
    #[error("inconsistent attendance: {0}")]
    Attendance(&'static str),
    /// The published total of `position` is not what the decryption shares and the paper
    /// count give.
    #[error("wrong total at position {position}")]
    WrongTotal {
        /// The position (0-based).
        position: usize,
    },
    /// The published outcomes are not what the rules give for the totals.
    #[error("the published outcomes differ from the rules applied to the totals")]
    WrongOutcomes,
    /// A trustee refuses to decrypt a record; the text says why (it does not verify, is
    /// not closed, is another election's, or its ceremony gives another key).
    #[error("refused to decrypt the record: {0}")]
    RecordRefused(&'static str),
    /// Chunk results that do not fit the record or each other (SPEC.md §14.11): a chunk
    /// missing or repeated, a result from another plan or election, a plan that does not
    /// frame the record. A fault of whoever split the work, not of the record.
    #[error("chunk results do not fit the record: {0}")]
    ChunkMismatch(&'static str),
    /// An invariant of this implementation failed (a bug: please report it).
    #[error("internal error: {0}")]
    Internal(&'static str),
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
            Error::InvalidProofs { culprits }
            | Error::InvalidCeremonyMessages { culprits }
            | Error::InvalidDecryptionShares { culprits }
            | Error::NotEnoughShares { culprits, .. }
            | Error::InvalidBallots { culprits } => culprits,
            Error::Encoding(_)
            | Error::InvalidProof
            | Error::ValueOutOfRange
            | Error::InvalidRange { .. }
            | Error::DlogBoundTooLarge(_)
            | Error::PlaintextOutOfRange { .. }
            | Error::InvalidThreshold { .. }
            | Error::DuplicateTrusteeKey
            | Error::InvalidKeyShare(_)
            | Error::KeyShareMismatch(_)
            | Error::UnknownTrustee(_)
            | Error::CeremonyFailed { .. }
            | Error::AggregateMismatch
            | Error::BelowPrivacyFloor { .. }
            | Error::Internal(_)
            | Error::InvalidCredential
            | Error::IssuerMisbehaved { .. }
            | Error::UnknownSession
            | Error::SessionReplayed
            | Error::SessionExpired
            | Error::WrongVoter
            | Error::AlreadyIssued
            | Error::SessionStore(_)
            | Error::InvalidVoterId
            | Error::InvalidRule(_)
            | Error::InvalidManifest(_)
            | Error::BallotShape
            | Error::InvalidBallotSignature
            | Error::InvalidBallotProof { .. }
            | Error::DuplicatePseudonym
            | Error::BallotBoxClosed
            | Error::InvalidVote { .. }
            | Error::RecordChain { .. }
            | Error::RecordOrder { .. }
            | Error::RecordIncomplete(_)
            | Error::MoreBallotsThanCredentials { .. }
            | Error::SpoiledBallotCounted
            | Error::InvalidOfflineCount(_)
            | Error::Attendance(_)
            | Error::WrongTotal { .. }
            | Error::WrongOutcomes
            | Error::RecordRefused(_)
            | Error::ChunkMismatch(_) => &[],
        }
    }

    /// A stable machine-readable code for the error's class (the bindings' `code`).
    pub fn code(&self) -> &'static str {
        match self {
            // A key share that decodes but is inconsistent is bad bytes, like any other.
            Self::Encoding(_) | Self::InvalidKeyShare(_) => "encoding",
            Self::InvalidProof | Self::InvalidProofs { .. } => "invalid_proof",
            Self::InvalidCredential => "invalid_credential",
            Self::ValueOutOfRange => "value_out_of_range",
            Self::InvalidRange { .. } => "invalid_range",
            Self::DlogBoundTooLarge(_) => "dlog_bound_too_large",
            Self::PlaintextOutOfRange { .. } => "plaintext_out_of_range",
            Self::InvalidThreshold { .. }
            | Self::DuplicateTrusteeKey
            | Self::UnknownTrustee(_)
            | Self::KeyShareMismatch(_) => "invalid_parameters",
            Self::InvalidCeremonyMessages { .. } | Self::CeremonyFailed { .. } => "ceremony_failed",
            Self::AggregateMismatch | Self::BelowPrivacyFloor { .. } | Self::RecordRefused(_) => {
                "aggregate_refused"
            }
            Self::InvalidDecryptionShares { .. } | Self::NotEnoughShares { .. } => {
                "invalid_decryption_shares"
            }
            Self::IssuerMisbehaved { .. } => "issuer_misbehaved",
            Self::UnknownSession
            | Self::SessionReplayed
            | Self::SessionExpired
            | Self::WrongVoter
            | Self::AlreadyIssued
            | Self::SessionStore(_) => "session_refused",
            Self::InvalidVoterId | Self::InvalidRule(_) => "invalid_input",
            Self::InvalidManifest(_) => "invalid_manifest",
            Self::BallotShape
            | Self::InvalidBallotSignature
            | Self::InvalidBallotProof { .. }
            | Self::InvalidVote { .. } => "invalid_ballot",
            Self::DuplicatePseudonym | Self::BallotBoxClosed => "ballot_refused",
            Self::RecordChain { .. } | Self::RecordOrder { .. } | Self::RecordIncomplete(_) => {
                "invalid_record"
            }
            Self::InvalidBallots { .. } | Self::SpoiledBallotCounted => "invalid_ballot",
            Self::MoreBallotsThanCredentials { .. } => "void_redo",
            Self::InvalidOfflineCount(_) | Self::Attendance(_) => "invalid_count",
            Self::WrongTotal { .. } | Self::WrongOutcomes => "wrong_result",
            Self::ChunkMismatch(_) => "chunk_mismatch",
            Self::Internal(_) => "internal",
        }
    }
}
