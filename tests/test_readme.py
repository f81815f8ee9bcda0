"""The README stays true: its rule table is generated, its set-up commands are the ones CI runs,
and its JSON example is what `lint` prints for the seed."""

import json
import re
import subprocess

from lint.docs import readme_with_table, rules_markdown
from lint.registry import load_rules

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rule_table_is_current():
    assert readme_with_table(README, rules_markdown(load_rules().rules)) == README, (
        "README rule table is stale: run `python -m lint.docs README.md`"
    )


def _block(marker):
    match = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```\s*<!-- /{marker} -->", README, re.S)
    assert match, marker
    return match.group(1).strip()


def test_first_screen_has_exactly_two_setup_commands():
    first_screen = README.split("\n---\n", 1)[0]
    assert first_screen.count("```sh") == 2
    assert "lint seeds/" in _block("run-command")
    assert "pytest" in _block("test-command") and "[test]" in _block("test-command")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci, ".ci/run must take its command from the README"


def test_json_example_matches_real_output(lint_exe):
    example = json.loads(re.search(r"```json\n(.+?)\n```", README, re.S).group(1))
    out = subprocess.run([lint_exe, "--output-format", "json", "--select", "W001", "seeds/000_5a1ffa0b2cb507dd.txt"],
                         cwd=ROOT, capture_output=True, check=False).stdout
    assert example in json.loads(out)
