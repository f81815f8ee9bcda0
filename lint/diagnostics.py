"""Diagnostics, fixes and edits: what a rule reports and how it proposes to change the text.

Offsets are code-point indexes into the document text (a Python ``str``), end exclusive.
Line and column numbers are derived from them only when a diagnostic is reported.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional, Tuple


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(str, enum.Enum):
    """How far a fix can be trusted.

    SAFE: no reader could disagree with it; applied by ``--fix``.
    UNSAFE: a likely but not certain repair (a guess); applied only with ``--unsafe-fixes``.
    NONE: used in rule metadata for rules that never propose a fix.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    NONE = "none"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``content`` (an insertion when start == end)."""

    start: int
    end: int
    content: str = ""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad edit span {self.start}..{self.end}")


@dataclass(frozen=True)
class Fix:
    message: str
    edits: Tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE

    @classmethod
    def replace(cls, start: int, end: int, content: str, message: str,
                applicability: Applicability = Applicability.SAFE) -> "Fix":
        return cls(message, (Edit(start, end, content),), applicability)

    @property
    def span(self) -> Tuple[int, int]:
        return min(e.start for e in self.edits), max(e.end for e in self.edits)


@dataclass(frozen=True)
class Finding:
    """What a rule yields: a span of the document, a message and an optional fix.

    The engine turns findings into :class:`Diagnostic` objects, adding the rule's code, name,
    severity and the file path, so rules never repeat their own metadata.
    """

    start: int
    end: int
    message: str
    fix: Optional[Fix] = None
    severity: Optional[Severity] = None  # overrides the rule's default when set
    # For rules that front an external engine: a finer code under the rule's own
    # (e.g. "G:LT:MORFOLOGIK_RULE_EN_US" under "G:LT"); selection still uses the rule's code.
    code: Optional[str] = None


class RuleUnavailable(Exception):
    """A selected rule cannot run at all (e.g. no grammar backend): the run stops with exit 2."""


class RuleFileError(Exception):
    """A rule failed for one document for an outside reason (e.g. a server that is down): the
    file gets an error line and the other rules' findings are still reported."""


@dataclass(frozen=True)
class Diagnostic:
    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    message: str
    severity: Severity
    fix: Optional[Fix] = None
    # Positions of the fix edits, (line, column, end_line, end_column), for reporters.
    fix_positions: Tuple[Tuple[int, int, int, int], ...] = field(default=(), compare=False)
    # Extra location fields for records of JSONL datasets (record number, field name).
    extra: Tuple[Tuple[str, object], ...] = field(default=(), compare=False)
    # The flagged text, used by baselines to match findings without line numbers.
    snippet: str = field(default="", compare=False)

    def sort_key(self):
        return (self.path, dict(self.extra).get("record", 0), self.start, self.code)
