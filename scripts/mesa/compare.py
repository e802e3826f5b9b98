#!/usr/bin/env python3
"""Compare Mesa's alliance-formation runs with minilat's mesa-alliances runs.

    venv-mesa/bin/python scripts/mesa/compare.py scripts/mesa/mesa-3.3.1.csv \
        output/mesa-alliances/runs.csv

Reads the CSV that run_mesa.py writes and minilat's runs.csv (columns alliances,
singletons, hierarchy_depth, largest_alliance, merges, settled_tick) and prints, per
measure, the mean and the 10/25/50/75/90% quantiles of each, and two two-sample
tests (Kolmogorov-Smirnov and Mann-Whitney U, two-sided, scipy) as a Markdown table.
Not part of minilat's test suite.
"""

import csv
import statistics
import sys

from scipy import stats

MEASURES = [
    ("alliances", "alliances at the end"),
    ("alone_share", "share of agents alone"),
    ("hierarchy_depth", "hierarchy depth"),
    ("largest_alliance", "largest alliance"),
    ("merges", "merges"),
    ("settled_tick", "settled by tick"),
]


def read(path, n):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    out = {}
    for key, _ in MEASURES:
        values = []
        for r in rows:
            if key == "alone_share" and key not in r:
                cell = float(r["singletons"]) / n
            else:
                cell = float(r[key]) if r[key] not in ("", "NaN", "nan") else None
            if cell is not None:
                values.append(cell)
        out[key] = values
    return out


def quantiles(v):
    q = statistics.quantiles(v, n=20, method="inclusive")
    return [q[1], q[4], statistics.median(v), q[14], q[17]]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    mesa, minilat = read(sys.argv[1], n), read(sys.argv[2], n)
    print(f"Mesa: {len(mesa['alliances'])} runs; minilat: {len(minilat['alliances'])} runs\n")
    print("| measure | Mesa mean | minilat mean | Mesa q10, q25, q50, q75, q90 "
          "| minilat q10, q25, q50, q75, q90 | KS D (p) | Mann-Whitney p |")
    print("|---|---|---|---|---|---|---|")
    for key, label in MEASURES:
        a, b = mesa[key], minilat[key]
        ks = stats.ks_2samp(a, b)
        mw = stats.mannwhitneyu(a, b, alternative="two-sided")
        fmt = lambda q: ", ".join(f"{x:.3g}" for x in q)
        print(f"| {label} | {statistics.mean(a):.3f} | {statistics.mean(b):.3f} "
              f"| {fmt(quantiles(a))} | {fmt(quantiles(b))} "
              f"| {ks.statistic:.3f} ({ks.pvalue:.3f}) | {mw.pvalue:.3f} |")


if __name__ == "__main__":
    main()
