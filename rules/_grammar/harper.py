"""Harper through harper-py (Apache-2.0; the English dictionary ships inside the wheel).

One ``Linter`` per process and per (dialect, disabled rules): building it loads the
dictionary (about a second). A ``Linter`` is not thread-safe, so each thread gets its own.
"""

from __future__ import annotations

import os
import threading
from typing import Dict, List, Optional, Tuple

from . import BackendError, Issue

DIALECTS = {"en": "AMERICAN", "en-us": "AMERICAN", "en-gb": "BRITISH", "en-au": "AUSTRALIAN",
            "en-ca": "CANADIAN", "en-in": "INDIAN"}
SPELLING_RULE = "SpellCheck"

_LOCAL = threading.local()


class Unavailable(Exception):
    pass


def version() -> Optional[str]:
    """harper-py's version, or None when it is not installed (nothing is imported)."""
    from importlib.metadata import PackageNotFoundError, version as dist_version
    from importlib.util import find_spec

    if find_spec("harper") is None:
        return None
    try:
        return dist_version("harper-py")
    except PackageNotFoundError:
        return "unknown"


def dialect_for(language: str) -> str:
    dialect = DIALECTS.get(language.lower())
    if dialect is None:
        raise Unavailable(f"Harper checks English only (en, en-US, en-GB, en-AU, en-CA, en-IN), not {language!r}")
    return dialect


def _linter(dialect: str, disabled: Tuple[str, ...]):
    cache: Dict[tuple, object] = getattr(_LOCAL, "linters", None)
    if cache is None or getattr(_LOCAL, "pid", None) != os.getpid():
        cache = _LOCAL.linters = {}
        _LOCAL.pid = os.getpid()
    key = (dialect, disabled)
    if key not in cache:
        try:
            import harper
        except ImportError:
            raise Unavailable("harper-py is not installed (pip install harper-py)") from None
        linter = harper.Linter(getattr(harper.Dialect, dialect))
        known = linter.get_default_lint_config()
        config = {name: None for name in known}
        config.update({name: False for name in disabled if name in known})
        linter.set_lint_config(config)
        cache[key] = linter
    return cache[key]


def check(text: str, dialect: str, disabled: Tuple[str, ...], disabled_kinds: Tuple[str, ...] = ()) -> List[Issue]:
    linter = _linter(dialect, disabled)
    try:
        found = linter.organized_lints(text, language="plaintext")
    except Exception as exc:  # a Rust panic surfaces as an exception: one file's error, not a crash
        raise BackendError(f"Harper failed: {' '.join(str(exc).split())[:200]}") from None
    out = []
    for rule_name, lints in found.items():
        for lint in lints:
            if lint.lint_kind in disabled_kinds:
                continue
            span = lint.span
            replacements = []
            for s in lint.suggestions[:5]:
                kind = int(s.kind)
                if kind == 0:  # REPLACE
                    replacements.append(s.replacement_text)
                elif kind == 1:  # REMOVE
                    replacements.append("")
                elif kind == 2:  # INSERT_AFTER: the same edit, said as a replacement of the span
                    replacements.append(lint.problem_text + s.replacement_text)
            out.append(Issue(span.start, span.end, rule_name, lint.message, tuple(replacements), lint.lint_kind,
                             misspelling=rule_name == SPELLING_RULE))
    out.sort(key=lambda i: (i.start, i.end, i.rule_id))
    return out
