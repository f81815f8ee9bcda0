"""Output formats. A reporter receives the diagnostics one file at a time (so a huge JSONL
dataset streams through) and writes to a text stream.

JSON contract (stable; CI tools parse it): one object per finding with ``path``, ``line``,
``column``, ``end_line``, ``end_column`` (1-based, end exclusive, columns in code points),
``code``, ``rule``, ``message``, ``severity`` and ``fix`` (null or applicability, message, edits).
Findings in JSONL datasets also carry ``record`` (line of the file) and ``field``.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Dict, List, Optional, Sequence, TextIO

from .diagnostics import Applicability, Diagnostic, Severity


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


def _record(d: Diagnostic):
    return dict(d.extra).get("record") if d.extra else None


def _location(d: Diagnostic) -> str:
    extra = dict(d.extra)
    if "record" in extra:
        return f"{d.path}:{extra['record']}[{extra.get('field')}]:{d.line}:{d.column}"
    return f"{d.path}:{d.line}:{d.column}"


def _mark(d: Diagnostic) -> str:
    if d.fix is None:
        return ""
    return "[*] " if d.fix.applicability is Applicability.SAFE else "[-] "


class Reporter:
    """Base: ``file()`` is called once per linted file, in order; ``finish()`` once at the end."""

    text_summary = False  # whether the CLI may print its human summary on the same stream
    wants_text = False  # whether file() needs the file's text (to show source lines)

    def __init__(self, out: TextIO, rules: Sequence[Any] = ()):
        self.out = out
        self.rules = list(rules)
        self.count = 0

    def file(self, path: str, diagnostics: Sequence[Diagnostic], text: Optional[str] = None) -> None:
        self.count += len(diagnostics)
        for d in diagnostics:
            self.emit(d, text)

    def emit(self, d: Diagnostic, text: Optional[str]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def finish(self) -> None:
        pass


class ConciseReporter(Reporter):
    text_summary = True

    def emit(self, d, text):
        self.out.write(f"{_location(d)}: {d.code} {_mark(d)}{d.message}\n")


class FullReporter(Reporter):
    """Each finding with its source line, a caret underline and the fix on offer."""

    text_summary = True
    wants_text = True

    def emit(self, d, text):
        self.out.write(f"{_location(d)}: {d.code} [{d.rule}] {d.message}\n")
        if text is not None and _record(d) is None:
            lines = text.split("\n")
            if 0 < d.line <= len(lines):
                src = lines[d.line - 1]
                width = (d.end_column - d.column) if d.end_line == d.line else len(src) - d.column + 1
                gutter = f"{d.line:>4} | "
                self.out.write(f"{gutter}{src}\n{' ' * len(gutter)}{' ' * (d.column - 1)}{'^' * max(width, 1)}\n")
        if d.fix is not None:
            how = "--fix" if d.fix.applicability is Applicability.SAFE else "--unsafe-fixes"
            self.out.write(f"  = fix ({how}): {d.fix.message}\n")
        self.out.write("\n")


class JsonReporter(Reporter):
    def __init__(self, out, rules=()):
        super().__init__(out, rules)
        self.first = True
        out.write("[")

    def emit(self, d, text):
        self.out.write(("\n  " if self.first else ",\n  ") + json.dumps(diagnostic_to_dict(d), ensure_ascii=False))
        self.first = False

    def finish(self):
        self.out.write("]\n" if self.first else "\n]\n")


class JsonLinesReporter(Reporter):
    def emit(self, d, text):
        self.out.write(json.dumps(diagnostic_to_dict(d), ensure_ascii=False) + "\n")


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: one annotation per finding."""

    LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

    def emit(self, d, text):
        record = _record(d)
        if record is not None:  # a JSONL record: annotate the record's line of the file
            where = f"file={_gh_escape(d.path, True)},line={record}"
            message = f"[{dict(d.extra).get('field')} {d.line}:{d.column}] {d.message}"
        else:
            where = (f"file={_gh_escape(d.path, True)},line={d.line},col={d.column},"
                     f"endLine={d.end_line},endColumn={d.end_column}")
            message = d.message
        self.out.write(f"::{self.LEVEL[d.severity]} {where},title={_gh_escape(d.code + ' ' + d.rule, True)}::"
                       f"{_gh_escape(message)}\n")


class SarifReporter(Reporter):
    """SARIF 2.1.0 for code scanning: rules with their help, results with regions, safe fixes."""

    LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

    def __init__(self, out, rules=()):
        super().__init__(out, rules)
        self.results: List[Dict[str, Any]] = []
        self.index = {r.code: i for i, r in enumerate(self.rules)}

    def emit(self, d, text):
        record = _record(d)
        if record is not None:
            region = {"startLine": record}
            message = f"[{dict(d.extra).get('field')} {d.line}:{d.column}] {d.message}"
        else:
            region = {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column}
            message = d.message
        result: Dict[str, Any] = {
            "ruleId": d.code,
            "level": self.LEVEL[d.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": d.path.replace("\\", "/")}, "region": region}}],
        }
        if d.code in self.index:
            result["ruleIndex"] = self.index[d.code]
        if d.fix is not None and d.fix.applicability is Applicability.SAFE and record is None:
            result["fixes"] = [{
                "description": {"text": d.fix.message},
                "artifactChanges": [{
                    "artifactLocation": {"uri": d.path.replace("\\", "/")},
                    "replacements": [
                        {"deletedRegion": {"startLine": p[0], "startColumn": p[1], "endLine": p[2], "endColumn": p[3]},
                         "insertedContent": {"text": e.content}}
                        for e, p in zip(d.fix.edits, d.fix_positions)
                    ],
                }],
            }]
        self.results.append(result)

    def finish(self):
        from . import __version__

        rules = [{
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.explanation.split("\n\n", 1)[-1] if "\n\n" in r.explanation else r.summary},
            "help": {"text": r.explanation},
            "defaultConfiguration": {"level": self.LEVEL[r.severity], "enabled": r.default},
            "properties": {"fix": r.fix.value},
        } for r in self.rules]
        log = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "articlelint", "version": __version__, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": self.results,
            }],
        }
        json.dump(log, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")


class JunitReporter(Reporter):
    """JUnit XML: one test case per file, failing when the file has findings."""

    def __init__(self, out, rules=()):
        super().__init__(out, rules)
        self.cases: List[tuple] = []

    def file(self, path, diagnostics, text=None):
        self.count += len(diagnostics)
        self.cases.append((path, [f"{_location(d)}: {d.code} {d.message}" for d in diagnostics]))

    def finish(self):
        import xml.etree.ElementTree as ET

        failures = sum(1 for _, lines in self.cases if lines)
        suites = ET.Element("testsuites", name="articlelint", tests=str(len(self.cases)), failures=str(failures))
        suite = ET.SubElement(suites, "testsuite", name="articlelint", tests=str(len(self.cases)),
                              failures=str(failures), errors="0", skipped="0")
        for path, lines in self.cases:
            case = ET.SubElement(suite, "testcase", name=path, classname="articlelint", file=path)
            if lines:
                failure = ET.SubElement(case, "failure", message=f"{len(lines)} finding{'s' * (len(lines) != 1)}",
                                        type="articlelint")
                failure.text = "\n".join(lines)
        self.out.write(ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n")


REPORTERS = {
    "concise": ConciseReporter,
    "full": FullReporter,
    "json": JsonReporter,
    "jsonl": JsonLinesReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
}


def summary(total: int, safe: int, unsafe: int, fixed: int = 0) -> List[str]:
    lines = []
    if fixed:
        lines.append(f"Fixed {fixed} finding{'s' * (fixed != 1)}.")
    if total:
        line = f"Found {total} finding{'s' * (total != 1)}"
        extras = []
        if safe:
            extras.append(f"{safe} fixable with --fix")
        if unsafe:
            extras.append(f"{unsafe} more with --unsafe-fixes")
        lines.append(line + (f" ({'; '.join(extras)})" if extras else "") + ".")
    elif not fixed:
        lines.append("All checks passed.")
    return lines


def statistics(counts: Counter, names: Dict[str, str], fixable: Counter, out: TextIO) -> None:
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        mark = "[*]" if fixable[code] else "   "
        out.write(f"{n:>6}  {code:<6} {mark} {names.get(code, '')}\n")
