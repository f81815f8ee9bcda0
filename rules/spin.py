"""S: spun text (article spinners' synonym swaps), phrase by phrase and for the whole document.

The fingerprints are data (``rules/data/spin.toml``): each one is a swap a spinner makes and a
human writer does not ("In June past year" for "In June last year"), with its likely original,
its measured hits on genuine news, and examples that the tests run.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import Dict, List, Optional, Tuple

from lint import Applicability, Fix, Severity, rule

from ._data import load
from ._lazy import lazy_compile

_DATA = load("spin")


class Fingerprint:
    """One [[fingerprint]] of rules/data/spin.toml; its patterns compile on first use (only for
    texts that contain one of its hints)."""

    __slots__ = ("id", "description", "source", "original", "weight", "report", "hints", "__dict__")

    def __init__(self, id: str, description: str, source: str, original: object, weight: float, report: bool,
                 hints: Tuple[str, ...]):
        self.id = id
        self.description = description
        self.source = source
        self.original = original  # str, or {swapped text: original}
        self.weight = weight
        self.report = report
        self.hints = hints

    @cached_property
    def pattern(self) -> "re.Pattern[str]":
        return re.compile(self.source)

    @cached_property
    def gate(self) -> "Optional[re.Pattern[str]]":
        """Finds a superset of the pattern's matches, faster (see _gate)."""
        return _gate(self.source)

    def original_for(self, swapped: str) -> Optional[str]:
        if isinstance(self.original, dict):
            return self.original.get(swapped)
        return self.original

    def __repr__(self) -> str:
        return f"Fingerprint({self.id!r})"


@lru_cache(maxsize=None)
def fingerprints() -> Tuple[Fingerprint, ...]:
    return tuple(
        Fingerprint(f["id"], f["description"], f["pattern"], f.get("original"), float(f["weight"]),
                    bool(f.get("report", True)), tuple(f["hints"]))
        for f in _DATA["fingerprint"]
    )


@lru_cache(maxsize=None)
def _hint_automaton():
    """One Aho-Corasick automaton over every fingerprint's hints (lowercase): hint -> indexes of
    the fingerprints in :func:`fingerprints` that list it. Built on first use, once per process."""
    import ahocorasick

    owners: Dict[str, List[int]] = {}
    for i, fp in enumerate(fingerprints()):
        for hint in fp.hints:
            owners.setdefault(hint, []).append(i)
    automaton = ahocorasick.Automaton()
    for hint, indexes in owners.items():
        automaton.add_word(hint, tuple(indexes))
    automaton.make_automaton()
    return automaton


def _hinted(lowered: str) -> set:
    """Indexes of the fingerprints one of whose hints occurs in ``lowered`` (one automaton pass)."""
    found: set = set()
    for _, indexes in _hint_automaton().iter(lowered):
        found.update(indexes)
    return found


# Zero-width assertions at the start of a pattern ("\b", "(?<![Tt]he )"): without them a pattern
# matches wherever it matched before (and maybe elsewhere), and a pattern that starts with a
# capital or a digit lets the regex engine skip straight to the candidates.
_LEADING_ASSERTIONS = lazy_compile(r"^(?:\\b|\(\?<[!=](?:[^()\\]|\\[^()])*\))+")
_FAST_START = lazy_compile(r"^(?:\(\?(?:P<\w+>|:)[A-Z]|[A-Z]|\\d|\[[A-Z])")


def _gate(pattern: str) -> Optional[re.Pattern]:
    """The pattern without its leading assertions, when that searches faster: it finds a match at
    or before the first match of the pattern, and nothing when the pattern finds nothing."""
    rest = _LEADING_ASSERTIONS.sub("", pattern, count=1)
    if rest == pattern or not _FAST_START.match(rest):
        return None
    try:
        return re.compile(rest)
    except re.error:
        return None


_UPPER = lazy_compile(r"[A-ZÀ-Þ]")
_LOWER = lazy_compile(r"[a-zß-ÿ]")


def _is_caps_line(text: str) -> bool:
    upper, lower = len(_UPPER.findall(text)), len(_LOWER.findall(text))
    return upper + lower >= 12 and upper / (upper + lower) > 0.85


class Hit:
    __slots__ = ("fingerprint", "match", "start", "end")

    def __init__(self, fingerprint: Fingerprint, match: "re.Match[str]", offset: int):
        self.fingerprint = fingerprint
        self.match = match
        self.start = offset + match.start()
        self.end = offset + match.end()


def spin_hits(doc) -> List[Hit]:
    """Every fingerprint match in the article's lines (ALL-CAPS lines skipped), cached per document."""
    cache = doc.__dict__.setdefault("_spin_cache", {})
    if "hits" in cache:
        return cache["hits"]
    ignored = set(doc.context.section("spin").get("ignore", ())) if doc.context else set()
    out: List[Hit] = []
    text = doc.text
    hinted = _hinted(text.lower())  # a fingerprint runs only where the text has one of its hints
    caps: Dict[int, bool] = {}
    for i, fp in enumerate(fingerprints()):
        if i not in hinted or fp.id in ignored:
            continue
        start = 0
        if fp.gate is not None:
            first = fp.gate.search(text)
            if first is None:
                continue
            start = first.start()  # the pattern matches nowhere before (its assertions still see back)
        for m in fp.pattern.finditer(text, start):
            line = doc.line_at(m.start())
            if line.number not in caps:
                caps[line.number] = _is_caps_line(line.text)
            if not caps[line.number] and "\n" not in m.group():
                out.append(Hit(fp, m, 0))
    out.sort(key=lambda h: h.start)
    cache["hits"] = out
    return out


@rule("S001", "spinner-phrase", fix=Applicability.UNSAFE)
def spinner_phrase(doc):
    """A synonym swap typical of article spinners ("In June past year", "Russian Federation on Thursday said").

    Why: spinners disguise copied news by swapping words for dictionary synonyms without reading
    the sentence, and leave phrases no writer produces: a month before "past year", the formal
    "Russian Federation" as the plain subject of a sentence, "White Home", "in purchase to". The
    list (rules/data/spin.toml) holds only swaps with no genuine use in 500 real news articles;
    each finding names the likely original. Formal uses stay clean ("the Russian Federation has
    asked the tribunal", "Constitution of the Russian Federation"), as do "in the past year" and
    "the White House".

    Bad:  In June past year, a U.S. Navy jet shot down a Syrian plane.
    Good: In June last year, a U.S. Navy jet shot down a Syrian plane; in the past year, more followed.

    Fix safety: unsafe. The original word is the likely one, not a certain one.
    """
    for hit in spin_hits(doc):
        fp = hit.fingerprint
        if not fp.report or fp.weight < 1.0:
            continue
        m = hit.match
        swapped = m.group("swap") if "swap" in fp.pattern.groupindex and m.group("swap") else m.group()
        original = fp.original_for(swapped)
        fix = None
        if original:
            base = hit.start - m.start()
            s, e = m.span("swap") if "swap" in fp.pattern.groupindex else m.span()
            fix = Fix.replace(base + s, base + e, original, f"Write '{original}'", Applicability.UNSAFE)
        likely = ""
        if original:
            s0, e0 = (m.span("swap") if "swap" in fp.pattern.groupindex else m.span())
            likely = f"; likely '{m.group()[:s0 - m.start()]}{original}{m.group()[e0 - m.start():]}'"
        yield doc.finding(hit.start, hit.end, f"Spinner swap: {fp.description}{likely}", fix=fix)


def _spin_settings(doc) -> Dict[str, float]:
    section = doc.context.section("spin") if doc.context else {}
    return {
        "threshold": float(section.get("threshold", _DATA["score"]["threshold"])),
        "min_fingerprints": int(section.get("min-fingerprints", _DATA["score"]["min_fingerprints"])),
    }


def spin_score(doc) -> Tuple[float, Dict[str, List[Hit]], int]:
    """(score, hits by fingerprint id, words): weighted distinct fingerprints per 1,000 words."""
    by_id: Dict[str, List[Hit]] = {}
    for hit in spin_hits(doc):
        by_id.setdefault(hit.fingerprint.id, []).append(hit)
    words = max(len(doc.words), 1)
    weight = sum(hits[0].fingerprint.weight for hits in by_id.values())
    return 1000.0 * weight / max(words, 100), by_id, words


@rule("S002", "spin-score", severity=Severity.INFO)
def spin_score_rule(doc):
    """The article carries several distinct spinner fingerprints: it is likely spun as a whole.

    Why: one odd phrase can be a slip; several different spinner swaps in one article mean a
    machine rewrote it, and the rest of its text (names, numbers, quotes) deserves doubt too. The
    score is the weighted count of distinct fingerprints (rules/data/spin.toml, including those
    that W001 and N001 report) per 1,000 words (at least 100 words are assumed); one info finding
    on the headline when the score reaches the threshold (2.0, config `[spin] threshold`) with
    at least 2 distinct fingerprints. Measured: the 2 spun documents known score 8.1 and 10.8;
    all 499 genuine articles of 500 and both genuine seeds score 0.

    Bad:  In June past year, Russian Federation said US -backed units had moved.
    Good: In June last year, Russia said US-backed units had moved.
    """
    hits = spin_hits(doc)
    if not hits:
        return
    settings = _spin_settings(doc)
    score, by_id, words = spin_score(doc)
    if len(by_id) < settings["min_fingerprints"] or score < settings["threshold"]:
        return
    kinds = "; ".join(
        f"{hits[0].fingerprint.description} (line {doc.position(hits[0].start)[0]}"
        f"{f', {len(hits)}x' if len(hits) > 1 else ''})"
        for hits in sorted(by_id.values(), key=lambda hs: hs[0].start)
    )
    title = doc.title
    start, end = (title.start, title.end) if title is not None else (0, 0)
    yield doc.finding(
        start, end,
        f"Likely spun: {len(by_id)} distinct spinner fingerprints in {words} words (score {score:.1f} per "
        f"1,000 words, threshold {settings['threshold']:g}): {kinds}",
    )


def _positive_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _fingerprint_ids(value) -> bool:
    known = {f["id"] for f in _DATA["fingerprint"]}
    return isinstance(value, list) and all(isinstance(v, str) and v in known for v in value)


SETTINGS = {
    "spin": {
        "threshold": (_positive_number, "a number > 0: weighted distinct spinner fingerprints per 1,000 words "
                                        "for S002 (default 2.0)"),
        "min-fingerprints": (_positive_int, "an integer >= 1: distinct fingerprints S002 needs (default 2)"),
        "ignore": (_fingerprint_ids, "a list of fingerprint ids from rules/data/spin.toml, e.g. "
                                     "[\"thirty-day-period\"] (known: "
                                     + ", ".join(f["id"] for f in _DATA["fingerprint"]) + ")"),
    },
}
