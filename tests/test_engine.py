"""The engine without the CLI: documents, selection, fix application, convergence, config."""

import os
import pytest

from lint.config import ConfigError, ConfigResolver, Settings, settings_from_mapping
from lint.diagnostics import Applicability, Edit, Fix
from lint.document import Document, split_sentences
from lint.engine import apply_fixes, check_text, fix_text
from lint.registry import RuleError, RuleSet, load_rules, parse_docstring, rule

from .conftest import ROOT


def test_positions_count_code_points():
    doc = Document("héllo 😀 world\nsecond line")
    assert doc.position(0) == (1, 1)
    assert doc.position(8) == (1, 9)  # the emoji is one column
    assert doc.position(14) == (2, 1)
    assert doc.position(len(doc.text)) == (2, 12)
    assert [l.text for l in doc.lines] == ["héllo 😀 world", "second line"]


def test_title_and_body_lines():
    doc = Document("\n\nThe Headline\n\nFirst para.\nSecond para.\n")
    assert doc.title.text == "The Headline" and doc.title.number == 3
    assert [l.text for l in doc.body_lines] == ["First para.", "Second para."]


def test_paragraphs_one_per_long_line_and_wrapped_blocks():
    long_lines = "A" * 150 + ".\n" + "B" * 150 + ".\n"
    assert len(Document(long_lines).paragraphs) == 2
    wrapped = "This paragraph is wrapped\nby hand over several\nshort lines.\n\nNext one."
    paras = Document(wrapped).paragraphs
    assert len(paras) == 2 and paras[0].text.startswith("This paragraph")


def test_sentences_respect_abbreviations():
    text = "U.S. Army Maj. Gen. Jamie Jarrard spoke on Feb. 7. He said Mr. Haddad left. J. Smith agreed!"
    assert [s.text for s in split_sentences(text)] == [
        "U.S. Army Maj. Gen. Jamie Jarrard spoke on Feb. 7.", "He said Mr. Haddad left.", "J. Smith agreed!",
    ]


def test_sentence_spans_point_into_text():
    doc = Document("Title\n\nOne sentence here. Another one follows.\n")
    for s in doc.sentences:
        assert doc.text[s.start:s.end] == s.text


def test_delete_line_fix_removes_one_blank_neighbour():
    doc = Document("a\n\njunk\n\nb\n")
    fix = doc.delete_line_fix(doc.lines[2])
    text, applied = apply_fixes(doc.text, [_diag(fix)])
    assert text == "a\n\nb\n"
    doc = Document("a\n\nb\n\njunk")  # last line, no final newline
    text, _ = apply_fixes(doc.text, [_diag(doc.delete_line_fix(doc.lines[4]))])
    assert text == "a\n\nb"


def _diag(fix, code="X001"):
    from lint.diagnostics import Diagnostic, Severity

    return Diagnostic("p", 0, 0, 1, 1, 1, 1, code, "x", "m", Severity.WARNING, fix)


def test_apply_fixes_skips_overlapping_edits_and_unsafe():
    text = "abcdef"
    safe = _diag(Fix.replace(1, 3, "X", "m"), "A001")
    overlapping = _diag(Fix.replace(2, 4, "Y", "m"), "B001")
    unsafe = _diag(Fix.replace(4, 5, "Z", "m", Applicability.UNSAFE), "C001")
    new, applied = apply_fixes(text, [overlapping, safe, unsafe])
    assert new == "aXdef" and dict(applied) == {"A001": 1}
    new, applied = apply_fixes(text, [safe, unsafe], unsafe=True)
    assert new == "aXdZf"


def test_edit_rejects_negative_span():
    with pytest.raises(ValueError):
        Edit(5, 2, "")


# Two synthetic rules that undo each other: the fixer must notice and give up.
@rule("W901", "colour-to-color", fix=Applicability.SAFE)
def _to_us(doc):
    """Test rule.

    Why: test. Bad: colour Good: color
    """
    i = doc.text.find("colour")
    if i >= 0:
        yield doc.finding(i, i + 6, "us", fix=Fix.replace(i, i + 6, "color", "us"))


@rule("W902", "color-to-colour", fix=Applicability.SAFE)
def _to_uk(doc):
    """Test rule.

    Why: test. Bad: color Good: colour
    """
    i = doc.text.find("color")
    if i >= 0:
        yield doc.finding(i, i + 5, "uk", fix=Fix.replace(i, i + 5, "colour", "uk"))


def test_fix_detects_rules_that_fight():
    result = fix_text("the colour", Settings(), rules=[_to_us, _to_uk])
    assert not result.converged
    assert set(result.fought) == {"W901", "W902"}


def test_fix_converges_and_counts():
    result = fix_text("the colour", Settings(), rules=[_to_us])
    assert result.converged and result.text == "the color" and result.fixed == 1


def test_selection_like_ruff():
    rs = load_rules()
    codes = lambda sel, ext=(), ign=(): {r.code for r in rs.select(sel, ext, ign)}
    default = codes(None)
    assert {"B001", "W001", "N001"} <= default
    assert codes(["B"]) == {r.code for r in rs.rules if r.code.startswith("B")}
    assert "B001" not in codes(["B"], ign=["B001"])
    assert codes(["B001"], ign=["B"]) == {"B001"}  # the more specific selector wins
    assert codes(None, ign=["related-link-line"]) == default - {"B001"}
    assert "W001" in codes(["B"], ext=["W001"])


def test_duplicate_codes_are_rejected():
    with pytest.raises(RuleError):
        RuleSet([_to_us, _to_us])


def test_rule_metadata_validation():
    with pytest.raises(RuleError):
        rule("X001", "bad-family")(lambda doc: ())
    with pytest.raises(RuleError):
        rule("W001", "NotKebab")(lambda doc: ())


def test_parse_docstring_sections():
    sections = parse_docstring("""Summary line.

    Why: because.
    Bad:  one
          two
    Good: three
    Fix safety: safe.
    """)
    assert sections["summary"] == "Summary line."
    assert sections["Why"] == "because."
    assert sections["Good"] == "three"
    assert sections["Fix safety"] == "safe."


def test_config_rejects_unknown_keys_and_bad_values(tmp_path):
    schema = load_rules().settings
    with pytest.raises(ConfigError, match="unknown key 'selct'"):
        settings_from_mapping({"selct": ["B"]}, ".", "cfg.toml", "the top level", schema)
    with pytest.raises(ConfigError, match="'select' .* must be a list"):
        settings_from_mapping({"select": "B"}, ".", "cfg.toml", "the top level", schema)
    with pytest.raises(ConfigError, match="prefer"):
        settings_from_mapping({"naming": {"prefer": ["US"]}}, ".", "cfg.toml", "the top level", schema)


def test_nearest_config_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.articlelint]\nignore = ["W001"]\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "articlelint.toml").write_text('ignore = ["B001"]\n')
    resolver = ConfigResolver(load_rules().settings)
    assert resolver.for_path(str(tmp_path / "a.txt")).ignore == ("W001",)
    assert resolver.for_path(str(sub / "b.txt")).ignore == ("B001",)


def test_per_file_ignores(tmp_path):
    settings = settings_from_mapping({"per-file-ignores": {"wire/*.txt": ["B001"]}}, str(tmp_path), "c", "t", {})
    assert "B001" in settings.ignores_for(str(tmp_path / "wire" / "a.txt"))
    assert "B001" not in settings.ignores_for(str(tmp_path / "other" / "a.txt"))


def test_check_text_api_uses_preferred_form_from_config():
    settings = settings_from_mapping({"naming": {"prefer": {"US": "U.S."}}}, ".", "c", "t", load_rules().settings)
    found = check_text("Headline\n\nA spokesman for the usa authorities.\n", settings)
    assert [d.fix.edits[0].content for d in found if d.code == "N001"] == ["U.S."]


def test_corpus_index_counts_documents_merges_and_excludes_self(tmp_path):
    from lint.corpus import Collector, CorpusIndex, collect_facts

    def surnames(doc):
        out = {}
        for word in doc.words:
            if word.text[0].isupper() and len(word.text) > 4:
                out.setdefault(word.text[:3].lower(), []).append(word.text)
        return out

    collector = Collector("names", surnames, rules=("N999",))
    a, b = CorpusIndex(), CorpusIndex()
    for i, name in enumerate(["Guterres", "Guterres", "Guterres", "Guterres", "Guterez"]):
        facts = collect_facts(Document(f"Title\n\n{name} spoke. {name} left."), [collector])
        (a if i < 3 else b).add(f"doc{i}.txt", facts)
    a.merge(b)
    assert a.documents == 5
    assert a.variants("names", "gut") == {"Guterres": (4, ["doc0.txt", "doc1.txt", "doc2.txt"]), "Guterez": (1, ["doc4.txt"])}
    # the document itself is not counted when it asks about its own spellings
    assert a.variants("names", "gut", path="doc4.txt", own=["Guterez"]) == {"Guterres": (4, ["doc0.txt", "doc1.txt", "doc2.txt"])}
    saved = tmp_path / "index.json"
    a.save(str(saved))
    again = CorpusIndex.load(str(saved))
    assert again.variants("names", "gut") == a.variants("names", "gut") and again.paths == a.paths
    with pytest.raises(ValueError, match="not an articlelint index"):
        CorpusIndex.from_json("{}")


def test_markdown_view_maps_offsets_and_never_edits_code():
    from lint.formats import markdown_view

    text = "# T\n\n```\ncode here\n```\nUS -backed text\n"
    view = markdown_view(text)
    assert view.text.split("\n")[2:5] == ["", "", ""]
    prose = view.text.index("US -backed")
    assert view.to_original(prose) == text.index("US -backed")


def test_lint_record_api_maps_fields_and_fixes():
    from lint.api import lint_record

    settings = Settings(select=("W001", "B001"))
    result = lint_record("Clashes between US -backed forces.\n\nMore news: Other", title="Strikes", settings=settings)
    assert [(d.code, dict(d.extra)["field"], d.line, d.column) for d in result.diagnostics] == [
        ("W001", "text", 1, 17), ("B001", "text", 3, 1)]
    fixed = lint_record("Clashes between US -backed forces.\n\nMore news: Other", title="Strikes",
                        settings=settings, fix=True)
    assert fixed.text == "Clashes between US-backed forces." and fixed.title == "Strikes" and fixed.fixed == 2
    assert not fixed.diagnostics
    title_finding = lint_record("Body text.", title="US -backed forces win", settings=settings)
    assert [dict(d.extra)["field"] for d in title_finding.diagnostics] == ["title"]


def test_settings_are_picklable():
    import pickle

    settings = settings_from_mapping({"naming": {"prefer": {"US": "U.S."}}, "ignore": ["B001"]}, ".", "c", "t",
                                     load_rules().settings)
    assert pickle.loads(pickle.dumps(settings)) == settings


def test_documents_are_freed_after_linting():
    """No rule may keep documents alive (a dataset streams millions of them): after linting,
    no Document survives garbage collection."""
    import gc

    from lint.document import Document as Doc

    text = ("Headline\n\nA spokesman said the usa authorities met. She said US -backed forces left.\n"
            "More news: Other story\n\nJohn Smith said. Smith added that Jon Smith was right.\n")
    for i in range(20):
        check_text(text.replace("Headline", f"Headline {i}"), Settings(select=("ALL",), ignore=("G",)))
        fix_text(text, Settings(select=("ALL",), ignore=("G",)), unsafe=True)
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, Doc)]


def test_a_checked_document_is_freed_without_the_garbage_collector(monkeypatch):
    """Rule caches refer back to their document; the engine releases a document when its check is
    over, so it is freed at once (by reference counting) instead of at the next full collection."""
    import gc
    import weakref

    from lint import document

    made = []
    init = document.Document.__init__

    def tracked(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(weakref.ref(self))

    monkeypatch.setattr(document.Document, "__init__", tracked)
    text = (ROOT / "seeds" / "000_5a1ffa0b2cb507dd.txt").read_text(encoding="utf-8")
    gc.disable()
    try:
        assert check_text(text, Settings(select=("ALL",), ignore=("G",)))
        assert made and all(ref() is None for ref in made)
    finally:
        gc.enable()


def test_document_release_keeps_it_usable():
    doc = Document("Title\n\nOne sentence here. Another one.\n", "a.txt")
    before = (doc.lines, doc.paragraphs, doc.sentences)
    doc.__dict__["_cache"] = {"x": doc}
    doc.release()
    assert "_cache" not in doc.__dict__ and "lines" not in doc.__dict__
    assert (doc.lines, doc.paragraphs, doc.sentences) == before and doc.path == "a.txt"


def test_fast_entry_point_scan_agrees_with_importlib_metadata():
    from importlib.metadata import entry_points

    from lint.registry import ENTRY_POINT_GROUP, _entry_points

    fast = sorted(set(_entry_points(ENTRY_POINT_GROUP)))
    slow = sorted({(ep.name, ep.value) for ep in entry_points(group=ENTRY_POINT_GROUP)})
    assert fast == slow and ("articlelint", "rules") in fast


def test_globs_keep_folder_semantics_where_normcase_turns_slashes(monkeypatch):
    """On Windows os.path.normcase lower-cases and turns '/' into '\\'; config globs and the
    relative paths they match are '/'-separated, so folder excludes still apply below the top."""
    import ntpath

    from lint import config

    monkeypatch.setattr(os.path, "normcase", ntpath.normcase)
    config._combined_regexes.cache_clear()
    config._glob_regexes.cache_clear()
    try:
        for rel, patterns in [("sub/build/x.txt", ("build",)), ("a/Node_Modules/b/c.md", ("node_modules",)),
                              ("wire/a.txt", ("wire/",)), ("x/wire/a.txt", ("*/wire",)),
                              ("drafts/2024/a.txt", ("drafts/*",))]:
            assert config._globs_match(rel, patterns), (rel, patterns)
            assert any(config._glob_match(rel, p) for p in patterns), (rel, patterns)
        assert not config._globs_match("sub/other/x.txt", ("build",))
    finally:
        config._combined_regexes.cache_clear()
        config._glob_regexes.cache_clear()
