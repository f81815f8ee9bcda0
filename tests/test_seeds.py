"""The founding examples: exactly the expected findings on seeds/, and nothing legitimate flagged."""

import hashlib

import pytest

from lint.config import Settings
from lint.engine import check_text, fix_text

from .conftest import ROOT, SHARED

SEEDS = ROOT / "seeds"
S000, S003, S004 = "000_5a1ffa0b2cb507dd.txt", "003_09ffe61ff0e0225a.txt", "004_7010ef2012c1f6d6.txt"

# Every finding the default rules must report on the seeds, by (file, line, code), and nothing
# else: the acceptance lists of the engine, debris, naming and people issues in one place.
EXPECTED = {
    "B001": {(S000, 20)},  # "More news: ..." link line
    "B006": {(S004, 15)},  # "Source: Reuters" trailer
    "B007": {(S000, 10)},  # leaked caption with "(left)" and a full date
    "W001": {(S000, 8), (S000, 26), (S000, 32), (S000, 36)},  # "US -backed"
    "W006": {(S003, 3)},  # "The U.S. led coalition"
    "T004": {(S000, 1)},  # title starts with the tail of "US-led"
    "N001": {(S000, 4)},  # "usa authorities"
    "N002": {(S000, 4), (S000, 8), (S000, 22), (S000, 26), (S000, 30), (S000, 32), (S003, 19)},  # US vs U.S.
    "N003": {(S000, 18)},  # "FDS" beside "SDF"
    "S001": {(S000, 34), (S000, 36)},  # "Russian Federation on Thursday said", "In June past year"
    "S002": {(S000, 1)},  # the document's spin score
    "P001": {(S000, 12), (S000, 14)},  # "she said" after "a spokesman"; then "he said" for the same source
    "P002": {(S000, 24)},  # "White added" with no White introduced
}


def test_exactly_the_expected_findings_with_default_rules():
    got = {}
    for name in (S000, S003, S004):
        for d in findings(name):
            got.setdefault(d.code, set()).add((name, d.line))
    assert got == EXPECTED


def findings(name, select=None):
    text = (SEEDS / name).read_text(encoding="utf-8")
    settings = Settings(select=tuple(select)) if select else Settings()
    return check_text(text, settings, path=name)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_expected_findings_per_rule(code):
    """Each rule alone finds its own (rules do not depend on each other's presence)."""
    got = {(name, d.line) for name in (S000, S003, S004) for d in findings(name, [code])}
    assert got == EXPECTED[code]


def test_islamic_state_is_and_legitimate_lines_stay_clean():
    text = (SEEDS / S000).read_text(encoding="utf-8")
    i = text.index("Islamic State (IS)")
    assert not [d for d in findings(S000) if d.start < i + 18 and d.end > i]
    assert not [d for d in findings(S004) if d.code[0] in "NSP"]


def test_safe_fix_then_unsafe_fix_leave_only_unfixable_findings():
    text = (SEEDS / S000).read_text(encoding="utf-8")
    safe = fix_text(text, Settings(), path=S000)
    assert safe.converged and not [d for d in safe.diagnostics if d.fix and d.fix.applicability.value == "safe"]
    unsafe = fix_text(safe.text, Settings(), path=S000, unsafe=True)
    assert unsafe.converged and all(d.fix is None for d in unsafe.diagnostics)
    assert "Russian- or Iranian-backed" in unsafe.text and "U.S.-backed" in unsafe.text
    assert fix_text(unsafe.text, Settings(), path=S000, unsafe=True).text == unsafe.text


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
