"""Benchmark of the E (encoding) family on ftfy's test cases and on real scraped articles.

    python benchmarks/encoding.py [--corpus ../shared/corpus] [--show]

ftfy-cases: a case is due a finding exactly when its `fixed-encoding` (or `fixed`) differs from
its `original`; the fix (`lint --fix --unsafe-fixes --select E`) should produce `fixed-encoding`.
Real corpora (Multi-News, extraction benchmark) have no encoding labels: the table counts files
with findings and findings by rule; `--show` prints every finding for reading.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lint.config import Settings  # noqa: E402
from lint.engine import check_text, fix_text, select_rules  # noqa: E402

SELECT = Settings(select=("E",))
FTFY_SETS = ("in-the-wild", "synthetic", "language-names", "negative")
REAL = ("multinews/articles", "extraction-benchmark/trafilatura", "extraction-benchmark/ground-truth")


def _rules():
    return select_rules(SELECT)


def measure_ftfy_cases(folder: Path) -> dict:
    """Per case set: cases, due, flagged, due and flagged, false flags, exact fixes."""
    rules = _rules()
    out = {}
    for name in FTFY_SETS:
        cases = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        row = Counter(cases=len(cases))
        misses = []
        for case in cases:
            original = case["original"]
            target = case.get("fixed-encoding", case["fixed"])
            due = target != original
            found = check_text(original, SELECT, rules=rules)
            fixed = fix_text(original, SELECT, unsafe=True, rules=rules).text
            row["due"] += due
            row["flagged"] += bool(found)
            row["hit"] += due and bool(found)
            row["false_flag"] += (not due) and bool(found)
            row["exact"] += fixed == target
            row["exact_due"] += due and fixed == target
            if (bool(found) != due) or fixed != target:
                misses.append((original, target, fixed, [f"{d.code} {d.message}" for d in found]))
        out[name] = (row, misses)
    return out


def measure_real(folder: Path) -> tuple:
    rules = _rules()
    files = sorted(folder.glob("*.txt"))
    by_code: Counter = Counter()
    flagged = 0
    findings = []
    start = time.perf_counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = check_text(text, SELECT, path=str(path), rules=rules)
        flagged += bool(found)
        for d in found:
            by_code[d.code] += 1
            findings.append((path.name, d, text))
    elapsed = time.perf_counter() - start
    return len(files), flagged, by_code, findings, elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--show", action="store_true", help="print misses and every real-corpus finding")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not (corpus / "ftfy-cases").is_dir():
        print(f"corpus not found at {corpus} (expected ftfy-cases/ inside); pass --corpus PATH", file=sys.stderr)
        return 2

    print("ftfy-cases (E family; fix = --fix --unsafe-fixes --select E)")
    header = f"{'set':<16}{'cases':>6}{'due':>5}{'flagged':>8}{'due hit':>9}{'false flags':>12}{'exact fix':>11}{'exact (due)':>12}"
    print(header)
    print("-" * len(header))
    total = Counter()
    for name, (row, misses) in measure_ftfy_cases(corpus / "ftfy-cases").items():
        total.update(row)
        print(f"{name:<16}{row['cases']:>6}{row['due']:>5}{row['flagged']:>8}"
              f"{_pct(row['hit'], row['due']):>9}{row['false_flag']:>12}{_pct(row['exact'], row['cases']):>11}"
              f"{_pct(row['exact_due'], row['due']):>12}")
        if args.show:
            for original, target, fixed, found in misses:
                print(f"    MISS {original!r}\n      want {target!r}\n      got  {fixed!r}\n      {found}")
    print(f"{'all':<16}{total['cases']:>6}{total['due']:>5}{total['flagged']:>8}{_pct(total['hit'], total['due']):>9}"
          f"{total['false_flag']:>12}{_pct(total['exact'], total['cases']):>11}{_pct(total['exact_due'], total['due']):>12}")

    print()
    print("real articles (no encoding labels: read the findings with --show)")
    header = f"{'corpus':<36}{'files':>6}{'flagged':>8}{'findings':>9}  {'by rule':<40}{'files/s':>8}"
    print(header)
    print("-" * len(header))
    for rel in REAL:
        folder = corpus / rel
        if not folder.is_dir():
            print(f"{rel:<36}  (absent)")
            continue
        n, flagged, by_code, findings, elapsed = measure_real(folder)
        codes = " ".join(f"{c}:{k}" for c, k in sorted(by_code.items())) or "-"
        print(f"{rel:<36}{n:>6}{flagged:>8}{sum(by_code.values()):>9}  {codes:<40}{n / max(elapsed, 1e-9):>8.0f}")
        if args.show:
            for name, d, text in findings:
                context = text[max(0, d.start - 30):d.end + 30]
                print(f"    {name}:{d.line}:{d.column} {d.code} {d.message[:110]} | {context!r}")
    return 0


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


if __name__ == "__main__":
    sys.exit(main())
