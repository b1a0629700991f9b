"""Verification of a record in chunks (SPEC.md §14.11), so that large records verify
on many cores or machines.

Three steps, each a thin call into the Rust core:

1. :func:`plan` frames the record (reading 72 bytes per entry) and cuts its run of cast
   ballots into chunks (:class:`ChunkSpec`).
2. :func:`verify_chunk` verifies one chunk on any machine that can read the record: it
   returns a :class:`ChunkResult`, with the chunk's partial aggregate (the sum of its
   ballots' ciphertexts), the pseudonyms it read, its hashes and its checks' outcomes.
   Results pickle as their canonical bytes.
3. :func:`combine` takes every result (in any order) and gives exactly the report
   :func:`secret_ballot.verify_record` gives for the whole record. It raises
   :class:`ChunkMismatch` if a chunk is missing or repeated, or a result does not fit the
   record (another plan, prefix or election, a forged floor).

A record is given either as ``bytes`` or as a path to a file (``str`` or
``os.PathLike``); with a path, each step reads only the bytes it needs.
:mod:`secret_ballot.distributed` runs step 2 on a Dask cluster.
"""

import json as _json
import os as _os
from typing import Any, Dict, Iterable, Optional, Union

from . import _native
from ._errors import ChunkMismatch, InvalidInput

ChunkSpec = _native.ChunkSpec
ChunkResult = _native.ChunkResult
RecordPlan = _native.RecordPlan

#: Ballots per chunk by default: a few seconds of work per chunk on one core.
DEFAULT_BALLOTS_PER_CHUNK = 4096

Record = Union[bytes, bytearray, memoryview, str, "_os.PathLike[str]"]


def _is_bytes(record: Any) -> bool:
    return isinstance(record, (bytes, bytearray, memoryview))


def _path(record: Any) -> str:
    if isinstance(record, (str, _os.PathLike)):
        return _os.fspath(record)
    raise InvalidInput("record must be bytes or a path", "invalid_input")


def _positive(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"{name} must be a positive int", "invalid_input")
    return value


def _seed(seed: Optional[bytes]) -> Optional[bytes]:
    return None if seed is None else bytes(seed)


def plan(record: Record, ballots_per_chunk: int = DEFAULT_BALLOTS_PER_CHUNK) -> RecordPlan:
    """Splits ``record`` into chunks of at most ``ballots_per_chunk`` cast ballots. Never
    fails on a malformed record (what cannot be framed is left to :func:`combine`, which
    reports it as :func:`secret_ballot.verify_record` does); raises ``OSError`` for an
    unreadable file."""
    _positive("ballots_per_chunk", ballots_per_chunk)
    if _is_bytes(record):
        return _native.plan_record(bytes(record), ballots_per_chunk)
    return _native.plan_record_file(_path(record), ballots_per_chunk)


def verify_chunk(record: Record, record_plan: RecordPlan, spec: ChunkSpec, seed: Optional[bytes] = None) -> ChunkResult:
    """Verifies one chunk of ``record`` (a chunk of ``record_plan``). Raises
    :class:`ChunkMismatch` if the record's bytes do not fit the chunk."""
    if not isinstance(spec, ChunkSpec):
        raise InvalidInput("spec must be a ChunkSpec", "invalid_input")
    if _is_bytes(record):
        data = bytes(record)
        return _native.verify_chunk(
            data[: record_plan.prefix_len], data[spec.start : spec.end], spec, _seed(seed)
        )
    return _native.verify_chunk_file(_path(record), record_plan.prefix_len, spec, _seed(seed))


def verify_chunk_at(path: str, prefix_len: int, spec: ChunkSpec, seed: Optional[bytes] = None) -> ChunkResult:
    """:func:`verify_chunk` on a record file, given only the prefix's length: what a
    worker needs (the path, two ints and the chunk's 71 to 103 bytes)."""
    return _native.verify_chunk_file(_path(path), prefix_len, spec, _seed(seed))


def combine(record: Record, record_plan: RecordPlan, results: Iterable[ChunkResult], seed: Optional[bytes] = None) -> Dict[str, Any]:
    """Combines one result per chunk of ``record_plan`` (any order) into the report of
    the whole record (SPEC.md §14.9), as a dict: exactly what
    :func:`secret_ballot.verify_record` returns. Raises :class:`ChunkMismatch` when the
    results do not cover the plan's chunks exactly once or do not fit the record."""
    results = list(results)
    if not all(isinstance(r, ChunkResult) for r in results):
        raise InvalidInput("results must be ChunkResult objects", "invalid_input")
    if _is_bytes(record):
        data = bytes(record)
        text = _native.combine_chunks(
            record_plan,
            data[: record_plan.prefix_len],
            results,
            data[record_plan.suffix_start :],
            _seed(seed),
        )
    else:
        text = _native.combine_chunks_file(_path(record), record_plan, results, _seed(seed))
    return _json.loads(text)


def verify_in_chunks(record: Record, ballots_per_chunk: int = DEFAULT_BALLOTS_PER_CHUNK, seed: Optional[bytes] = None) -> Dict[str, Any]:
    """Plans, verifies every chunk here, one after another, and combines: the report of
    :func:`secret_ballot.verify_record`, with the memory of one chunk at a time."""
    record_plan = plan(record, ballots_per_chunk)
    results = [verify_chunk(record, record_plan, spec, seed) for spec in record_plan.chunks]
    return combine(record, record_plan, results, seed)


__all__ = [
    "ChunkMismatch",
    "ChunkResult",
    "ChunkSpec",
    "DEFAULT_BALLOTS_PER_CHUNK",
    "RecordPlan",
    "combine",
    "plan",
    "verify_chunk",
    "verify_chunk_at",
    "verify_in_chunks",
]
