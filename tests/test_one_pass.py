"""The one-pass corpus run of `lint` (check mode with a corpus index).

Files are linted once, without the index, while their corpus facts and the index probes of the
rules that read the index are collected; once the index is complete, only documents whose probe
says the index can matter are checked again. These tests hold it to the plain definition: build
the index first, then check every file with it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from lint.config import Settings
from lint.corpus import index_key
from lint.document import Document
from lint.engine import Context, check_document, check_text, select_rules
from lint.registry import load_rules
from lint.runner import build_index

from .conftest import FIXTURES, ROOT

ANNOUNCE = "UN Chief Speaks\n\nUN Secretary-General António {name} said on Monday that aid must flow.\n"


def _synthetic(folder: Path) -> None:
    """Four documents spell the name one way, one another way (N004 across documents), plus the
    seeds and a Markdown file (its code block is no prose)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(4):
        (folder / f"guterres{i}.txt").write_text(ANNOUNCE.format(name="Guterres")
                                                 + "Officials said Guterres would travel.\n", encoding="utf-8")
    (folder / "misspelt.txt").write_text(ANNOUNCE.format(name="Guterez"), encoding="utf-8")
    (folder / "note.md").write_text("# Notes\n\nGuterres spoke in Geneva.\n\n```\nGuterez code\n```\n",
                                    encoding="utf-8")
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copyfile(seed, folder / seed.name)


def _cli(lint_exe, cwd, *args):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([lint_exe, "--output-format", "json", "--exit-zero", *map(str, args), "."], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=300)


def _findings(report: str):
    return sorted((d["path"], d["line"], d["column"], d["code"], d["message"]) for d in json.loads(report))


def _index_first(folder: Path, monkeypatch):
    """The plain definition, in process: the index of every file, then each file checked with it."""
    from lint.formats import is_markdown, markdown_view

    monkeypatch.chdir(folder)
    settings = Settings()
    files = sorted(p.name for p in folder.iterdir() if p.suffix in (".txt", ".md"))
    collectors = load_rules().collectors
    index = build_index(files, lambda p: settings, collectors, jobs=1)
    out = []
    for name in files:
        text = (folder / name).read_text(encoding="utf-8")
        view = markdown_view if is_markdown(name) else None
        for d in check_text(text, settings, name, index, view=view):
            out.append((d.path, d.line, d.column, d.code, d.message))
    return sorted(out), index, files


def test_one_pass_run_finds_what_indexing_first_finds(lint_exe, tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    _synthetic(folder)
    expected, _, _ = _index_first(folder, monkeypatch)
    assert any(f[3] == "N004" and "other documents write 'Guterres'" in f[4] for f in expected), "no cross-document case"
    for jobs in ("1", "2"):
        got = _cli(lint_exe, folder, "--no-cache", "-j", jobs)
        assert got.returncode == 0, got.stderr
        assert _findings(got.stdout) == expected


def test_one_pass_on_the_shared_corpus(lint_exe, tmp_path, monkeypatch, shared):
    """300 real articles (the cross-document check needs a shared neighbouring name above 20)."""
    groups = [shared / "corpus" / "multinews" / "articles", shared / "corpus" / "extraction-benchmark" / "trafilatura"]
    files = [p for g in groups for p in sorted(g.glob("*.txt"))][:300]
    if len(files) < 100:
        pytest.skip("the shared corpus is incomplete")
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in files:
        shutil.copyfile(p, folder / p.name)
    expected, _, _ = _index_first(folder, monkeypatch)
    got = _cli(lint_exe, folder, "--no-cache")
    assert got.returncode == 0, got.stderr
    assert _findings(got.stdout) == expected


def _probe_corpora(tmp_path, shared_dir):
    folders = []
    synthetic = tmp_path / "synthetic"
    _synthetic(synthetic)
    folders.append(synthetic)
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    for p in sorted(FIXTURES.rglob("*.txt")):
        shutil.copyfile(p, fixtures / f"{p.parent.name}_{p.name}")
    folders.append(fixtures)
    if shared_dir is not None:
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        for p in sorted((shared_dir / "corpus" / "multinews" / "articles").glob("*.txt"))[:200]:
            shutil.copyfile(p, corpus / p.name)
        folders.append(corpus)
    return folders


def test_index_probes_keep_their_promise(tmp_path, monkeypatch):
    """Where a probe answers "not needed", the rule finds with the index exactly what it finds
    without one; and the answer is "needed" where the index does change the findings."""
    from .conftest import SHARED

    shared_dir = SHARED if (SHARED / "corpus").is_dir() else None
    settings = Settings()
    probed = [r for r in select_rules(settings) if r.index_probe is not None]
    assert probed, "no default rule declares an index probe"
    changed = 0
    for folder in _probe_corpora(tmp_path, shared_dir):
        _, index, files = _index_first(folder, monkeypatch)
        for name in files:
            if not name.endswith(".txt"):
                continue
            text = (folder / name).read_text(encoding="utf-8")
            for r in probed:
                probe = r.index_probe.collect(Document(text, name, Context(settings)))
                with_index = check_document(Document(text, name, Context(settings, index)), [r])
                without = check_document(Document(text, name, Context(settings)), [r])
                if probe is None or not r.index_probe.needed(json.loads(json.dumps(probe)), index, index_key(name)):
                    assert with_index == without, (folder.name, name, r.code)
                changed += with_index != without
    assert changed, "no document where the index changes a finding: the test proves nothing"


def _in_process(folder: Path, monkeypatch, *args):
    """`lint` in this process (so rules and the runner can be patched), one process, JSON report."""
    import io
    import sys

    from lint.cli import main

    monkeypatch.chdir(folder)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    with pytest.raises(SystemExit) as stop:
        main(["--output-format", "json", "--exit-zero", "-j", "1", "--no-cache", *args, "."])
    assert stop.value.code == 0
    return _findings(out.getvalue())


def test_only_documents_the_index_concerns_are_checked_again(tmp_path, monkeypatch):
    import lint.runner

    folder = tmp_path / "docs"
    _synthetic(folder)
    seen = []
    real = lint.runner.recheck_path
    monkeypatch.setattr(lint.runner, "recheck_path", lambda path, *a: seen.append(path) or real(path, *a))
    found = _in_process(folder, monkeypatch)
    assert seen == ["misspelt.txt"], seen
    assert any(f[0] == "misspelt.txt" and f[3] == "N004" for f in found)


def test_a_rule_reading_the_index_without_a_probe_is_checked_again_everywhere(tmp_path, monkeypatch):
    import lint.runner

    folder = tmp_path / "docs"
    _synthetic(folder)
    expected = _in_process(folder, monkeypatch)
    n004 = next(r for r in load_rules().rules if r.code == "N004")
    monkeypatch.setattr(n004, "index_probe", None)
    seen = []
    real = lint.runner.recheck_path
    monkeypatch.setattr(lint.runner, "recheck_path", lambda path, *a: seen.append(path) or real(path, *a))
    assert _in_process(folder, monkeypatch) == expected
    assert len(seen) == len(list(folder.iterdir())), seen


def test_cache_after_a_change_elsewhere_matches_a_cold_run(lint_exe, tmp_path):
    """Cached findings do not depend on other files, cached answers do: a changed document
    changes what its neighbours are told, and the cached run says what a cold run says."""
    folder = tmp_path / "docs"
    _synthetic(folder)
    cache = tmp_path / "cache"

    def both():
        warm = _cli(lint_exe, folder, "--cache-dir", cache)
        cold = _cli(lint_exe, folder, "--no-cache")
        assert warm.returncode == cold.returncode == 0, warm.stderr + cold.stderr
        assert _findings(warm.stdout) == _findings(cold.stdout)
        return _findings(warm.stdout)

    first = both()
    assert both() == first  # all from the cache
    assert any(f[0] == "misspelt.txt" and f[3] == "N004" for f in first)
    # two more documents take up the rare spelling: it is no longer rare, nothing else changed
    for i in (0, 1):
        (folder / f"guterres{i}.txt").write_text(ANNOUNCE.format(name="Guterez"), encoding="utf-8")
    after = both()
    assert not any(f[0] == "misspelt.txt" and f[3] == "N004" and "other documents" in f[4] for f in after)


def test_junit_lists_clean_files_from_the_cache_too(lint_exe, tmp_path):
    folder = tmp_path / "docs"
    _synthetic(folder)
    (folder / "clean.txt").write_text("Headline\n\nA clean sentence.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    runs = [subprocess.run([lint_exe, "--output-format", "junit", "--cache-dir", str(cache), "."], cwd=folder,
                           capture_output=True, text=True, timeout=300).stdout for _ in range(2)]
    for report in runs:
        assert report.count("<testcase ") == len(list(folder.iterdir())), report
    assert runs[0] == runs[1]
