"""The data files prove themselves: each table with a `rule` key and `flag`/`clean` examples
is run through that rule: every `flag` example is found, no `clean` example is."""

import sys

import pytest

from lint.config import Settings
from lint.engine import check_text
from rules._data import DATA_DIR

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _tables():
    for path in sorted(DATA_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for name, table in _walk(data):
            if isinstance(table, dict) and "rule" in table:
                yield f"{path.stem}.{name}", table


def _walk(data, prefix=""):
    for key, value in data.items():
        if isinstance(value, dict):
            yield prefix + key, value
            yield from _walk(value, prefix + key + ".")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                yield f"{prefix}{key}[{i}]", item


TABLES = list(_tables())


def _cases():
    for name, table in TABLES:
        for example in table.get("flag", []):
            yield pytest.param(table["rule"], example, True, id=f"{name}:flag:{example[:40]}")
        for example in table.get("clean", []):
            yield pytest.param(table["rule"], example, False, id=f"{name}:clean:{example[:40]}")


def test_data_tables_have_examples():
    assert TABLES
    for name, table in TABLES:
        assert table.get("flag") and table.get("clean"), f"{name}: needs flag and clean examples"


@pytest.mark.parametrize("code,example,flagged", list(_cases()))
def test_data_example(code, example, flagged):
    text = f"Headline of the article\n\n{example}\n"
    found = check_text(text, Settings(select=(code,)))
    assert bool(found) == flagged, [d.message for d in found]
