"""Chunk-level verification from Python (SPEC.md §14.11): for every record of the test
vectors and every split, the combined report is verify_record's; partial aggregates
and pseudonym counts add up; results travel as bytes and pickles; a missing, repeated
or foreign chunk raises ChunkMismatch; bad input raises the right exception."""

import json
import pathlib
import pickle

import pytest

import secret_ballot as sb
from secret_ballot import chunks

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "test-vectors" / "v1"
RECORD = json.loads((VECTORS / "record.json").read_text())
VALID = bytes.fromhex(RECORD["record"])


def all_records():
    yield "valid", VALID
    yield "closed", bytes.fromhex(RECORD["closed"])
    for case in RECORD["invalid"]:
        yield case["reason"], bytes.fromhex(case["record"])


@pytest.mark.parametrize("name,record", list(all_records()))
@pytest.mark.parametrize("per_chunk", [1, 3, 4096])
def test_chunked_report_is_verify_record(name, record, per_chunk, tmp_path):
    expected = sb.verify_record(record)
    assert chunks.verify_in_chunks(record, per_chunk) == expected, name
    path = tmp_path / "record.bin"
    path.write_bytes(record)
    assert chunks.verify_in_chunks(path, per_chunk) == expected, name
    assert chunks.verify_in_chunks(str(path), per_chunk) == expected, name


def test_partial_aggregates_and_pseudonyms_add_up():
    plan = chunks.plan(VALID, 1)
    assert len(plan) == 4
    results = [chunks.verify_chunk(VALID, plan, spec) for spec in plan.chunks]
    assert all(r.passed for r in results)
    assert sum(r.ballots for r in results) == 4
    assert sum(r.pseudonyms for r in results) == 4
    width = len(results[0].partial_aggregate)
    assert all(len(c) == 64 for r in results for c in r.partial_aggregate)
    # The partial sums add up to the aggregate of the chunk that holds them all.
    whole = chunks.verify_chunk(VALID, chunks.plan(VALID, 4), chunks.plan(VALID, 4).chunks[0])
    for position in range(width):
        parts = [r.partial_aggregate[position] for r in results]
        assert sb.ciphertext_sum(parts) == whole.partial_aggregate[position]
    # Chunks chain: each one's first entry carries the hash of the one before.
    for before, after in zip(results, results[1:]):
        assert after.first_previous == before.last_hash


def test_results_and_plans_travel_as_bytes_and_pickles():
    plan = chunks.plan(VALID, 2)
    again = pickle.loads(pickle.dumps(plan))
    assert again.chunks == plan.chunks and again.prefix_len == plan.prefix_len
    for spec in plan.chunks:
        assert chunks.ChunkSpec.from_bytes(spec.to_bytes()) == spec
        result = chunks.verify_chunk(VALID, plan, spec)
        assert chunks.ChunkResult.from_bytes(result.to_bytes()) == result
        assert pickle.loads(pickle.dumps(result)) == result
    with pytest.raises(sb.EncodingError):
        chunks.ChunkResult.from_bytes(result.to_bytes()[:-1])
    with pytest.raises(sb.EncodingError):
        chunks.ChunkSpec.from_bytes(b"\x01\x47")


def test_a_pseudonym_used_in_two_chunks_is_caught():
    replayed = next(c for c in RECORD["invalid"] if "replayed" in c["reason"])
    record = bytes.fromhex(replayed["record"])
    plan = chunks.plan(record, 1)
    results = [chunks.verify_chunk(record, plan, spec) for spec in plan.chunks]
    # The copy sits alone in its chunk: only the floor from the chunk before catches it.
    assert [r.passed for r in results].count(False) == 1
    report = chunks.combine(record, plan, results)
    check = next(c for c in report["checks"] if c["check"] == "pseudonyms")
    assert check["status"] == "failed" and check["error"] == "ballot_refused"
    assert report == sb.verify_record(record)


def test_a_missing_repeated_or_foreign_chunk_raises_chunk_mismatch():
    plan = chunks.plan(VALID, 1)
    results = [chunks.verify_chunk(VALID, plan, spec) for spec in plan.chunks]
    with pytest.raises(sb.ChunkMismatch):
        chunks.combine(VALID, plan, results[1:])
    with pytest.raises(sb.ChunkMismatch):
        chunks.combine(VALID, plan, results + [results[0]])
    with pytest.raises(sb.ChunkMismatch):
        chunks.combine(VALID, plan, [results[0], results[0], results[2], results[3]])
    other = chunks.plan(VALID, 2)
    with pytest.raises(sb.ChunkMismatch):
        chunks.combine(VALID, plan, [chunks.verify_chunk(VALID, other, s) for s in other.chunks])
    # Results of another record.
    closed = bytes.fromhex(RECORD["closed"])
    with pytest.raises(sb.ChunkMismatch):
        chunks.combine(closed, plan, results)
    assert chunks.combine(VALID, plan, reversed(results)) == sb.verify_record(VALID)


def test_bad_input_raises():
    plan = chunks.plan(VALID, 2)
    with pytest.raises(sb.InvalidInput):
        chunks.plan(VALID, 0)
    with pytest.raises(sb.InvalidInput):
        chunks.plan(12, 1)
    with pytest.raises(sb.InvalidInput):
        chunks.verify_chunk(VALID, plan, b"not a spec")
    with pytest.raises(sb.InvalidInput):
        chunks.combine(VALID, plan, [b"not a result"])
    with pytest.raises(OSError):
        chunks.plan("/nonexistent/record.bin", 1)
    with pytest.raises(sb.ChunkMismatch):
        # The bytes at the chunk's place are not a run of ballots.
        chunks.verify_chunk(VALID[1:], plan, plan.chunks[0])
    with pytest.raises(sb.ChunkMismatch):
        chunks.combine(VALID[:-1], plan, [chunks.verify_chunk(VALID, plan, s) for s in plan.chunks])
