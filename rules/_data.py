"""Loading the rule data files in ``rules/data/`` (TOML), once per process.

TOML is the source of truth, but parsing it is pure Python and costs ~20 ms per start-up, which
pre-commit pays on every commit. So the parsed tables are cached the way Python caches bytecode:
a ``marshal`` file in ``__pycache__`` beside the data (or under ``PYTHONPYCACHEPREFIX``), stamped
with the source's size and modification time, written only when Python may write bytecode
(``sys.dont_write_bytecode``), and ignored whenever it is stale, unreadable or damaged.
"""

from __future__ import annotations

import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional

DATA_DIR = Path(__file__).with_name("data")
_MAGIC = b"ALDT1\0"  # articlelint data table, cache format 1


@lru_cache(maxsize=None)
def load(name: str) -> Dict[str, Any]:
    return load_path(DATA_DIR / f"{name}.toml")


def load_path(path: Path) -> Dict[str, Any]:
    """The parsed TOML file at ``path``, from its marshal cache when that is fresh."""
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        stamp = _MAGIC + f"{stat.st_size}:{stat.st_mtime_ns}:{sys.version_info[:2]}\n".encode()
        cache = cache_path(path)
        cached = _read_cache(cache, stamp) if cache else None
        if cached is not None:
            return cached
        source = handle.read()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    data = tomllib.loads(source.decode("utf-8"))
    if cache and not sys.dont_write_bytecode:
        _write_cache(cache, stamp, data)
    return data


def cache_path(path: Path) -> Optional[str]:
    """Where the cache of a data file lives: the bytecode cache location of a module of that name."""
    from importlib.util import cache_from_source

    try:
        pyc = cache_from_source(f"{path}.py")
    except (NotImplementedError, ValueError):  # no cache tag: no cache
        return None
    return pyc[: -len(".pyc")] + ".marshal"


def _read_cache(cache: str, stamp: bytes) -> Optional[Dict[str, Any]]:
    try:
        with open(cache, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    if not blob.startswith(stamp):
        return None
    try:
        data = marshal.loads(blob[len(stamp):])
    except Exception:  # noqa: BLE001  # damaged bytes can raise more than EOFError/ValueError: parse again
        return None
    return data if isinstance(data, dict) else None


def _write_cache(cache: str, stamp: bytes, data: Dict[str, Any]) -> None:
    tmp = f"{cache}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(stamp + marshal.dumps(data))
        os.replace(tmp, cache)
    except (OSError, ValueError):  # read-only install, or a value marshal cannot store: parse next time
        try:
            os.unlink(tmp)
        except OSError:
            pass
