"""Every rule's fixture articles against their golden findings and golden fixed text.

Fixtures live in tests/fixtures/<CODE>/: ``flag_*.txt`` must produce findings, ``clean_*.txt``
(look-alikes) must produce none. Goldens sit beside them (``.expected``, ``.fixed``); rewrite
them with ``pytest tests/test_rule_fixtures.py --update-goldens`` and read the diff.
"""

from pathlib import Path

import pytest

from lint.registry import load_rules

from .conftest import FIXTURES
from .goldens import code_for_dir, engine_missing, findings_for, fixed_for, fixture_dir_name, settings_for

CASES = sorted(p for p in FIXTURES.glob("*/*.txt") if not p.name.endswith((".fixed.txt",)))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", CASES, ids=_id)
def test_fixture_matches_golden(path, update_goldens):
    code = code_for_dir(path.parent.name)
    missing = engine_missing(load_rules().find(code), settings_for(code))
    if missing:
        pytest.skip(f"{code}: {missing}")
    text = path.read_text(encoding="utf-8")
    found = findings_for(text, code)
    expected_path = path.with_suffix(".expected")
    if path.name.startswith("clean_"):
        assert found == "", f"look-alike text must stay clean:\n{found}"
        return
    assert found, "a flag_ fixture must produce findings"
    if update_goldens:
        expected_path.write_text(found, encoding="utf-8")
    assert expected_path.exists(), f"missing golden {expected_path.name}; run with --update-goldens"
    assert found == expected_path.read_text(encoding="utf-8")

    rule = load_rules().find(code)
    fixed_path = path.with_name(path.stem + ".fixed.txt")
    if rule.fixable and path.name.startswith("flag_"):
        fixed = fixed_for(text, code)
        if update_goldens:
            fixed_path.write_text(fixed, encoding="utf-8")
        assert fixed == fixed_path.read_text(encoding="utf-8")
        assert fixed_for(fixed, code) == fixed, "fixing a fixed text must change nothing"


def test_every_rule_has_flag_and_clean_fixtures():
    missing = []
    for r in load_rules().rules:
        folder = FIXTURES / fixture_dir_name(r.code)
        if not list(folder.glob("flag_*.txt")) or not list(folder.glob("clean_*.txt")):
            if engine_missing(r, settings_for(r.code)):
                continue  # an external engine absent here (e.g. no LanguageTool server): no fixtures possible
            missing.append(r.code)
    assert not missing, f"rules without flag_ and clean_ fixtures: {missing}"
