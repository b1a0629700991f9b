"""Verify a large election record on a Dask cluster (SPEC.md §14.11).

The record is a file on storage every worker can read (a shared or network file
system, or the same disk for a local cluster). The client plans the split (reading 72
bytes per entry), each chunk is verified by a Dask task that reads only the record's
prefix and its chunk, and the client combines the results into exactly the report
:func:`secret_ballot.verify_record` gives::

    from secret_ballot import distributed
    report = distributed.verify_record("record.bin")                      # local cluster
    report = distributed.verify_record("/shared/record.bin",
                                       scheduler="tcp://scheduler:8786")  # a real one

or from a shell: ``python -m secret_ballot.distributed record.bin --workers 2``.

Dask (``pip install "dask[distributed]"``) is imported only when this module is used.
Tasks send and return bytes (a chunk's description and its result), so workers need
only this package installed. Each worker process verifies with one thread
(``RAYON_NUM_THREADS=1`` on a local cluster): Dask, not the core, spreads the work.
"""

import argparse as _argparse
import json as _json
import os as _os
import sys as _sys
import time as _time
from contextlib import contextmanager as _contextmanager
from typing import Any, Callable, Dict, Iterator, List, Optional

from . import chunks as _chunks
from ._errors import InvalidInput

__all__ = ["verify_record", "verify_chunk_task", "local_cluster"]


def verify_chunk_task(path: str, prefix_len: int, spec: bytes) -> bytes:
    """The task a worker runs: verifies the chunk ``spec`` (its canonical bytes) of the
    record file ``path`` and returns the result's canonical bytes."""
    result = _chunks.verify_chunk_at(path, prefix_len, _chunks.ChunkSpec.from_bytes(spec))
    return bytes(result.to_bytes())


@_contextmanager
def local_cluster(workers: int = 2) -> Iterator[Any]:
    """A Dask client on a local cluster of ``workers`` processes, one thread each (a
    context manager)."""
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        env={"RAYON_NUM_THREADS": "1"},
    )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


@_contextmanager
def _client(client: Any, scheduler: Optional[str], workers: int) -> Iterator[Any]:
    if client is not None:
        yield client
    elif scheduler is not None:
        from dask.distributed import Client

        with Client(scheduler) as c:
            yield c
    else:
        with local_cluster(workers) as c:
            yield c


def verify_record(
    path: "str | _os.PathLike[str]",
    *,
    client: Any = None,
    scheduler: Optional[str] = None,
    workers: int = 2,
    ballots_per_chunk: int = _chunks.DEFAULT_BALLOTS_PER_CHUNK,
    on_chunk: Optional[Callable[[_chunks.ChunkResult], None]] = None,
    stats: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """Verifies the record file ``path`` on Dask and returns its report (a dict, the
    same as :func:`secret_ballot.verify_record`'s).

    Uses ``client`` if given, else connects to ``scheduler`` (an address such as
    ``"tcp://10.0.0.1:8786"``), else starts a local cluster of ``workers`` processes for
    the call. ``on_chunk`` is called with each result as it arrives (for progress).
    ``stats``, if given, is filled with timings: ``plan_s``, ``chunks_s``,
    ``combine_s``, ``chunks`` and ``ballots``. Raises ``OSError`` for an unreadable
    file, :class:`secret_ballot.ChunkMismatch` if the results do not fit the record (a
    worker read another file, say)."""
    if not isinstance(path, (str, _os.PathLike)):
        raise InvalidInput("path must be a path to the record file", "invalid_input")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidInput("workers must be a positive int", "invalid_input")
    path = _os.path.abspath(_os.fspath(path))
    started = _time.perf_counter()
    record_plan = _chunks.plan(path, ballots_per_chunk)
    planned = _time.perf_counter()
    results: List[_chunks.ChunkResult] = []
    with _client(client, scheduler, workers) as c:
        from dask.distributed import as_completed

        specs = [bytes(spec.to_bytes()) for spec in record_plan.chunks]
        n = len(specs)
        futures = c.map(
            verify_chunk_task,
            [path] * n,
            [record_plan.prefix_len] * n,
            specs,
            pure=False,
        )
        verified_from = _time.perf_counter()
        for future in as_completed(futures):
            result = _chunks.ChunkResult.from_bytes(future.result())
            if on_chunk is not None:
                on_chunk(result)
            results.append(result)
        verified = _time.perf_counter()
    report = _chunks.combine(path, record_plan, results)
    done = _time.perf_counter()
    if stats is not None:
        stats.update(
            plan_s=planned - started,
            chunks_s=verified - verified_from,
            combine_s=done - verified,
            chunks=len(results),
            ballots=sum(r.ballots for r in results),
        )
    return report


def _main(argv: Optional[List[str]] = None) -> int:
    parser = _argparse.ArgumentParser(
        prog="python -m secret_ballot.distributed",
        description="Verify an election record file on a Dask cluster (SPEC.md §14.11).",
    )
    parser.add_argument("record", help="the record file (readable by every worker)")
    parser.add_argument("--scheduler", help="a Dask scheduler's address (default: a local cluster)")
    parser.add_argument("--workers", type=int, default=2, help="local cluster: worker processes (default 2)")
    parser.add_argument(
        "--ballots-per-chunk",
        type=int,
        default=_chunks.DEFAULT_BALLOTS_PER_CHUNK,
        help=f"ballots per task (default {_chunks.DEFAULT_BALLOTS_PER_CHUNK})",
    )
    parser.add_argument("--report", help="write the report (JSON) to this file")
    args = parser.parse_args(argv)
    stats: Dict[str, Any] = {}
    started = _time.perf_counter()
    report = verify_record(
        args.record,
        scheduler=args.scheduler,
        workers=args.workers,
        ballots_per_chunk=args.ballots_per_chunk,
        stats=stats,
    )
    stats["total_s"] = _time.perf_counter() - started
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            _json.dump(report, f)
    summary = {
        "verdict": report["verdict"],
        "stage": report["stage"],
        "ballots": report["ballots"],
        **{k: round(v, 3) if isinstance(v, float) else v for k, v in stats.items()},
    }
    print(_json.dumps(summary))
    return 0 if report["verdict"] == "valid" else 1


if __name__ == "__main__":
    _sys.exit(_main())
