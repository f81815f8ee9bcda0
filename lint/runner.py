"""Runs the engine over files: read, lint or fix, write back safely, collect results.

``process_source`` is a plain function of picklable arguments so a process pool (or a cluster
worker) can call it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .config import Settings
from .diagnostics import Diagnostic
from .engine import RuleCrash, check_text, fix_text, select_rules
from .files import BinaryFileError, FileError, SourceText, read_source, write_atomic


@dataclass(frozen=True)
class Mode:
    fix: bool = False
    unsafe: bool = False
    diff: bool = False  # compute the fix but write nothing; return a unified diff

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff


@dataclass
class FileResult:
    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    fixed: int = 0
    error: Optional[str] = None  # one line: file and reason
    note: Optional[str] = None  # e.g. a binary file skipped
    diff: str = ""
    written: bool = False
    text: Optional[str] = None  # the (fixed) text, for the full reporter and stdin
    changed: bool = False


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"a/{path}", tofile=f"b/{path}",
    ))


def process_source(source: SourceText, settings: Settings, mode: Mode, index: Any = None,
                   write: bool = True) -> FileResult:
    path = source.path
    result = FileResult(path, text=source.text)
    try:
        rules = select_rules(settings, path=path)
        if not mode.fixing:
            result.diagnostics = check_text(source.text, settings, path, index, rules)
            return result
        fixed = fix_text(source.text, settings, path, mode.unsafe, index, rules)
    except RuleCrash as exc:
        result.error = str(exc)
        return result
    if not fixed.converged:
        result.error = (f"{path}: fixes did not converge after repeated passes; rules "
                        f"{', '.join(fixed.fought)} keep rewriting each other's text; file left untouched")
        result.diagnostics = check_text(source.text, settings, path, index, rules)
        return result
    result.diagnostics = fixed.diagnostics
    result.fixed = fixed.fixed
    result.changed = fixed.text != source.text
    result.text = fixed.text
    if mode.diff:
        result.diff = unified_diff(path, source.text, fixed.text) if result.changed else ""
        result.fixed = 0
    elif result.changed and write:
        data = source.encode(fixed.text)
        write_atomic(path, data)
        result.written = True
    return result


def process_path(path: str, settings: Settings, mode: Mode, index: Any = None) -> FileResult:
    try:
        source = read_source(path)
    except BinaryFileError as exc:
        return FileResult(path, note=str(exc))
    except FileError as exc:
        return FileResult(path, error=str(exc))
    try:
        return process_source(source, settings, mode, index)
    except FileError as exc:
        return FileResult(path, error=str(exc))
