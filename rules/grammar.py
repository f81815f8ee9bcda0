"""G: grammar and spelling from external engines, off by default.

Two back-ends behind one small interface (``rules/_grammar``): LanguageTool (a server, through
language-tool-python, GPL-3.0, only in the optional ``articlelint[grammar]`` extra) and Harper
(offline, harper-py, Apache-2.0). Each is one rule: ``G:LT`` and ``G:HARPER``; ``--select G``
selects both, and with the default ``backend = "auto"`` whichever of them has an engine runs.
Findings carry the engine's own rule id as a finer code (``G:LT:MORFOLOGIK_RULE_EN_US``,
``G:HARPER:PronounVerbAgreement``); the engine's suggestions are unsafe fixes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from lint import Applicability, Fix, RuleFileError, RuleUnavailable, Severity, rule
from lint.diagnostics import Finding

from ._data import load

LT_CODE, HARPER_CODE = "G:LT", "G:HARPER"
ENGINES = {LT_CODE: "languagetool", HARPER_CODE: "harper"}
NEITHER = ("no grammar backend: give a LanguageTool server (--languagetool-url URL, or "
           "[tool.articlelint.grammar] languagetool-url) or install the offline engine (pip install harper-py)")


def _is_url(v: Any) -> bool:
    return isinstance(v, str) and v.strip().lower().startswith(("http://", "https://"))


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _positive_int(low: int, high: int):
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


SETTINGS = {
    "grammar": {
        "languagetool-url": (_is_url, "the http(s) URL of a LanguageTool server, e.g. \"http://localhost:8081/\""),
        "backend": (lambda v: v in ("auto", "languagetool", "harper"),
                    "\"auto\" (every selected G rule whose engine is available), \"languagetool\" or \"harper\""),
        "language": (lambda v: isinstance(v, str) and 2 <= len(v) <= 12, "a language code such as \"en-US\""),
        "chunk-size": (_positive_int(500, 1_000_000),
                       "the largest piece of text sent to LanguageTool in one request, in UTF-16 units (500 to 1000000)"),
        "max-requests": (_positive_int(1, 32), "how many LanguageTool requests may run at once (1 to 32)"),
        "timeout": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 600,
                    "seconds to wait for a LanguageTool answer (0 < timeout <= 600)"),
        "disabled-rules": (_is_str_list, "a list of engine rule ids to turn off, e.g. [\"EN_A_VS_AN\", \"AnA\"]"),
        "enabled-rules": (_is_str_list, "a list of engine rule ids to turn back on from articlelint's default-off list"),
        "spell-proper-names": (lambda v: isinstance(v, bool),
                               "true to let the spelling rules judge capitalised words (names are the P family's job)"),
    },
}

_DATA = load("grammar")


@dataclass(frozen=True)
class _Config:
    url: Optional[str]
    backend: str
    language: str
    chunk_size: int
    max_requests: int
    timeout: float
    lt_disabled: Tuple[str, ...]
    harper_disabled: Tuple[str, ...]
    harper_disabled_kinds: Tuple[str, ...]
    spell_proper_names: bool


def _config(settings) -> _Config:
    s = settings.section("grammar") if settings is not None else {}
    enabled = set(s.get("enabled-rules", ()))
    extra = tuple(s.get("disabled-rules", ()))

    def disabled(engine: str) -> Tuple[str, ...]:
        ids = [rid for rid, _why in _DATA[engine]["disabled"] if rid not in enabled] + list(extra)
        return tuple(sorted(set(ids)))

    return _Config(
        url=s.get("languagetool-url") or None,
        backend=s.get("backend", "auto"),
        language=s.get("language", "en-US"),
        chunk_size=s.get("chunk-size", 10_000),
        max_requests=s.get("max-requests", 4),
        timeout=float(s.get("timeout", 20)),
        lt_disabled=disabled("languagetool"),
        harper_disabled=disabled("harper"),
        harper_disabled_kinds=tuple(k for k in _DATA["harper"]["disabled-kinds"] if k not in enabled),
        spell_proper_names=bool(s.get("spell-proper-names", False)),
    )


class _Unavailable(Exception):
    pass


# One engine handle per process and configuration (forked workers inherit the parent's, which
# is fine: the LanguageTool client makes its thread pool per process, Harper its linter per thread).
_ENGINES: Dict[tuple, Any] = {}
_LOCK = threading.Lock()


def _prepare(engine: str, cfg: _Config):
    """The engine's handle (cached, failures too, so a missing engine is probed once)."""
    key = (engine, cfg)
    with _LOCK:
        if key not in _ENGINES:
            try:
                _ENGINES[key] = _make(engine, cfg)
            except _Unavailable as exc:
                _ENGINES[key] = exc
    found = _ENGINES[key]
    if isinstance(found, Exception):
        raise found
    return found


def _make(engine: str, cfg: _Config):
    if engine == "harper":
        from ._grammar import harper

        try:
            dialect = harper.dialect_for(cfg.language)
        except harper.Unavailable as exc:
            raise _Unavailable(str(exc)) from None
        version = harper.version()
        if version is None:
            raise _Unavailable("harper-py is not installed (pip install harper-py)")
        return _HarperHandle(f"harper-py {version} ({dialect.lower()})", dialect, cfg)

    from ._grammar import languagetool as lt

    try:
        url = cfg.url
        if not url:
            jar = lt.find_local_jar()
            if jar is None:
                raise lt.Unavailable("no LanguageTool server configured and no local install found")
            lt.client_library()
            url = lt.start_local_server(jar)
        client = lt.Client(url, cfg.language, cfg.timeout, cfg.max_requests, cfg.chunk_size, cfg.lt_disabled)
    except lt.Unavailable as exc:
        raise _Unavailable(str(exc)) from None
    return _LtHandle(f"languagetool {client.version} @ {client.url} ({cfg.language})", client)


@dataclass
class _HarperHandle:
    version: str
    dialect: str
    cfg: _Config

    def check(self, text: str):
        from ._grammar import harper

        try:
            return harper.check(text, self.dialect, self.cfg.harper_disabled, self.cfg.harper_disabled_kinds)
        except harper.Unavailable as exc:
            raise _Unavailable(str(exc)) from None


@dataclass
class _LtHandle:
    version: str
    client: Any

    def check(self, text: str):
        return self.client.check(text)


def _selected_g_codes(settings) -> Tuple[str, ...]:
    from lint import load_rules

    try:
        chosen = load_rules().select(settings.select, settings.extend_select, settings.ignore)
    except Exception:  # pragma: no cover - a broken third-party pack is reported elsewhere
        return ()
    return tuple(r.code for r in chosen if r.code in ENGINES)


def _handle_for(settings, code: str):
    """The engine handle this rule uses, None when it is quietly off, or _Unavailable.

    Quietly off: ``backend`` names the other engine, or (``auto``) this rule's engine is
    missing but another selected G rule has one. A LanguageTool URL that you configured and
    that does not answer is always an error, as is a missing engine you asked for by name."""
    cfg = _config(settings)
    engine = ENGINES[code]
    if cfg.backend not in ("auto", engine):
        return None
    try:
        return _prepare(engine, cfg)
    except _Unavailable as exc:
        if cfg.backend == engine or (engine == "languagetool" and cfg.url):
            raise
        reason = str(exc)
    for other in _selected_g_codes(settings):
        if other != code:
            try:
                _prepare(ENGINES[other], cfg)
                return None
            except _Unavailable:
                pass
    raise _Unavailable(f"{NEITHER} ({reason})")


def _setup_for(code: str):
    def setup(settings) -> str:
        try:
            handle = _handle_for(settings, code)
        except _Unavailable as exc:
            raise RuleUnavailable(str(exc)) from None
        return handle.version if handle is not None else "off"

    setup.__name__ = f"setup_{ENGINES[code]}"
    return setup


def _findings(doc, code: str):
    from ._grammar import BackendError

    settings = doc.context.settings if doc.context is not None else None
    if settings is None:
        from lint import Settings

        settings = Settings()
    try:
        handle = _handle_for(settings, code)
        if handle is None or not doc.text.strip():
            return
        issues = handle.check(doc.text)
    except (_Unavailable, BackendError) as exc:
        raise RuleFileError(str(exc)) from None
    cfg = _config(settings)
    text = doc.text
    for issue in issues:
        if _inside_hyphenated_name(text, issue.start, issue.end):
            continue  # "al-Assad", "Deir-i-Zur": a lowercase particle of a name is not a typo
        if issue.misspelling and issue.end - issue.start <= 2:
            continue  # "s" of "Trump?s", "eg", "du": fragments of damage or abbreviations, not typos
        if issue.misspelling and not cfg.spell_proper_names and text[issue.start:issue.start + 1].isupper():
            continue  # a capitalised word the dictionary lacks is usually a name: the P family's job
        if issue.rule_id in cfg.lt_disabled and code == LT_CODE:
            continue  # a server that ignores disabledRules (or an old one) must not bring them back
        fix = None
        message = issue.message.strip()
        suggestions = [r for r in issue.replacements if r != text[issue.start:issue.end]]
        if suggestions:
            shown = ", ".join(f"'{r}'" for r in suggestions[:3])
            message = f"{message} (suggestion: {shown})"
            fix = Fix.replace(issue.start, issue.end, suggestions[0],
                              f"Replace with '{suggestions[0]}' ({ENGINES[code]} suggestion)", Applicability.UNSAFE)
        yield Finding(issue.start, issue.end, message, fix, None, code=f"{code}:{issue.rule_id}")


_WORD_CHARS = "-'\u2019"


def _inside_hyphenated_name(text: str, start: int, end: int) -> bool:
    left, right = start, end
    while left > 0 and (text[left - 1].isalnum() or text[left - 1] in _WORD_CHARS):
        left -= 1
    while right < len(text) and (text[right].isalnum() or text[right] in _WORD_CHARS):
        right += 1
    token = text[left:right]
    return "-" in token and any(part[:1].isupper() for part in token.split("-"))


@rule(LT_CODE, "languagetool", fix=Applicability.UNSAFE, severity=Severity.INFO, default=False,
      setup=_setup_for(LT_CODE))
def languagetool(doc):
    """Grammar and spelling problems found by a LanguageTool server (opt-in; needs a server).

    Why: scraped text keeps the typos and broken agreement of its source, and spinning or
    careless editing adds more. LanguageTool knows thousands of English patterns. Give a server
    with `--languagetool-url URL` or `[tool.articlelint.grammar] languagetool-url`, or a local
    install (language-tool-python's `LTP_JAR_DIR_PATH`/`LTP_PATH`; nothing is ever downloaded).
    Text is sent in chunks of at most `chunk-size` UTF-16 units, `max-requests` at a time, each
    with a `timeout`; a server that fails for one file gives that file an error line (exit 2)
    and the other rules' findings are still reported. Rules the W family already owns
    (whitespace, repeated words, quotes, dashes) and spelling of capitalised words (names are
    the P family's job) are off; see rules/data/grammar.toml. Codes are `G:LT:<rule id>`.
    Bad:  He go to school every day.
    Good: He goes to school every day.

    Fix safety: unsafe. A suggestion is the engine's guess; the first one is applied.
    """
    return _findings(doc, LT_CODE)


@rule(HARPER_CODE, "harper", fix=Applicability.UNSAFE, severity=Severity.INFO, default=False,
      setup=_setup_for(HARPER_CODE))
def harper(doc):
    """Grammar and spelling problems found by Harper, an offline English checker (opt-in; needs harper-py).

    Why: the same errors LanguageTool finds, without a server: harper-py ships Harper and its
    dictionary in the wheel (`pip install harper-py`). English only (`language` en, en-US,
    en-GB, en-AU, en-CA, en-IN). Harper's style advice (readability, Oxford comma, typography)
    and rules the W family owns are off, as is spelling of capitalised words (names are the P
    family's job); see rules/data/grammar.toml. Codes are `G:HARPER:<Harper rule name>`.
    Bad:  He go to school every day.
    Good: He goes to school every day.

    Fix safety: unsafe. A suggestion is the engine's guess; the first one is applied.
    """
    return _findings(doc, HARPER_CODE)
