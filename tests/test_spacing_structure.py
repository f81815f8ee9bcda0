"""W (whitespace and punctuation) and T (structure) rules: the seeds, look-alikes, fixes."""

import pytest

from lint.config import Settings
from lint.engine import check_text, fix_text

from .conftest import ROOT

SEEDS = ROOT / "seeds"
S000, S003, S004 = "000_5a1ffa0b2cb507dd.txt", "003_09ffe61ff0e0225a.txt", "004_7010ef2012c1f6d6.txt"
NEW_CODES = ("W002", "W003", "W004", "W005", "W006", "W007", "W008", "W009", "W010", "T001", "T002", "T003", "T004")


def lint(text, *codes):
    return check_text(text, Settings(select=codes or NEW_CODES))


def seed(name):
    return (SEEDS / name).read_text(encoding="utf-8")


def test_seed_003_only_the_us_led_compound():
    found = [(d.line, d.code) for d in lint(seed(S003))]
    assert found == [(3, "W006")]


def test_seed_004_is_clean():
    assert lint(seed(S004)) == []


def test_seed_000_title_fragment():
    found = [(d.line, d.code) for d in lint(seed(S000))]
    assert found == [(1, "T004")]
    fixed = fix_text(seed(S000), Settings(select=("T004",)), unsafe=True).text
    assert fixed.startswith("US-Led Coalition Airstrikes Kill Over 100 Syrian Soldiers\n")


def test_seed_000_quote_closed_after_a_number_is_balanced():
    # 'They "were likely ... from 2014 to 2017", he said.': the quote after a digit closes
    assert not lint(seed(S000), "W008")


@pytest.mark.parametrize("text", [
    "The team he led won.", "The U.S. backed away from the deal.", "The U.S. backed the rebels.",
    "The President based his decision on it.", "The Warriors led 14-7 at half time.",
])
def test_compound_verbs_are_not_flagged(text):
    assert not lint(f"Headline of the article\n\n{text}\n", "W006")


def test_doubled_word_fix_keeps_the_first_copy_and_its_case():
    text = "Headline of the article\n\nThe the plan was approved.\n"
    assert fix_text(text, Settings(select=("W004",))).text == "Headline of the article\n\nThe plan was approved.\n"


def test_non_english_reduplication_is_left_alone():
    text = "Judul\n\n" + "Jangan lebay dalam mencintai atau membenci sesuatu. Biasa biasa saja, kata dia. " * 5 + "\n"
    assert not lint(text, "W004")


def test_quote_continued_in_next_paragraph_is_balanced():
    text = "Headline of the article\n\n“The first part of the quote runs on,\n\n“and ends here,” she said.\n"
    assert not lint(text, "W008")


def test_mixed_quotes_fix_uses_dominant_style_and_is_idempotent():
    text = 'Headline of the article\n\n“One,” she said. “Two,” he said. “Three,” (she said "four").\n'
    once = fix_text(text, Settings(select=("W007",)))
    assert '"' not in once.text and "(she said “four”)" in once.text
    assert fix_text(once.text, Settings(select=("W007",))).text == once.text


def test_duplicate_paragraph_templates_are_not_flagged():
    question = "What kind of food do you like to cook most of all at home?"
    parts = []
    for name in ("Anna", "Maria", "Olga", "Kate"):
        parts += [f"{name} answers our questions.", question, f"{name} says she likes soup and bread."]
    assert not lint("Headline of the article\n\n" + "\n\n".join(parts) + "\n", "T002")


def test_truncation_signoffs_are_not_flagged():
    for last in ("— Reporting by John Smith; editing by Jane Doe and the rest of the team tonight",
                 "Follow Jane on Twitter for more of the story and her other stories this week",
                 "Related: Mother's Sleuthing Led to Her Daughter's Troubling Diagnosis In The End"):
        assert not lint(f"Headline of the article\n\nThe plan was approved. It passed.\n\n{last}\n", "T003"), last


def test_corpus_smoke(shared):
    """Every new rule runs over the real corpus without crashing (precision is read with
    benchmarks/spacing_structure.py --show CODE)."""
    corpus = shared / "corpus" / "multinews" / "articles"
    if not corpus.is_dir():
        pytest.skip("multinews corpus absent")
    for path in sorted(corpus.glob("*.txt"))[:60]:
        for d in lint(path.read_text(encoding="utf-8", errors="replace")):
            assert 0 <= d.start <= d.end


def _brackets_by_walking(body):
    """W008's bracket check written as a plain walk (the reference for _unbalanced_brackets): list
    markers close an open bracket and are skipped otherwise; emoticons are skipped."""
    from rules.spacing import _EMOTICON, _LIST_MARKER

    depth = 0
    for ch in _EMOTICON.sub("", _LIST_MARKER.sub("]", body.replace("]", ""))):
        if ch == "(":
            depth += 1
        elif ch in ")]":
            if depth > 0:
                depth -= 1
            elif ch == ")":
                return "a ')' without its '('"
    return "a '(' that is never closed" if depth > 0 else None


@pytest.mark.parametrize("body", [
    "(a) and (b)", "a) first b) second", "x (see :) here", "smile :-( (sad)", "(^_^) ok (", ")(", "(()", "())(",
    "iv) item (v)", " 12) item", "(in 1998)", "face (:", "8) eight", "(see chart 8) on", "(of 8)", "smiled 8-) ok", "no brackets", "((a)(b))", "(:(", "x;-)",
    "x " + "(" * 5000 + "a" + ")" * 5000, "x " + "(" * 5000 + "a" + ")" * 4999,
])
def test_w008_brackets_match_the_plain_walk(body):
    from rules.spacing import _unbalanced_brackets

    assert _unbalanced_brackets(body) == _brackets_by_walking(body)


def test_w003_marks_are_missing_space_matches_in_order():
    from rules.spacing import MISSING_SPACE, _missing_space_marks

    text = 'One.Two!Three?Four."Five. Six.“Seven’s end?‘Eight!Nine 3.5 U.S.A.'
    assert [m.span() for m in _missing_space_marks(text)] == [m.span() for m in MISSING_SPACE.finditer(text)]
