"""The P (people) family: the founding seeds, the names table and the shared analysis."""

from pathlib import Path

import pytest

from lint.config import Settings
from lint.engine import check_text
from rules import people

from .conftest import ROOT

SEEDS = ROOT / "seeds"
S000, S003, S004 = "000_5a1ffa0b2cb507dd.txt", "003_09ffe61ff0e0225a.txt", "004_7010ef2012c1f6d6.txt"


def _found(text, codes=("P",)):
    return check_text(text, Settings(select=tuple(codes)))


def test_seed_000_she_said_and_orphan_white():
    found = _found((SEEDS / S000).read_text(encoding="utf-8"))
    got = {(d.code, d.line) for d in found}
    assert ("P001", 12) in got and ("P002", 24) in got
    she = next(d for d in found if d.code == "P001" and d.line == 12)
    assert "line 4" in she.message and "a spokesman" in she.message


@pytest.mark.parametrize("name", [S003, S004])
def test_seeds_003_and_004_are_clean(name):
    assert _found((SEEDS / name).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("text", [
    "Headline\n\nChief executive Anna Novak opened the plant. We will hire 200 people, she said.\n",
    "Headline\n\nMr. Haddad said the talks would resume. He added that no date was set.\n",
    "Headline\n\nThe official said the strikes were limited. He added that no troops had crossed.\n",
    "Headline\n\n'I am gravely concerned,' Kaine said. Senator Tim Kaine wants a vote.\n",
    "Headline\n\nThe spokesman and his deputy left early. The meeting ran late, they said.\n",
])
def test_pronouns_clean(text):
    assert _found(text, ["P001"]) == []


def test_names_table_is_derived_and_lazy():
    table = people.first_names()
    assert table["Anna"] == "F" and table["Jim"] == "M" and table["Bashar"] == "M"
    assert table["Jamie"] == "U" and "Andrea" in table and table["Andrea"] == "U"
    assert "Amber" in people.common_first_names() and "Novak" not in people.common_first_names()
    header = (Path(people.DATA_DIR) / "first_names.tsv").read_text(encoding="utf-8").splitlines()[:4]
    assert any("Social Security Administration" in line for line in header)
    assert any("public domain" in line for line in header)


def test_mask_quotes_keeps_offsets():
    text = "He said “we will win” and 'they lost' but Syria’s army stayed."
    masked = people._mask_quotes(text)
    assert len(masked) == len(text)
    assert "win" not in masked and "lost" not in masked and "Syria’s" in masked


def test_distance():
    assert people._distance("Jarrord", "Jarrard") == 1
    assert people._distance("Holtzman", "Holtmzan") == 2
    assert people._distance("Novak", "Kaine") > 2


def test_variant_fix_writes_the_majority_spelling():
    from lint.engine import fix_text

    text = ("Headline\n\nJonathan Reyes signed on Monday. Jonathan Reyes was pleased. "
            "The board thanked Jonathon Reyes.\n")
    fixed = fix_text(text, Settings(select=("P003",)), unsafe=True).text
    assert "Jonathon" not in fixed and fixed.count("Jonathan Reyes") == 3


def test_the_names_table_matches_its_source(shared):
    """The shipped table is exactly what benchmarks/make_first_names.py derives from the SSA counts."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_first_names", ROOT / "benchmarks" / "make_first_names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.build(shared / "data" / "ssa-first-names.csv")
    assert {name: gender for name, (gender, _) in table.items()} == people.first_names()


def test_guarded_patterns_match_as_the_plain_ones():
    """capseq and orphan carry a lookahead guard after their first capital (rules/people.py,
    _token_at_capital): it must change no match, only how fast a failing capital is given up."""
    import re

    L = people._lists()
    plain_capseq = re.compile(rf"({people._TOKEN_AT_CAPITAL}(?:\s+(?:[A-Z]\.\s+|(?:{people._PARTICLES})[- ]?)?"
                              rf"(?:{people._TOKEN}))+)")
    plain_orphan = re.compile(rf"({people._TOKEN_AT_CAPITAL})(?:(\s+(?:also\s+)?(?:{L._speech_re})\b)|(?=\s*[,.;]))")
    texts = [
        "President Bashar al-Assad met Charles de Gaulle and Ludwig van Beethoven, said Mr. Tim McKee.",
        "O'Malley said. D’Arcy added; McDonald-Smith also said it. 'Novak said', (White) said.",
        "Jeffrey R. Gahler\tsaid\n\nJohn  Smith2 and AnnaX Novak, deGaulle Vander, Al Bin Laden.",
        "The police said. But Anna Novak , the chief. SHE said HE said. Smith-J. Jones laughed",
        "Ann\n Lee\u00a0Kim said; Jo-Ann O’Neil-Day ibn Saud dos Santos le Pen du Bois la Rue el Baz",
    ]
    for text in texts:
        for plain, guarded in ((plain_capseq, L.capseq), (plain_orphan, L.orphan)):
            assert guarded.pattern != plain.pattern
            assert [m.span() + m.groups() for m in guarded.finditer(text)] == \
                   [m.span() + m.groups() for m in plain.finditer(text)]
