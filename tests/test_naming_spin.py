"""N (naming) and S (spun text): the seeds' acceptance list, fixes that compose, config, the spin
data, and the cross-document name check through the real `lint` executable."""

import os
import re
import subprocess

import pytest

from lint.config import ConfigError, Settings, settings_from_mapping
from lint.corpus import CorpusIndex, collect_facts, index_key
from lint.document import Document
from lint.engine import Context, check_text, fix_text
from lint.registry import load_rules
from rules import naming
from rules._data import load

from .conftest import ROOT

SEEDS = ROOT / "seeds"
S000, S003, S004 = "000_5a1ffa0b2cb507dd.txt", "003_09ffe61ff0e0225a.txt", "004_7010ef2012c1f6d6.txt"
NS = Settings(select=("N", "S"))


def seed(name):
    return (SEEDS / name).read_text(encoding="utf-8")


def ns_findings(name, text=None, settings=NS):
    return check_text(seed(name) if text is None else text, settings, path=name)


# -- seeds ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("line,snippet,code", [
    (4, "usa", "N001"),
    (26, "USA", "N002"),            # "citing unnamed USA officials"
    (32, "USA", "N002"),            # "USA -backed" (W001 removes the space)
    (34, "Russian Federation", "S001"),
    (36, "June past year", "S001"),
    (18, "FDS", "N003"),
])
def test_seed_000_flags(line, snippet, code):
    found = {(d.line, d.snippet, d.code) for d in ns_findings(S000)}
    assert (line, snippet, code) in found


def test_seed_000_is_scored_as_spun_once():
    scores = [d for d in ns_findings(S000) if d.code == "S002"]
    assert len(scores) == 1 and scores[0].line == 1 and scores[0].severity.value == "info"


def test_seed_003_minority_us_flagged():
    found = [(d.line, d.snippet, d.code) for d in ns_findings(S003)]
    assert found == [(19, "US", "N002")]
    assert "this article writes 'U.S.' 6 times" in ns_findings(S003)[0].message


def test_seed_004_is_clean():
    assert ns_findings(S004) == []


def test_islamic_state_is_stays_clean():
    text = seed(S000)
    i = text.index("Islamic State (IS)")
    for d in ns_findings(S000):
        assert not (d.start < i + 18 and d.end > i), d


def test_fix_composes_with_w001_and_converges():
    text = seed(S000)
    once = fix_text(text, Settings(), path=S000)
    assert once.converged
    assert "U.S.-backed" in once.text and "USA" not in once.text and " -backed" not in once.text
    left = {d.code for d in check_text(once.text, Settings(), path=S000)}
    assert not left & {"N001", "N002"}  # N003's fix is unsafe: FDS stays until --unsafe-fixes
    assert fix_text(once.text, Settings(), path=S000).text == once.text
    unsafe = fix_text(text, Settings(), path=S000, unsafe=True)
    assert not [d for d in check_text(unsafe.text, Settings(), path=S000) if d.code[0] in "NS"]
    assert fix_text(unsafe.text, Settings(), path=S000, unsafe=True).text == unsafe.text


def test_sentence_final_dot_is_not_doubled_or_lost():
    text = "Headline\n\nThe US. The US army. The US navy. He left the U.S.\n"
    fixed = fix_text(text, Settings(select=("N002",)), unsafe=True).text
    assert fixed == "Headline\n\nThe US. The US army. The US navy. He left the US.\n"
    text = "Headline\n\nU.S. troops came. U.S. envoys came. U.S. ships came. They left the US.\n"
    assert fix_text(text, Settings(select=("N002",))).text.endswith("They left the U.S.\n")


# -- lowercase and exceptions ----------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "He told us about it, for all of US. IT SEEMS THEY KNEW.",
    "USA TODAY and USA Today reported; John King, USA aired; Team USA won; US Weekly agreed.",
    "Il poeta è nato a Firenze nel 1265.",
    "Kim Jong-un met the envoys; eu sou brasileiro.",
    "Read more at usatoday.com or bbc.co.uk.",
])
def test_lookalikes_stay_clean(body):
    assert check_text(f"Headline of the article\n\n{body}\n", Settings(select=("N001", "N002"))) == []


def test_lowercase_fix_follows_the_dominant_form():
    text = "Headline\n\nU.S. officials met. The U.S. envoy spoke. The uk economy and usa trade suffered.\n"
    fixed = fix_text(text, Settings(select=("N",))).text
    assert "U.S. trade" in fixed and "UK economy" in fixed


# -- config -----------------------------------------------------------------------------------------
def settings_with(naming_table=None, spin_table=None, select=("N", "S")):
    data = {"select": list(select)}
    if naming_table is not None:
        data["naming"] = naming_table
    if spin_table is not None:
        data["spin"] = spin_table
    return settings_from_mapping(data, str(ROOT), "test.toml", "the top level", load_rules().settings)


def test_prefer_flags_every_other_form():
    s = settings_with({"prefer": {"US": "U.S."}})
    found = check_text("Headline\n\nThe US army and US navy met.\n", s)
    assert [d.code for d in found] == ["N002", "N002"]
    assert "configured" in found[0].message and found[0].fix.edits[0].content == "U.S."


def test_house_style():
    s = settings_with({"house-style": "guardian"})
    found = check_text("Headline\n\nNATO met. Nato allies agreed.\n", s)
    assert [d.snippet for d in found] == ["NATO"] and "house style 'guardian'" in found[0].message


def test_entities_extension():
    s = settings_with({"entities": {"WHO": {"abbreviations": ["WHO", "W.H.O."], "lowercase": ["w.h.o."]},
                                    "US": {"exceptions": ["US\\s+Fencing"]}}})
    found = check_text("Headline\n\nWHO experts met. WHO said so. WHO staff agreed. The W.H.O. envoy left.\n", s)
    assert [d.snippet for d in found] == ["W.H.O."]
    assert check_text("Headline\n\nU.S. officials, U.S. envoys and U.S. staff met US Fencing.\n", s) == []


@pytest.mark.parametrize("table,needle", [
    ({"prefer": {"US": "Yankee"}}, "'prefer' must be a table of entity id = preferred form"),
    ({"prefer": "U.S."}, "'prefer' must be"),
    ({"house-style": "nyt"}, "'house-style' must be one of 'ap'"),
    ({"entities": {"US": {"abbreviations": "USA"}}}, "'entities' must be"),
    ({"entities": {"US": {"exceptions": ["(unclosed"]}}}, "'entities' must be"),
    ({"entities": {"US": {"colour": ["red"]}}}, "'entities' must be"),
    ({"small-corpus": 0}, "'small-corpus' must be an integer"),
    ({"colour": 1}, "unknown key 'colour'"),
])
def test_bad_naming_config_is_explained(table, needle):
    with pytest.raises(ConfigError) as err:
        settings_with(table)
    assert needle in str(err.value)


@pytest.mark.parametrize("table,needle", [
    ({"threshold": "high"}, "'threshold' must be a number > 0"),
    ({"ignore": ["no-such-fingerprint"]}, "'ignore' must be a list of fingerprint ids"),
])
def test_bad_spin_config_is_explained(table, needle):
    with pytest.raises(ConfigError) as err:
        settings_with(spin_table=table)
    assert needle in str(err.value)


def test_spin_config_threshold_and_ignore():
    body = "Headline\n\nIn June past year, Russian Federation on Friday said so.\n"
    assert [d.code for d in check_text(body, settings_with(spin_table={}))].count("S002") == 1
    assert "S002" not in [d.code for d in check_text(body, settings_with(spin_table={"threshold": 100}))]
    quiet = settings_with(spin_table={"ignore": ["month-past-year"]})
    assert [d.snippet for d in check_text(body, quiet)] == ["Russian Federation"]


# -- the spin data proves itself (also the score-only entries that S001 does not report) ----------
SPIN = load("spin")["fingerprint"]


@pytest.mark.parametrize("entry", SPIN, ids=lambda e: e["id"])
def test_spin_fingerprint_examples(entry):
    pattern = re.compile(entry["pattern"])
    assert entry["flag"] and entry["clean"]
    for example in entry["flag"]:
        assert pattern.search(example), example
        assert any(h in example.lower() for h in entry["hints"]), f"no hint in {example!r}"
    for example in entry["clean"]:
        assert not pattern.search(example), example


# -- names: similarity and the collector API (reused by family P) ---------------------------------
@pytest.mark.parametrize("a,b,same", [
    ("Guterres", "Guterez", True), ("Deir al-Zor", "Deir-i-Zur", True), ("Deir ez-Zor", "Deir al-Zor", False),
    ("Morsi", "Morsy", True), ("Jon", "John", False), ("Allen", "Allan", False), ("Scott", "Scotty", False),
    ("Kevin", "Kelvin", False), ("Walter", "Water", False),
])
def test_same_name(a, b, same):
    assert naming.same_name(a, b) is same


def test_block_keys_put_variants_together():
    assert naming.block_key("Guterres") == naming.block_key("Guterez") == naming.block_key("Guterres's")
    assert naming.block_key("Deir-i-Zur") == naming.block_key("Deir al-Zor")


def _index(docs):
    index = CorpusIndex()
    for path, text in docs.items():
        index.add(index_key(path), collect_facts(Document(text, path, Context()), naming.COLLECTORS))
    return index


def _article(name):
    return f"UN Chief Speaks\n\nUN Secretary-General António {name} said on Monday that aid must flow.\n"


def test_similar_spellings_api():
    docs = {f"a{i}.txt": _article("Guterres") for i in range(3)}
    docs["b.txt"] = _article("Guterez")
    index = _index(docs)
    doc = Document(docs["b.txt"], "b.txt", Context())
    own = naming.collect_names(doc).get(naming.block_key("Guterez"), ())
    found = naming.similar_spellings(index, "Guterez", path=index_key("b.txt"), own=own)
    assert [(s.surface, s.documents) for s in found] == [("Guterres", 3)]
    assert naming.similar_spellings(None, "Guterez") == []
    assert "Guterez" in naming.collect_names(doc)[naming.block_key("Guterez")]


def test_cross_document_tie_flags_nothing():
    docs = {"a.txt": _article("Guterres"), "b.txt": _article("Guterez")}
    index = _index(docs)
    for path, text in docs.items():
        assert check_text(text, Settings(select=("N004",)), path=path, index=index) == []


def test_cross_document_place_names():
    docs = {
        "a.txt": "Strikes in Syria\n\nFighting in the province of Deir al-Zor went on, officials said.\n",
        "b.txt": "Strikes in Syria\n\nTroops left the province of Deir ez-Zor on Friday, officials said.\n",
        "c.txt": "Strikes in Syria\n\nAir strikes in the province of Deir-i-Zur killed dozens, officials said.\n",
    }
    index = _index(docs)
    found = check_text(docs["c.txt"], Settings(select=("N004",)), path="c.txt", index=index)
    assert [d.snippet for d in found] == ["Deir-i-Zur"]
    assert "2 other documents" in found[0].message
    for path in ("a.txt", "b.txt"):
        assert check_text(docs[path], Settings(select=("N004",)), path=path, index=index) == []


# -- the real executable ----------------------------------------------------------------------------
def _run(lint_exe, cwd, *args):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([lint_exe, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def _folder(tmp_path):
    for i in range(1, 5):
        (tmp_path / f"guterres{i}.txt").write_text(_article("Guterres") + "Officials said Guterres would travel.\n",
                                                   encoding="utf-8")
    (tmp_path / "misspelt.txt").write_text(_article("Guterez"), encoding="utf-8")
    return tmp_path


def test_cli_folder_flags_only_the_rare_spelling(lint_exe, tmp_path):
    folder = _folder(tmp_path)
    result = _run(lint_exe, folder, "--select", "N004", ".")
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if " N004 " in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("misspelt.txt:3:") and "'Guterez'" in lines[0]
    assert "4 other documents write 'Guterres'" in lines[0] and "guterres1.txt" in lines[0]
    # one file alone, without an index, is no corpus
    alone = _run(lint_exe, folder, "--select", "N004", "misspelt.txt")
    assert alone.returncode == 0, alone.stdout


def test_cli_folder_rare_spelling_beside_the_right_one_in_the_title(lint_exe, tmp_path):
    """The title writes the majority spelling and the prose the rare one: the title is no name
    occurrence, so the rare spelling is still this document's only one (a pre-check once took the
    title's spelling for the document's own and skipped the check)."""
    (tmp_path / "a.txt").write_text("Wildfire Near Los Angeles Spreads Overnight\n\nFirefighters near Los Angles "
                                    "fought the blaze on Tuesday. Residents were told to leave.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Heat wave\n\nThe mayor of Los Angeles said the city was ready. Officials "
                                    "agreed.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Traffic\n\nRoads in Los Angeles were closed after the storm. Drivers "
                                    "waited.\n", encoding="utf-8")
    result = _run(lint_exe, tmp_path, "--select", "N004", ".")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "a.txt:3:23: N004" in result.stdout and "2 other documents write 'Angeles'" in result.stdout


def test_cli_saved_index_for_one_changed_file(lint_exe, tmp_path):
    folder = _folder(tmp_path)
    built = _run(lint_exe, folder, "index", ".")
    assert built.returncode == 0, built.stderr
    assert (folder / ".articlelint" / "index.json").is_file()
    changed = folder / "misspelt.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "Guterez then left for Geneva.\n", encoding="utf-8")
    result = _run(lint_exe, folder, "--select", "N004", "--index", ".articlelint/index.json", "misspelt.txt")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count("'Guterez' appears only in this document") == 2
    # an indexed document that is fine stays fine (it never outvotes itself)
    ok = _run(lint_exe, folder, "--select", "N004", "--index", ".articlelint/index.json", "guterres1.txt")
    assert ok.returncode == 0, ok.stdout
    # the unsafe fix writes the majority spelling
    fixed = _run(lint_exe, folder, "--select", "N004", "--index", ".articlelint/index.json", "--fix",
                 "--unsafe-fixes", "misspelt.txt")
    assert "Guterez" not in changed.read_text(encoding="utf-8"), fixed.stdout + fixed.stderr
