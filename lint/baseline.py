"""Baselines for legacy corpora: record today's findings, then report only new ones.

Findings are matched by path, rule code and a hash of the flagged text (not by line numbers,
which shift as files are edited); each entry carries a count so a second copy of the same
finding in the same file is still reported as new.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Iterable, List, Tuple

from .diagnostics import Diagnostic

FORMAT = 1


def _key(d: Diagnostic) -> Tuple[str, str, str]:
    text = " ".join(d.snippet.split())
    return d.path.replace("\\", "/"), d.code, hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_baseline(path: str, diagnostics: Iterable[Diagnostic]) -> int:
    from .files import write_atomic

    counts = Counter(_key(d) for d in diagnostics)
    entries = [{"path": p, "code": c, "hash": h, "count": n} for (p, c, h), n in sorted(counts.items())]
    write_atomic(path, (json.dumps({"format": FORMAT, "findings": entries}, indent=1) + "\n").encode("utf-8"))
    return sum(counts.values())


class Baseline:
    def __init__(self, path: str):
        try:
            with open(path, encoding="utf-8") as handle:
                raw = json.load(handle)
            if raw.get("format") != FORMAT:
                raise ValueError(f"unsupported baseline format {raw.get('format')!r}")
            self.remaining = Counter({(e["path"], e["code"], e["hash"]): int(e["count"]) for e in raw["findings"]})
        except FileNotFoundError:
            raise ValueError(f"{path}: baseline file not found") from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}: not an articlelint baseline ({exc})") from None

    def new_only(self, diagnostics: Iterable[Diagnostic]) -> List[Diagnostic]:
        out = []
        for d in diagnostics:
            key = _key(d)
            if self.remaining[key] > 0:
                self.remaining[key] -= 1
            else:
                out.append(d)
        return out
