"""Benchmark of the P (people) family on real scraped articles (Multi-News, 500 articles).

    python benchmarks/people.py [--corpus ../shared/corpus] [--show] [--rules P001,P002]

The corpus has no labels: the table counts findings per rule, files with findings and the time
per article; `--show` prints every finding with its line for reading by hand (the verdicts are
kept in the change that tunes a rule, never the corpus text). The P rules must stay precise:
at most 1 wrong pronoun finding per 100 articles.
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
from lint.engine import check_text, select_rules  # noqa: E402

CODES = ("P001", "P002", "P003", "P004", "P005")


def perturb(texts) -> str:
    """Swap each attribution pronoun outside quotes, one at a time; count how often P001 flags it."""
    from rules import people

    select = Settings(select=("P001",))
    rules = select_rules(select)
    lists = people._lists()
    swap = {"he": "she", "she": "he", "He": "She", "She": "He", "HE": "SHE", "SHE": "HE"}
    total = hit = 0
    for text in texts:
        masked = people._mask_quotes(text)
        for offset, pron in people._attributions(lists, masked):
            new = text[:offset] + swap[pron] + text[offset + len(pron):]
            total += 1
            hit += any(d.start == offset for d in check_text(new, select, rules=rules))
    return f"P001 perturbation recall: {hit}/{total} swapped pronouns flagged ({100 * hit / max(total, 1):.1f} %)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--show", action="store_true", help="print every finding with its line")
    parser.add_argument("--rules", default=",".join(CODES), help="comma-separated codes (default: all P rules)")
    parser.add_argument("--perturb", action="store_true",
                        help="recall proxy for P001: swap one attribution pronoun (he <-> she) at a time")
    args = parser.parse_args(argv)
    folder = args.corpus / "multinews" / "articles"
    if not folder.is_dir():
        print(f"corpus not found: {folder} (pass --corpus PATH)", file=sys.stderr)
        return 2
    codes = tuple(c.strip() for c in args.rules.split(",") if c.strip())
    settings = Settings(select=codes)
    rules = select_rules(settings)
    files = sorted(folder.glob("*.txt"))
    texts = [(p, p.read_text(encoding="utf-8")) for p in files]
    by_code: Counter = Counter()
    files_with: Counter = Counter()
    shown = []
    check_text(texts[0][1], settings, rules=rules)  # load the names table and word lists once
    start = time.perf_counter()
    for path, text in texts:
        found = check_text(text, settings, path=path.name, rules=rules)
        for code in {d.code for d in found}:
            files_with[code] += 1
        for d in found:
            by_code[d.code] += 1
            if args.show:
                line = text.split("\n")[d.line - 1]
                shown.append(f"{d.code} {path.name}:{d.line}:{d.column} {d.message}\n    | {line[:300]}")
    elapsed = time.perf_counter() - start
    if args.perturb:
        print(perturb([t for _, t in texts]))
    size = sum(len(t) for _, t in texts)
    for entry in shown:
        print(entry)
    print(f"\n{len(files)} articles, {size / len(files) / 1024:.1f} KB on average")
    print(f"{'rule':<6} {'findings':>8} {'files':>6} {'per 100 articles':>17}")
    for code in codes:
        print(f"{code:<6} {by_code[code]:>8} {files_with[code]:>6} {100 * by_code[code] / len(files):>17.1f}")
    print(f"time: {1000 * elapsed / len(files):.2f} ms per article "
          f"({1000 * elapsed / (size / 3072):.2f} ms per 3 KB), rules {', '.join(codes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
