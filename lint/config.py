"""Configuration: ``[tool.articlelint]`` in pyproject.toml, or ``articlelint.toml`` /
``.articlelint.toml``. The nearest file to each linted file wins; ``--config`` overrides.

Every key is validated: an unknown key or a value of the wrong type is a :class:`ConfigError`
naming the file and the key (the CLI turns it into exit status 2).
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

CONFIG_FILES = (".articlelint.toml", "articlelint.toml", "pyproject.toml")
DEFAULT_EXTENSIONS = ("txt", "md", "jsonl")
DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", "build", "dist",
    ".articlelint_cache", ".articlelint",
)


class ConfigError(Exception):
    """A configuration file or option is wrong; the message names where and why."""


def _load_toml(path: str) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _str_list_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and _str_list(v) for k, v in value.items())


# Engine keys: name -> (check, description used in error messages)
ENGINE_KEYS: Dict[str, Tuple[Callable[[Any], bool], str]] = {
    "select": (_str_list, "a list of rule codes, prefixes or names"),
    "ignore": (_str_list, "a list of rule codes, prefixes or names"),
    "extend-select": (_str_list, "a list of rule codes, prefixes or names"),
    "per-file-ignores": (_str_list_map, "a table of glob = [rule selectors]"),
    "exclude": (_str_list, "a list of glob patterns"),
    "extend-exclude": (_str_list, "a list of glob patterns"),
    "extensions": (_str_list, "a list of file extensions such as [\"txt\", \"md\"]"),
    "index": (lambda v: isinstance(v, str) and bool(v), "the path of a saved corpus index (see 'lint index')"),
    "text-field": (lambda v: isinstance(v, str) and bool(v), "the name of the text field of JSONL records"),
    "title-field": (lambda v: isinstance(v, str), "the name of the title field of JSONL records (\"\" for none)"),
}


@dataclass(frozen=True)
class Settings:
    """One resolved configuration (picklable: worker processes receive it)."""

    root: str = "."  # folder the config file lives in; globs are relative to it
    source: Optional[str] = None  # the file it came from
    select: Optional[Tuple[str, ...]] = None
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    extensions: Tuple[str, ...] = DEFAULT_EXTENSIONS
    index: Optional[str] = None  # saved corpus index, relative to root
    text_field: Optional[str] = None
    title_field: Optional[str] = None
    #: Tables owned by rule packs (e.g. ``[tool.articlelint.naming]``), validated by their schema.
    sections: Tuple[Tuple[str, Tuple[Tuple[str, Any], ...]], ...] = ()

    def section(self, name: str) -> Dict[str, Any]:
        for key, values in self.sections:
            if key == name:
                return dict(values)
        return {}

    def ignores_for(self, path: str) -> Tuple[str, ...]:
        if not self.per_file_ignores:
            return tuple(self.ignore)
        rel = _relative(path, self.root)
        out = list(self.ignore)
        for pattern, codes in self.per_file_ignores:
            if _glob_match(rel, pattern):
                out.extend(codes)
        return tuple(out)

    def is_excluded(self, path: str) -> bool:
        patterns = self.exclude + self.extend_exclude
        return bool(patterns) and _globs_match(_relative(path, self.root), tuple(patterns))

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _relative(path: str, root: str) -> str:
    """``path`` relative to ``root`` with '/', or ``path`` itself when it lies outside ``root``."""
    from .corpus import relative_path

    try:
        rel = relative_path(path, os.path.abspath(root))
    except ValueError:  # another drive (Windows)
        return path.replace(os.sep, "/")
    if rel == os.pardir or rel.startswith(os.pardir + "/"):
        return path.replace(os.sep, "/")
    return rel


def _glob_match(rel: str, pattern: str) -> bool:
    """Match a relative path against a glob: the whole path, any of its parts, or its basename."""
    whole, part = _glob_regexes(pattern)
    rel = _norm(rel)
    if whole(rel):
        return True
    parts = rel.split("/")
    if part is not None:
        return any(part(p) for p in parts)
    return any(whole("/".join(parts[:i])) for i in range(1, len(parts)))


def _norm(path: str) -> str:
    """Case-fold like the platform (fnmatch does), but keep '/' as the separator: paths and globs
    here are '/'-separated, and Windows' normcase would turn them into '\\'."""
    folded = os.path.normcase(path)
    return folded.replace("\\", "/") if os.path.normcase("/") != "/" else folded


def _globs_match(rel: str, patterns: Tuple[str, ...]) -> bool:
    """``any(_glob_match(rel, p) for p in patterns)``, with each kind of test made once for all
    the patterns (discovery asks it for every file)."""
    whole, part, prefix = _combined_regexes(patterns)
    rel = _norm(rel)
    if whole(rel):
        return True
    parts = rel.split("/")
    if part is not None and any(part(p) for p in parts):
        return True
    return prefix is not None and any(prefix("/".join(parts[:i])) for i in range(1, len(parts)))


@lru_cache(maxsize=64)
def _combined_regexes(patterns: Tuple[str, ...]):
    """(whole-path match of any pattern, one-part match of any pattern without '/' or None,
    whole-path match of any pattern with '/' or None), as in `_glob_match`."""
    normal = [_norm(p.rstrip("/")) for p in patterns]

    def either(items):
        return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in items)).match if items else None

    whole = either([q for p in normal for q in (p, p + "/*")])
    return whole, either([p for p in normal if "/" not in p]), either([p + s for p in normal if "/" in p for s in ("", "/*")])


@lru_cache(maxsize=256)
def _glob_regexes(pattern: str):
    """(match of the whole path or anything under it, match of one path part or None), compiled once
    per pattern (fnmatch semantics, as `fnmatch.fnmatch`; discovery asks for every file)."""
    pattern = _norm(pattern.rstrip("/"))
    whole = re.compile(f"(?:{fnmatch.translate(pattern)})|(?:{fnmatch.translate(pattern + '/*')})").match
    part = re.compile(fnmatch.translate(pattern)).match if "/" not in pattern else None
    return whole, part


def read_config_file(path: str, schema: Dict[str, Dict[str, Any]]) -> Optional[Settings]:
    """Parse one config file; ``None`` for a pyproject.toml without ``[tool.articlelint]``."""
    data = _load_toml(path)
    where = f"{path}"
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "articlelint" not in tool:
            return None
        data = tool["articlelint"]
        table = "[tool.articlelint]"
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: {table} must be a table")
    else:
        table = "the top level"
    return settings_from_mapping(data, root=os.path.dirname(os.path.abspath(path)), source=where, table=table, schema=schema)


def settings_from_mapping(data: Dict[str, Any], root: str, source: str, table: str,
                          schema: Dict[str, Dict[str, Any]]) -> Settings:
    values: Dict[str, Any] = {}
    sections: List[Tuple[str, Tuple[Tuple[str, Any], ...]]] = []
    for key, value in data.items():
        if key in ENGINE_KEYS:
            check, described = ENGINE_KEYS[key]
            if not check(value):
                raise ConfigError(f"{source}: '{key}' in {table} must be {described}, got {value!r}")
            values[key] = value
        elif key in schema:
            sections.append((key, _validate_section(value, schema[key], f"{source}: [{key}]" if table == "the top level" else f"{source}: [tool.articlelint.{key}]")))
        else:
            known = ", ".join(sorted(list(ENGINE_KEYS) + list(schema)))
            raise ConfigError(f"{source}: unknown key '{key}' in {table} (known keys: {known})")
    kwargs: Dict[str, Any] = {"root": root, "source": source, "sections": tuple(sections)}
    if "select" in values:
        kwargs["select"] = tuple(values["select"])
    for key in ("ignore", "extend-select", "exclude", "extend-exclude"):
        if key in values:
            kwargs[key.replace("-", "_")] = tuple(values[key])
    if "extensions" in values:
        kwargs["extensions"] = tuple(e.lstrip(".").lower() for e in values["extensions"])
    if "index" in values:
        kwargs["index"] = os.path.join(root, values["index"])
    if "text-field" in values:
        kwargs["text_field"] = values["text-field"]
    if "title-field" in values:
        kwargs["title_field"] = values["title-field"]
    if "per-file-ignores" in values:
        kwargs["per_file_ignores"] = tuple((k, tuple(v)) for k, v in values["per-file-ignores"].items())
    return Settings(**kwargs)


def _validate_section(value: Any, spec: Dict[str, Any], where: str) -> Tuple[Tuple[str, Any], ...]:
    """Check a pack-owned table against its spec: ``{key: (check, description, default)}``."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    out = []
    for key, item in value.items():
        if key not in spec:
            raise ConfigError(f"{where}: unknown key '{key}' (known keys: {', '.join(sorted(spec))})")
        check, described = spec[key][0], spec[key][1]
        try:
            ok = check(item)
        except ValueError as exc:  # a check may explain itself (e.g. a regex that does not compile)
            raise ConfigError(f"{where}: '{key}': {exc}") from None
        if not ok:
            raise ConfigError(f"{where}: '{key}' must be {described}, got {item!r}")
        out.append((key, _freeze(item)))
    return tuple(out)


def _freeze(value: Any) -> Any:
    """Config values stay plain (dicts and lists); tuples keep Settings hashable where needed."""
    return value


class ConfigResolver:
    """Finds the settings for each path: ``--config`` if given, else the nearest config file."""

    def __init__(self, schema: Dict[str, Dict[str, Any]], explicit: Optional[str] = None,
                 overrides: Optional[Dict[str, Any]] = None, isolated: bool = False):
        self.schema = schema
        self.overrides = overrides or {}
        self._by_dir: Dict[str, Settings] = {}
        self.explicit: Optional[Settings] = None
        self.isolated = isolated
        if explicit is not None:
            path = explicit
            if not os.path.isfile(path):
                raise ConfigError(f"{explicit}: config file not found")
            settings = read_config_file(path, schema)
            if settings is None:
                raise ConfigError(f"{explicit}: no [tool.articlelint] table in this pyproject.toml")
            self.explicit = settings

    def _apply_overrides(self, settings: Settings) -> Settings:
        o = self.overrides
        changes: Dict[str, Any] = {}
        if o.get("select") is not None:
            changes["select"] = tuple(o["select"])
        if o.get("ignore"):
            changes["ignore"] = settings.ignore + tuple(o["ignore"])
        if o.get("extend_select"):
            changes["extend_select"] = settings.extend_select + tuple(o["extend_select"])
        if o.get("extend_exclude"):
            changes["extend_exclude"] = settings.extend_exclude + tuple(o["extend_exclude"])
        for name, values in (o.get("sections") or {}).items():
            merged = {**settings.section(name), **values}
            others = tuple(item for item in (changes.get("sections") or settings.sections) if item[0] != name)
            changes["sections"] = others + ((name, tuple(merged.items())),)
        return replace(settings, **changes) if changes else settings

    def for_path(self, path: str) -> Settings:
        if self.explicit is not None:
            return self._apply_overrides(self.explicit)
        directory = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
        return self.for_dir(directory)

    def for_dir(self, directory: str) -> Settings:
        if directory in self._by_dir:
            return self._by_dir[directory]
        found: Optional[Settings] = None
        if not self.isolated:
            for name in CONFIG_FILES:
                candidate = os.path.join(directory, name)
                if os.path.isfile(candidate):
                    found = read_config_file(candidate, self.schema)
                    if found is not None:
                        break
        if found is None:
            parent = os.path.dirname(directory)
            if parent != directory and not self.isolated:
                found = self.for_dir(parent)
            else:
                found = self._apply_overrides(Settings(root=os.getcwd()))
            self._by_dir[directory] = found
            return found
        found = self._apply_overrides(found)
        self._by_dir[directory] = found
        return found


def check_selectors(settings: Settings, is_selector: Callable[[str], bool]) -> None:
    """Reject selectors that name no rule, so a typo does not silently lint nothing."""
    groups: List[Tuple[str, Sequence[str]]] = [
        ("select", settings.select or ()), ("ignore", settings.ignore), ("extend-select", settings.extend_select),
    ] + [(f"per-file-ignores '{k}'", v) for k, v in settings.per_file_ignores]
    for key, selectors in groups:
        for sel in selectors:
            if not is_selector(sel):
                where = settings.source or "command line"
                raise ConfigError(f"{where}: unknown rule selector '{sel}' in {key}")
