"""N: one name for one entity (acronyms and their variants)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Dict, List, Tuple

from lint import Applicability, Fix, rule

from ._data import load

_DATA = load("entities")
_NOT_PROSE = frozenset(_DATA["lowercase"]["not_prose_neighbours"])


def _form_pattern(form: str) -> str:
    # whole-token match: not glued to letters or to further dots ("U.S." must not match in "U.S.A.")
    return rf"(?<![\w.]){re.escape(form)}(?![\w]|\.\w)"


@lru_cache(maxsize=None)
def _entities() -> List[Dict]:
    return _DATA["entity"]


@lru_cache(maxsize=None)
def _abbreviation_pattern() -> Tuple[re.Pattern, Dict[str, str]]:
    owner = {}
    forms = []
    for entity in _entities():
        for form in entity["abbreviations"]:
            owner[form] = entity["id"]
            forms.append(form)
    forms.sort(key=len, reverse=True)
    return re.compile("|".join(_form_pattern(f) for f in forms)), owner


@lru_cache(maxsize=None)
def _lowercase_pattern() -> Tuple[re.Pattern, Dict[str, str]]:
    owner = {}
    forms = []
    for entity in _entities():
        for form in entity.get("lowercase", ()):
            owner[form] = entity["id"]
            forms.append(form)
    forms.sort(key=len, reverse=True)
    return re.compile("|".join(_form_pattern(f) for f in forms)), owner


def abbreviation_counts(doc) -> Dict[str, Counter]:
    """How often the article writes each abbreviated form, per entity (title excluded)."""
    pattern, owner = _abbreviation_pattern()
    counts: Dict[str, Counter] = {}
    title = doc.title
    for line in doc.lines:
        if line is title or line.text.isupper():  # headlines and all-caps lines use house caps
            continue
        for match in pattern.finditer(line.text):
            counts.setdefault(owner[match.group()], Counter())[match.group()] += 1
    return counts


def preferred_form(entity_id: str, counts: Dict[str, Counter], prefer: Dict[str, str]) -> Tuple[str, str]:
    """(form, reason): the configured preference, else the article's most frequent, else the default."""
    if entity_id in prefer:
        return prefer[entity_id], "the configured preferred form"
    seen = counts.get(entity_id)
    if seen:
        form, n = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return form, f"this article writes '{form}' {n} time{'s' * (n != 1)}"
    default = next(e["default"] for e in _entities() if e["id"] == entity_id)
    return default, "the usual form"


def _in_prose(text: str, start: int, end: int) -> bool:
    """False inside URLs, e-mail addresses, hashtags, handles and file names."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before in _NOT_PROSE:
        return False
    if after in _NOT_PROSE:
        # a sentence-ending period or a colon followed by a space is still prose
        return after in ".:" and (end + 1 >= len(text) or text[end + 1].isspace())
    return True


@rule("N001", "lowercase-acronym", fix=Applicability.SAFE)
def lowercase_acronym(doc):
    """A country or organisation acronym written in lowercase ("usa authorities").

    Why: lowercasing is scraper or spinner damage; no newsroom writes "usa" or "nato". The
    fix uses the form the article itself uses elsewhere ("US" or "U.S."), else the usual
    one. The pronoun "us" is never flagged, nor forms inside URLs, e-mail addresses,
    hashtags and handles.

    Bad:  Reuters reported, citing a spokesman for the usa authorities.
    Good: Reuters reported, citing a spokesman for the US authorities.

    Fix safety: safe. Only the letter case (and dots) of the acronym change, to a form of the
    same entity the article already uses.
    """
    pattern, owner = _lowercase_pattern()
    text = doc.text
    matches = []
    for match in pattern.finditer(text):
        if _in_prose(text, match.start(), match.end()):
            matches.append(match)
    if not matches:
        return
    counts = abbreviation_counts(doc)
    prefer = doc.context.section("naming").get("prefer", {}) if doc.context else {}
    for match in matches:
        form, reason = preferred_form(owner[match.group()], counts, prefer)
        yield doc.finding(
            match.start(), match.end(),
            f"Lowercase acronym '{match.group()}'; write '{form}' ({reason})",
            fix=Fix.replace(match.start(), match.end(), form, f"Write '{form}'"),
        )


def _dict_of_str(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


# Config tables this family owns: [tool.articlelint.<section>] key -> (check, description)
SETTINGS = {
    "naming": {
        "prefer": (_dict_of_str, "a table of entity id = preferred form, e.g. {US = \"U.S.\"}"),
    },
}
