"""Speed and memory of articlelint on the shared corpus, next to proselint measured in the same run.

    python benchmarks/speed.py [--corpus ../shared/corpus] [--jsonl-mb 1000] [--growth 1,2,5,10]

Prints one table. Figures are ratios against a peer measured in the same run (proselint for
throughput, `python -c pass` for start-up), so a slow or busy machine shifts both sides alike.
proselint is an optional peer: `pip install proselint` (it is in the `bench` extra).

Every command runs as an installed package runs: with bytecode (pip compiles it at install; an
editable install or PYTHONDONTWRITEBYTECODE=1 would make each start-up recompile every module),
here in a private PYTHONPYCACHEPREFIX warmed by one run first. The JSONL rows stream a generated
file of --jsonl-mb MB (1 GB by default: about 10 minutes; --jsonl-mb 200 for a quicker look)
and a quarter of it, to show that peak memory does not grow with the file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUSAGE_SCRIPT = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


ENV = dict(os.environ)


def measure(cmd, cwd=None):
    """(seconds, peak RSS in MB of the largest process of the run)."""
    out = subprocess.run([sys.executable, "-c", RUSAGE_SCRIPT, *map(str, cmd)], cwd=cwd, capture_output=True,
                         text=True, check=True, env=ENV).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def use_bytecode(folder: Path) -> None:
    """Measured commands run with bytecode, as after `pip install` (see the module docstring)."""
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = str(folder)


def exe(name):
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name)


def corpus_files(corpus: Path):
    groups = [corpus / "multinews" / "articles", corpus / "extraction-benchmark" / "trafilatura",
              corpus / "extraction-benchmark" / "ground-truth"]
    return [p for g in groups for p in sorted(g.glob("*.txt"))]


def copy_corpus(files, dest: Path, times: int = 1):
    dest.mkdir(parents=True, exist_ok=True)
    for k in range(times):
        for i, src in enumerate(files):
            shutil.copyfile(src, dest / f"{k:02}_{i:04}_{src.name}")
    return dest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--jsonl-mb", type=float, default=1000, help="size of the generated JSONL file (0: skip)")
    parser.add_argument("--growth", default="1,2,5,10", help="corpus multiples for the growth rows")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (the best is kept)")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found: {corpus} (pass --corpus)", file=sys.stderr)
        return 2
    lint = exe("lint")
    if lint is None:
        print("the `lint` command is not installed in this environment", file=sys.stderr)
        return 2
    proselint = exe("proselint")
    files = corpus_files(corpus)
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    rows = []

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = copy_corpus(files, tmp / "corpus")
        n = len(files)
        base = [lint, "--exit-zero", "-q", "--output-format", "jsonl"]
        use_bytecode(tmp / "pycache")
        measure(base + ["--no-cache", data])  # warm: bytecode and rule-data caches written once
        if proselint:
            measure([proselint, "check", files[0]])
        cache = tmp / "cache"
        measure(base + ["--cache-dir", cache, data])  # fills the cache for the cached rows
        # Rounds alternate the runs (articlelint cold on 2 and on 1 process, cached, proselint), and
        # each keeps its best round: a machine that speeds up or slows down during the benchmark
        # then shifts all of them alike.
        runs = {"cold": base + ["--no-cache", data], "serial": base + ["--no-cache", "-j", "1", data],
                "cached": base + ["--cache-dir", cache, data]}
        if proselint:
            runs["peer"] = [proselint, "check", data]
        found = {}
        for _ in range(args.repeat):
            for name, cmd in runs.items():
                found[name] = min(found.get(name, (float("inf"), 0)), measure(cmd), key=lambda r: r[0])
        # one article edited (a new name: the corpus index changes): only it and the few documents
        # the index concerns are linted again
        edited = sorted(data.glob("*.txt"))[0]
        for name in ["Quennington", "Brackwater", "Soltvedt", "Marrowby", "Tillerstone"][:args.repeat]:
            with open(edited, "a", encoding="utf-8") as handle:
                handle.write(f"\nOfficials said {name} would travel.\n")
            found["edited"] = min(found.get("edited", (float("inf"), 0)), measure(runs["cached"]), key=lambda r: r[0])
        (cold, cold_rss), (serial, serial_rss), (cached, cached_rss) = found["cold"], found["serial"], found["cached"]
        peer, peer_rss = found.get("peer", (None, None))
        ratio = lambda t: f"{peer / t:.1f}x proselint" if peer else "(proselint not installed)"
        rows.append(("articlelint, default rules, cold, 2 processes", n / cold, size_mb / cold, cold_rss, ratio(cold)))
        rows.append(("articlelint, default rules, cold, 1 process", n / serial, size_mb / serial, serial_rss, ratio(serial)))
        rows.append(("articlelint, cached re-run", n / cached, size_mb / cached, cached_rss, f"{cached:.2f} s total"))
        edit_t, edit_rss = found["edited"]
        rows.append(("articlelint, cached, one article edited", n / edit_t, size_mb / edit_t, edit_rss,
                     f"{edit_t:.2f} s total"))
        if peer:
            rows.append(("proselint 0.16 (peer), same files", n / peer, size_mb / peer, peer_rss, "1.0x"))

        one = ROOT / "seeds" / "000_5a1ffa0b2cb507dd.txt"
        start = statistics.median(measure([lint, "--no-cache", "--exit-zero", one])[0] for _ in range(7))
        python = statistics.median(measure([sys.executable, "-c", "pass"])[0] for _ in range(7))
        imports = statistics.median(measure([sys.executable, "-c", "import click"])[0] for _ in range(7))

        growth = []
        for k in [int(x) for x in args.growth.split(",") if x]:
            folder = copy_corpus(files, tmp / f"x{k}", k) if k > 1 else data
            t, rss = measure(base + ["--no-cache", folder])
            growth.append((k, n * k, t, rss))
            if k > 1:
                shutil.rmtree(folder)

        jsonl_rows = []
        if args.jsonl_mb:
            texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
            for mb in (args.jsonl_mb / 4, args.jsonl_mb):
                path = tmp / f"data_{int(mb)}.jsonl"
                written = 0
                with open(path, "w", encoding="utf-8") as handle:
                    i = 0
                    while written < mb * 1e6:
                        text = texts[i % len(texts)]
                        line = json.dumps({"id": i, "title": text.split("\n", 1)[0], "text": text}) + "\n"
                        handle.write(line)
                        written += len(line.encode("utf-8"))
                        i += 1
                t, rss = measure(base + ["--no-cache", path])
                jsonl_rows.append((written / 1e6, i, t, rss))
                path.unlink()

    print(f"corpus: {n} files, {size_mb:.1f} MB ({corpus})\n")
    print(f"| {'run':<48} | {'articles/s':>10} | {'MB/s':>6} | {'peak RSS MB':>11} | {'vs peer':>20} |")
    print(f"|{'-' * 50}|{'-' * 12}|{'-' * 8}|{'-' * 13}|{'-' * 22}|")
    for name, aps, mbs, rss, note in rows:
        print(f"| {name:<48} | {aps:>10.0f} | {mbs:>6.2f} | {rss:>11.0f} | {note:>20} |")
    print(f"\nstart-up, `lint one-file.txt`: {start:.3f} s (python -c pass: {python:.3f} s; python -c 'import click': "
          f"{imports:.3f} s; articlelint's own share: {start - python:.3f} s)")
    print("\ngrowth (cold, 2 processes):")
    print("| corpus | files | seconds | s per 1,000 files | peak RSS MB |")
    print("|---|---|---|---|---|")
    for k, count, t, rss in growth:
        print(f"| {k}x | {count} | {t:.2f} | {1000 * t / count:.2f} | {rss:.0f} |")
    if jsonl_rows:
        print("\nJSONL streaming (one file, cold):")
        print("| size MB | records | seconds | MB/s | peak RSS MB |")
        print("|---|---|---|---|---|")
        for mb, records, t, rss in jsonl_rows:
            print(f"| {mb:.0f} | {records} | {t:.1f} | {mb / t:.2f} | {rss:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
