"""W: whitespace and punctuation damage."""

from __future__ import annotations

import re

from lint import Applicability, Fix, rule

from ._data import load

_DATA = load("spacing")
_SUFFIXES = frozenset(_DATA["space_before_hyphen"]["suffixes"])
# A word or a dotted abbreviation ("U.S."), spaces, then a hyphen glued to a lowercase tail.
SPACE_BEFORE_HYPHEN = re.compile(r"(?:\b\w+|(?<![\w.])(?:[A-Z]\.){2,})([ \t]+)-([A-Za-z][a-z]+)\b(?!-)")


def _is_compound_tail(tail: str) -> bool:
    tail = tail.lower()
    return tail in _SUFFIXES or (len(tail) > 3 and tail.endswith("ed"))


@rule("W001", "space-before-hyphen", fix=Applicability.SAFE)
def space_before_hyphen(doc):
    """A stray space splits a hyphenated compound ("US -backed" for "US-backed").

    Why: scrapers and spinners break compounds such as "US-backed" or "Saudi-led" when they
    re-join words. Only a hyphen glued to a compound tail ("-backed", "-led", "-run", any
    "-ed" participle) counts, so dashes (" - "), negative numbers and suspended hyphens
    ("Russian- or Iranian-backed") are left alone.

    Bad:  clashes between US -backed forces and pro-regime forces
    Good: clashes between US-backed forces and Russian- or Iranian-backed forces

    Fix safety: safe. Only the space is removed; the words are kept.
    """
    for line in doc.lines:
        if " -" not in line.text and "\t-" not in line.text:
            continue
        for match in SPACE_BEFORE_HYPHEN.finditer(line.text):
            tail = match.group(2)
            if not _is_compound_tail(tail):
                continue
            start = line.start + match.start(1)
            end = line.start + match.end(2)
            head = match.group(0)[: match.start(1) - match.start()]
            yield doc.finding(
                line.start + match.start(), end,
                f"Stray space inside the compound '{head} -{tail}'; write '{head}-{tail}'",
                fix=Fix.replace(start, line.start + match.end(1), "", f"Remove the space: '{head}-{tail}'"),
            )
