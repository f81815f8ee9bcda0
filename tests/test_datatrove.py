"""articlelint inside real datatrove pipelines (LocalPipelineExecutor, 2 tasks), compared with the
`lint` executable on the same data: findings per record, fixed text, and the two-stage corpus index.

The texts are written here (invented news, with scraper artifacts); none comes from a corpus.
"""

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lint.config import ConfigError, Settings
from lint.corpus import MAX_EXAMPLE_PATHS, Collector, CorpusIndex
from lint.registry import load_rules
from lint.runner import build_index

try:
    import orjson  # noqa: F401  (datatrove's JSONL reader and writer need it)
    from datatrove.data import Document
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from lint.datatrove import (
        ArticlelintAnnotator, ArticlelintFilter, ArticlelintFixer, ArticlelintIndexMerge, ArticlelintIndexShard,
        merge_index_shards,
    )

    MISSING = None
except ImportError as exc:  # the datatrove extra is optional
    MISSING = exc.name

needs_datatrove = pytest.mark.skipif(
    MISSING is not None, reason=f"{MISSING} is not installed (pip install 'articlelint[datatrove]')")

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["Aleppo", "Mosul", "Kherson", "Goma", "Marawi", "Sirte"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

# Bodies with the artifacts a scraper leaves; {place} and {day} vary them per record.
BODIES = [
    "The US -backed forces moved towards {place} on {day}, officials said.\n"
    "The council met &amp; voted to send more aid.\n\n"
    "More news: Ten things to know about the vote in {place}\n",
    "Residents of {place} said the the water supply failed on {day}.\n"
    "Engineers worked through the night to restore it.\n\n"
    "Advertisement\n\n"
    "The city said repairs would take a week.\n",
    "In June past year, Russian Federation said US -backed units had moved near {place}.\n"
    "The report was released on {day}.\n",
    "Doctors in {place} treated dozens of people on {day}.Hospital staff said supplies were low .\n"
    "Follow us on Twitter for the latest updates\n",
    "The mayor of {place} opened a new bridge on {day}. Traffic moved freely across it by evening.\n"
    "Local shops reported a busy afternoon.\n",
    "Voters in {place} doesnâ€™t expect a quick count, an official said on {day}.\n"
    "Results are due later in the week.\n\n"
    "© 2020 Example Media. All rights reserved.\n",
]


def make_records(n, offset=0):
    out = []
    for i in range(offset, offset + n):
        place, day = PLACES[i % len(PLACES)], DAYS[(i // len(PLACES)) % len(DAYS)]
        out.append({"id": f"doc-{i:03d}", "title": f"Update from {place} number {i}",
                    "text": BODIES[i % len(BODIES)].format(place=place, day=day), "source": "invented"})
    return out


def write_jsonl(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def read_output(folder):
    docs = {}
    for path in sorted(Path(folder).glob("*.jsonl*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                doc = json.loads(line)
                docs[doc["id"]] = doc
    return docs


def run_cli(lint_exe, args, cwd):
    proc = subprocess.run([lint_exe, *args, "--no-cache", "--exit-zero", "-q", "--output-format", "json"],
                          cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def cli_findings_by_id(lint_exe, files, cwd):
    """CLI findings per record id (the CLI names records by line; the ids are read from the files)."""
    ids = {}
    for f in files:
        for number, line in enumerate(Path(f).read_text(encoding="utf-8").splitlines(), 1):
            ids[(str(f), number)] = json.loads(line)["id"]
    out = {}
    for d in run_cli(lint_exe, [str(f) for f in files], cwd):
        key = ids[(d.pop("path"), d.pop("record"))]
        out.setdefault(key, []).append(d)
    return out


def strip_place(findings):
    out = []
    for d in findings:
        d = dict(d)
        d.pop("path", None)
        d.pop("record", None)
        out.append(d)
    return out


def executor(pipeline, logs, **kwargs):
    kwargs.setdefault("tasks", 2)
    kwargs.setdefault("workers", 2)
    return LocalPipelineExecutor(pipeline, logging_dir=str(logs), **kwargs)


def stats_of(logs):
    """{stat name: total} over every step of a finished run (datatrove's stats.json)."""
    out = {}
    for step in json.loads((Path(logs) / "stats.json").read_text()):
        for name, value in step["stats"].items():
            out[name] = value["total"] if isinstance(value, dict) else value
    return out


@pytest.fixture()
def dataset(tmp_path):
    files = [tmp_path / "in" / "part-0.jsonl", tmp_path / "in" / "part-1.jsonl"]
    write_jsonl(files[0], make_records(12))
    write_jsonl(files[1], make_records(12, offset=12))
    return files


# -- findings and fixes equal the CLI's ----------------------------------------------------------
@needs_datatrove
def test_annotator_findings_equal_cli(tmp_path, dataset, lint_exe):
    executor([JsonlReader(str(tmp_path / "in")), ArticlelintAnnotator(findings=True),
              JsonlWriter(str(tmp_path / "out"), compression=None)], tmp_path / "logs").run()
    docs = read_output(tmp_path / "out")
    assert len(docs) == 24
    expected = cli_findings_by_id(lint_exe, dataset, tmp_path)
    assert sum(len(v) for v in expected.values()) > 24  # the artifacts are found at all
    codes = set()
    for doc_id, doc in docs.items():
        note = doc["metadata"]["articlelint"]
        got = strip_place(note["findings"])
        assert got == expected.get(doc_id, []), doc_id
        assert note["n"] == len(got)
        assert note["counts"] == {c: sum(d["code"] == c for d in got) for c in {d["code"] for d in got}}
        codes.update(note["counts"])
    assert {"W001", "B001", "E002", "W004", "B003", "E001"} <= codes
    stats = stats_of(tmp_path / "logs")
    assert stats["findings_W001"] == sum(d["counts"].get("W001", 0) for d in
                                         (doc["metadata"]["articlelint"] for doc in docs.values()))


@needs_datatrove
def test_fixer_text_equals_cli_fix(tmp_path, dataset, lint_exe):
    executor([JsonlReader(str(tmp_path / "in")), ArticlelintFixer(annotate=True),
              JsonlWriter(str(tmp_path / "out"), compression=None)], tmp_path / "logs").run()
    docs = read_output(tmp_path / "out")
    proc = subprocess.run([lint_exe, "--fix", "--no-cache", "--exit-zero", "-q", *map(str, dataset)],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    fixed = {r["id"]: r for f in dataset for r in map(json.loads, f.read_text(encoding="utf-8").splitlines())}
    changed = 0
    for doc_id, record in fixed.items():
        assert docs[doc_id]["text"] == record["text"], doc_id
        assert docs[doc_id]["metadata"]["title"] == record["title"]
        changed += "fixed" in docs[doc_id]["metadata"]["articlelint"]
    assert changed >= 12
    assert "US -backed" not in "".join(d["text"] for d in docs.values())
    assert stats_of(tmp_path / "logs")["fixed_documents"] == changed


# -- the filter ------------------------------------------------------------------------------------
@needs_datatrove
def test_filter_thresholds_and_counted_reasons(tmp_path, dataset):
    keep, drop = tmp_path / "kept", tmp_path / "dropped"
    executor([JsonlReader(str(tmp_path / "in")),
              ArticlelintFilter(max_per_1000_words={"E": 10}, max_boilerplate_share=0.25,
                                exclusion_writer=JsonlWriter(str(drop), compression=None)),
              JsonlWriter(str(keep), compression=None)], tmp_path / "logs").run()
    kept, dropped = read_output(keep), read_output(drop)
    assert len(kept) + len(dropped) == 24 and kept and dropped
    reasons = {d["metadata"]["filter_reason"] for d in dropped.values()}
    assert reasons <= {"E_per_1000_words", "boilerplate_share"} and "boilerplate_share" in reasons
    for doc in dropped.values():
        note = doc["metadata"]["articlelint"]
        assert note["counts"].get("E001", 0) + note["counts"].get("E002", 0) or \
            note["boilerplate_lines"] / note["lines"] > 0.25
    for doc in kept.values():
        note = doc["metadata"]["articlelint"]
        assert note["boilerplate_lines"] / note["lines"] <= 0.25
        assert 1000 * sum(n for c, n in note["counts"].items() if c.startswith("E")) / max(note["words"], 100) <= 10
    stats = stats_of(tmp_path / "logs")
    assert stats["dropped"] == len(dropped)
    assert sum(v for k, v in stats.items() if k.startswith("dropped_")) == len(dropped)


@needs_datatrove
def test_filter_spin_threshold_and_drop_codes():
    spun = Document(
        "In June past year, Russian Federation said US -backed units had moved. "
        "The units were seen near the border on Thursday.\n", id="spun", metadata={"title": "Units moved near border"})
    clean = Document("The mayor opened a new bridge on Monday. Traffic moved freely across it.\n", id="clean",
                     metadata={"title": "New bridge opens"})
    step = ArticlelintFilter(spin_threshold=2.0)
    assert [d.id for d in step.run(iter([spun, clean]))] == ["clean"]
    assert step.stats["dropped_spin_score"].total == 1
    assert ArticlelintFilter(spin_threshold=1000.0).filter(spun) is True
    step = ArticlelintFilter(drop_codes=["W001"])
    assert step.filter(spun) == (False, "has_W001") and step.filter(clean) is True
    # judged from an earlier annotation, no second lint
    annotated = list(ArticlelintAnnotator().run(iter([spun])))[0]
    annotated.metadata["articlelint"]["counts"] = {}
    assert ArticlelintFilter(drop_codes=["W001"], from_metadata=True).filter(annotated) is True


@needs_datatrove
def test_settings_dict_validated_when_the_step_is_built():
    assert ArticlelintAnnotator({"select": ["W"]}).settings.select == ("W",)
    with pytest.raises(ConfigError, match="unknown key 'selekt'"):
        ArticlelintAnnotator({"selekt": ["W"]})
    with pytest.raises(ConfigError, match="unknown rule selector 'Q9'"):
        ArticlelintFilter({"ignore": ["Q9"]})
    doc = Document("The US -backed forces moved &amp; waited.\n", id="x", metadata={"title": "Forces move"})
    list(ArticlelintAnnotator({"select": ["E"]}).run(iter([doc])))
    assert doc.metadata["articlelint"]["counts"] == {"E002": 1}
    list(ArticlelintAnnotator(Settings(ignore=("E",))).run(iter([doc])))
    assert doc.metadata["articlelint"]["counts"] == {"W001": 1}


# -- the corpus index in two stages ------------------------------------------------------------------
COMMON = "UN chief António Guterres visited the camp on {day}. Guterres said aid must reach the city. " \
         "Officials met Guterres at the border."
RARE = "UN chief António Guterez spoke to reporters on Monday about the shelter plan. The talks went on for hours."
FILLER = "The council voted on the budget on {day}. Members debated the new school plan for hours before a vote."


def corpus_articles():
    """name -> article text (headline on the first line, as in a scraped .txt file)."""
    out = {f"c{i}.txt": f"Aid convoy reaches city {i}\n\n{COMMON.format(day=DAYS[i])}\n" for i in range(3)}
    out["r0.txt"] = f"Talks on the shelter plan\n\n{RARE}\n"
    out.update({f"f{i}.txt": f"Council votes on budget {i}\n\n{FILLER.format(day=DAYS[i])}\n" for i in range(4)})
    return out


def capitalised_words(doc):
    """A tiny synthetic collector: {lowercased capitalised word: [spellings]}."""
    out = {}
    for word in re.findall(r"\b[A-Z][a-z]+\b", doc.text):
        out.setdefault(word.lower(), []).append(word)
    return out


SYNTHETIC = Collector(name="capitalised", collect=capitalised_words, rules=(), version="7")


@pytest.fixture()
def corpus(tmp_path):
    """The same articles as a folder of .txt files and as JSONL records named like the files."""
    folder = tmp_path / "folder"
    folder.mkdir()
    articles = corpus_articles()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    names = sorted(articles)
    write_jsonl(tmp_path / "in" / "a.jsonl", [{"id": n, "text": articles[n]} for n in names[::2]])
    write_jsonl(tmp_path / "in" / "b.jsonl", [{"id": n, "text": articles[n]} for n in names[1::2]])
    return folder


def two_stage(tmp_path, collectors=None, select=None):
    """Stage 1 (2 tasks) -> merge (1 task) -> stage 2 (2 tasks), chained with depends=."""
    settings = {"select": select} if select else None
    stage1 = executor([JsonlReader(str(tmp_path / "in")),
                       ArticlelintIndexShard(str(tmp_path / "shards"), collectors=collectors)], tmp_path / "logs1")
    merge = executor([ArticlelintIndexMerge(str(tmp_path / "shards"), str(tmp_path / "index.json"))],
                     tmp_path / "logs2", tasks=1, workers=1, depends=stage1)
    stage2 = executor([JsonlReader(str(tmp_path / "in")),
                       ArticlelintAnnotator(settings, findings=True, index_path=str(tmp_path / "index.json")),
                       JsonlWriter(str(tmp_path / "out"), compression=None)], tmp_path / "logs3", depends=merge)
    stage2.run()
    assert sorted(p.name for p in (tmp_path / "shards").iterdir()) == ["00000.json", "00001.json"]
    return CorpusIndex.load(str(tmp_path / "index.json")), read_output(tmp_path / "out")


def comparable(index):
    """An index's content without the order of its example paths (which few of many are kept
    depends on the order documents arrive in)."""
    def examples(n, ex):
        return sorted(ex) if n <= MAX_EXAMPLE_PATHS else len(ex)

    return {"documents": sorted(index.paths), "versions": index.versions,
            "collectors": {c: {k: {v: [n, examples(n, ex)] for v, (n, ex) in row.items()} for k, row in keys.items()}
                           for c, keys in index.data.items()}}


@needs_datatrove
def test_two_stage_index_with_real_collectors_flags_like_lint(tmp_path, corpus, lint_exe):
    if not load_rules().collectors:
        pytest.skip("no installed rule pack declares a collector yet (rules/naming.py 'names')")
    index, docs = two_stage(tmp_path, select=["N004"])
    # the same file as `lint index` on the folder
    proc = subprocess.run([lint_exe, "index", ".", "-o", str(tmp_path / "cli-index.json")], cwd=corpus,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert comparable(index) == comparable(CorpusIndex.load(str(tmp_path / "cli-index.json")))
    # stage 2 flags the rare spelling exactly as `lint` on the folder does (same message, same place)
    expected = {}
    for d in run_cli(lint_exe, [".", "--select", "N004"], corpus):
        expected.setdefault(d.pop("path"), []).append(d)
    assert list(expected) == ["r0.txt"]
    for doc_id, doc in docs.items():
        got = strip_place(doc["metadata"]["articlelint"]["findings"])
        for d in got:
            assert d.pop("field") == "text"
        assert got == expected.get(doc_id, []), doc_id
    assert "3 other documents write 'Guterres'" in expected["r0.txt"][0]["message"]
    # and without the index, nothing is rare
    alone = list(ArticlelintAnnotator({"select": ["N004"]}).run(
        iter([Document(corpus_articles()["r0.txt"], id="r0.txt")])))
    assert alone[0].metadata["articlelint"]["n"] == 0


@needs_datatrove
def test_two_stage_index_with_a_synthetic_collector(tmp_path, corpus, monkeypatch):
    index, docs = two_stage(tmp_path, collectors=[SYNTHETIC], select=["W"])
    assert index.versions == {"capitalised": "7"}
    monkeypatch.chdir(corpus)  # `lint index` names documents relative to the working folder
    direct = build_index(sorted(p.name for p in corpus.iterdir()), lambda path: Settings(), [SYNTHETIC], jobs=1)
    assert comparable(index) == comparable(direct)
    assert index.data["capitalised"]["guterres"]["Guterres"][0] == 3
    assert index.data["capitalised"]["guterez"]["Guterez"][0] == 1
    assert len(docs) == 8 and all("articlelint" in d["metadata"] for d in docs.values())


@needs_datatrove
def test_merge_refuses_shards_of_different_collector_versions(tmp_path):
    for rank, version in ((0, "1"), (1, "2")):
        step = ArticlelintIndexShard(str(tmp_path / "shards"),
                                     collectors=[Collector("capitalised", capitalised_words, (), version)])
        list(step.run(iter([Document("Some Words here.\n", id=f"d{rank}")]), rank=rank))
    with pytest.raises(ValueError, match="collector versions differ"):
        merge_index_shards(str(tmp_path / "shards"))


@needs_datatrove
def test_steps_pickle_without_loaded_state(tmp_path):
    import pickle

    step = ArticlelintAnnotator({"select": ["W"]})
    list(step.run(iter([Document("A  b.\n", id="x")])))
    assert step._rules
    clone = pickle.loads(pickle.dumps(step))
    assert clone._rules == {} and clone.settings == step.settings


# -- the PySpark recipe of docs/cluster.md -----------------------------------------------------------
def spark_recipe():
    text = (ROOT / "docs" / "cluster.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(# spark_lint\.py.*?)```", text, re.S)
    assert len(blocks) == 1, "docs/cluster.md must hold one ```python block starting '# spark_lint.py'"
    return blocks[0]


def test_spark_recipe_flags_like_lint(tmp_path, corpus, lint_exe):
    """Runs the documented recipe on a local Spark (slow: ~30 s, most of it JVM start-up)."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (the recipe is documentation only)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java, and none is installed")
    script = tmp_path / "spark_lint.py"
    script.write_text(spark_recipe(), encoding="utf-8")
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable,
               SPARK_LOCAL_IP="127.0.0.1", PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false "
                                                               "pyspark-shell")
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "in" / "*.jsonl"), str(tmp_path / "spark-out")],
                          cwd=corpus, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = {}
    for part in sorted((tmp_path / "spark-out").glob("part-*")):
        for line in part.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            got[row["id"]] = row
    assert sorted(got) == sorted(corpus_articles())
    expected = {}
    for d in run_cli(lint_exe, [".", "--ignore", "G"], corpus):
        expected.setdefault(d.pop("path"), []).append(d)
    if load_rules().collectors:  # the cross-document finding is there (with the naming pack's collector)
        assert any(d["code"] == "N004" for d in expected["r0.txt"])
    for doc_id, row in got.items():
        findings = strip_place(row["findings"])
        for d in findings:
            assert d.pop("field") == "text"
        assert findings == expected.get(doc_id, []), doc_id
        assert row["n"] == len(findings)
