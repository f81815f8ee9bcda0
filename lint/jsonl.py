"""JSON Lines datasets: each line a record whose text field (and optional title field) is linted.

Records are streamed one at a time, so memory stays flat whatever the file size. Diagnostics
carry ``record`` (1-based line of the file) and ``field``, with line and column inside that
field's text. ``--fix`` rewrites only the records that changed (other lines are copied byte for
byte; a changed record keeps every other field and the key order) and replaces the file
atomically. Malformed lines are reported with their line number and left as they are.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .config import Settings
from .diagnostics import Diagnostic, Edit, Fix
from .document import Document
from .engine import check_text, fix_text
from .files import FileError

JSONL_EXTENSIONS = ("jsonl", "ndjson")
SEPARATOR = "\n\n"


def is_jsonl(path: str) -> bool:
    return path.rsplit(".", 1)[-1].lower() in JSONL_EXTENSIONS


def _loads():
    try:
        import orjson

        return orjson.loads, orjson.JSONDecodeError
    except ImportError:  # orjson is optional: the standard library does the same, slower
        return json.loads, json.JSONDecodeError


@dataclass
class JsonlStats:
    records: int = 0
    changed: int = 0
    fixed: int = 0
    skipped: int = 0  # records without a string text field
    errors: List[str] = field(default_factory=list)
    rule_errors: List[str] = field(default_factory=list)
    diagnostics: int = 0


def _compose(record: Dict[str, Any], text_field: str, title_field: Optional[str]) -> Optional[Tuple[str, int, Optional[str]]]:
    """(text the rules see, offset of the body in it, title or None)."""
    body = record.get(text_field)
    if not isinstance(body, str):
        return None
    title = record.get(title_field) if title_field else None
    if isinstance(title, str) and title.strip() and "\n" not in title:
        return title + SEPARATOR + body, len(title) + len(SEPARATOR), title
    return body, 0, None


def _to_field(d: Diagnostic, body_offset: int, title: Optional[str], composed: str, record_no: int,
              text_field: str, title_field: Optional[str]) -> Diagnostic:
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
    extra = (("record", record_no), ("field", title_field if in_title else text_field))
    return replace(d, start=start, end=end, line=line, column=col, end_line=end_line, end_column=end_col,
                   fix=fix, fix_positions=positions, extra=extra)


def _dumps_like(record: Dict[str, Any], original: str) -> str:
    """Serialise a changed record in the style of its original line (separators, escaping)."""
    compact = '": ' not in original and '", ' not in original
    ascii_only = original.isascii() and "\\u" in original
    separators = (",", ":") if compact else (", ", ": ")
    return json.dumps(record, ensure_ascii=ascii_only, separators=separators)


def process_jsonl(path: str, settings: Settings, fix: bool, unsafe: bool, write: bool, rules: Sequence[Any],
                  sink: Callable[[List[Diagnostic]], None], index: Any = None, text_field: str = "text",
                  title_field: Optional[str] = "title") -> JsonlStats:
    """Lint (and optionally fix) every record of a JSONL file, passing diagnostics to ``sink``."""
    loads, decode_error = _loads()
    stats = JsonlStats()
    out = None
    tmp_path = None
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise FileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        if fix and write:
            directory = os.path.dirname(os.path.abspath(path))
            fd, tmp_path = tempfile.mkstemp(prefix=".articlelint-", suffix=".tmp", dir=directory)
            out = os.fdopen(fd, "wb")
        for number, raw in enumerate(handle, start=1):
            keep = raw
            body = raw.rstrip(b"\r\n")
            ending = raw[len(body):]
            if body.strip():
                try:
                    line = body.decode("utf-8")
                    record = loads(line)
                except UnicodeDecodeError as exc:
                    stats.errors.append(f"{path}:{number}: invalid UTF-8 at byte {exc.start} of the record; line left untouched")
                    record = None
                except decode_error as exc:
                    stats.errors.append(f"{path}:{number}: malformed JSON record ({exc}); line left untouched")
                    record = None
                if isinstance(record, dict):
                    keep = _process_record(record, line, ending, number, path, settings, fix, unsafe, rules, sink,
                                           index, text_field, title_field, stats) or raw
                elif record is not None:
                    stats.skipped += 1
            if out is not None:
                out.write(keep)
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
            out.close()
            out = None
            if stats.changed:
                try:
                    os.chmod(tmp_path, os.stat(path).st_mode & 0o7777)
                except OSError:
                    pass
                os.replace(tmp_path, path)
                tmp_path = None
    finally:
        handle.close()
        if out is not None:
            out.close()
        if tmp_path is not None and os.path.exists(tmp_path):
            os.unlink(tmp_path)
    return stats


def _process_record(record, line, ending, number, path, settings, fix, unsafe, rules, sink, index,
                    text_field, title_field, stats) -> Optional[bytes]:
    composed = _compose(record, text_field, title_field)
    if composed is None:
        stats.skipped += 1
        return None
    text, body_offset, title = composed
    stats.records += 1
    new_line = None
    if fix:
        result = fix_text(text, settings, path, unsafe, index, rules, errors=stats.rule_errors)
        diagnostics = result.diagnostics
        if result.converged and result.text != text:
            new_title, new_body = title, result.text
            if title is not None:
                head, sep, rest = result.text.partition(SEPARATOR)
                if not sep or "\n" in head:
                    diagnostics = check_text(text, settings, path, index, rules, errors=stats.rule_errors)
                    new_body = None  # a fix ran across the title: leave the record alone
                else:
                    new_title, new_body = head, rest
            if new_body is not None:
                record[text_field] = new_body
                if title is not None:
                    record[title_field] = new_title
                stats.changed += 1
                stats.fixed += result.fixed
                new_line = (_dumps_like(record, line)).encode("utf-8") + (ending or b"")
        # diagnostics are relative to the fixed text
        text = result.text if new_line is not None else text
        if title is not None and new_line is not None:
            body_offset = len(record[title_field]) + len(SEPARATOR)
            title = record[title_field]
    else:
        diagnostics = check_text(text, settings, path, index, rules, errors=stats.rule_errors)
    if stats.rule_errors:  # an outside failure (e.g. a grammar server): report it once per file
        for line in stats.rule_errors:
            message = f"{line} (first at record {number})"
            if not any(e.startswith(line) for e in stats.errors):
                stats.errors.append(message)
        stats.rule_errors.clear()
    if diagnostics:
        mapped = [_to_field(d, body_offset, title, text, number, text_field, title_field) for d in diagnostics]
        stats.diagnostics += len(mapped)
        sink(mapped)
    return new_line
