"""Content-hash cache of lint results (``.articlelint_cache/``), so an unchanged re-run is near-instant.

The key covers the file's bytes, the resolved settings, the tool and rule-pack versions, the
corpus index in use (or, for a one-pass corpus run, none: such an entry keeps the file's corpus
facts and index probes beside its findings) and the fix mode. One SQLite file holds the entries; only the main process
reads and writes it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from typing import Any, Dict, List, Optional, Tuple

from .diagnostics import Applicability, Diagnostic, Edit, Fix, Severity

SCHEMA = ("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
          # corpus facts per document (phase one of cross-document checks), keyed by content
          "CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, value BLOB NOT NULL)")


def _dumps(obj: Any) -> bytes:
    try:
        import orjson

        return orjson.dumps(obj)
    except ImportError:
        import json

        return json.dumps(obj).encode("utf-8")


def _loads(data: bytes) -> Any:
    try:
        import orjson

        return orjson.loads(data)
    except ImportError:
        import json

        return json.loads(data)


_REPRS: Dict[int, Tuple[Any, str]] = {}


def settings_repr(settings: Any) -> str:
    """repr(settings) for cache keys, once per Settings object (a run has a few, shared by its files)."""
    hit = _REPRS.get(id(settings))
    if hit is None or hit[0] is not settings:
        hit = _REPRS[id(settings)] = (settings, repr(settings))
    return hit[1]


def encode_diagnostic(d: Diagnostic) -> list:
    fix = None
    if d.fix is not None:
        fix = [d.fix.message, d.fix.applicability.value, [[e.start, e.end, e.content] for e in d.fix.edits],
               [list(p) for p in d.fix_positions]]
    return [d.start, d.end, d.line, d.column, d.end_line, d.end_column, d.code, d.rule, d.message,
            d.severity.value, fix, d.snippet]


def decode_diagnostic(path: str, row: list) -> Diagnostic:
    start, end, line, col, end_line, end_col, code, rule, message, severity, fix, snippet = row
    fix_obj, positions = None, ()
    if fix is not None:
        fix_obj = Fix(fix[0], tuple(Edit(*e) for e in fix[2]), Applicability(fix[1]))
        positions = tuple(tuple(p) for p in fix[3])
    return Diagnostic(path, start, end, line, col, end_line, end_col, code, rule, message, Severity(severity),
                      fix_obj, positions, (), snippet)


class Cache:
    def __init__(self, directory: str, salt: str):
        self.directory = directory
        self.salt = salt
        os.makedirs(directory, exist_ok=True)
        ignore = os.path.join(directory, ".gitignore")
        if not os.path.exists(ignore):
            with open(ignore, "w", encoding="utf-8") as handle:
                handle.write("# Created by articlelint\n*\n")
        self.db = sqlite3.connect(os.path.join(directory, "results.sqlite"), timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")
        for statement in SCHEMA:
            self.db.execute(statement)
        self.pending: Dict[str, bytes] = {}
        self.pending_facts: Dict[str, bytes] = {}
        self._digests: Dict[str, Optional[bytes]] = {}

    def digest(self, path: str) -> Optional[bytes]:
        """The content hash of a file, read once per run (the facts and the results key both need
        it); None when it cannot be read."""
        if path not in self._digests:
            try:
                with open(path, "rb") as handle:
                    self._digests[path] = hashlib.blake2b(handle.read(), digest_size=20).digest()
            except OSError:
                self._digests[path] = None
        return self._digests[path]

    def key(self, data: bytes, settings_repr: str) -> str:
        """The entry key of content ``data`` (or its :meth:`digest`) under settings ``settings_repr``."""
        h = hashlib.blake2b(digest_size=20)
        h.update(self.salt.encode())
        h.update(settings_repr.encode())
        h.update(b"\0")
        h.update(data)
        return h.hexdigest()

    def file_key(self, path: str, settings_repr: str) -> Optional[str]:
        digest = self.digest(path)
        return None if digest is None else self.key(digest, settings_repr)

    def get(self, key: str, path: str) -> Optional[List[Diagnostic]]:
        row = self.db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return [decode_diagnostic(path, item) for item in _loads(row[0])]
        except Exception:  # a damaged entry is a miss, never an error
            return None

    def put(self, key: str, diagnostics: List[Diagnostic]) -> None:
        self.pending[key] = _dumps([encode_diagnostic(d) for d in diagnostics])
        if len(self.pending) >= 500:
            self.flush()

    def get_pass(self, key: str, path: str) -> Optional[Tuple[List[Diagnostic], dict, dict]]:
        """A one-pass entry of a corpus run: (findings without the index, corpus facts, index probes)."""
        row = self.db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            raw = _loads(row[0])
            return [decode_diagnostic(path, item) for item in raw["d"]], raw["f"], raw["p"]
        except Exception:  # a damaged entry is a miss, never an error
            return None

    def put_pass(self, key: str, diagnostics: List[Diagnostic], facts: dict, probes: dict) -> None:
        self.pending[key] = _dumps({"d": [encode_diagnostic(d) for d in diagnostics], "f": facts, "p": probes})
        if len(self.pending) >= 500:
            self.flush()

    def get_facts(self, key: str) -> Optional[dict]:
        row = self.db.execute("SELECT value FROM facts WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return _loads(row[0])
        except Exception:
            return None

    def put_facts(self, key: str, facts: dict) -> None:
        self.pending_facts[key] = _dumps(facts)

    def flush(self) -> None:
        with self.db:
            if self.pending:
                self.db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", list(self.pending.items()))
            if self.pending_facts:
                self.db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?)", list(self.pending_facts.items()))
        self.pending.clear()
        self.pending_facts.clear()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.db.close()
