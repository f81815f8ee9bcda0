"""The E family: ftfy's own cases as a measurement, and the tricky cases one by one."""

import importlib.util
import subprocess
import sys

import pytest

from lint.config import Settings
from lint.diagnostics import Applicability
from lint.engine import check_text, fix_text

from .conftest import ROOT

E = Settings(select=("E",))


def codes(text, settings=E):
    return [d.code for d in check_text(text, settings)]


def fixed(text, unsafe=True):
    return fix_text(text, E, unsafe=unsafe).text


def _benchmark():
    spec = importlib.util.spec_from_file_location("encoding_benchmark", ROOT / "benchmarks" / "encoding.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the measurement ----------------------------------------------------------------------------

def test_ftfy_cases_targets(shared):
    folder = shared / "corpus" / "ftfy-cases"
    if not folder.is_dir():
        pytest.skip("ftfy-cases not in ../shared/corpus")
    results = _benchmark().measure_ftfy_cases(folder)
    due = sum(row["due"] for row, _ in results.values())
    hit = sum(row["hit"] for row, _ in results.values())
    exact = sum(row["exact"] for row, _ in results.values())
    cases = sum(row["cases"] for row, _ in results.values())
    assert hit / due >= 0.95, f"flagged {hit} of {due} cases due a repair"
    assert exact / cases >= 0.90, f"fix reproduced fixed-encoding for {exact} of {cases} cases"
    negative, _ = results["negative"]
    assert negative["false_flag"] == 0, "a negative ftfy case (look-alike text) was flagged"
    synthetic, _ = results["synthetic"]
    assert synthetic["false_flag"] == 0
    # The one disagreement allowed: '10Î&frac14;s' has a real HTML entity that E002 decodes.
    wild, _ = results["in-the-wild"]
    assert wild["false_flag"] <= 1


def test_multinews_known_damage_is_found(shared):
    folder = shared / "corpus" / "multinews" / "articles"
    if not folder.is_dir():
        pytest.skip("multinews not in ../shared/corpus")
    expect = {"051_3.txt": "E004", "066_2.txt": "E004", "073_3.txt": "E001", "163_2.txt": "E001", "165_1.txt": "E002"}
    for name, code in expect.items():
        assert code in codes((folder / name).read_text(encoding="utf-8")), name


# -- E001 mojibake ------------------------------------------------------------------------------

def test_one_finding_per_damaged_word_with_a_named_repair():
    text = "Title\n\nThe councilâ€™s â€œfinalâ€\x9d vote in QuÃ©bec.\n"
    found = check_text(text, Settings(select=("E001",)))
    assert [d.snippet for d in found] == ["â€™", "â€œfinalâ€\x9d", "Ã©"]
    assert found[0].message == "Mojibake 'â€™' is UTF-8 decoded as Windows-1252; write '’'"
    assert all(d.fix.applicability is Applicability.SAFE for d in found)
    assert fixed(text, unsafe=False) == "Title\n\nThe council’s “final” vote in Québec.\n"


@pytest.mark.parametrize("text,expected", [
    ("g√¢teaux et baies pour un r√©gime √©quilibr√©", "gâteaux et baies pour un régime équilibré"),  # MacRoman
    ("Blog Traffic Tip 2 вЂ“ Broadcast", "Blog Traffic Tip 2 – Broadcast"),  # Windows-1251
    ("voilÃ le travail", "voilà le travail"),  # a lost no-break space is guessed back
])
def test_other_code_pages_and_guesses_are_unsafe(text, expected):
    found = check_text(text, Settings(select=("E001",)))
    assert found and all(d.fix.applicability is Applicability.UNSAFE for d in found)
    assert fixed(text, unsafe=False) == text
    assert fixed(text) == expected


def test_no_style_changes():
    """ftfy's fix_text would uncurl these quotes and fold the width; the E family must not."""
    text = "Title\n\nHe said “no” to the ＦＵＬＬＷＩＤＴＨ ﬁle — twice…\n"
    assert codes(text) == []


@pytest.mark.parametrize("text", [
    "a naïve café in São Paulo", "NESTLÉ® chocolate", "a radius of 10 Å—", "C O N C L U S Ã O",
    "L’épisode 8", "Offering 5×£35 pin ups", "HUHLL Õ…", "ВІКІ is Ukrainian for WIKI", "Bremer/Mccoy – DrÃ¥ber",
    "Join ZZAJÉ’s Official Fan List", "SELKÄ\xa0EDELLÄ\xa0MAAHAN",
])
def test_lookalikes_are_clean(text):
    assert codes(f"Title\n\n{text}\n") == []


@pytest.mark.parametrize("body", ["A plain “quoted” café — fine.", "Как дела? Он сказал: São Paulo, “so”."])
def test_ftfy_is_not_imported_for_clean_text(body):
    """Clean text, accented or Cyrillic included, never pays for importing ftfy."""
    code = ("import sys\nfrom lint.engine import check_text\nfrom lint.config import Settings\n"
            f"check_text({'Title' + chr(10) * 2 + body + chr(10)!r}, Settings(select=('E',)))\n"
            "print('ftfy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_whole_garbled_line_is_one_finding():
    text = "Title\n\n" + " ".join(["â€œwordâ€\x9d"] * 30) + "\n"
    found = check_text(text, Settings(select=("E001",)))
    assert len(found) == 1 and "30 mojibake spans" in found[0].message
    assert fixed(text) == "Title\n\n" + " ".join(["“word”"] * 30) + "\n"


# -- E004 C1 controls and the hand-off between rules --------------------------------------------

def test_c1_inside_mojibake_is_reported_once():
    text = "Title\n\nok â\x80\x9csenza modifiche\x94 all'Italicum.\n"
    assert codes(text) == ["E001", "E004"]  # 'â\x80\x9c' is E001's; the lone '\x94' is E004's
    assert fixed(text) == "Title\n\nok “senza modifiche” all'Italicum.\n"


@pytest.mark.parametrize("text,safe", [
    ("It wasn\x92t over.", True),
    ("the war \x97 and peace", True),
    ("barco tur\x92stico", False),  # maybe MacRoman 'í', not an apostrophe
    ("informaci\x97n", False),
])
def test_c1_safety(text, safe):
    (d,) = check_text(text, Settings(select=("E004",)))
    assert (d.fix.applicability is Applicability.SAFE) == safe


def test_undefined_c1_bytes_are_left_alone():
    assert codes("Title\n\nThese bytes \x81 \x8d \x8f \x90 \x9d mean nothing.\n") == []


# -- E002 / E003 entities and tags --------------------------------------------------------------

@pytest.mark.parametrize("text", ["AT&T", "Q&A", "R&D", "Tom &c.", "S&P 500", "a &nonsense; word", "AT&T;"])
def test_entity_lookalikes(text):
    assert codes(f"Title\n\n{text}\n") == []


def test_double_escaped_entities_and_escaped_tags_converge():
    text = "Title\n\nJohnson &amp;amp; Johnson &lt;br&gt;said so.\n"
    assert fixed(text, unsafe=False) == "Title\n\nJohnson & Johnson <br>said so.\n"
    assert fixed(text) == "Title\n\nJohnson & Johnson\nsaid so.\n"  # a mid-line <br> is a line break


@pytest.mark.parametrize("text", ["a < b and b > c", "I <3 NY", "x<y and y>z", "the <b and c> group", "<Smith>"])
def test_tag_lookalikes(text):
    assert codes(f"Title\n\n{text}\n") == []


def test_tag_deletion_leaves_no_double_space():
    assert fixed("Title\n\nIt was <b> very </b> close.\n", unsafe=False) == "Title\n\nIt was very close.\n"


# -- E005 invisible characters ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "👨\u200d👩\u200d👧", "🏳\ufe0f\u200d🌈", "👩🏽\u200d💻", "می\u200cخواهم", "क्\u200dष", "שלום\u200f עולם",
])
def test_legitimate_joiners_and_marks(text):
    assert codes(f"Title\n\nThey wrote {text} here.\n") == []


def test_soft_hyphen_inside_mojibake_is_left_to_e001():
    text = "Title\n\nos nÃ\xadveis de anticorpos\n"
    assert codes(text) == ["E001"]


def test_invisible_run_is_one_finding():
    text = "Title\n\nTwitter @someone\n\n\u200b\u200b\u200b\n"
    found = check_text(text, Settings(select=("E005",)))
    assert len(found) == 1
    assert fixed(text) == "Title\n\nTwitter @someone\n\n\n"


# -- E006 replacement character -----------------------------------------------------------------

def test_lost_closing_quote():
    text = "Title\n\nShe called it “unhinged�? and “wild.�?\n"
    found = check_text(text, Settings(select=("E006",)))
    assert len(found) == 2 and all(d.fix.applicability is Applicability.UNSAFE for d in found)
    assert fixed(text) == "Title\n\nShe called it “unhinged” and “wild.”\n"


def test_replacement_character_without_a_guess_has_no_fix():
    (d,) = check_text("Title\n\nSloven\ufffdina?\n", Settings(select=("E006",)))
    assert d.fix is None


def test_ftfy_gate_holds_every_character_ftfy_looks_for():
    """_MAY_BE_BAD decides that ftfy would change nothing; its character set must hold every
    character ftfy's badness pattern names (checked against the installed ftfy)."""
    import re

    from ftfy import badness

    from rules.encoding import _MOJIBAKE_CHARS

    ours = re.compile(f"[{_MOJIBAKE_CHARS}]")
    theirs = re.compile("[" + "".join(badness.MOJIBAKE_CATEGORIES.values()) + "]")
    assert not [hex(cp) for cp in range(0x80, 0x10000) if theirs.match(chr(cp)) and not ours.match(chr(cp))]
    assert not [c for c in badness.BADNESS_RE.pattern if ord(c) > 0x7F and not ours.match(c)]


def test_ftfy_gate_is_a_superset_of_ftfy_badness():
    import random

    from ftfy import badness

    from rules.encoding import _MAY_BE_BAD

    alphabet = sorted({c for c in badness.BADNESS_RE.pattern if ord(c) > 0x7F}
                      | set("".join(badness.MOJIBAKE_CATEGORIES.values())) - {"-"}) + list("aZ .,1\n") + ["가", "😀"]
    rnd = random.Random(5)
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 5)))
        if badness.is_bad(text):
            assert _MAY_BE_BAD.search(text), text
    for text in ("Как дела", "ação", "«На", "doesnâ€™t", "â€”", "cÅ“ur", "Ã ", "вЂ”"):
        assert bool(_MAY_BE_BAD.search(text)) >= badness.is_bad(text), text


