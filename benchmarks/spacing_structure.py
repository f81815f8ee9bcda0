"""Findings of the W (whitespace and punctuation) and T (structure) rules on the shared corpora.

    python benchmarks/spacing_structure.py [--corpus PATH] [--show CODE] [--limit N]

Reads ``../shared/corpus`` (Multi-News scraped articles and the extraction benchmark's clean
ground-truth bodies), runs every W and T rule (default or not) and prints, per rule and corpus,
the number of findings and of files with a finding, and the time taken. ``--show CODE`` prints
each finding of that rule with its context, for reading by hand (the precision numbers in the
rule docs come from such readings). The corpus is research-only: nothing from it is written.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lint.config import Settings  # noqa: E402
from lint.engine import check_text  # noqa: E402
from lint.registry import load_rules  # noqa: E402

CORPORA = {
    "multinews": "multinews/articles",
    "ground-truth": "extraction-benchmark/ground-truth",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"), help="the shared corpus folder")
    parser.add_argument("--show", metavar="CODE", help="print every finding of this rule with its context")
    parser.add_argument("--limit", type=int, default=0, help="with --show: at most N findings")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found: {corpus} (pass --corpus PATH)", file=sys.stderr)
        return 2
    rules = [r for r in load_rules().rules if r.family in ("W", "T")]
    settings = Settings(select=tuple(r.code for r in rules))
    findings = {name: Counter() for name in CORPORA}
    files_hit = {name: Counter() for name in CORPORA}
    fixes = Counter()
    shown = 0
    sizes = {}
    started = time.perf_counter()
    for name, sub in CORPORA.items():
        paths = sorted((corpus / sub).glob("*.txt"))
        sizes[name] = len(paths)
        for path in paths:
            text = path.read_text(encoding="utf-8", errors="replace")
            diagnostics = check_text(text, settings, path=str(path), rules=rules)
            for code in {d.code for d in diagnostics}:
                files_hit[name][code] += 1
            for d in diagnostics:
                findings[name][d.code] += 1
                if d.fix is not None:
                    fixes[(d.code, d.fix.applicability.value)] += 1
                if args.show and d.code == args.show.upper() and (not args.limit or shown < args.limit):
                    shown += 1
                    context = text[max(0, d.start - 60):d.end + 60].replace("\n", "⏎")
                    print(f"{name}/{path.name}:{d.line}:{d.column} {d.message}\n    {context}")
    elapsed = time.perf_counter() - started
    if args.show:
        print()
    total_files = sum(sizes.values())
    header = f"{'rule':<6} {'name':<32} {'default':<7} " + " ".join(
        f"{n + ' (' + str(sizes[n]) + ')':>22}" for n in CORPORA) + "  fixes safe/unsafe"
    print(header)
    print("-" * len(header))
    for r in rules:
        cells = " ".join(f"{findings[n][r.code]:>8} in {files_hit[n][r.code]:>4} files" for n in CORPORA)
        print(f"{r.code:<6} {r.name:<32} {'on' if r.default else 'off':<7} {cells}  "
              f"{fixes[(r.code, 'safe')]}/{fixes[(r.code, 'unsafe')]}")
    print(f"\n{total_files} files in {elapsed:.2f}s ({total_files / elapsed:.0f} files/s, W and T rules only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
