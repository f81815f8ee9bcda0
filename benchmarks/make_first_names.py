"""Regenerate rules/data/first_names.tsv (first name -> F / M / U) from the SSA birth counts.

    python benchmarks/make_first_names.py [--source ../shared/data/ssa-first-names.csv] [--out rules/data/first_names.tsv]

Source: US Social Security Administration national baby-name files 1880-2020 (public domain),
summed per name and sex in ``shared/data/ssa-first-names.csv`` (see shared/data/README.md).

A name is kept when it has at least MIN_BIRTHS births in total. It gets
  * ``F`` or ``M`` when that sex has at least MIN_SHARE of its births (a confident gender hint), or
  * ``U`` (a known first name with no gender hint) otherwise, and for INTERNATIONAL_AMBIGUOUS:
    names that are strongly female in the US but male in a large naming tradition frequent in
    news (Italian Andrea, French Jean, Russian Nikita ...).
The third column is the order of magnitude of the births (floor of log10: 2 for 200-999 ... 6 for a
million or more), so that a rule can tell a common first name ("Amber", 4+) from a surname that is
also a rare given name ("Novak", 2).
Thresholds from the research (share >= 95 %, births >= 200: keeps Bashar and Muhammed, drops
Jamie 76 % F and Jordan); a US-centric hint about a name, never a fact about a person.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_SHARE = 0.95
MIN_BIRTHS = 200
INTERNATIONAL_AMBIGUOUS = {
    "Andrea", "Jean", "Joan", "Simone", "Michele", "Daniele", "Gabriele", "Toni", "Valery", "Valeri",
    "Vanya", "Nikita", "Sasha", "Misha", "Sacha", "Yan", "Ilya", "Kim", "Noa", "Jo",
}
HEADER = (
    "# First name -> F (female), M (male) or U (a first name with no confident gender).\n"
    "# Derived from the US Social Security Administration's national baby-name files 1880-2020\n"
    "# (a work of the US government, public domain), as summed in shared/data/ssa-first-names.csv\n"
    "# (see shared/data/README.md). Regenerate with benchmarks/make_first_names.py.\n"
    f"# Kept: >= {MIN_BIRTHS} births; F/M when one sex has >= {MIN_SHARE:.0%} of them, else U.\n"
    "# Columns: name, F/M/U, births as a power of ten (floor of log10 of the total).\n"
    "# A US-centric hint about a name, never a statement about a person.\n"
)


def build(source: Path) -> dict:
    table = {}
    with open(source, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["name"]
            female, male = int(row["female"]), int(row["male"])
            total = female + male
            if total < MIN_BIRTHS:
                continue
            if name in INTERNATIONAL_AMBIGUOUS:
                gender = "U"
            elif female / total >= MIN_SHARE:
                gender = "F"
            elif male / total >= MIN_SHARE:
                gender = "M"
            else:
                gender = "U"
            table[name] = (gender, len(str(total)) - 1)
    return table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data" / "ssa-first-names.csv")
    parser.add_argument("--out", type=Path, default=ROOT / "rules" / "data" / "first_names.tsv")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"SSA counts not found: {args.source} (pass --source)", file=sys.stderr)
        return 2
    table = build(args.source)
    with open(args.out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(HEADER)
        for name in sorted(table):
            gender, magnitude = table[name]
            handle.write(f"{name}\t{gender}\t{magnitude}\n")
    counts = {g: sum(1 for v, _ in table.values() if v == g) for g in "FMU"}
    print(f"{len(table)} names (F {counts['F']}, M {counts['M']}, U {counts['U']}), "
          f"{args.out.stat().st_size} bytes -> {args.out}")
    for name in ("Jamie", "Jim", "Anna", "Tim", "Jordan", "Andrea", "Bashar", "Muhammed", "Lindsey"):
        print(f"  {name}: {table.get(name, 'absent')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
