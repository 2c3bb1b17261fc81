#!/usr/bin/env python3
"""Turns a JMH JSON result of the codec benchmark (Decode/Encode, run with -prof gc) into the
markdown table of docs/bench-codec.md: per operation and message, ns/op and B/op of ours and of
each baseline, and each baseline's cost divided by ours (so 10.0x means ours is 10 times cheaper).
ns/op is shown as "mean ± 99.9% error (best iteration)": on a shared machine the best iteration
is the least disturbed one; ratios use the best iterations.

usage: codec-table.py result.json
"""
import json
import sys

IMPLS = ("jdht", "bt", "dampcake")


def main(path):
    with open(path) as f:
        runs = json.load(f)
    rows = {}
    for r in runs:
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        message, impl = method.rsplit("_", 1)
        score = r["primaryMetric"]["score"]
        err = r["primaryMetric"]["scoreError"]
        alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
        best = min(v for fork in r["primaryMetric"]["rawData"] for v in fork)
        rows.setdefault((cls, message), {})[impl] = (score, err, alloc, best)

    print("| operation | message | ours ns/op | ours B/op | bt ns/op | bt B/op "
          "| dampcake ns/op | dampcake B/op | bt ÷ ours (time / alloc) "
          "| dampcake ÷ ours (time / alloc) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (cls, message), m in sorted(rows.items()):
        if not all(i in m for i in IMPLS):
            continue
        cells = [cls.lower(), message]
        for impl in IMPLS:
            s, e, a, b = m[impl]
            cells.append(f"{s:,.0f} ± {e:,.0f} ({b:,.0f})")
            cells.append(f"{a:,.0f}")
        ours = m["jdht"]
        for impl in ("bt", "dampcake"):
            _, _, a, b = m[impl]
            cells.append(f"{b / ours[3]:.1f}x / {a / ours[2]:.1f}x")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
