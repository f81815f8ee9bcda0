"""S: spun text (article spinners' synonym swaps), phrase by phrase and for the whole document.

The fingerprints are data (``rules/data/spin.toml``): each one is a swap a spinner makes and a
human writer does not ("In June past year" for "In June last year"), with its likely original,
its measured hits on genuine news, and examples that the tests run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from lint import Applicability, Fix, Severity, rule

from ._data import load

_DATA = load("spin")


@dataclass(frozen=True)
class Fingerprint:
    id: str
    description: str
    pattern: re.Pattern
    original: object  # str, or {swapped text: original}
    weight: float
    report: bool
    hints: Tuple[str, ...]
    common: str = ""  # a substring of every hint: when the text lacks it, no hint needs a look
    gate: Optional[re.Pattern] = None  # finds a superset of the pattern's matches, faster

    def original_for(self, swapped: str) -> Optional[str]:
        if isinstance(self.original, dict):
            return self.original.get(swapped)
        return self.original


@lru_cache(maxsize=None)
def fingerprints() -> Tuple[Fingerprint, ...]:
    return tuple(
        Fingerprint(f["id"], f["description"], re.compile(f["pattern"]), f.get("original"), float(f["weight"]),
                    bool(f.get("report", True)), tuple(f["hints"]), _common_part(f["hints"]), _gate(f["pattern"]))
        for f in _DATA["fingerprint"]
    )


def _common_part(hints) -> str:
    """The longest substring of every hint (" year" of "past year" and "final year"), if that
    saves a look: one search for it rules out all the hints in most articles."""
    if len(hints) < 2:
        return ""
    shortest = min(hints, key=len)
    for size in range(len(shortest), 3, -1):
        for i in range(len(shortest) - size + 1):
            part = shortest[i:i + size]
            if all(part in h for h in hints):
                return part
    return ""


# Zero-width assertions at the start of a pattern ("\b", "(?<![Tt]he )"): without them a pattern
# matches wherever it matched before (and maybe elsewhere), and a pattern that starts with a
# capital or a digit lets the regex engine skip straight to the candidates.
_LEADING_ASSERTIONS = re.compile(r"^(?:\\b|\(\?<[!=](?:[^()\\]|\\[^()])*\))+")
_FAST_START = re.compile(r"^(?:\(\?(?:P<\w+>|:)[A-Z]|[A-Z]|\\d|\[[A-Z])")


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


_UPPER = re.compile(r"[A-ZÀ-Þ]")
_LOWER = re.compile(r"[a-zß-ÿ]")


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
    lowered = text.lower()
    caps: Dict[int, bool] = {}
    for fp in fingerprints():
        if fp.id in ignored or fp.common and fp.common not in lowered or not any(h in lowered for h in fp.hints):
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
