"""Distributed verification on a local Dask cluster of 2 workers (SPEC.md §14.11): for
the valid record of the test vectors and each tampered variant, the report is exactly
verify_record's; a pseudonym duplicated across two chunks is caught; a missing or
repeated chunk is caught."""

import json
import pathlib

import pytest

import secret_ballot as sb
from secret_ballot import chunks, distributed

dask_distributed = pytest.importorskip("dask.distributed")

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "test-vectors" / "v1"
RECORD = json.loads((VECTORS / "record.json").read_text())


def all_records():
    yield "valid", bytes.fromhex(RECORD["record"])
    yield "closed", bytes.fromhex(RECORD["closed"])
    for case in RECORD["invalid"]:
        yield case["reason"], bytes.fromhex(case["record"])


@pytest.fixture(scope="module")
def client():
    with distributed.local_cluster(workers=2) as c:
        yield c


@pytest.mark.parametrize("name,record", list(all_records()))
def test_a_local_cluster_gives_the_report_of_verify_record(client, name, record, tmp_path):
    path = tmp_path / "record.bin"
    path.write_bytes(record)
    stats = {}
    report = distributed.verify_record(path, client=client, ballots_per_chunk=1, stats=stats)
    assert report == sb.verify_record(record), name
    assert stats["chunks"] == len(chunks.plan(record, 1))


def test_a_pseudonym_duplicated_across_two_chunks_is_caught(client, tmp_path):
    replayed = next(c for c in RECORD["invalid"] if "replayed" in c["reason"])
    record = bytes.fromhex(replayed["record"])
    path = tmp_path / "record.bin"
    path.write_bytes(record)
    seen = []
    report = distributed.verify_record(path, client=client, ballots_per_chunk=1, on_chunk=seen.append)
    assert sum(not r.passed for r in seen) == 1, "one chunk holds the copy"
    check = next(c for c in report["checks"] if c["check"] == "pseudonyms")
    assert check["status"] == "failed" and check["error"] == "ballot_refused"
    assert report["verdict"] == "invalid"


def test_a_missing_or_repeated_chunk_is_caught(client, tmp_path):
    record = bytes.fromhex(RECORD["record"])
    path = str(tmp_path / "record.bin")
    pathlib.Path(path).write_bytes(record)
    plan = chunks.plan(path, 1)
    futures = client.map(
        distributed.verify_chunk_task,
        [path] * len(plan),
        [plan.prefix_len] * len(plan),
        [bytes(s.to_bytes()) for s in plan.chunks],
        pure=False,
    )
    results = [chunks.ChunkResult.from_bytes(f) for f in client.gather(futures)]
    assert chunks.combine(path, plan, results) == sb.verify_record(record)
    with pytest.raises(sb.ChunkMismatch):
        chunks.combine(path, plan, results[:-1])
    with pytest.raises(sb.ChunkMismatch):
        chunks.combine(path, plan, results + results[:1])


def test_the_command_verifies_a_record_file(tmp_path, capsys):
    path = tmp_path / "record.bin"
    path.write_bytes(bytes.fromhex(RECORD["record"]))
    out = tmp_path / "report.json"
    code = distributed._main([str(path), "--workers", "1", "--ballots-per-chunk", "2", "--report", str(out)])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["verdict"] == "valid" and summary["chunks"] == 2
    assert json.loads(out.read_text()) == sb.verify_record(path.read_bytes())


def test_bad_input_raises():
    with pytest.raises(sb.InvalidInput):
        distributed.verify_record(b"record bytes, not a path")
    with pytest.raises(sb.InvalidInput):
        distributed.verify_record("record.bin", workers=0)
