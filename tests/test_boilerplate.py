"""B family: the issue's targets on the shared corpus, the seeds, the context rules and user patterns."""

import importlib.util
import time

import pytest

from lint.config import ConfigError, Settings, settings_from_mapping
from lint.diagnostics import Applicability, Severity
from lint.engine import check_text
from lint.registry import load_rules
from rules.boilerplate import compile_line_patterns

from .conftest import ROOT

HEAD = "Council Debates the City Budget\n\n"
B_ALL = tuple(r.code for r in load_rules().rules if r.code.startswith("B"))
B_DEFAULT = tuple(r.code for r in load_rules().rules if r.code.startswith("B") and r.default)


def lines_flagged(body, codes=B_ALL, head=HEAD):
    return {(d.line - head.count("\n"), d.code) for d in check_text(head + body, Settings(select=codes))}


# ---------------------------------------------------------------------------------- seeds

def _seed(name):
    return (ROOT / "seeds" / name).read_text(encoding="utf-8")


def test_seed_findings_of_the_b_family():
    found = {(name[:3], d.line, d.code) for name in ("000_5a1ffa0b2cb507dd.txt", "003_09ffe61ff0e0225a.txt",
                                                     "004_7010ef2012c1f6d6.txt")
             for d in check_text(_seed(name), Settings(select=B_ALL))}
    assert found == {("000", 10, "B007"), ("000", 20, "B001"), ("004", 15, "B006")}


def test_source_trailer_is_info_with_an_unsafe_fix():
    [d] = [d for d in check_text(_seed("004_7010ef2012c1f6d6.txt"), Settings(select=("B006",)))]
    assert d.severity is Severity.INFO and d.fix.applicability is Applicability.UNSAFE
    assert "Source: Reuters" in d.message


# ---------------------------------------------------------------------------- look-alikes

@pytest.mark.parametrize("line", [
    "Advertisement revenue at the paper rose 4 percent.",
    "She will follow the case closely, her lawyer said.",
    "The photo showed the suspect leaving the building.",
    "Subscribers to the service rose 4 percent last year.",
    "He posted the video on Twitter and Facebook on Monday.",
    "Smith (left) said the deal was fair.",
    "The team left on March 3, 2019, for Paris.",
    "About 100 people attended the vigil.",
    "10 p.m.",
    "US FALLS",
])
def test_lookalikes_stay_clean(line):
    assert not lines_flagged(line + "\n")


def test_one_finding_per_line_across_the_family():
    body = "© 2019 Example Press. All rights reserved.\n"  # copyright and rights notice at once
    assert lines_flagged(body) == {(1, "B005")}


def test_first_line_only_for_kinds_that_never_look_like_a_headline():
    assert lines_flagged("Tags: budget\n", head="") == set()  # may be a headline: skipped
    assert lines_flagged("Reading time: 3 minutes\nThe council met.\n", head="") == {(1, "B010")}


# ---------------------------------------------------------------------------- context rules

def test_link_list_at_the_end_is_flagged():
    body = ("The council met on Tuesday.\n\nMembers said cuts were likely.\n\n"
            "- Ten Places To See Before Winter\n- Why The Moon Is Drifting Away\n- Inside The New Mars Rover\n")
    assert {line for line, code in lines_flagged(body) if code == "B012"} == {5, 6, 7}


def test_link_list_followed_by_article_text_is_not():
    body = ("- Ten Places To See Before Winter\n- Why The Moon Is Drifting Away\n- Inside The New Mars Rover\n\n"
            + "".join(f"Paragraph {i} of the article goes on about the vote.\n\n" for i in range(5)))
    assert not lines_flagged(body)


def test_list_announced_by_a_colon_is_content():
    body = "You will need:\n- Two Cups Of Flour\n- One Large Egg Beaten Lightly\n- A Pinch Of Salt\n"
    assert not lines_flagged(body)


def test_teaser_block_needs_two_headlines():
    two = "You may also like...\nCity council approves new school budget\nWho will win the cup this year?\n"
    one = "More from Jane Roe\nThe lion who ruled the valley for years\n\nShe was born in the park in 2001.\n"
    assert {line for line, _ in lines_flagged(two)} == {1, 2, 3}
    assert {line for line, _ in lines_flagged(one)} == {1}  # the label only


def test_caption_needs_a_position_and_a_full_date():
    assert lines_flagged("Jane Roe (left) and John Doe attend the gala in Paris on March 3, 2019.\n") == {(1, "B007")}
    assert not lines_flagged("Jane Roe (left) and John Doe attend the gala in Paris.\n")
    assert not lines_flagged("Jane Roe and John Doe attended the gala in Paris on March 3, 2019.\n")


def test_repeated_block_needs_four_lines():
    block = "".join(f"Line {w} of the story is right here today.\n" for w in ("one", "two", "three", "four"))
    assert {line for line, _ in lines_flagged(block + block)} == {5, 6, 7, 8}
    three = "".join(f"Line {w} of the story is right here today.\n" for w in ("one", "two", "three"))
    assert not lines_flagged(three + three)


def test_about_section_needs_a_corporate_verb():
    press = "The deal closes in May.\nAbout ExampleCorp\nExampleCorp is a global provider of billing software.\n"
    story = "The rangers left.\nAbout Rex\nRex was one of 35 lions in the park.\n"
    assert {line for line, code in lines_flagged(press) if code == "B013"} == {2, 3}
    assert not lines_flagged(story)


def test_opt_in_rules_are_off_by_default():
    body = "— Jane Roe (@janeroe) March 3, 2020\n\nhttp://amzn.to/2AbCdEf\n\nhttps://example.com/a.html\n"
    assert {code for _, code in lines_flagged(body)} == {"B015", "B016", "B017"}
    assert not check_text(HEAD + body)


# ---------------------------------------------------------------------------- user patterns

def _settings(patterns):
    return settings_from_mapping({"boilerplate": {"extra-line-patterns": patterns}}, root=".", source="test.toml",
                                 table="the top level", schema=load_rules().settings)


def test_user_patterns_flag_lines():
    settings = _settings([r"^Sponsored by .*$"])
    found = check_text(HEAD + "The council met.\n\nSponsored by Example Bank\n", settings)
    assert [(d.code, d.line) for d in found if d.code.startswith("B")] == [("B099", 5)]
    assert "Sponsored by" in found[0].message


def test_bad_user_pattern_is_a_config_error():
    with pytest.raises(ConfigError, match="extra-line-patterns"):
        _settings(["^Sponsored (by"])
    with pytest.raises(ValueError, match="not a valid regular expression"):
        compile_line_patterns(["^Sponsored (by"])


def test_runaway_user_pattern_cannot_hang_a_run():
    settings = _settings([r"^(a+)+$"])
    start = time.perf_counter()
    check_text(HEAD + "a" * 40 + "b\n", settings)
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------------------- corpus targets

def _benchmark():
    spec = importlib.util.spec_from_file_location("bench_boilerplate", ROOT / "benchmarks" / "boilerplate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_targets_on_the_extraction_benchmark(shared):
    import json
    from collections import defaultdict

    eb = shared / "corpus" / "extraction-benchmark"
    if not (eb / "labels-reviewed.jsonl").is_file():
        pytest.skip("extraction benchmark not present")
    bench = _benchmark()
    labels = defaultdict(dict)
    for row in map(json.loads, (eb / "labels-reviewed.jsonl").read_text(encoding="utf-8").splitlines()):
        if not row["title_like"]:
            labels[row["file"]][row["line"]] = row["reviewed"] == "boilerplate"
    tp = fp = 0
    for name, lab in labels.items():
        hits = bench.flagged((eb / name).read_text(encoding="utf-8"), B_DEFAULT)
        for line, is_bp in lab.items():
            if line in hits:
                tp, fp = tp + is_bp, fp + (not is_bp)
    n_bp = sum(v for lab in labels.values() for v in lab.values())
    assert tp / (tp + fp) >= 0.90, (tp, fp)
    assert tp / n_bp >= 0.60, (tp, n_bp)

    lines = flagged = 0
    for path in (eb / "ground-truth").glob("*.txt"):
        body = path.read_text(encoding="utf-8")
        lines += sum(1 for line in body.split("\n") if line.strip())
        flagged += len(bench.flagged(bench.HEADLINE + body, B_DEFAULT, bench.SHIFT))
    assert flagged / lines <= 0.015, (flagged, lines)


def _cue_pool(extra_roots=()):
    """Stripped lines to test the cue claim on: every example in the data, every fixture and seed
    line, and (when present) every line of the shared corpus, plus case variants of each."""
    import re as _re

    from rules._data import load

    data = load("boilerplate")
    lines = set()
    for table in [data.get("related_link", {})] + data["line"] + data.get("context", []):
        for key in ("flag", "clean"):
            for example in table.get(key, ()):
                lines.update(example.splitlines())
    roots = [ROOT / "tests" / "fixtures", ROOT / "seeds", *extra_roots]
    for root in roots:
        for path in sorted(root.rglob("*.txt")) + sorted(root.rglob("*.md")):
            lines.update(path.read_text(encoding="utf-8", errors="replace").splitlines())
    lines = {line.strip() for line in lines if line.strip()}
    variants = set()
    for line in lines:
        variants.update({line.upper(), line.lower(), line.title(), _re.sub(r"\s+", "  ", line)})
    return sorted(lines | {v.strip() for v in variants if v.strip()})


def _assert_cues_hold(pool):
    """Every line an entry's pattern matches shows one of the entry's cues (the pre-check never
    hides a match): the claim rules/data/boilerplate.toml asks each entry to keep."""
    import re as _re

    from rules import boilerplate

    patterns = [_re.compile(source) for source in boilerplate._SOURCES]
    missed = []
    for line in pool:
        if len(line) > boilerplate._MAX_LINE:
            continue
        allowed = set(boilerplate.candidates(line))
        for i, pattern in enumerate(patterns):
            if i not in allowed and pattern.match(line):
                missed.append((boilerplate._DATA["line"][i]["id"], line[:80]))
    assert not missed, f"entries whose pattern matches a line that shows none of its cues: {missed[:10]}"


def test_line_cues_never_hide_a_match():
    _assert_cues_hold(_cue_pool())


def test_line_cues_never_hide_a_match_on_the_corpus(shared):
    _assert_cues_hold(_cue_pool([shared / "corpus"]))


def test_context_cues_never_hide_a_line():
    """The context functions look only at the lines that show their cues (``_CONTEXT_CUES``): on
    every fixture, seed and data example (and case variants, and lines too long to be scanned)
    they return what they return when told that every line shows every cue."""
    from rules import boilerplate

    data_texts = ["\n".join(table.get("flag", []) + table.get("clean", []))
                  for table in boilerplate._DATA["line"] + boilerplate._DATA["context"]]
    paths = sorted((ROOT / "tests" / "fixtures").rglob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    texts = data_texts + [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    long_line = "Jane Roe (left) and John Doe " + "attend " * 120 + "on March 3, 2019."
    texts += [t.upper() for t in texts] + [t + "\n" + long_line + "\nAbout " + "X" * 900 for t in texts[:20]]
    for text in texts:
        lines = [line.strip() for line in text.split("\n")]
        lows = [boilerplate._fold(line) for line in lines]
        _hits, tagged = boilerplate._cue_hits(lines, lows)
        every = {tag: set(range(len(lines))) for tag in boilerplate._CONTEXT_CUES}
        for kind, function in boilerplate._CONTEXT_FUNCTIONS.items():
            params = boilerplate.CONTEXT_PARAMS[kind]
            boilerplate._NONBLANK[0] = None
            assert function(lines, lows, params, set(), tagged) == function(lines, lows, params, set(), every), kind
    boilerplate._NONBLANK[0] = None
