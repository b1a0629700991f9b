#!/usr/bin/env python3
"""Writes every byte string of test-vectors/v1/*.json into a seed corpus directory.

Usage: fuzz/seed-corpus.py [OUT_DIR]   (default: fuzz/corpus/vectors)

Every hex string of the vectors (points, scalars, messages, ballots, manifests, whole
records valid and tampered) becomes one file named after its SHA-256, so the seeds never
go stale when the vectors are regenerated and a rerun adds nothing twice. The directory
is generated: it is ignored by git.
"""
import glob
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEX = re.compile(r"(?:[0-9a-f]{2})+")


def strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, str) and len(value) >= 4 and HEX.fullmatch(value):
        yield bytes.fromhex(value)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "fuzz", "corpus", "vectors")
    os.makedirs(out, exist_ok=True)
    written = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "test-vectors", "v1", "*.json"))):
        with open(path, encoding="utf-8") as f:
            vectors = json.load(f)
        for data in strings(vectors):
            name = os.path.join(out, hashlib.sha256(data).hexdigest()[:16])
            if not os.path.exists(name):
                with open(name, "wb") as f:
                    f.write(data)
                written += 1
    print(f"seed corpus {out}: {written} new inputs from test-vectors/v1")


if __name__ == "__main__":
    main()
