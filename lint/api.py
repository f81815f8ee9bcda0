"""The engine-free core API that workers call: one record (text, optional title) and settings in,
diagnostics and fixed text out. The JSONL reader, the datatrove steps and Spark jobs use it.

    from lint.api import lint_record
    result = lint_record(text, title="Headline", fix=True)
    result.text, result.title, result.diagnostics

Settings are picklable and rules are loaded once per process, so a worker can call this for
millions of records.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, List, Optional, Sequence

from .config import Settings
from .diagnostics import Diagnostic, Edit, Fix
from .document import Document
from .engine import check_text, fix_text, select_rules

SEPARATOR = "\n\n"


@dataclass
class RecordResult:
    diagnostics: List[Diagnostic]  # line/column inside the field named in each diagnostic's `field`
    text: str  # the (fixed) text
    title: Optional[str]  # the (fixed) title, or None
    fixed: int = 0  # fixes applied
    errors: List[str] = field(default_factory=list)  # outside failures of rules (RuleFileError)

    @property
    def changed(self) -> bool:
        return self.fixed > 0


def compose(text: str, title: Optional[str]):
    """(text the rules see, offset of the body in it, title or None).

    The rules see the title as the article's first line, so title-aware rules (a headline
    repeated in the body, a title fragment) work on records as on files.
    """
    if isinstance(title, str) and title.strip() and "\n" not in title:
        return title + SEPARATOR + text, len(title) + len(SEPARATOR), title
    return text, 0, None


def to_field(d: Diagnostic, body_offset: int, title: Optional[str], composed: str, record: Optional[int],
             text_field: str = "text", title_field: Optional[str] = "title") -> Diagnostic:
    """Re-express a diagnostic on the composed text in the coordinates of one field."""
    in_title = title is not None and d.start < body_offset
    base = 0 if in_title else body_offset
    field_text = title if in_title else composed[body_offset:]
    doc = Document(field_text)
    clamp = lambda o: min(max(o - base, 0), len(field_text))
    start, end = clamp(d.start), clamp(d.end)
    line, col = doc.position(start)
    end_line, end_col = doc.position(end)
    fix, positions = d.fix, d.fix_positions
    if fix is not None:
        title_end = body_offset - len(SEPARATOR)
        same_field = all((e.end <= title_end) if in_title else (e.start >= body_offset) for e in fix.edits)
        if same_field:
            moved = tuple(Edit(clamp(e.start), clamp(e.end), e.content) for e in fix.edits)
            fix = Fix(fix.message, moved, fix.applicability)
            positions = tuple(doc.position(e.start) + doc.position(e.end) for e in moved)
        else:  # an edit across the title/body seam cannot be written back
            fix, positions = None, ()
    extra = (("field", title_field if in_title else text_field),)
    if record is not None:
        extra = (("record", record),) + extra
    return replace(d, start=start, end=end, line=line, column=col, end_line=end_line, end_column=end_col,
                   fix=fix, fix_positions=positions, extra=extra)


def lint_record(text: str, title: Optional[str] = None, settings: Optional[Settings] = None, *,
                fix: bool = False, unsafe: bool = False, index: Any = None, path: str = "<record>",
                record: Optional[int] = None, text_field: str = "text", title_field: Optional[str] = "title",
                rules: Optional[Sequence[Any]] = None) -> RecordResult:
    """Lint (and with ``fix`` fix) one record. Diagnostics are in field coordinates."""
    settings = settings or Settings()
    rules = select_rules(settings, path=path) if rules is None else rules
    errors: List[str] = []
    composed, body_offset, shown_title = compose(text, title)
    new_text, new_title, fixed = text, title, 0
    if fix:
        result = fix_text(composed, settings, path, unsafe, index, rules, errors=errors)
        diagnostics = result.diagnostics
        if result.converged and result.text != composed:
            if shown_title is None:
                new_text, fixed, composed = result.text, result.fixed, result.text
            else:
                head, sep, rest = result.text.partition(SEPARATOR)
                if sep and "\n" not in head:
                    new_title, new_text, fixed, composed = head, rest, result.fixed, result.text
                    shown_title, body_offset = head, len(head) + len(SEPARATOR)
                else:  # a fix ran across the title: leave the record as it was
                    diagnostics = check_text(composed, settings, path, index, rules, errors=errors)
    else:
        diagnostics = check_text(composed, settings, path, index, rules, errors=errors)
    mapped = [to_field(d, body_offset, shown_title, composed, record, text_field, title_field or "title")
              for d in diagnostics]
    return RecordResult(mapped, new_text, new_title, fixed, errors)
