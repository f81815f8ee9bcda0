"""Findings of the N (naming) and S (spun text) rules on the shared corpus, per rule, one command.

    python benchmarks/naming_spin.py [--corpus PATH] [--show CODE] [--limit N] [--clusters]

Reads ``../shared/corpus/multinews/articles`` (500 scraped news articles, research-only: nothing
from them is written anywhere) and prints:

1. per rule: findings, files with a finding, and findings by severity, each file linted alone;
2. the cross-document check (N004 with a corpus index): the flags when the 500 articles are one
   folder (the index built exactly as ``lint`` builds it), and with ``--clusters`` when each
   Multi-News topic cluster (file prefix ``NNN_``) is its own folder;
3. the spin score (S002) distribution.

``--show CODE`` prints every finding of that rule with its context, for reading by hand (the
precision numbers in the rule docs come from such readings).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lint.config import Settings  # noqa: E402
from lint.corpus import CorpusIndex, collect_facts, index_key  # noqa: E402
from lint.document import Document  # noqa: E402
from lint.engine import Context, check_text  # noqa: E402
from lint.registry import load_rules  # noqa: E402


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    return (text[max(0, start - width):start] + "[[" + text[start:end] + "]]" + text[end:end + width]).replace("\n", " / ")


def _index(paths, texts, collectors, settings) -> CorpusIndex:
    index = CorpusIndex()
    for c in collectors:
        index.versions[c.name] = c.version
    for path in paths:
        index.add(index_key(str(path)), collect_facts(Document(texts[path], str(path), Context(settings)), collectors))
    return index


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"), help="the shared corpus folder")
    parser.add_argument("--show", metavar="CODE", help="print every finding of this rule with its context")
    parser.add_argument("--limit", type=int, default=0, help="with --show: at most N findings")
    parser.add_argument("--clusters", action="store_true", help="also run N004 with each topic cluster as a folder")
    args = parser.parse_args(argv)
    folder = Path(args.corpus) / "multinews" / "articles"
    if not folder.is_dir():
        print(f"corpus not found: {folder} (pass --corpus PATH, the folder that holds multinews/)", file=sys.stderr)
        return 2
    ruleset = load_rules()
    rules = [r for r in ruleset.rules if r.family in ("N", "S")]
    settings = Settings(select=tuple(r.code for r in rules))
    paths = sorted(folder.glob("*.txt"))
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in paths}

    # 1. each file alone
    started = time.perf_counter()
    findings, files_hit, by_severity = Counter(), Counter(), defaultdict(Counter)
    shown = []
    scores = []
    for path in paths:
        diagnostics = check_text(texts[path], settings, path=str(path), rules=rules)
        for code in {d.code for d in diagnostics}:
            files_hit[code] += 1
        for d in diagnostics:
            findings[d.code] += 1
            by_severity[d.code][d.severity.value] += 1
            if args.show and d.code == args.show.upper():
                shown.append((path.name, d.line, d.message, _context(texts[path], d.start, d.end)))
    alone = time.perf_counter() - started
    print(f"N and S rules on {len(paths)} Multi-News articles, each file alone ({alone:.1f} s, "
          f"{len(paths) / alone:.0f} files/s)\n")
    print(f"{'rule':6} {'name':24} {'findings':>8} {'files':>6}  severities")
    for r in rules:
        sev = ", ".join(f"{k} {v}" for k, v in sorted(by_severity[r.code].items()))
        print(f"{r.code:6} {r.name:24} {findings[r.code]:8} {files_hit[r.code]:6}  {sev}")
    print(f"{'total':31} {sum(findings.values()):8}")

    # 2. the cross-document check
    n004 = [r for r in rules if r.code == "N004"]
    collectors = [c for c in ruleset.collectors if "N004" in c.rules]
    settings4 = Settings(select=("N004",))
    groups = {"all 500 as one folder": paths}
    if args.clusters:
        clusters = defaultdict(list)
        for p in paths:
            clusters[p.name.split("_")[0]].append(p)
        groups["each topic cluster a folder"] = clusters
    for label, group in groups.items():
        started = time.perf_counter()
        folders = group.values() if isinstance(group, dict) else [group]
        flags = []
        for members in folders:
            if len(members) < 2:
                continue
            index = _index(members, texts, collectors, settings4)
            for path in members:
                for d in check_text(texts[path], settings4, path=str(path), index=index, rules=n004):
                    if "other documents" in d.message:
                        flags.append((path.name, d.line, d.message, _context(texts[path], d.start, d.end, 40)))
        took = time.perf_counter() - started
        print(f"\nN004 cross-document flags, {label}: {len(flags)} ({took:.1f} s incl. index)")
        for name, line, message, ctx in flags:
            print(f"  {name}:{line}: {message}\n      {ctx}")

    # 3. spin score
    from rules.spin import spin_score

    for path in paths:
        doc = Document(texts[path], str(path), Context(settings))
        score, by_id, words = spin_score(doc)
        if by_id:
            scores.append((score, path.name, sorted(by_id), words))
    print(f"\nSpin score: {len(paths) - len(scores)} articles score 0; the others:")
    for score, name, ids, words in sorted(scores, reverse=True):
        print(f"  {name:24} {score:5.1f}  ({len(ids)} fingerprints in {words} words: {', '.join(ids)})")

    if args.show:
        print(f"\n{args.show.upper()} findings:")
        for i, (name, line, message, ctx) in enumerate(shown):
            if args.limit and i >= args.limit:
                break
            print(f"  {name}:{line}: {message}\n      {ctx}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
