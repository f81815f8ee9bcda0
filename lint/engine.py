"""The pure core: text and settings in, diagnostics and fixed text out.

No click, no files, no terminal: the CLI, the parallel runner, a notebook or a cluster job all
call :func:`check_text` / :func:`fix_text` (or the lower-level functions here).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from .config import Settings
from .diagnostics import Applicability, Diagnostic, Edit, Finding, Fix, RuleFileError
from .document import Document
from .registry import Rule, RuleSet, load_rules

MAX_FIX_PASSES = 10


class RuleCrash(Exception):
    """A rule raised an exception: a bug in that rule, reported with its code and the file."""


@dataclass
class Context:
    """What rules may consult beyond the document: settings of their pack and the corpus index."""

    settings: Settings = field(default_factory=Settings)
    index: Any = None
    #: One line per rule that failed on this document for an outside reason (RuleFileError).
    errors: List[str] = field(default_factory=list)

    def section(self, name: str) -> Dict[str, Any]:
        return self.settings.section(name)


@dataclass
class FixResult:
    text: str
    diagnostics: List[Diagnostic]  # what remains after fixing
    applied: Counter = field(default_factory=Counter)  # fixes applied, by rule code
    converged: bool = True
    fought: Tuple[str, ...] = ()  # rule codes still rewriting the text when the passes ran out

    @property
    def fixed(self) -> int:
        return sum(self.applied.values())


def select_rules(settings: Settings, ruleset: Optional[RuleSet] = None, path: Optional[str] = None) -> List[Rule]:
    ruleset = ruleset or load_rules()
    ignore = settings.ignores_for(path) if path else settings.ignore
    return ruleset.select(settings.select, settings.extend_select, ignore)


def check_document(doc: Document, rules: Sequence[Rule]) -> List[Diagnostic]:
    out: List[Diagnostic] = []
    size = len(doc.text)
    for r in rules:
        try:
            findings = r.check(doc)  # (Rule.run without its generator: this loop runs per rule and document)
            findings = list(findings) if findings is not None else ()
        except RuleFileError as exc:
            if doc.context is not None and f"{doc.path}: {r.code}: {exc}" not in doc.context.errors:
                doc.context.errors.append(f"{doc.path}: {r.code}: {exc}")
            continue
        except Exception as exc:  # keep the run alive; name the rule that failed
            raise _crash(doc.path, r, exc) from exc
        for f in findings:
            out.append(to_diagnostic(doc, r, f, size))
    out.sort(key=lambda d: (d.start, d.end, d.code))
    return out


def _crash(path: str, r: Rule, exc: Exception) -> RuleCrash:
    return RuleCrash(f"{path}: rule {r.code} ({r.name}) crashed: {type(exc).__name__}: {exc}")


def to_diagnostic(doc: Document, r: Rule, f: Finding, size: Optional[int] = None) -> Diagnostic:
    size = len(doc.text) if size is None else size
    start = min(max(f.start, 0), size)
    end = min(max(f.end, start), size)
    line, col = doc.position(start)
    end_line, end_col = doc.position(end)
    positions: Tuple[Tuple[int, int, int, int], ...] = ()
    if f.fix is not None:
        positions = tuple(doc.position(e.start) + doc.position(e.end) for e in f.fix.edits)
    return Diagnostic(
        path=doc.path, start=start, end=end, line=line, column=col, end_line=end_line, end_column=end_col,
        code=f.code or r.code, rule=r.name, message=f.message, severity=f.severity or r.severity, fix=f.fix,
        fix_positions=positions, snippet=doc.text[start:end][:200],
    )


def diagnose(text: str, path: str, context: Context, rules: Sequence[Rule], view: Any = None) -> List[Diagnostic]:
    """Lint ``text``; with a ``view`` (e.g. Markdown without its code blocks) the rules see the
    view's text and the diagnostics are mapped back onto ``text``."""
    if view is None:
        doc = Document(text, path, context)
        found = check_document(doc, rules)
        doc.release()  # (rule caches refer back to it: free it now, not at the next full collection)
        return found
    shown = view(text)
    doc = Document(shown.text, path, context)
    found = check_document(doc, rules)
    doc.release()
    return shown.map_back(found, Document(text, path))


def check_and_collect(text: str, settings: Settings, path: str, rules: Sequence[Rule], view: Any = None,
                      collectors: Sequence[Any] = (), errors: Optional[List[str]] = None,
                      ) -> Tuple[List[Diagnostic], Dict[str, Any], Dict[str, Any]]:
    """One pass of a corpus run over one text: (diagnostics without a corpus index, the text's
    corpus facts, the index probes of the rules that have one, None probes left out). The rules
    and the collectors read one Document, so what they share (a name scan, say) is computed once."""
    from .corpus import collect_facts

    shown = view(text) if view is not None else None
    doc = Document(shown.text if shown is not None else text, path,
                   Context(settings, None, errors if errors is not None else []))
    facts = collect_facts(doc, collectors)
    probes = {}
    for r in rules:
        if r.index_probe is not None:
            try:
                probe = r.index_probe.collect(doc)
            except Exception as exc:
                raise _crash(path, r, exc) from exc
            if probe is not None:  # (None: no index can change what the rule finds here)
                probes[r.code] = probe
    found = check_document(doc, rules)
    doc.release()
    if shown is not None:
        found = shown.map_back(found, Document(text, path))
    return found, facts, probes


def check_text(text: str, settings: Optional[Settings] = None, path: str = "<text>",
               index: Any = None, rules: Optional[Sequence[Rule]] = None, view: Any = None,
               errors: Optional[List[str]] = None) -> List[Diagnostic]:
    """Lint one text with the rules the settings select.

    Rules that fail for an outside reason (RuleFileError) add a line to ``errors`` when given.
    """
    settings = settings or Settings()
    rules = select_rules(settings, path=path) if rules is None else rules
    return diagnose(text, path, Context(settings, index, errors if errors is not None else []), rules, view)


def _allowed(fix: Fix, unsafe: bool) -> bool:
    return fix.applicability is Applicability.SAFE or (unsafe and fix.applicability is Applicability.UNSAFE)


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    return a.start < b.end and b.start < a.end or (a.start == a.end and b.start < a.start < b.end) or (
        b.start == b.end and a.start < b.start < a.end
    )


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> Tuple[str, Counter]:
    """Apply every allowed fix whose edits overlap no fix already taken (earliest first)."""
    taken: List[Edit] = []
    applied: Counter = Counter()
    candidates = sorted(
        (d for d in diagnostics if d.fix is not None and _allowed(d.fix, unsafe)),
        key=lambda d: (d.fix.span, d.code),
    )
    for d in candidates:
        edits = d.fix.edits
        if any(_overlaps(e, t) for e in edits for t in taken) or any(
            _overlaps(a, b) for i, a in enumerate(edits) for b in edits[i + 1:]
        ):
            continue
        if all(text[e.start:e.end] == e.content for e in edits):
            continue  # a no-op fix
        taken.extend(edits)
        applied[d.code] += 1
    for e in sorted(taken, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:e.start] + e.content + text[e.end:]
    return text, applied


def fix_text(text: str, settings: Optional[Settings] = None, path: str = "<text>", unsafe: bool = False,
             index: Any = None, rules: Optional[Sequence[Rule]] = None, view: Any = None,
             errors: Optional[List[str]] = None) -> FixResult:
    """Apply fixes, re-lint and repeat until nothing changes (at most MAX_FIX_PASSES passes).

    If the text still changes after the last pass (two rules undoing each other), the result is
    marked not converged with the codes of the rules that kept fixing; callers write nothing then.
    """
    settings = settings or Settings()
    rules = select_rules(settings, path=path) if rules is None else rules
    context = Context(settings, index, errors if errors is not None else [])
    applied: Counter = Counter()
    seen = {text}
    recent: List[Counter] = []
    for _ in range(MAX_FIX_PASSES):
        diagnostics = diagnose(text, path, context, rules, view)
        new_text, used = apply_fixes(text, diagnostics, unsafe)
        if not used or new_text == text:
            return FixResult(text, diagnostics, applied)
        applied.update(used)
        recent.append(used)
        if new_text in seen:  # a cycle: the rules undo each other
            fought = sorted(set().union(*recent[-3:]))
            return FixResult(text, diagnostics, applied, converged=False, fought=tuple(fought))
        seen.add(new_text)
        text = new_text
    diagnostics = diagnose(text, path, context, rules, view)
    if not apply_fixes(text, diagnostics, unsafe)[1]:  # the last pass was the one that settled it
        return FixResult(text, diagnostics, applied)
    fought = sorted(set().union(*recent[-3:]))
    return FixResult(text, diagnostics, applied, converged=False, fought=tuple(fought))
