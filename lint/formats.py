"""File formats beyond plain text.

Markdown: front matter, fenced code blocks and HTML comments are not prose; the rules see the
text with those lines emptied (line numbers unchanged) and findings are mapped back.
``<!-- articlelint: disable=CODE[,CODE] -->`` / ``<!-- articlelint: enable[=CODE] -->`` switch
rules off and on for the lines between them (no codes: every rule).

JSONL: see :mod:`lint.jsonl`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Set, Tuple

from .diagnostics import Diagnostic
from .document import Document

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
_DIRECTIVE = re.compile(r"<!--\s*articlelint:\s*(disable|enable)(?:\s*=\s*([\w ,:-]+?))?\s*-->", re.I)
_ALL = "*"

MARKDOWN_EXTENSIONS = ("md", "markdown", "mdx")


def is_markdown(path: str) -> bool:
    return path.rsplit(".", 1)[-1].lower() in MARKDOWN_EXTENSIONS


@dataclass
class MarkdownView:
    text: str  # what the rules see
    view_starts: List[int]
    orig_starts: List[int]
    masked: List[Tuple[int, int]]  # (start, end) offsets of masked line content in the original
    disabled: List[Optional[Set[str]]]  # per line (0-based): selectors switched off there

    def to_original(self, offset: int) -> int:
        i = bisect_right(self.view_starts, offset) - 1
        return self.orig_starts[i] + (offset - self.view_starts[i])

    def _touches_masked(self, start: int, end: int) -> bool:
        return any(start < m_end and m_start < end for m_start, m_end in self.masked)

    def _suppressed(self, d: Diagnostic, line_index: int) -> bool:
        off = self.disabled[line_index] if line_index < len(self.disabled) else None
        if not off:
            return False
        return _ALL in off or d.rule in off or any(d.code.startswith(sel) for sel in off)

    def map_back(self, diagnostics: Sequence[Diagnostic], original: Document) -> List[Diagnostic]:
        from .diagnostics import Edit, Fix

        out = []
        for d in diagnostics:
            start, end = self.to_original(d.start), self.to_original(d.end)
            line, col = original.position(start)
            if self._suppressed(d, line - 1):
                continue
            end_line, end_col = original.position(end)
            fix, positions = d.fix, d.fix_positions
            if fix is not None:
                edits = tuple(Edit(self.to_original(e.start), self.to_original(e.end), e.content) for e in fix.edits)
                if any(self._touches_masked(e.start, e.end) for e in edits):
                    fix, positions = None, ()  # never let a fix reach into code or front matter
                else:
                    fix = Fix(fix.message, edits, fix.applicability)
                    positions = tuple(original.position(e.start) + original.position(e.end) for e in edits)
            out.append(replace(d, start=start, end=end, line=line, column=col, end_line=end_line,
                               end_column=end_col, fix=fix, fix_positions=positions))
        return out


def markdown_view(text: str) -> MarkdownView:
    lines = text.split("\n")
    keep: List[bool] = []
    disabled: List[Optional[Set[str]]] = []
    state: Set[str] = set()
    fence: Optional[str] = None
    front = bool(lines) and lines[0].strip() in ("---", "+++")
    front_marker = lines[0].strip() if front else None
    for i, line in enumerate(lines):
        if front:
            keep.append(False)
            disabled.append(set(state) or None)
            if i > 0 and line.strip() in (front_marker, "..."):
                front = False
            continue
        if fence is not None:
            keep.append(False)
            if line.strip().startswith(fence):
                fence = None
        elif _FENCE.match(line):
            fence = _FENCE.match(line).group(1)[:3]
            keep.append(False)
        elif _COMMENT_LINE.match(line):
            keep.append(False)
            for match in _DIRECTIVE.finditer(line):
                selectors = {s.strip() for s in (match.group(2) or "").split(",") if s.strip()} or {_ALL}
                selectors = {s if s == _ALL or "-" in s else s.upper() for s in selectors}
                if match.group(1).lower() == "disable":
                    state |= selectors
                elif _ALL in selectors:
                    state = set()
                else:
                    state -= selectors
        else:
            keep.append(True)
        disabled.append(set(state) or None)
    view_lines, view_starts, orig_starts, masked = [], [], [], []
    vpos = opos = 0
    for line, kept in zip(lines, keep):
        view_starts.append(vpos)
        orig_starts.append(opos)
        if kept:
            view_lines.append(line)
            vpos += len(line) + 1
        else:
            view_lines.append("")
            vpos += 1
            if line:
                masked.append((opos, opos + len(line)))
        opos += len(line) + 1
    return MarkdownView("\n".join(view_lines), view_starts, orig_starts, masked, disabled)
