#!/usr/bin/env python3
"""Print criterion results of one run as per-element times and ratios to a baseline.

Usage: benches/report.py [GROUP] [BASELINE]   (defaults: ballot_4_options verify/single)
       benches/report.py peer                 (the elastic-elgamal comparison, BENCHMARKS.md)

Reads target/criterion/<GROUP>/**/new/{estimates,benchmark}.json written by the run
that just finished, so every ratio compares figures measured in the same run. `peer`
also reads target/criterion/peer-context.json (per-ballot counts, CPU, load) that
`cargo bench -p secret-ballot-benches --bench peer` writes.
"""
import json
import math
import pathlib
import sys

import os

# Where criterion wrote: `$CARGO_TARGET_DIR/criterion`, else the workspace's target/.
CRITERION = pathlib.Path(
    os.environ.get("CARGO_TARGET_DIR")
    or pathlib.Path(__file__).resolve().parent.parent / "target"
) / "criterion"


def medians(group, fastest=False):
    """{benchmark id within the group: ns per element} of the latest run: criterion's
    median, or with `fastest` the fastest sample's time per iteration (closest to an
    uncontended core on a shared machine)."""
    root = CRITERION / group
    rows = {}
    for bench in sorted(root.glob("**/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        elements = (meta.get("throughput") or {}).get("Elements", 1) or 1
        if fastest:
            sample = json.loads((bench.parent / "sample.json").read_text())
            per_iter = min(t / i for t, i in zip(sample["times"], sample["iters"]))
        else:
            estimates = json.loads((bench.parent / "estimates.json").read_text())
            per_iter = estimates["median"]["point_estimate"]
        rows[meta["title"].split("/", 1)[1]] = per_iter / elements
    return rows


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def baseline_report(group, baseline_id):
    rows = medians(group)
    if not rows:
        sys.exit(f"no criterion results under {CRITERION / group}")
    baseline = rows.get(baseline_id)
    print(f"{'benchmark':40} {'per element':>14} {'ratio to ' + baseline_id:>24}")
    for name, per in rows.items():
        ratio = f"{per / baseline:.3f}" if baseline else "n/a"
        print(f"{name:40} {per / 1000:11.1f} µs {ratio:>24}")


def peer_report():
    context_path = CRITERION / "peer-context.json"
    context = json.loads(context_path.read_text()) if context_path.exists() else {}
    names = [
        "peer_1of4_encrypt", "peer_1of4_verify", "peer_16_encrypt", "peer_16_verify",
        "peer_sum_10000", "peer_decrypt_sum", "peer_floor",
        "peer_1of4_parallel", "peer_16_parallel",
    ]
    groups = {g: medians(g) for g in names}
    fastest = {g: medians(g, fastest=True) for g in names}
    if not any(groups.values()):
        sys.exit(f"no peer results under {CRITERION}: run the peer bench first")
    batch = context.get("batch", 64)
    threads = context.get("threads", 2)
    print(f"CPU: {context.get('cpu', '?')}; load average (1, 5, 15 min) before the run: "
          f"{context.get('load_before', '?')}, after: {context.get('load_after', '?')}")
    print(f"Measured: {context.get('measurement', 'wall-clock time')}.")
    print("Ratio = elastic-elgamal time / ours (> 1: ours faster), per ballot or operation.\n")

    def row(label, peer, ours, target=None, fast=None):
        if (peer is None or ours is None) and target is None:
            return
        if peer is None or ours is None:
            print(f"| {label} | – | – | – | – | {'' if target is None else 'not measured'} |")
            return
        ratio = peer / ours
        fast_ratio = f"{fast[0] / fast[1]:.2f}×" if fast and None not in fast else "–"
        verdict = "" if target is None else (
            f"≥{target}×: **{'met' if ratio >= target else 'not met'}**")
        print(f"| {label} | {fmt_time(peer)} | {fmt_time(ours)} | {ratio:.2f}× | {fast_ratio} | {verdict} |")

    def pair(group, peer_key, ours_key):
        return (fastest[group].get(peer_key), fastest[group].get(ours_key))

    print("| workload (ours) | elastic-elgamal | ours | ratio (medians) | ratio (fastest samples) | target |")
    print("|---|---|---|---|---|---|")
    for options, enc, ver, par in [
        ("1-of-4", "peer_1of4_encrypt", "peer_1of4_verify", "peer_1of4_parallel"),
        ("16-option", "peer_16_encrypt", "peer_16_verify", "peer_16_parallel"),
    ]:
        e, v, p = groups[enc], groups[ver], groups[par]
        first = options == "1-of-4"
        peer_enc = e.get("elastic/encrypt_prove")
        target = 1.5 if first else None
        for key, label in [
            ("ours/cast", "encrypt+prove (`Ballot::cast`: + hash, signature), cold key"),
            ("ours/cast_precomputed", "encrypt+prove (`Ballot::cast`: + hash, signature), precomputed key"),
            ("ours/encrypt_prove", "encrypt+prove (same proofs, no hash/signature), cold key"),
            ("ours/encrypt_prove_precomputed",
             "encrypt+prove (same proofs, no hash/signature), precomputed key"),
        ]:
            row(f"{options} {label}", peer_enc, e.get(key), target,
                pair(enc, "elastic/encrypt_prove", key))
        peer_ver = v.get("elastic/decode_verify")
        for key, label, target in [
            ("ours/proofs/single", "verify from wire, proofs only, one by one", None),
            (f"ours/proofs/batched/{batch}", f"verify from wire, proofs only, batched {batch}, 1 core",
             3.5 if first else None),
            ("ours/proofs/batched/1024", "verify from wire, proofs only, batched 1024, 1 core", None),
            ("ours/whole/single", "verify from wire, whole ballot, one by one", None),
            (f"ours/whole/batched/{batch}", f"verify from wire, whole ballot, batched {batch}, 1 core",
             2.5 if first else None),
            ("ours/whole/batched/1024", "verify from wire, whole ballot, batched 1024, 1 core", None),
        ]:
            row(f"{options} {label}", peer_ver, v.get(key), target,
                pair(ver, "elastic/decode_verify", key))
        # Wall-clock group: elastic-elgamal and ours on one thread and on `threads`.
        peer_wall = p.get("elastic/decode_verify")
        for key, label, target in [
            (f"ours/proofs/batched/{batch}", f"proofs only, batched {batch}, 1 thread", None),
            (f"ours/proofs/batched_{batch}x{threads}_threads",
             f"proofs only, one batch of {batch} per thread, {threads} threads", 6 if first else None),
            (f"ours/whole/batched/{batch}", f"whole ballot, batched {batch}, 1 thread", None),
            (f"ours/whole/batched_{batch}x{threads}_threads",
             f"whole ballot, one batch of {batch} per thread, {threads} threads", None),
        ]:
            row(f"{options} wall clock: {label}", peer_wall, p.get(key), target,
                pair(par, "elastic/decode_verify", key))
    s = groups["peer_sum_10000"]
    S = "peer_sum_10000"
    row("sum of 10,000 ciphertexts (per ciphertext)", s.get("elastic/sum"), s.get("ours/sum"),
        None, pair(S, "elastic/sum", "ours/sum"))
    row("sum of 10,000 with the duplicate check (`Aggregate::from_ballots`)",
        s.get("elastic/sum"), s.get("ours/aggregate_with_duplicate_check"),
        None, pair(S, "elastic/sum", "ours/aggregate_with_duplicate_check"))
    d = groups["peer_decrypt_sum"]
    D = "peer_decrypt_sum"
    row("decrypt a sum, one key, table prebuilt (elastic: full table; ours: BSGS)",
        d.get("elastic/one_key"), d.get("ours/one_key"), None,
        pair(D, "elastic/one_key", "ours/one_key"))
    row("decryption table for 0..=10,000 (one-off)",
        d.get("elastic/table_0..=10000"), d.get("ours/table_0..=10000"), None,
        pair(D, "elastic/table_0..=10000", "ours/table_0..=10000"))
    row("one key: table + one decryption",
        sum_or_none(d.get("elastic/table_0..=10000"), d.get("elastic/one_key")),
        sum_or_none(d.get("ours/table_0..=10000"), d.get("ours/one_key")))
    row("threshold: one trustee's share (ours recomputes the 10,000-ballot aggregate)",
        d.get("elastic/threshold_share"), d.get("ours/threshold_share"), None,
        pair(D, "elastic/threshold_share", "ours/threshold_share"))
    row("threshold: verify 3 of 5 shares, combine, decode",
        d.get("elastic/threshold_combine_3_of_5"), d.get("ours/threshold_combine_3_of_5"), None,
        pair(D, "elastic/threshold_combine_3_of_5", "ours/threshold_combine_3_of_5"))

    print()
    for options, ver in [("1-of-4", "peer_1of4_verify"), ("16-option", "peer_16_verify")]:
        v = groups[ver]
        p = groups[ver.replace("_verify", "_parallel")]
        dv, vd = v.get("elastic/decode_verify"), v.get("elastic/verify_decoded")
        one = p.get(f"ours/proofs/batched/{batch}")
        two = p.get(f"ours/proofs/batched_{batch}x{threads}_threads")
        if dv and vd:
            print(f"{options}: elastic-elgamal decoding {fmt_time(dv - vd)} of {fmt_time(dv)} "
                  f"(verify of the decoded value {fmt_time(vd)}).", end=" ")
        if one and two:
            print(f"Ours, proofs batched, wall clock: {threads} threads give {one / two:.2f}× one thread.", end="")
        table = groups[ver.replace("_verify", "_encrypt")].get("ours/precompute_key")
        if table:
            print(f" The election key's table (`precompute_key`, once per key and device): {fmt_time(table)}.", end="")
        print()

    f, ff = groups["peer_floor"], fastest["peer_floor"]
    counts = context.get("counts", {})
    msm = {int(k.split("/")[1]): k for k in f if k.startswith("msm_per_point/")}
    if "decompress" not in f or not msm or not counts:
        print("\n(no floor: run the whole peer bench)")
        return

    def nearest(points):
        """The measured multiscalar size nearest to `points` (log scale)."""
        return msm[min(msm, key=lambda n: abs(math.log(n / points)))]

    print("\nFloor units of this run: one decompression "
          f"{fmt_time(f['decompress'])}; multiscalar per point "
          + ", ".join(f"{fmt_time(f[msm[n]])} at {n:,} points" for n in sorted(msm)) + ".")
    print("Floor = decompressions × decompression + multiscalar points × per-point cost "
          f"(at the measured size nearest to a {batch}-ballot batch).\n")
    print(f"| ballot | part | decompressions | multiscalar points | floor | ours batched {batch}, 1 core "
          "| ours / floor (medians) | ours / floor (fastest) | elastic-elgamal / floor "
          "(medians): the most batching could gain |")
    print("|---|---|---|---|---|---|---|---|---|")
    for options, ver in [("4", "peer_1of4_verify"), ("16", "peer_16_verify")]:
        for part in ["proofs", "whole"]:
            c = counts.get(options, {}).get(part)
            if not c:
                continue
            key = nearest(batch * c["msm_points"])
            floor = c["decompressions"] * f["decompress"] + c["msm_points"] * f[key]
            f_floor = c["decompressions"] * ff["decompress"] + c["msm_points"] * ff[key]
            ours = groups[ver].get(f"ours/{part}/batched/{batch}")
            f_ours = fastest[ver].get(f"ours/{part}/batched/{batch}")
            peer = groups[ver].get("elastic/decode_verify")
            name = "1-of-4" if options == "4" else "16-option"
            print(f"| {name} | {part} | {c['decompressions']} | {c['msm_points']} | "
                  f"{fmt_time(floor)} | {fmt_time(ours) if ours else '–'} | "
                  f"{f'{ours / floor:.2f}' if ours else '–'} | "
                  f"{f'{f_ours / f_floor:.2f}' if f_ours else '–'} | "
                  f"{f'{peer / floor:.2f}×' if peer else '–'} |")


def sum_or_none(a, b):
    return None if a is None or b is None else a + b


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "peer":
        peer_report()
    else:
        baseline_report(sys.argv[1] if len(sys.argv) > 1 else "ballot_4_options",
                        sys.argv[2] if len(sys.argv) > 2 else "verify/single")
