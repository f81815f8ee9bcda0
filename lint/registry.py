"""Rule metadata, the ``@rule`` decorator, rule discovery through entry points, and selection.

The engine knows no particular rule. Rule packs (this project's own ``rules`` package
included) register under the ``articlelint.rules`` entry-point group; the entry point names a
module (or object) with a ``RULES`` iterable and optionally ``SETTINGS`` (config sections the
pack owns, see :mod:`lint.config`) and ``COLLECTORS`` (corpus-wide facts, see :mod:`lint.corpus`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from .diagnostics import Applicability, Finding, Severity

ENTRY_POINT_GROUP = "articlelint.rules"

FAMILIES = {
    "B": "boilerplate lines (not part of the article: links, prompts, ads, captions, embeds, trailers)",
    "E": "encoding damage (mojibake, entities, invisible characters)",
    "W": "whitespace and punctuation",
    "N": "naming (one name for one entity)",
    "S": "spun text",
    "P": "people (names and pronouns)",
    "T": "structure (title, truncation, duplicates)",
    "G": "grammar and spelling (external engines)",
}

_CODE = re.compile(r"^[A-Z][A-Z0-9:_\-]*[0-9A-Z_]$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SECTION = re.compile(r"^(Why|Title|Bad|Good|Fix safety|Options|Notes?):\s?(.*)$")


class RuleError(Exception):
    """A rule pack is broken (duplicate code, bad metadata): a developer error."""


@dataclass
class Rule:
    code: str
    name: str
    summary: str
    explanation: str
    check: Callable[..., Iterable[Finding]]
    severity: Severity = Severity.WARNING
    fix: Applicability = Applicability.NONE
    default: bool = True
    origin: str = ""
    sections: Dict[str, str] = field(default_factory=dict)
    #: Called once per run with the Settings, before any file is linted; raises
    #: RuleUnavailable when the rule cannot run, returns a version string for the cache key.
    setup: Optional[Callable[..., Optional[str]]] = None
    #: For a rule that reads the corpus index: a :class:`lint.corpus.IndexProbe`.
    index_probe: Optional[Any] = None

    @property
    def family(self) -> str:
        return self.code[:1]

    @property
    def fixable(self) -> bool:
        return self.fix is not Applicability.NONE

    @property
    def examples(self) -> Dict[str, str]:
        return {k: v for k, v in self.sections.items() if k in ("Bad", "Good")}

    def run(self, doc) -> Iterator[Finding]:
        result = self.check(doc)
        if result is not None:
            yield from result


def cleandoc(doc: str) -> str:
    """Like inspect.cleandoc (without importing inspect, which costs start-up time)."""
    lines = doc.expandtabs().split("\n")
    indents = [len(l) - len(l.lstrip()) for l in lines[1:] if l.strip()]
    margin = min(indents) if indents else 0
    lines = [lines[0].strip()] + [l[margin:].rstrip() for l in lines[1:]]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def parse_docstring(doc: str) -> Dict[str, str]:
    """Split a rule docstring into its summary, body and ``Why:/Bad:/Good:/Fix safety:`` sections."""
    text = cleandoc(doc or "")
    lines = text.splitlines()
    sections: Dict[str, List[str]] = {"summary": [lines[0].strip()] if lines else [""], "body": []}
    current = "body"
    for raw in lines[1:]:
        match = _SECTION.match(raw.strip()) if not raw.startswith((" ", "\t")) else None
        if match:
            current = match.group(1)
            sections[current] = [match.group(2)]
        else:
            sections.setdefault(current, []).append(raw[2:] if current in ("Bad", "Good") and raw.startswith("  ") else raw)
    return {k: "\n".join(v).strip() for k, v in sections.items()}


def rule(code: str, name: str, *, fix: Applicability = Applicability.NONE,
         severity: Severity = Severity.WARNING, default: bool = True,
         setup: Optional[Callable[..., Optional[str]]] = None, index_probe: Optional[Any] = None) -> Callable:
    """Declare a rule. The docstring is its documentation: a one-line summary, then
    ``Why:``, ``Bad:``, ``Good:`` and (for fixable rules) ``Fix safety:`` sections.

    The function takes a :class:`~lint.document.Document` and yields
    :class:`~lint.diagnostics.Finding` objects.
    """

    def decorate(func: Callable) -> Rule:
        sections = parse_docstring(func.__doc__ or "")
        made = Rule(
            code=code,
            name=name,
            summary=sections.get("summary", ""),
            explanation=cleandoc(func.__doc__ or ""),
            check=func,
            severity=Severity(severity),
            fix=Applicability(fix),
            default=default,
            origin=f"{func.__module__}.{func.__qualname__}",
            sections=sections,
            setup=setup,
            index_probe=index_probe,
        )
        validate_rule(made)
        return made

    return decorate


def validate_rule(r: Rule) -> None:
    if not _CODE.match(r.code) or r.code[0] not in FAMILIES:
        raise RuleError(f"{r.origin}: rule code {r.code!r} must start with a family letter ({''.join(FAMILIES)})")
    if not _NAME.match(r.name):
        raise RuleError(f"{r.origin}: rule name {r.name!r} must be kebab-case")
    if not r.summary:
        raise RuleError(f"{r.origin}: rule {r.code} needs a docstring whose first line is its summary")


@dataclass
class RuleSet:
    """All rules known to this run, with the settings sections and collectors of their packs."""

    rules: List[Rule]
    settings: Dict[str, Dict[str, object]] = field(default_factory=dict)
    collectors: List[object] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_code: Dict[str, Rule] = {}
        self.by_name: Dict[str, Rule] = {}
        for r in self.rules:
            for table, key, label in ((self.by_code, r.code, "code"), (self.by_name, r.name, "name")):
                if key in table:
                    raise RuleError(f"duplicate rule {label} {key!r}: {table[key].origin} and {r.origin}")
                table[key] = r
        self.rules.sort(key=lambda r: _code_sort_key(r.code))

    def find(self, code_or_name: str) -> Optional[Rule]:
        key = code_or_name.strip()
        return self.by_code.get(key.upper()) or self.by_name.get(key.lower())

    def matches(self, selector: str) -> List[Rule]:
        """Rules a selector names: ``ALL``, a rule name, a code, or a code prefix (``B``, ``B0``)."""
        sel = selector.strip()
        if sel.upper() == "ALL":
            return list(self.rules)
        if sel.lower() in self.by_name:
            return [self.by_name[sel.lower()]]
        return [r for r in self.rules if r.code.startswith(sel.upper())]

    def is_selector(self, selector: str) -> bool:
        return bool(self.matches(selector)) or selector.strip().upper() in FAMILIES

    def select(self, select: Optional[Sequence[str]], extend_select: Sequence[str] = (),
               ignore: Sequence[str] = ()) -> List[Rule]:
        """Resolve selectors like ruff: the most specific selector that matches a rule wins;
        on a tie, ignore wins. Without ``select``, rules that are on by default start selected."""
        key = (None if select is None else tuple(select), tuple(extend_select), tuple(ignore))
        cache = self.__dict__.setdefault("_selected", {})  # one resolution per distinct selection
        if key not in cache:
            cache[key] = tuple(self._select(select, extend_select, ignore))
        return list(cache[key])

    def _select(self, select: Optional[Sequence[str]], extend_select: Sequence[str],
                ignore: Sequence[str]) -> List[Rule]:
        chosen = []
        for r in self.rules:
            best_on = max((_specificity(s, r) for s in list(select or ()) + list(extend_select)), default=-1)
            best_off = max((_specificity(s, r) for s in ignore), default=-1)
            if best_on < 0 and best_off < 0:
                enabled = select is None and r.default
            elif best_off < 0:
                enabled = True
            elif best_on < 0:
                enabled = False
            else:
                enabled = best_on > best_off
            if enabled:
                chosen.append(r)
        return chosen


def _specificity(selector: str, r: Rule) -> int:
    sel = selector.strip()
    if sel.upper() == "ALL":
        return 0
    if sel.lower() == r.name or sel.upper() == r.code:
        return 1000
    if r.code.startswith(sel.upper()):
        return len(sel)
    return -1


def _code_sort_key(code: str):
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|\D+", code)]


_CACHE: Dict[str, RuleSet] = {}


def _entry_points(group: str) -> List[Tuple[str, str]]:
    """(name, value) of the entry points in ``group``, read straight from the installed
    distributions' ``entry_points.txt`` in ``sys.path`` order, the first distribution of a name
    winning (as importlib.metadata does). Importing importlib.metadata alone costs ~40 ms of
    start-up, which every pre-commit run would pay; it remains the fallback."""
    import os
    import sys

    found: List[Tuple[str, str]] = []
    dists = set()
    for base in sys.path:
        try:
            names = os.listdir(base or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            dist = name.rsplit(".", 1)[0].split("-")[0].lower().replace("_", "-").replace(".", "-")
            if dist in dists:
                continue
            dists.add(dist)
            try:
                with open(os.path.join(base or ".", name, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read()
            except OSError:
                continue
            section = None
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1].strip()
                elif section == group and "=" in line and not line.startswith(("#", ";")):
                    key, value = line.split("=", 1)
                    found.append((key.strip(), value.split("[", 1)[0].strip()))
    return found


def _load_entry_point(value: str):
    from importlib import import_module

    module, _, attr = value.partition(":")
    obj = import_module(module.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


def load_rules() -> RuleSet:
    """Load every registered rule pack once per process."""
    if "default" in _CACHE:
        return _CACHE["default"]
    points = _entry_points(ENTRY_POINT_GROUP)
    if not points:  # an unusual installation (zipped eggs ...): ask importlib.metadata
        from importlib.metadata import entry_points

        points = [(ep.name, ep.value) for ep in entry_points(group=ENTRY_POINT_GROUP)]
    rules: List[Rule] = []
    settings: Dict[str, Dict[str, object]] = {}
    collectors: List[object] = []
    seen = set()
    for name, value in points:
        if value in seen:  # the same pack found twice (e.g. an editable install and a wheel)
            continue
        seen.add(value)
        try:
            obj = _load_entry_point(value)
        except Exception as exc:  # a broken third-party pack must not hide which one it is
            raise RuleError(f"rule pack {name!r} ({value}) failed to load: {exc}") from exc
        pack_rules = obj() if callable(obj) and not hasattr(obj, "RULES") else getattr(obj, "RULES", obj)
        rules.extend(pack_rules)
        settings.update(getattr(obj, "SETTINGS", {}) or {})
        collectors.extend(getattr(obj, "COLLECTORS", ()) or ())
    ruleset = RuleSet(rules, settings, collectors)
    _CACHE["default"] = ruleset
    return ruleset
