#!/usr/bin/env python3
"""Print criterion results of one run as per-element times and ratios to a baseline.

Usage: benches/report.py [GROUP] [BASELINE]   (defaults: ballot_4_options verify/single)

Reads target/criterion/<GROUP>/**/new/{estimates,benchmark}.json written by the run
that just finished, so every ratio compares figures measured in the same run.
"""
import json
import pathlib
import sys

group = sys.argv[1] if len(sys.argv) > 1 else "ballot_4_options"
baseline_id = sys.argv[2] if len(sys.argv) > 2 else "verify/single"
root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion" / group

rows = []
for bench in sorted(root.glob("**/new/benchmark.json")):
    meta = json.loads(bench.read_text())
    estimates = json.loads((bench.parent / "estimates.json").read_text())
    elements = (meta.get("throughput") or {}).get("Elements", 1) or 1
    median_ns = estimates["median"]["point_estimate"]
    rows.append((meta["title"].split("/", 1)[1], median_ns / elements))

if not rows:
    sys.exit(f"no criterion results under {root}")
baseline = dict(rows).get(baseline_id)
print(f"{'benchmark':40} {'per element':>14} {'ratio to ' + baseline_id:>24}")
for name, per in rows:
    ratio = f"{per / baseline:.3f}" if baseline else "n/a"
    print(f"{name:40} {per / 1000:11.1f} µs {ratio:>24}")
