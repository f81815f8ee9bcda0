"""Corpus-wide facts: collect per document, merge, then judge each document against the index.

A rule pack declares collectors (``COLLECTORS``). A collector turns one document into facts:
``{key: [variant, ...]}`` (for example ``"guterres": ["Guterres"]``). The index counts, for every
key and variant, in how many documents it occurs, with a few example paths. Facts from separate
documents (or separate processes, or cluster shards) merge by addition, so building the index
parallelises; ``lint index`` persists it so a pre-commit run on two changed files still compares
against the whole repository.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

INDEX_FORMAT = 1
MAX_EXAMPLE_PATHS = 3

Facts = Dict[str, Dict[str, List[str]]]  # collector name -> key -> variants in one document


@dataclass(frozen=True)
class Collector:
    """Corpus facts for the rules named in ``rules``; ``collect(doc)`` -> {key: [variants]}."""

    name: str
    collect: Callable[[Any], Mapping[str, Iterable[str]]]
    rules: Tuple[str, ...] = ()
    version: str = "1"


@dataclass(frozen=True)
class IndexProbe:
    """Lets a run lint every document in one pass, before the corpus index is complete.

    A rule that reads the index declares one: ``collect(doc)`` returns a small JSON-able summary
    of the document (or None when no index could change the rule's findings), and
    ``needed(probe, index, path)`` answers, once the index is complete, whether the findings of
    the rule with that index may differ from its findings without one. A False answer is a
    promise: the runner keeps the findings of the index-free pass and re-checks, with the index,
    only documents answered True. A rule that reads the index without a probe is re-checked for
    every document.
    """

    collect: Callable[[Any], Any]
    needed: Callable[[Any, "CorpusIndex", str], bool]


def collect_facts(doc, collectors: Sequence[Collector]) -> Facts:
    out: Facts = {}
    for c in collectors:
        facts = c.collect(doc)
        if facts:
            out[c.name] = {key: sorted(set(variants)) for key, variants in facts.items() if variants}
    return out


@dataclass
class CorpusIndex:
    # collector -> key -> variant -> [document count, example paths]
    data: Dict[str, Dict[str, Dict[str, list]]] = field(default_factory=dict)
    paths: set = field(default_factory=set)
    versions: Dict[str, str] = field(default_factory=dict)
    #: Changes with every add/merge: rules that derive tables from the index key them on it.
    generation: int = 0

    @property
    def documents(self) -> int:
        return len(self.paths)

    def add(self, path: str, facts: Facts) -> None:
        if path in self.paths:
            return
        self.generation += 1
        self.paths.add(path)
        for name, keys in facts.items():
            table = self.data.setdefault(name, {})
            for key, variants in keys.items():
                row = table.get(key)
                if row is None:  # (no setdefault: it would build a default for every known key)
                    table[key] = {variant: [1, [path]] for variant in variants}
                    continue
                for variant in variants:
                    entry = row.get(variant)
                    if entry is None:
                        row[variant] = [1, [path]]
                    else:
                        entry[0] += 1
                        if len(entry[1]) < MAX_EXAMPLE_PATHS:
                            entry[1].append(path)

    def merge(self, other: "CorpusIndex") -> None:
        """Add another index's counts (disjoint sets of documents, e.g. shards)."""
        self.generation += 1
        for path in other.paths - self.paths:
            self.paths.add(path)
        for name, keys in other.data.items():
            table = self.data.setdefault(name, {})
            for key, variants in keys.items():
                row = table.setdefault(key, {})
                for variant, (count, examples) in variants.items():
                    entry = row.setdefault(variant, [0, []])
                    entry[0] += count
                    entry[1].extend(examples[: MAX_EXAMPLE_PATHS - len(entry[1])])
        self.versions.update(other.versions)

    def keys(self, name: str) -> Dict[str, Dict[str, list]]:
        return self.data.get(name, {})

    def variants(self, name: str, key: str, path: Optional[str] = None,
                 own: Iterable[str] = ()) -> Dict[str, Tuple[int, List[str]]]:
        """Counts of each variant of ``key`` in the *other* documents of the corpus.

        When ``path`` was indexed, its own variants (``own``) are subtracted, so a document
        never outvotes itself.
        """
        row = self.data.get(name, {}).get(key, {})
        mine = set(own) if path is not None and path in self.paths else set()
        out = {}
        for variant, (count, examples) in row.items():
            count -= variant in mine
            if count > 0:
                out[variant] = (count, [p for p in examples if p != path])
        return out

    # -- persistence ------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps({"format": INDEX_FORMAT, "versions": self.versions, "documents": sorted(self.paths),
                           "collectors": self.data}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, source: str = "index") -> "CorpusIndex":
        try:
            raw = json.loads(text)
            if raw.get("format") != INDEX_FORMAT:
                raise ValueError(f"unsupported index format {raw.get('format')!r}")
            return cls(data=raw["collectors"], paths=set(raw["documents"]), versions=dict(raw.get("versions", {})))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{source}: not an articlelint index ({exc})") from None

    def save(self, path: str) -> None:
        from .files import write_atomic

        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        write_atomic(path, self.to_json().encode("utf-8"))

    @classmethod
    def load(cls, path: str) -> "CorpusIndex":
        with open(path, encoding="utf-8") as handle:
            return cls.from_json(handle.read(), path)

    def fingerprint(self) -> str:
        """A hash of the whole index (cached results of a document depend on it)."""
        import hashlib

        try:
            import orjson
        except ImportError:  # pragma: no cover - orjson is a dependency; the slow path gives the same hash kind
            data = self.to_json().encode("utf-8")
        else:
            data = orjson.dumps({"format": INDEX_FORMAT, "versions": self.versions, "documents": sorted(self.paths),
                                 "collectors": self.data}, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(data).hexdigest()[:16]


def index_key(path: str) -> str:
    """How documents are named in an index: relative to the working folder, with '/'."""
    return relative_path(path, os.getcwd())


def relative_path(path: str, root: str) -> str:
    """``os.path.relpath(os.path.abspath(path), root)`` with '/'. Folder runs ask this for every
    file: the folder's part is computed once per folder (relpath is slow)."""
    full = os.path.abspath(path)
    folder, name = os.path.split(full)
    if not name or full == root:
        return _relative_folder(full, root)
    rel = _relative_folder(folder, root)
    return f"{rel}/{name}" if rel != "." else name


@lru_cache(maxsize=4096)
def _relative_folder(folder: str, root: str) -> str:
    return os.path.relpath(folder, root).replace(os.sep, "/")
