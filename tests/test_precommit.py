"""The pre-commit hooks, with the real pre-commit, as an article repository would use them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

DIRTY = "Strikes Near the River\n\nClashes between US -backed forces.\n\nMore news: Another Story Entirely\n\nThe end.\n"


def _pre_commit():
    exe = Path(sys.executable).with_name("pre-commit")
    return str(exe) if exe.exists() else shutil.which("pre-commit")


@pytest.fixture(scope="module")
def article_repo(tmp_path_factory):
    if _pre_commit() is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    if not (ROOT / ".git").exists():
        pytest.skip("the articlelint checkout is not a git repository")
    repo = tmp_path_factory.mktemp("articles")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    return repo, env


def try_repo(repo, env, hook, *files):
    return subprocess.run([_pre_commit(), "try-repo", str(ROOT), hook, "--files", *files],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def test_check_hook_fails_and_names_the_finding(article_repo):
    repo, env = article_repo
    (repo / "article.txt").write_text(DIRTY)
    subprocess.run(["git", "add", "article.txt"], cwd=repo, check=True, env=env)
    proc = try_repo(repo, env, "articlelint", "article.txt")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "W001" in proc.stdout and "article.txt:3:" in proc.stdout
    assert (repo / "article.txt").read_text() == DIRTY, "the check hook never writes"


def test_fix_hook_rewrites_then_passes(article_repo):
    repo, env = article_repo
    (repo / "article.txt").write_text(DIRTY)
    first = try_repo(repo, env, "articlelint-fix", "article.txt")
    assert first.returncode == 1, "pre-commit fails a hook that modified files"
    text = (repo / "article.txt").read_text()
    assert "US-backed" in text and "More news" not in text
    second = try_repo(repo, env, "articlelint-fix", "article.txt")
    assert second.returncode == 0, second.stdout + second.stderr
    assert try_repo(repo, env, "articlelint", "article.txt").returncode == 0


def test_config_excludes_apply_to_files_passed_explicitly(article_repo):
    repo, env = article_repo
    (repo / "drafts").mkdir(exist_ok=True)
    (repo / "drafts" / "wip.txt").write_text(DIRTY)
    (repo / "articlelint.toml").write_text('extend-exclude = ["drafts"]\n')
    proc = try_repo(repo, env, "articlelint", "drafts/wip.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (repo / "articlelint.toml").unlink()


def test_repository_hook_files_are_valid():
    pc = _pre_commit()
    if pc is None:
        pytest.skip("pre-commit is not installed")
    for args in (["validate-config", ".pre-commit-config.yaml"], ["validate-manifest", ".pre-commit-hooks.yaml"]):
        proc = subprocess.run([pc, *args], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
