"""Regular expressions compiled on first use.

Compiling a pattern is pure Python in CPython's ``re`` (parse + code generation) and costs about
0.1-3 ms each; a family compiling all its patterns at import makes every `lint one-file.txt`
(pre-commit runs it on each commit) pay for patterns the file never needs. A ``lazy_compile``
pattern compiles when a method is first used and then behaves exactly like the compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")


class LazyPattern:
    __slots__ = ("_source", "_flags", "_compiled") + _METHODS

    def __init__(self, source: str, flags: int = 0):
        self._source = source
        self._flags = flags
        self._compiled = None

    def compiled(self) -> "re.Pattern[str]":
        if self._compiled is None:
            self._compiled = compiled = re.compile(self._source, self._flags)
            for name in _METHODS:  # bound methods: later calls skip __getattr__ entirely
                setattr(self, name, getattr(compiled, name))
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._source!r}, {self._flags!r})"


def lazy_compile(source: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(source, flags)
