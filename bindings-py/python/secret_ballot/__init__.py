"""secret-ballot: anonymous, verifiable secret ballots (Python bindings).

Every function takes and returns canonical bytes (see SPEC.md). Provers take an
optional 32-byte ``seed`` for their random number generator; without one they draw it
from the operating system, which is what production code should do. A seed makes a
proof reproducible, which the cross-language test vectors use.
"""

import json as _json
import os as _os
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _native
from ._errors import (
    AggregateRefused,
    BallotRefused,
    InvalidBallot,
    InvalidCount,
    InvalidManifest,
    InvalidRecord,
    CeremonyFailed,
    ChunkMismatch,
    EncodingError,
    InvalidCredential,
    InvalidDecryptionShares,
    InvalidInput,
    InvalidParameters,
    InvalidProof,
    InvalidRange,
    IssuerMisbehaved,
    PlaintextOutOfRange,
    SecretBallotError,
    SessionRefused,
    ValueOutOfRange,
    VoidRedo,
    WrongResult,
)

from ._store import MemorySessionStore

PROTOCOL_LABEL: bytes = bytes(_native.PROTOCOL_LABEL)

#: In an evaluation answer: a blank answer for the subject.
BLANK: int = 0xFFFF

# The roles, as classes holding the core's state (secrets stay in Rust memory).
Manifest = _native.Manifest
Trustee = _native.Trustee
Issuer = _native.Issuer
IssuanceClient = _native.IssuanceClient
VoterCredential = _native.VoterCredential
EncryptedBallot = _native.EncryptedBallot
BallotBox = _native.BallotBox
RecordWriter = _native.RecordWriter
PaperCount = _native.PaperCount

_U64_MAX = (1 << 64) - 1


def _u64(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{name} must be an int", "invalid_input")
    if not 0 <= value <= _U64_MAX:
        raise InvalidInput(f"{name} must be in [0, 2^64)", "invalid_input")
    return value


def _seed(seed: Optional[bytes]) -> bytes:
    return _os.urandom(32) if seed is None else bytes(seed)


def generate_keypair(seed: Optional[bytes] = None) -> Tuple[bytes, bytes]:
    """A fresh ``(secret_key, public_key)``, 32 bytes each: a trustee's long-term key, the
    issuer's key or the issuance report key. Keep the secret key secret."""
    secret, public = _native.generate_keypair(None if seed is None else bytes(seed))
    return bytes(secret), bytes(public)


def tally_record(closed_record: bytes, shares: Sequence[bytes], seed: Optional[bytes] = None) -> Tuple[bytes, Dict[str, Any]]:
    """Completes a closed record with the trustees' decryption shares (from
    :meth:`Trustee.decrypt_record`): verifies it, recomputes and appends the aggregate,
    the valid shares, the totals and the outcomes. Returns ``(record, tally)``, ``tally``
    a dict of ``totals``, ``trustees`` (combined) and ``rejected``."""
    record, tally = _native.tally_record(closed_record, [bytes(s) for s in shares], None if seed is None else bytes(seed))
    return bytes(record), dict(tally)


def paper_count_verify(manifest: bytes, election_key: bytes, paper_count: bytes) -> int:
    """Verifies a paper count's bytes (SPEC.md §14.4: its width, every range proof, at
    least ``t`` valid scrutineer signatures); returns the number of paper voters. Raises
    InvalidCount, InvalidProof (a signature), InvalidParameters or EncodingError."""
    return _native.paper_count_verify(manifest, election_key, paper_count)


def record_entry_len(header: bytes) -> int:
    """The length of the record entry whose framing starts ``header`` (38 bytes suffice)."""
    return _native.record_entry_len(header)


class RecordVerifier:
    """Verifies a record entry by entry as it streams in (SPEC.md §14.8): call
    :meth:`push_entry` for each entry (see :func:`record_entry_len` or
    :meth:`verify_stream`), then :meth:`finish` for the report :func:`verify_record`
    gives. Calls release the GIL."""

    def __init__(self, seed: Optional[bytes] = None) -> None:
        self._inner = _native.RecordVerifier(None if seed is None else bytes(seed))

    def push_entry(self, entry: bytes) -> None:
        self._inner.push_entry(entry)

    def finish(self) -> Dict[str, Any]:
        return _json.loads(self._inner.finish())

    @classmethod
    def verify_stream(cls, stream: Any, seed: Optional[bytes] = None) -> Dict[str, Any]:
        """Reads a binary file object entry by entry and returns the report."""
        verifier = cls(seed)
        while True:
            header = stream.read(38)
            if not header:
                break
            try:
                length = record_entry_len(header)
            except EncodingError:
                verifier.push_entry(header + stream.read())
                break
            verifier.push_entry(header + stream.read(length - len(header)))
        return verifier.finish()


def point_canonical(point: bytes) -> bytes:
    """The canonical encoding of a ristretto255 point; raises EncodingError otherwise."""
    return bytes(_native.point_canonical(point))


def scalar_canonical(scalar: bytes) -> bytes:
    """The canonical encoding of a scalar; raises EncodingError otherwise."""
    return bytes(_native.scalar_canonical(scalar))


def elgamal_public_key(secret_key: bytes) -> bytes:
    return bytes(_native.elgamal_public_key(secret_key))


def elgamal_encrypt_with(public_key: bytes, value: int, randomness: bytes) -> bytes:
    return bytes(_native.elgamal_encrypt_with(public_key, _u64("value", value), randomness))


def ciphertext_sum(ciphertexts: Sequence[bytes]) -> bytes:
    return bytes(_native.ciphertext_sum([bytes(c) for c in ciphertexts]))


def elgamal_decrypt(secret_key: bytes, ciphertext: bytes, max_value: int) -> int:
    return _native.elgamal_decrypt(secret_key, ciphertext, _u64("max_value", max_value))


def schnorr_prove(context: bytes, secret: bytes, seed: Optional[bytes] = None) -> bytes:
    return bytes(_native.schnorr_prove(context, secret, _seed(seed)))


def schnorr_verify(context: bytes, x: bytes, proof: bytes) -> None:
    _native.schnorr_verify(context, x, proof)


def dleq_prove(context: bytes, g: bytes, h: bytes, secret: bytes, seed: Optional[bytes] = None) -> bytes:
    return bytes(_native.dleq_prove(context, g, h, secret, _seed(seed)))


def dleq_verify(context: bytes, g: bytes, h: bytes, p: bytes, q: bytes, proof: bytes) -> None:
    _native.dleq_verify(context, g, h, p, q, proof)


def range_prove(
    context: bytes,
    public_key: bytes,
    ciphertext: bytes,
    value: int,
    randomness: bytes,
    min_value: int,
    max_value: int,
    seed: Optional[bytes] = None,
) -> bytes:
    return bytes(
        _native.range_prove(
            context,
            public_key,
            ciphertext,
            _u64("value", value),
            randomness,
            _u64("min_value", min_value),
            _u64("max_value", max_value),
            _seed(seed),
        )
    )


def range_verify(context: bytes, public_key: bytes, ciphertext: bytes, min_value: int, max_value: int, proof: bytes) -> None:
    _native.range_verify(context, public_key, ciphertext, _u64("min_value", min_value), _u64("max_value", max_value), proof)


def credential_verify(issuer_key: bytes, context: bytes, pseudonym: bytes, signature: bytes) -> None:
    _native.credential_verify(issuer_key, context, pseudonym, signature)


def issuance_report_verify(report: bytes, report_key: bytes, context: bytes) -> int:
    return _native.issuance_report_verify(report, report_key, context)


def threshold_public_keys(context: bytes, threshold: int, trustee_keys: Sequence[bytes], round1: Sequence[bytes]) -> Tuple[bytes, List[bytes]]:
    """The election key and every trustee's verification key, from a key ceremony's
    round-1 packages (no complaints)."""
    out = bytes(_native.threshold_public_keys(context, _u64("threshold", threshold), [bytes(k) for k in trustee_keys], [bytes(p) for p in round1]))
    return out[:32], [out[i : i + 32] for i in range(32, len(out), 32)]


def threshold_tally(
    context: bytes,
    threshold: int,
    trustee_keys: Sequence[bytes],
    round1: Sequence[bytes],
    ballots: Sequence[Sequence[bytes]],
    shares: Sequence[bytes],
) -> Tuple[List[int], List[int]]:
    """Recomputes the aggregate of the ballots, verifies the decryption shares and
    combines them: returns (totals, rejected trustees)."""
    return _native.threshold_tally(
        context,
        _u64("threshold", threshold),
        [bytes(k) for k in trustee_keys],
        [bytes(p) for p in round1],
        [[bytes(c) for c in b] for b in ballots],
        [bytes(s) for s in shares],
    )


def manifest_context(manifest: bytes) -> bytes:
    """The election context (32 bytes) of a manifest; validates it."""
    return bytes(_native.manifest_context(manifest))


def ballot_verify(manifest: bytes, election_key: bytes, ballot: bytes) -> str:
    """Verifies a ballot (shape, credential, signature, every proof); returns its
    tracking code."""
    return _native.ballot_verify(manifest, election_key, ballot)


def spoiled_ballot_open(manifest: bytes, election_key: bytes, spoiled: bytes) -> List[int]:
    """Checks a spoiled ballot's openings and returns every position's plaintext."""
    return list(_native.spoiled_ballot_open(manifest, election_key, spoiled))


def verify_record(record: bytes, seed: Optional[bytes] = None) -> Dict[str, Any]:
    """Verifies a complete or partial election record (SPEC.md §14) and returns the
    report (SPEC.md §14.9) as a dict: ``verdict`` ("valid", "void_redo" or "invalid"),
    ``stage``, the counts, ``totals``, ``outcomes`` and ``checks``, one per check with
    its status. Never raises for a bad record: every problem is a failed check. The
    seed only draws the batch-verification weights."""
    if not isinstance(record, (bytes, bytearray, memoryview)):
        raise InvalidInput("record must be bytes", "invalid_input")
    return _json.loads(_native.record_verify(bytes(record), _seed(seed)))


def record_view(record: bytes) -> Dict[str, Any]:
    """The record's lossless JSON view (SPEC.md §14.10) as a dict: ``entries`` (each with
    ``section``, ``previous``, ``hash``, ``payload`` in hex and a decoded ``view``),
    ``head`` and ``unreadable``. It shows what the record says; only
    :func:`verify_record` says whether it holds. :func:`record_from_view` gives the bytes
    back."""
    if not isinstance(record, (bytes, bytearray, memoryview)):
        raise InvalidInput("record must be bytes", "invalid_input")
    return _json.loads(_native.record_json(bytes(record)))


def record_from_view(view: Dict[str, Any]) -> bytes:
    """The record's bytes from its JSON view (SPEC.md §14.10): every entry's framing from
    its ``previous`` hash and ``payload``, then ``unreadable``."""
    try:
        out = bytearray()
        for entry in view["entries"]:
            payload = bytes.fromhex(entry["payload"])
            previous = bytes.fromhex(entry["previous"])
            if len(previous) != 32:
                raise ValueError("previous is not 32 bytes")
            out += b"\x01\x40" + previous + len(payload).to_bytes(4, "little") + payload
        out += bytes.fromhex(view["unreadable"])
    except (KeyError, TypeError, ValueError, OverflowError) as e:
        raise InvalidInput(f"not a record view: {e}", "invalid_input") from None
    return bytes(out)


__all__ = [name for name in dir() if not name.startswith("_")]
