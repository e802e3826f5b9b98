#!/usr/bin/env python3
"""Run Mesa's alliance-formation example for many seeds and summarise each run.

The reference for scenarios/mesa-alliances.toml (issue 21, item 5): the example
`mesa/examples/advanced/alliance_formation` (MultiLevelAllianceModel) as shipped in
the `mesa` package on PyPI (figures in scripts/mesa/README.md are from Mesa 3.3.1;
Apache License 2.0). Not part of minilat's test suite.

    python -m venv venv-mesa && venv-mesa/bin/pip install mesa networkx scipy
    venv-mesa/bin/python scripts/mesa/run_mesa.py --seeds 300 --out scripts/mesa/mesa-3.3.1.csv

One row per seed, with the columns of minilat's runs.csv that describe the
hierarchy (so compare.py reads both alike), after --steps steps:

- alliances: alliances in no larger alliance (meta-agents without a meta_agent);
- singletons: agents in no alliance; alone_share = singletons / n;
- hierarchy_depth: the highest level of any alliance (0 if none);
- largest_alliance: agents under the largest alliance (1 if none);
- merges: n - singletons - alliances (each merge joins two parts into one);
- settled_tick: the first step (counted from 0, as minilat's ticks) from which
  nothing changed: the last step that changed the structure, counted from 1 (0 if
  none did);
- key_errors: 1 if the example raised KeyError in `only_best_combination` (the run
  then stops there; never seen with the defaults).
"""

import argparse
import csv
import sys

import mesa
from mesa.examples.advanced.alliance_formation.agents import AllianceAgent
from mesa.examples.advanced.alliance_formation.model import MultiLevelAllianceModel


def agents_under(node):
    """Base agents below an alliance (or the agent itself)."""
    if isinstance(node, AllianceAgent):
        return 1
    return sum(agents_under(child) for child in node.agents)


def structure(model):
    """(alliances, singletons, depth, largest, signature) of the model now."""
    metas = [a for a in model.agents if not isinstance(a, AllianceAgent)]
    roots = [a for a in metas if getattr(a, "meta_agent", None) is None]
    base = [a for a in model.agents if isinstance(a, AllianceAgent)]
    alone = [a for a in base if getattr(a, "meta_agent", None) is None]
    depth = max((a.level for a in metas), default=0)
    sizes = sorted(agents_under(r) for r in roots)
    largest = sizes[-1] if sizes else 1
    signature = (len(metas), len(roots), len(alone), tuple(sizes))
    return len(roots), len(alone), depth, largest, signature


def run(seed, n, steps):
    model = MultiLevelAllianceModel(n=n, seed=seed)
    last = structure(model)[4]
    settled = 0
    key_error = 0
    for step in range(1, steps + 1):
        try:
            model.step()
        except KeyError:
            key_error = 1
            break
        now = structure(model)
        if now[4] != last:
            settled = step
            last = now[4]
    alliances, singletons, depth, largest, _ = structure(model)
    return {
        "seed": seed,
        "alliances": alliances,
        "singletons": singletons,
        "alone_share": singletons / n,
        "hierarchy_depth": depth,
        "largest_alliance": largest,
        "merges": n - singletons - alliances,
        "settled_tick": settled,
        "key_errors": key_error,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=int, default=300, help="seeds 0 .. S-1")
    p.add_argument("--first", type=int, default=0, help="first seed")
    p.add_argument("--steps", type=int, default=20, help="steps per run")
    p.add_argument("--n", type=int, default=50, help="agents (Mesa's default 50)")
    p.add_argument("--out", default="-", help="CSV file (default: stdout)")
    a = p.parse_args()
    out = sys.stdout if a.out == "-" else open(a.out, "w", newline="")
    out.write(f"# Mesa {mesa.__version__}, alliance_formation, n={a.n}, steps={a.steps}\n")
    w = None
    for seed in range(a.first, a.first + a.seeds):
        row = run(seed, a.n, a.steps)
        if w is None:
            w = csv.DictWriter(out, fieldnames=list(row))
            w.writeheader()
        w.writerow(row)
        out.flush()


if __name__ == "__main__":
    main()
