#!/usr/bin/env python3
"""Derives the rows of scenarios/data/europe1936_factors.csv (after its # lines).

Usage: python3 scripts/europe1936_factors.py WARS.csv TC.csv > rows.csv
  WARS.csv  COW Inter-State War Data v4.0 (github irenedelatorre/countries_at_war @ 9d7efb0,
            media/Inter-StateWarData_v4.0.csv)
  TC.csv    COW Territorial Change v4.01 (github dbowden/territory_trade @ 1912b32,
            tc2008.csv; its CR line ends converted: tr '\\r' '\\n')
Rules: scenarios/data/SOURCES.md.
"""
import csv
import itertools
import sys

# The 17 nations in the order of scenarios/europe-1936-landscape-factors.toml, by COW code.
ORDER = ["UKG", "CZE", "DEN", "EST", "FIN", "FRN", "GMY", "GRC", "HUN", "ITA", "LAT", "LIT",
         "POL", "POR", "ROM", "RUS", "YUG"]
CODES = {200: "UKG", 315: "CZE", 390: "DEN", 366: "EST", 375: "FIN", 220: "FRN", 255: "GMY",
         350: "GRC", 310: "HUN", 325: "ITA", 367: "LAT", 368: "LIT", 290: "POL", 235: "POR",
         360: "ROM", 365: "RUS", 345: "YUG"}


def pair(a, b):
    return tuple(sorted((a, b), key=ORDER.index))


def main(wars_path, tc_path):
    wars = {}
    for r in csv.DictReader(open(wars_path, encoding="latin-1")):
        if r["WarNum"]:
            wars.setdefault(int(r["WarNum"]), []).append(r)
    opposed = {}
    for num, rows in wars.items():
        start = min(int(r["StartYear1"]) for r in rows)
        ours = [r for r in rows if int(r["ccode"]) in CODES]
        if start > 1935:
            continue
        for p, q in itertools.combinations(ours, 2):
            a, b = CODES[int(p["ccode"])], CODES[int(q["ccode"])]
            if a != b and p["Side"] != q["Side"]:
                opposed.setdefault(pair(a, b), set()).add((num, start))
    changes = {}
    for r in csv.DictReader(open(tc_path, encoding="latin-1")):
        try:
            g, l, y = int(float(r["gainer"])), int(float(r["loser"])), int(r["year"])
        except ValueError:
            continue
        if g in CODES and l in CODES and g != l and y <= 1935 and r["contlose"] == "1":
            changes.setdefault(pair(CODES[g], CODES[l]), set()).add((int(r["number"]), y))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["a", "b", "war_opposed_1870", "war_opposed_1816", "territory_1870",
                  "territory_1816", "cow_wars", "cow_territorial_changes"])
    for a, b in itertools.combinations(ORDER, 2):
        o, t = opposed.get((a, b), set()), changes.get((a, b), set())
        out.writerow([a, b, int(any(y >= 1870 for _, y in o)), int(bool(o)),
                      int(any(y >= 1870 for _, y in t)), int(bool(t)),
                      ";".join(f"{n}:{y}" for n, y in sorted(o)),
                      ";".join(f"{n}:{y}" for n, y in sorted(t))])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
