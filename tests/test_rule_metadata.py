"""Rule metadata and documentation: every rule explains itself and its examples are true."""

import re

import pytest

from lint.diagnostics import Applicability
from lint.engine import check_text
from lint.config import Settings
from lint.registry import FAMILIES, load_rules

from .goldens import engine_missing

RULES = load_rules().rules


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_metadata(r):
    assert re.fullmatch(r"[A-Z]\d{3}", r.code) or r.code.startswith("G"), r.code
    assert r.family in FAMILIES
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name)
    assert r.summary and len(r.summary) <= 120
    for section in ("Why", "Bad", "Good"):
        assert r.sections.get(section), f"{r.code}: docstring lacks a '{section}:' section"
    if r.fixable:
        assert r.sections.get("Fix safety"), f"{r.code}: a fixable rule explains its fix safety"


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_docstring_examples(r):
    """The Bad example is flagged by the rule; the Good example is not."""
    settings = Settings(select=(r.code,))
    missing = engine_missing(r, settings)
    if missing:
        pytest.skip(f"{r.code}: {missing}")
    bad = r.sections["Bad"]
    good = r.sections["Good"]
    # Examples are article bodies: give them a headline so title rules see a body line.
    headline = r.sections.get("Title", "Headline of the article")
    assert check_text(f"{headline}\n\n{bad}\n", settings), f"{r.code}: Bad example not flagged"
    if not good.startswith("("):
        assert not check_text(f"{headline}\n\n{good}\n", settings), f"{r.code}: Good example flagged"


def test_codes_and_names_unique():
    rules = load_rules().rules
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)


def test_fix_applicability_matches_findings():
    """A rule declared without a fix never offers one; safe rules offer safe fixes."""

    from .conftest import FIXTURES

    for r in RULES:
        for path in (FIXTURES / r.code.replace(":", "_")).glob("flag_*.txt"):
            for d in check_text(path.read_text(encoding="utf-8"), Settings(select=(r.code,))):
                if r.fix is Applicability.NONE:
                    assert d.fix is None, r.code
                elif d.fix is not None and r.fix is Applicability.UNSAFE:
                    assert d.fix.applicability is Applicability.UNSAFE, r.code
