"""The document model shared by every rule: text, lines, title, paragraphs, sentences, words.

Everything beyond the line table is computed lazily, once, on first use, so a rule family
that only looks at lines never pays for sentence splitting.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from operator import add
from typing import Any, Iterator, List, NamedTuple, Optional, Tuple

from .diagnostics import Applicability, Edit, Finding, Fix, Severity


class Line(NamedTuple):
    number: int  # 1-based
    start: int  # offset of the first character
    end: int  # offset just past the last character, newline excluded
    text: str

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


class Span(NamedTuple):
    # NamedTuples, not dataclasses: a document has thousands of words and building them is hot.
    start: int
    end: int
    text: str


# Abbreviations after which a period does not end a sentence (lowercased, without the period).
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen maj lt col capt sgt cpl adm cmdr sen rep gov pres rev st jr sr
    gen brig hon fr messrs mme mlle no nos vol vs etc inc co corp ltd llc dept est fig approx
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    u.s u.k u.n e.u u.s.a d.c a.m p.m ph.d i.e e.g al""".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"\w+(?:['’.\-]\w+)*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class Document:
    """One article. ``text`` uses ``\\n`` line breaks (the reader converts CRLF and back)."""

    def __init__(self, text: str, path: str = "<text>", context: Any = None):
        self.text = text
        self.path = path
        #: Run-wide context (settings, corpus index); set by the engine.
        self.context = context
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._line_starts = starts

    def release(self) -> None:
        """Drop everything computed from the text (lines, sentences, the caches rules keep on the
        document). The owner of a document calls it when the document's check is over: rule caches
        can refer back to the document, and that cycle would otherwise keep all of it alive until
        the garbage collector's next full scan. The document stays usable (it recomputes)."""
        kept = {"text": self.text, "path": self.path, "context": self.context, "_line_starts": self._line_starts}
        self.__dict__.clear()
        self.__dict__.update(kept)

    # -- lines ------------------------------------------------------------------------------
    @cached_property
    def lines(self) -> List[Line]:
        texts = self.text.split("\n")
        starts = self._line_starts
        return list(map(Line._make, zip(range(1, len(texts) + 1), starts, map(add, starts, map(len, texts)), texts)))

    def line_at(self, offset: int) -> Line:
        return self.lines[bisect_right(self._line_starts, offset) - 1]

    def position(self, offset: int) -> Tuple[int, int]:
        """1-based (line, column) of an offset; columns count code points."""
        index = bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    @cached_property
    def title(self) -> Optional[Line]:
        """The first non-empty line: scraped articles carry their headline there."""
        for line in self.lines:
            if not line.is_blank:
                return line
        return None

    @cached_property
    def body_lines(self) -> List[Line]:
        """Non-blank lines after the title."""
        title = self.title
        if title is None:
            return []
        return [line for line in self.lines[title.number:] if not line.is_blank]

    # -- paragraphs, sentences, words ------------------------------------------------------
    @cached_property
    def paragraphs(self) -> List[Span]:
        """Blocks separated by blank lines; in a block of long unwrapped lines, each line.

        Scrapes often put one paragraph per line with no blank line between them, while
        hand-wrapped text continues a paragraph over short lines.
        """
        out: List[Span] = []
        text = self.text
        pos = 0
        for match in _PARAGRAPH_BREAK.finditer(text + "\n\n"):
            block_end = min(match.start(), len(text))
            if pos < block_end:
                self._split_block(pos, block_end, out)
            pos = match.end()
        return out

    def _split_block(self, start: int, end: int, out: List[Span]) -> None:
        block = self.text[start:end]
        rows = block.split("\n")
        wrapped = len(rows) > 1 and sum(len(r) for r in rows[:-1]) / (len(rows) - 1) < 100 and not any(
            r.rstrip().endswith((".", "!", "?", '"', "”", ":")) for r in rows[:-1]
        )
        if len(rows) == 1 or wrapped:
            stripped = block.strip()
            if stripped:
                lead = len(block) - len(block.lstrip())
                out.append(Span(start + lead, start + lead + len(stripped), stripped))
            return
        offset = start
        for row in rows:
            stripped = row.strip()
            if stripped:
                lead = len(row) - len(row.lstrip())
                out.append(Span(offset + lead, offset + lead + len(stripped), stripped))
            offset += len(row) + 1

    @cached_property
    def sentences(self) -> List[Span]:
        """Sentence spans inside paragraphs (a fast rule-based splitter that knows news abbreviations)."""
        out: List[Span] = []
        for para in self.paragraphs:
            out.extend(split_sentences(para.text, para.start))
        return out

    @cached_property
    def words(self) -> List[Span]:
        return [Span(*m.span(), m.group()) for m in _WORD.finditer(self.text)]

    @cached_property
    def word_count(self) -> int:
        """Number of whitespace-separated words: a cheap size measure (no tokens are built)."""
        return len(self.text.split())

    # -- helpers for rules -----------------------------------------------------------------
    def finding(self, start: int, end: int, message: str, fix: Optional[Fix] = None,
                severity: Optional[Severity] = None) -> Finding:
        return Finding(start, end, message, fix, severity)

    def delete_line_fix(self, line: Line, message: str = "Delete the line",
                        applicability: Applicability = Applicability.SAFE) -> Fix:
        """Delete a whole line with its line break, and one blank line that separated it.

        Deleting "More news: ..." from "para\\n\\nMore news: ...\\n\\npara" leaves "para\\n\\npara".
        """
        lines, text = self.lines, self.text
        start, end = line.start, line.end
        if end < len(text):  # take the line break after it
            end += 1
            nxt = line.number  # index of the next line
            if nxt < len(lines) and lines[nxt].is_blank and (
                line.number < 2 or lines[line.number - 2].is_blank
            ):
                # a blank line on both sides: remove one of them too
                end = lines[nxt].end + (1 if lines[nxt].end < len(text) else 0)
        elif start > 0:  # last line without a final newline: take the break before it
            start -= 1
            prev = line.number - 2
            if prev >= 0 and lines[prev].is_blank and prev > 0:
                start = lines[prev].start - 1
        return Fix(message, (Edit(start, end, ""),), applicability)

    def iter_matches(self, pattern: "re.Pattern[str]", lines: Optional[List[Line]] = None) -> Iterator[Tuple[Line, "re.Match[str]"]]:
        for line in self.lines if lines is None else lines:
            for match in pattern.finditer(line.text):
                yield line, match


def split_sentences(text: str, base: int = 0) -> List[Span]:
    """Split one paragraph into sentence spans (offsets shifted by ``base``)."""
    out: List[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith(".") and len(match.group().rstrip("\"'”’)]")) == 1:
            # a single period: not an end after an abbreviation or an initial ("J. Smith")
            head = text[start:match.start()]
            token = head.rsplit(None, 1)[-1] if head.strip() else ""
            token = token.lstrip("(\"'“‘[")
            bare = token.lower()
            if bare in _ABBREVIATIONS or (len(token) == 1 and token.isupper()):
                continue
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append(Span(base + start + lead, base + end, piece.strip()))
        start = end
    piece = text[start:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        out.append(Span(base + start + lead, base + start + lead + len(piece.strip()), piece.strip()))
    return out
