"""The founding examples: exactly the expected findings on seeds/, and nothing legitimate flagged."""

import hashlib

import pytest

from lint.config import Settings
from lint.engine import check_text, fix_text

from .conftest import ROOT, SHARED

SEEDS = ROOT / "seeds"
S000, S003, S004 = "000_5a1ffa0b2cb507dd.txt", "003_09ffe61ff0e0225a.txt", "004_7010ef2012c1f6d6.txt"

# (file, line, code) that must be reported, grouped by the rule that owns them.
EXPECTED = {
    "B001": {(S000, 20)},
    "W001": {(S000, 8), (S000, 26), (S000, 32), (S000, 36)},
    "N001": {(S000, 4)},
}


def findings(name, select=None):
    text = (SEEDS / name).read_text(encoding="utf-8")
    settings = Settings(select=tuple(select)) if select else Settings()
    return check_text(text, settings, path=name)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_expected_findings_per_rule(code):
    got = {(name, d.line) for name in (S000, S003, S004) for d in findings(name, [code])}
    assert got == EXPECTED[code]


def test_russian_or_iranian_backed_is_not_flagged():
    text = (SEEDS / S000).read_text(encoding="utf-8")
    i = text.index("Russian- or Iranian-backed")
    for d in findings(S000):
        assert not (d.start <= i + 30 and d.end >= i), d


def test_fix_twice_changes_nothing():
    for name in (S000, S003, S004):
        text = (SEEDS / name).read_text(encoding="utf-8")
        once = fix_text(text, Settings(), path=name)
        assert once.converged
        assert fix_text(once.text, Settings(), path=name).text == once.text


def test_seeds_are_the_shared_seeds_byte_for_byte():
    shared = SHARED / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not present")
    for path in shared.iterdir():
        assert hashlib.sha256((SEEDS / path.name).read_bytes()).digest() == hashlib.sha256(path.read_bytes()).digest()
