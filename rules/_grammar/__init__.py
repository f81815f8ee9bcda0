"""Grammar back-ends for the G rules: one small interface, two engines.

Each engine turns a text into :class:`Issue` objects with code-point offsets into that text.
Engines are imported lazily (LanguageTool's client is GPL-3.0 and lives only in the optional
``articlelint[grammar]`` extra; harper-py is a compiled extension that takes a second to load).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import List, Sequence, Tuple


class BackendError(Exception):
    """The engine failed for this text (server down, slow, garbage): one line, no traceback."""


@dataclass(frozen=True)
class Issue:
    start: int  # code points, end exclusive
    end: int
    rule_id: str  # the engine's own, stable rule id
    message: str
    replacements: Tuple[str, ...] = ()
    category: str = ""
    misspelling: bool = False


class Utf16Map:
    """Maps UTF-16 code-unit offsets (Java's String indices, as LanguageTool reports them)
    to Python code-point offsets. Text without astral characters (emoji, rare CJK) maps 1:1."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # code-point index of every astral character: each one takes two UTF-16 units
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        # the UTF-16 offset at which each astral character starts
        self.astral16 = [i + n for n, i in enumerate(self.astral)]

    def to_code_points(self, unit: int) -> int:
        if not self.astral:
            return max(0, min(unit, self.length))
        # astral characters starting before this unit offset each count one extra unit;
        # an offset inside a surrogate pair rounds down to the start of its character
        before = bisect_right(self.astral16, unit - 1)
        point = unit - before
        if before and self.astral16[before - 1] == unit - 1:
            point = self.astral[before - 1]
        return max(0, min(point, self.length))


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF) if not text.isascii() else len(text)


def chunks(text: str, limit: int) -> List[Tuple[int, str]]:
    """Split ``text`` into (code-point offset, piece) pairs of at most ``limit`` UTF-16 units,
    cutting at paragraph breaks, then sentence ends, then spaces, and only as a last resort
    inside a word. The pieces concatenate back to ``text``."""
    out: List[Tuple[int, str]] = []
    start = 0
    n = len(text)
    while start < n:
        if utf16_length(text[start:start + limit]) <= limit and start + limit >= n:
            out.append((start, text[start:]))
            break
        window = text[start:start + limit]
        while utf16_length(window) > limit:  # astral characters count twice
            window = window[: max(1, len(window) - (utf16_length(window) - limit))]
        cut = _cut_point(window)
        out.append((start, text[start:start + cut]))
        start += cut
    return out


def _cut_point(window: str) -> int:
    half = len(window) // 2  # do not cut a long window into a tiny first piece
    for marks in (("\n\n",), ("\n",), (". ", "? ", "! ", '." ', ".\u201d "), (" ",)):
        best = max((window.rfind(m) for m in marks), default=-1)
        if best >= half or (best > 0 and marks == (" ",)):
            mark = next(m for m in marks if window.rfind(m) == best)
            return best + len(mark)
    return len(window)


def merge(parts: Sequence[Tuple[int, List[Issue]]]) -> List[Issue]:
    """Shift each chunk's issues by the chunk's offset and sort them."""
    out = []
    for offset, issues in parts:
        for i in issues:
            out.append(Issue(i.start + offset, i.end + offset, i.rule_id, i.message, i.replacements,
                             i.category, i.misspelling))
    out.sort(key=lambda i: (i.start, i.end, i.rule_id))
    return out
