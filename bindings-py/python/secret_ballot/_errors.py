"""Exceptions raised by secret_ballot. Each carries the stable error ``code`` the Rust
core assigns (the same codes the WASM bindings use)."""


class SecretBallotError(Exception):
    """Base class of every secret_ballot error."""

    def __init__(self, message: str, code: str = "internal") -> None:
        super().__init__(message)
        self.code = code


class EncodingError(SecretBallotError, ValueError):
    """Bytes that are not a canonical encoding (wrong length, non-canonical, identity…)."""


class InvalidProof(SecretBallotError):
    """A zero-knowledge proof or signature did not verify."""


class InvalidCredential(SecretBallotError):
    """A blind credential did not verify."""


class ValueOutOfRange(SecretBallotError, ValueError):
    """A prover was asked to prove a value outside its range."""


class InvalidRange(SecretBallotError, ValueError):
    """A range [min, max] that is empty or too wide."""


class PlaintextOutOfRange(SecretBallotError):
    """A decrypted value is above the bound it was decoded with."""


class InvalidParameters(SecretBallotError, ValueError):
    """Threshold parameters or other arguments that are inconsistent."""


class CeremonyFailed(SecretBallotError):
    """The key ceremony's public messages are invalid or too few trustees qualified."""


class AggregateRefused(SecretBallotError):
    """A trustee refused to decrypt (privacy floor, or ballots that do not match)."""


class InvalidDecryptionShares(SecretBallotError):
    """Decryption shares failed verification, or too few remain."""


class IssuerMisbehaved(SecretBallotError):
    """The credential issuer's messages failed a voter-side check."""


class SessionRefused(SecretBallotError):
    """The issuer refused an issuance session (replayed, expired, already issued…)."""


class InvalidManifest(SecretBallotError, ValueError):
    """An election manifest that breaks a rule of SPEC.md §11.1."""


class InvalidBallot(SecretBallotError):
    """A ballot whose shape, signature or proofs do not verify."""


class BallotRefused(SecretBallotError):
    """The ballot box refused a ballot (a second ballot of a credential, or closed)."""


class InvalidInput(SecretBallotError, ValueError):
    """Other malformed input."""


class InvalidRecord(SecretBallotError):
    """An election record whose chain, order or sections are broken."""


class VoidRedo(SecretBallotError):
    """More ballots than credentials issued: the vote is void and must be repeated."""


class InvalidCount(SecretBallotError):
    """A paper count or an attendance figure that does not add up."""


class WrongResult(SecretBallotError):
    """Published totals or outcomes that the record does not support."""


class ChunkMismatch(SecretBallotError):
    """Chunk results that do not fit the record or each other (SPEC.md §14.11): a chunk
    missing or repeated, a result from another plan, prefix or election. A fault of
    whoever split the work, not of the record."""


_BY_CODE = {
    "encoding": EncodingError,
    "invalid_proof": InvalidProof,
    "invalid_credential": InvalidCredential,
    "value_out_of_range": ValueOutOfRange,
    "invalid_range": InvalidRange,
    "dlog_bound_too_large": InvalidRange,
    "plaintext_out_of_range": PlaintextOutOfRange,
    "invalid_parameters": InvalidParameters,
    "ceremony_failed": CeremonyFailed,
    "aggregate_refused": AggregateRefused,
    "invalid_decryption_shares": InvalidDecryptionShares,
    "issuer_misbehaved": IssuerMisbehaved,
    "session_refused": SessionRefused,
    "invalid_input": InvalidInput,
    "invalid_manifest": InvalidManifest,
    "invalid_ballot": InvalidBallot,
    "ballot_refused": BallotRefused,
    "invalid_record": InvalidRecord,
    "void_redo": VoidRedo,
    "invalid_count": InvalidCount,
    "wrong_result": WrongResult,
    "chunk_mismatch": ChunkMismatch,
}


def exception_for_code(code: str) -> type:
    """The exception class of a core error code (used by the native module)."""
    return _BY_CODE.get(code, SecretBallotError)
