"""Loading the rule data files in ``rules/data/`` (TOML), once per process."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

DATA_DIR = Path(__file__).with_name("data")


@lru_cache(maxsize=None)
def load(name: str) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    with open(DATA_DIR / f"{name}.toml", "rb") as handle:
        return tomllib.load(handle)
