"""The parsed-TOML cache of rules/_data.py: used when fresh, ignored when stale or damaged."""

import os
import sys

import pytest

from rules import _data


@pytest.fixture
def table(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pycache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = tmp_path / "words.toml"
    path.write_text('[list]\nwords = ["alpha", "beta"]\n', encoding="utf-8")
    return path


def test_cache_is_written_then_used(table, monkeypatch):
    assert _data.load_path(table) == {"list": {"words": ["alpha", "beta"]}}
    cache = _data.cache_path(table)
    assert os.path.exists(cache)

    tomllib = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")
    monkeypatch.setattr(tomllib, "loads", lambda *_: pytest.fail("parsed again despite a fresh cache"))
    assert _data.load_path(table) == {"list": {"words": ["alpha", "beta"]}}


def test_stale_cache_is_ignored(table):
    _data.load_path(table)
    stat = table.stat()
    table.write_text('[list]\nwords = ["gamma"]\n', encoding="utf-8")
    os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert _data.load_path(table) == {"list": {"words": ["gamma"]}}


def test_damaged_cache_is_ignored(table):
    _data.load_path(table)
    cache = _data.cache_path(table)
    with open(cache, "r+b") as handle:
        blob = handle.read()
        handle.seek(0)
        handle.write(blob[: blob.index(b"\n") + 1] + b"\xff garbage")
        handle.truncate()
    assert _data.load_path(table) == {"list": {"words": ["alpha", "beta"]}}


def test_no_cache_written_when_bytecode_is_off(table, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _data.load_path(table)["list"]["words"] == ["alpha", "beta"]
    assert not os.path.exists(_data.cache_path(table))


def test_read_only_cache_location_is_harmless(table, monkeypatch):
    monkeypatch.setattr(sys, "pycache_prefix", "/proc/articlelint-cannot-write-here")
    assert _data.load_path(table)["list"]["words"] == ["alpha", "beta"]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib")
def test_shipped_tables_round_trip_through_the_cache(tmp_path, monkeypatch):
    import tomllib

    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    for path in sorted(_data.DATA_DIR.glob("*.toml")):
        with open(path, "rb") as handle:
            expected = tomllib.load(handle)
        assert _data.load_path(path) == expected  # parsed, cache written
        assert _data.load_path(path) == expected  # from the cache
