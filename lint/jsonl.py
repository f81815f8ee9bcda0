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
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence

from .api import lint_record
from .config import Settings
from .diagnostics import Diagnostic
from .files import FileError

JSONL_EXTENSIONS = ("jsonl", "ndjson")


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
    diagnostics: int = 0


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
            import tempfile

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
    text = record.get(text_field)
    if not isinstance(text, str):
        stats.skipped += 1
        return None
    title = record.get(title_field) if title_field else None
    stats.records += 1
    result = lint_record(text, title if isinstance(title, str) else None, settings, fix=fix, unsafe=unsafe,
                         index=index, path=path, record=number, text_field=text_field,
                         title_field=title_field, rules=rules)
    for error in result.errors:  # an outside failure (e.g. a grammar server): report it once per file
        if not any(e.startswith(error) for e in stats.errors):
            stats.errors.append(f"{error} (first at record {number})")
    new_line = None
    if result.fixed:
        record[text_field] = result.text
        if result.title is not None and title_field:
            record[title_field] = result.title
        stats.changed += 1
        stats.fixed += result.fixed
        new_line = _dumps_like(record, line).encode("utf-8") + (ending or b"")
    if result.diagnostics:
        stats.diagnostics += len(result.diagnostics)
        sink(result.diagnostics)
    return new_line
