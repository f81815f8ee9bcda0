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
    except ImportError:  # pragma: no cover - orjson is a dependency; the standard library does the same, slower
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
                  title_field: Optional[str] = "title", jobs: int = 1) -> JsonlStats:
    """Lint (and optionally fix) every record of a JSONL file, passing diagnostics to ``sink``.

    With ``jobs`` > 1 the records go to worker processes in batches, a bounded number in flight,
    and come back in file order: memory stays flat and the output is the same as with one job.
    """
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
        job = _Job(path, settings, fix, unsafe, text_field, title_field, tuple(r.code for r in rules))
        if jobs > 1:
            _process_parallel(handle, job, jobs, index, sink, stats, out)
        else:
            loads = _loads()
            for number, raw in enumerate(handle, start=1):
                keep = _process_line(raw, number, job, rules, index, sink, stats, loads)
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


@dataclass(frozen=True)
class _Job:
    path: str
    settings: Settings
    fix: bool
    unsafe: bool
    text_field: str
    title_field: Optional[str]
    codes: tuple = ()  # the caller's rules, in order (workers look them up by code)


def _process_line(raw: bytes, number: int, job: _Job, rules: Sequence[Any], index: Any,
                  sink: Callable[[List[Diagnostic]], None], stats: JsonlStats, loads) -> bytes:
    """One line of the file: lint its record; the bytes to write back (the line itself unless fixed)."""
    loads, decode_error = loads
    body = raw.rstrip(b"\r\n")
    if not body.strip():
        return raw
    ending = raw[len(body):]
    try:
        line = body.decode("utf-8")
        record = loads(line)
    except UnicodeDecodeError as exc:
        stats.errors.append(f"{job.path}:{number}: invalid UTF-8 at byte {exc.start} of the record; line left untouched")
        return raw
    except decode_error as exc:
        stats.errors.append(f"{job.path}:{number}: malformed JSON record ({exc}); line left untouched")
        return raw
    if not isinstance(record, dict):
        stats.skipped += 1
        return raw
    return _process_record(record, line, ending, number, job.path, job.settings, job.fix, job.unsafe, rules, sink,
                           index, job.text_field, job.title_field, stats) or raw


# A batch is this many records or bytes, whichever comes first; 2 batches per worker are in flight.
BATCH_RECORDS = 64
BATCH_BYTES = 1 << 20


def _batches(handle):
    first, lines, size = 1, [], 0
    for number, raw in enumerate(handle, start=1):
        lines.append(raw)
        size += len(raw)
        if len(lines) >= BATCH_RECORDS or size >= BATCH_BYTES:
            yield first, lines
            first, lines, size = number + 1, [], 0
    if lines:
        yield first, lines


def _lint_batch(args):
    """Worker side: lint a batch of lines; (stats, bytes to write per line, diagnostics in order)."""
    job, first, lines = args
    from .registry import load_rules
    from .runner import _WORKER

    by_code = load_rules().by_code
    rules = [by_code[code] for code in job.codes]
    stats = JsonlStats()
    found: List[Diagnostic] = []
    loads = _loads()
    keeps = [_process_line(raw, number, job, rules, _WORKER.get("index"), found.extend, stats, loads)
             for number, raw in enumerate(lines, start=first)]
    return stats, [None if keep is raw else keep for keep, raw in zip(keeps, lines)], found


def _process_parallel(handle, job: _Job, jobs: int, index: Any, sink, stats: JsonlStats, out) -> None:
    from collections import deque

    from .runner import _pool

    pending: deque = deque()

    def drain() -> None:
        lines, future = pending.popleft()
        part, keeps, found = future.result()
        stats.records += part.records
        stats.changed += part.changed
        stats.fixed += part.fixed
        stats.skipped += part.skipped
        stats.diagnostics += part.diagnostics
        for error in part.errors:
            _add_error(stats, error)
        if found:
            sink(found)
        if out is not None:
            for raw, keep in zip(lines, keeps):
                out.write(raw if keep is None else keep)

    from concurrent.futures import BrokenExecutor

    try:
        with _pool(jobs, index) as pool:
            for first, lines in _batches(handle):
                pending.append((lines, pool.submit(_lint_batch, (job, first, lines))))
                if len(pending) >= 2 * jobs:
                    drain()
            while pending:
                drain()
    except BrokenExecutor:  # a worker was killed (out of memory, a crash in an extension)
        raise FileError(f"{job.path}: a worker process died while linting its records; file left untouched") from None


_FIRST_AT = " (first at record "


def _add_error(stats: JsonlStats, error: str) -> None:
    """Record an error; an outside failure (a grammar server down) only once per file."""
    if _FIRST_AT in error:
        head = error.split(_FIRST_AT, 1)[0]
        if any(e.startswith(head) for e in stats.errors):
            return
    stats.errors.append(error)


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
        _add_error(stats, f"{error}{_FIRST_AT}{number})")
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
