"""Throughput of articlelint in datatrove pipelines (1 and 2 tasks) next to the CLI on the same
JSONL data, the two-stage corpus index, and what the index costs in memory per million names.

    python benchmarks/scale.py [--corpus ../shared/corpus] [--docs 2000] [--files 16] [--names 200000]

Needs datatrove (pip install 'articlelint[datatrove]'). The corpus texts are repeated into
``--docs`` JSONL records spread over ``--files`` files (datatrove gives each task whole files,
the CLI's pool too); the annotator's output is written as JSONL, the CLI's report as JSON lines.
Every row runs in a fresh process, start-up and imports included, so rows
compare like for like. Prints one table, then the index memory table.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# One datatrove job, run in a child process: python scale.py --job KIND DATA OUT TASKS WORKERS [INDEX]
JOB_KINDS = ("annotate", "index", "annotate-with-index")


def corpus_texts(corpus: Path):
    groups = [corpus / "multinews" / "articles", corpus / "extraction-benchmark" / "trafilatura",
              corpus / "extraction-benchmark" / "ground-truth"]
    files = [p for g in groups if g.is_dir() for p in sorted(g.glob("*.txt"))]
    return [p.read_text(encoding="utf-8", errors="replace") for p in files]


def write_dataset(texts, folder: Path, docs: int, files: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handles = [open(folder / f"part-{i:03d}.jsonl", "w", encoding="utf-8") for i in range(files)]
    try:
        for i in range(docs):
            handles[i % files].write(json.dumps({"id": f"doc-{i:07d}", "text": texts[i % len(texts)]},
                                                ensure_ascii=False) + "\n")
    finally:
        for h in handles:
            h.close()


def write_text_files(texts, folder: Path, docs: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(docs):
        (folder / f"doc-{i:07d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")


def run_job(kind: str, data: str, out: str, tasks: int, workers: int, index: str = "") -> None:
    """The pipelines measured (also a runnable example of the steps)."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from lint.datatrove import ArticlelintAnnotator, ArticlelintIndexMerge, ArticlelintIndexShard

    logs = os.path.join(out, "logs")
    if kind == "index":
        stage1 = LocalPipelineExecutor([JsonlReader(data), ArticlelintIndexShard(os.path.join(out, "shards"))],
                                       tasks=tasks, workers=workers, logging_dir=logs + "-1")
        LocalPipelineExecutor([ArticlelintIndexMerge(os.path.join(out, "shards"), index)], tasks=1, workers=1,
                              logging_dir=logs + "-2", depends=stage1).run()
        return
    annotator = ArticlelintAnnotator(index_path=index or None)
    writer = JsonlWriter(os.path.join(out, "annotated"), compression=None)
    LocalPipelineExecutor([JsonlReader(data), annotator, writer], tasks=tasks, workers=workers, logging_dir=logs).run()


def timed(cmd, cwd=None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")
    return took


def exe(name):
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name)


# -- the index in memory ------------------------------------------------------------------------------
def synthetic_index_json(names: int, docs_per_name: int = 3, seed: int = 7) -> str:
    """An index of ``names`` distinct spellings in the shape of the 'names' collector: block key ->
    spelling -> [documents, up to 3 example ids]; ~1.3 spellings per block key, as on real news."""
    from lint.corpus import INDEX_FORMAT

    rng = random.Random(seed)
    letters = string.ascii_lowercase
    table: dict = {}
    made = 0
    while made < names:
        surface = rng.choice(string.ascii_uppercase) + "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
        key = surface[0].lower() + "".join(c for c in surface[1:] if c not in "aeiou")
        row = table.setdefault(key, {})
        if surface in row:
            continue
        row[surface] = [docs_per_name, [f"doc-{rng.randrange(10**7):07d}" for _ in range(min(docs_per_name, 3))]]
        made += 1
    return json.dumps({"format": INDEX_FORMAT, "versions": {"names": "1"}, "documents": [],
                       "collectors": {"names": table}})


def index_memory(names: int):
    """(MB in memory, MB on disk, seconds to load) of a loaded synthetic index of ``names`` names."""
    from lint.corpus import CorpusIndex

    text = synthetic_index_json(names)
    gc.collect()
    start = time.perf_counter()
    CorpusIndex.from_json(text)  # timed without tracemalloc, which slows allocation down
    took = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    index = CorpusIndex.from_json(text)
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del index
    return current / 1e6, len(text.encode("utf-8")) / 1e6, took


def documents_memory(documents: int = 1_000_000) -> float:
    """MB in memory of the index's list of document ids (every indexed document is named)."""
    from lint.corpus import INDEX_FORMAT, CorpusIndex

    text = json.dumps({"format": INDEX_FORMAT, "versions": {}, "collectors": {},
                       "documents": [f"part-{i % 500:05d}.jsonl/{i}" for i in range(documents)]})
    gc.collect()
    tracemalloc.start()
    index = CorpusIndex.from_json(text)
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del index
    return current / 1e6


def corpus_names(texts):
    """Distinct index entries the real collectors produce for these texts, and per document."""
    from lint.corpus import CorpusIndex, collect_facts
    from lint.document import Document
    from lint.registry import load_rules

    collectors = load_rules().collectors
    if not collectors:
        return None
    index = CorpusIndex()
    for i, text in enumerate(texts):
        index.add(f"d{i}", collect_facts(Document(text, f"d{i}"), collectors))
    entries = {c: sum(len(row) for row in keys.values()) for c, keys in index.data.items()}
    per_doc = {c: sum(row[v][0] for row in keys.values() for v in row) / max(len(texts), 1)
               for c, keys in index.data.items()}
    return entries, per_doc


def main(argv=None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--job":
        run_job(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]),
                sys.argv[7] if len(sys.argv) > 7 else "")
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--docs", type=int, default=2000, help="JSONL records to lint")
    parser.add_argument("--files", type=int, default=16, help="JSONL files they are spread over")
    parser.add_argument("--names", type=int, default=200_000, help="distinct names of the synthetic index")
    parser.add_argument("--repeat", type=int, default=2, help="runs per row (the fastest is kept)")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found: {corpus} (pass --corpus)", file=sys.stderr)
        return 2
    try:
        import datatrove  # noqa: F401
        import orjson  # noqa: F401
    except ImportError as exc:
        print(f"{exc.name} is not installed: pip install 'articlelint[datatrove]'", file=sys.stderr)
        return 2
    lint = exe("lint")
    if lint is None:
        print("the `lint` command is not installed in this environment", file=sys.stderr)
        return 2
    texts = corpus_texts(corpus)
    if not texts:
        print(f"no .txt articles under {corpus}", file=sys.stderr)
        return 2
    me = [sys.executable, str(Path(__file__).resolve()), "--job"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        write_dataset(texts, data, args.docs, args.files)
        index = str(tmp / "index.json")

        def row(label, cmd, note=""):
            """``cmd(k)``: the command of run k (datatrove skips tasks a log folder marks done,
            so every run gets its own output folder)."""
            took = min(timed(cmd(k), cwd=tmp) for k in range(max(args.repeat, 1)))
            rows.append((label, took, args.docs / took, note))

        common = ["--no-cache", "--exit-zero", "-q", "--output-format", "jsonl", "-o", os.devnull]
        for jobs in (1, 2):
            row(f"CLI `lint data/ -j {jobs}` (the JSONL files)",
                lambda k, j=jobs: [lint, "check", str(data), "-j", str(j), *common],
                "JSONL is linted in the main process: -j does not apply" if jobs > 1 else "")
        texts_folder = tmp / "texts"
        write_text_files(texts, texts_folder, args.docs)
        row("CLI `lint texts/ -j 2` (the same records as .txt files)",
            lambda k: [lint, "check", str(texts_folder), "-j", "2", *common],
            "process pool; builds and uses the corpus index, as 2 files or more do")
        for tasks in (1, 2):
            row(f"datatrove annotator, {tasks} task{'s' * (tasks > 1)} / {tasks} worker{'s' * (tasks > 1)}",
                lambda k, t=tasks: [*me, "annotate", str(data), str(tmp / f"a{t}-{k}"), str(t), str(t)])
        row("datatrove index stage 1 + merge, 2 tasks",
            lambda k: [*me, "index", str(data), str(tmp / f"i-{k}"), "2", "2", index], "writes the index")
        size = os.path.getsize(index) / 1e6
        row("datatrove annotator with the index, 2 tasks",
            lambda k: [*me, "annotate-with-index", str(data), str(tmp / f"ai-{k}"), "2", "2", index],
            f"index {size:.1f} MB")

    print(f"{args.docs} documents ({len(texts)} distinct corpus texts, {args.files} JSONL files), "
          f"{os.cpu_count()} CPUs; fastest of {args.repeat} runs per row, start-up included\n")
    print("| run | seconds | documents/s | note |")
    print("|---|---:|---:|---|")
    for label, took, rate, note in rows:
        print(f"| {label} | {took:.1f} | {rate:,.0f} | {note} |")

    mem, disk, load = index_memory(args.names)
    scale = 1_000_000 / args.names
    print(f"\nCorpus index in memory (synthetic 'names' index of {args.names:,} distinct spellings, "
          f"3 example ids each, loaded with CorpusIndex.from_json; scaled to one million):\n")
    print("| distinct names | in memory | JSON file | load time |")
    print("|---:|---:|---:|---:|")
    print(f"| {args.names:,} | {mem:,.0f} MB | {disk:,.0f} MB | {load:.2f} s |")
    print(f"| 1,000,000 (scaled) | {mem * scale:,.0f} MB | {disk * scale:,.0f} MB | {load * scale:.1f} s |")
    print(f"\nPlus the ids of the indexed documents: {documents_memory():,.0f} MB per million documents "
          f"(ids like 'part-00012.jsonl/123456').")
    found = corpus_names(texts)
    if found:
        entries, per_doc = found
        shown = ", ".join(f"{c}: {entries[c]:,} entries ({per_doc[c]:.1f} per document)" for c in sorted(entries))
        print(f"\nReal collectors on the {len(texts)} corpus texts: {shown}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
