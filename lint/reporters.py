"""Output formats. Each reporter writes diagnostics for a whole run to a text stream.

JSON contract (stable; CI tools parse it): one object per finding with ``path``, ``line``,
``column``, ``end_line``, ``end_column`` (1-based, end exclusive, columns in code points),
``code``, ``rule``, ``message``, ``severity`` and ``fix`` (null or applicability, message, edits).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Callable, Dict, List, Optional, Sequence, TextIO

from .diagnostics import Applicability, Diagnostic


def diagnostic_to_dict(d: Diagnostic) -> Dict[str, Any]:
    out: Dict[str, Any] = {"path": d.path}
    out.update(d.extra)
    out.update({
        "line": d.line, "column": d.column, "end_line": d.end_line, "end_column": d.end_column,
        "code": d.code, "rule": d.rule, "message": d.message, "severity": d.severity.value,
        "fix": None,
    })
    if d.fix is not None:
        out["fix"] = {
            "applicability": d.fix.applicability.value,
            "message": d.fix.message,
            "edits": [
                {"line": p[0], "column": p[1], "end_line": p[2], "end_column": p[3], "content": e.content}
                for e, p in zip(d.fix.edits, d.fix_positions)
            ],
        }
    return out


def _location(d: Diagnostic) -> str:
    record = dict(d.extra).get("record")
    where = f"{d.path}:{record}" if record is not None else d.path
    field = dict(d.extra).get("field")
    if field is not None:
        where += f"[{field}]"
    return f"{where}:{d.line}:{d.column}"


def _mark(d: Diagnostic) -> str:
    if d.fix is None:
        return ""
    return "[*] " if d.fix.applicability is Applicability.SAFE else "[-] "


def report_concise(diagnostics: Sequence[Diagnostic], out: TextIO, **_: Any) -> None:
    for d in diagnostics:
        out.write(f"{_location(d)}: {d.code} {_mark(d)}{d.message}\n")


def report_full(diagnostics: Sequence[Diagnostic], out: TextIO, sources: Optional[Dict[str, str]] = None,
                **_: Any) -> None:
    """Each finding with its source line, a caret underline and the fix on offer."""
    sources = sources or {}
    for d in diagnostics:
        out.write(f"{_location(d)}: {d.code} [{d.rule}] {d.message}\n")
        text = sources.get(d.path)
        if text is not None and dict(d.extra).get("record") is None:
            lines = text.split("\n")
            if 0 < d.line <= len(lines):
                src = lines[d.line - 1]
                width = (d.end_column - d.column) if d.end_line == d.line else len(src) - d.column + 1
                gutter = f"{d.line:>4} | "
                out.write(f"{gutter}{src}\n{' ' * len(gutter)}{' ' * (d.column - 1)}{'^' * max(width, 1)}\n")
        if d.fix is not None:
            how = "--fix" if d.fix.applicability is Applicability.SAFE else "--unsafe-fixes"
            out.write(f"  = fix ({how}): {d.fix.message}\n")
        out.write("\n")


def report_json(diagnostics: Sequence[Diagnostic], out: TextIO, **_: Any) -> None:
    json.dump([diagnostic_to_dict(d) for d in diagnostics], out, ensure_ascii=False, indent=2)
    out.write("\n")


def report_jsonl(diagnostics: Sequence[Diagnostic], out: TextIO, **_: Any) -> None:
    for d in diagnostics:
        out.write(json.dumps(diagnostic_to_dict(d), ensure_ascii=False) + "\n")


REPORTERS: Dict[str, Callable[..., None]] = {
    "concise": report_concise,
    "full": report_full,
    "json": report_json,
    "jsonl": report_jsonl,
}
TEXT_FORMATS = ("concise", "full")


def summary(diagnostics: Sequence[Diagnostic], fixed: int = 0) -> List[str]:
    lines = []
    if fixed:
        lines.append(f"Fixed {fixed} finding{'s' * (fixed != 1)}.")
    if diagnostics:
        safe = sum(1 for d in diagnostics if d.fix and d.fix.applicability is Applicability.SAFE)
        unsafe = sum(1 for d in diagnostics if d.fix and d.fix.applicability is Applicability.UNSAFE)
        n = len(diagnostics)
        line = f"Found {n} finding{'s' * (n != 1)}"
        extras = []
        if safe:
            extras.append(f"{safe} fixable with --fix")
        if unsafe:
            extras.append(f"{unsafe} more with --unsafe-fixes")
        lines.append(line + (f" ({'; '.join(extras)})" if extras else "") + ".")
    elif not fixed:
        lines.append("All checks passed.")
    return lines


def statistics(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    counts = Counter((d.code, d.rule) for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if d.fix and d.fix.applicability is Applicability.SAFE)
    for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0])):
        mark = "[*]" if fixable[code] else "   "
        out.write(f"{n:>6}  {code:<6} {mark} {name}\n")
