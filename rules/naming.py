"""N: one name for one entity (acronyms and their variants, and name spellings across documents).

Rules: N001 lowercase acronyms, N002 abbreviation agreement within an article, N003 acronyms
with permuted letters ("FDS" beside "SDF"), N004 rare spellings of a proper name (within the
article and, when several files are linted together or a saved index is used, across documents).

The proper-name collector (:func:`name_occurrences`, :func:`collect_names`, :data:`NAMES`) and
the similarity helpers (:func:`same_name`, :func:`similar_spellings`) are a small public API that
other families (P, people) reuse; see their docstrings.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import compress, islice, repeat
from operator import add, itemgetter, not_, sub
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from lint import Applicability, Fix, Severity, rule
from lint.corpus import Collector, IndexProbe, index_key

from ._data import load
from ._lazy import lazy_compile

_DATA = load("entities")
_NOT_PROSE = frozenset(_DATA["lowercase"]["not_prose_neighbours"])
_FOREIGN = frozenset(_DATA["lowercase"]["foreign_words"])
_AGREEMENT = _DATA["agreement"]
_MENTION_BEFORE = lazy_compile(_AGREEMENT["mention_before"], re.IGNORECASE)
_ENTITY_KEYS = ("abbreviations", "full", "lowercase", "exceptions", "aliases", "caps_guard", "default",
                "quote_guard", "safe_fix", "strong")

_WORD_RX = lazy_compile(r"[A-Za-z][A-Za-z'.]*")
_TOKEN_WORD = lazy_compile(r"[^\W\d_]+", re.UNICODE)


# -- the entity table (built-in data + the user's [tool.articlelint.naming] config) ----------------
class Entity(NamedTuple):
    id: str
    abbreviations: Tuple[str, ...]
    full: Tuple[str, ...]
    lowercase: Tuple[str, ...]
    exceptions: Tuple[str, ...]
    aliases: Tuple[str, ...]
    caps_guard: frozenset
    default: str
    quote_guard: bool
    safe_fix: bool
    strong: frozenset  # forms that are a strong sign when mixed with the others (USA beside US/U.S.)


class EntityTable(NamedTuple):
    entities: Tuple[Entity, ...]
    prefer: Tuple[Tuple[str, str], ...]
    prefer_reason: str
    abbreviation_forms: Tuple[str, ...]
    lowercase_forms: Tuple[str, ...]
    exceptions_rx: Optional[Any]  # a lazily compiled re.Pattern
    owner: Tuple[Tuple[str, str], ...]  # form -> entity id (abbreviations)
    lower_owner: Tuple[Tuple[str, str], ...]

    def entity(self, entity_id: str) -> Entity:
        return next(e for e in self.entities if e.id == entity_id)


def find_forms(text: str, forms: Sequence[str]) -> List[Tuple[int, int, str]]:
    """Whole-token occurrences of ``forms`` in ``text``: not glued to letters, digits or a dot
    before, nor to letters or ".x" after ("U.S." is not found in "U.S.A."); the longest form first
    at one position, no overlaps. Every occurrence of every form is tried (overlapping ones too):
    by one Aho-Corasick pass for a long form list, else by one substring search per form."""
    forms = tuple(forms)
    if len(forms) <= 12 or not all(forms):
        # a search per form is as fast as one automaton pass for up to about a dozen forms
        return _find_forms_each(text, forms)
    hits = []
    for last, form in _forms_automaton(forms).iter(text):
        end = last + 1
        pos = end - len(form)
        before = text[pos - 1] if pos else " "
        after = text[end:end + 2]
        if not (before.isalnum() or before in "_.") and not (
            after[:1].isalnum() or after[:1] == "_" or after[:1] == "." and after[1:2].isalnum()
        ):
            hits.append((pos, end, form))
    return _longest_first(hits)


@lru_cache(maxsize=16)
def _forms_automaton(forms: Tuple[str, ...]):
    """An Aho-Corasick automaton over ``forms`` (each form its own value), built once per form list."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for form in forms:
        automaton.add_word(form, form)
    automaton.make_automaton()
    return automaton


def _find_forms_each(text: str, forms: Sequence[str]) -> List[Tuple[int, int, str]]:
    """find_forms by one substring search per form (short form lists, or one with an empty form)."""
    hits = []
    for form in forms:
        pos = text.find(form)
        while pos != -1:
            end = pos + len(form)
            before = text[pos - 1] if pos else " "
            after = text[end:end + 2]
            if not (before.isalnum() or before in "_.") and not (
                after[:1].isalnum() or after[:1] == "_" or after[:1] == "." and after[1:2].isalnum()
            ):
                hits.append((pos, end, form))
            pos = text.find(form, pos + 1)
    return _longest_first(hits)


def _longest_first(hits: List[Tuple[int, int, str]]) -> List[Tuple[int, int, str]]:
    """The hits in text order, the longest first at one position, without overlaps."""
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out, last = [], -1
    for h in hits:
        if h[0] >= last:
            out.append(h)
            last = h[1]
    return out


def _make_entity(raw: Mapping[str, Any]) -> Entity:
    abbreviations = tuple(raw.get("abbreviations", ()))
    return Entity(
        id=raw["id"], abbreviations=abbreviations, full=tuple(raw.get("full", ())),
        lowercase=tuple(raw.get("lowercase", ())), exceptions=tuple(raw.get("exceptions", ())),
        aliases=tuple(raw.get("aliases", ())), caps_guard=frozenset(raw.get("caps_guard", ())),
        default=raw.get("default") or (abbreviations[0] if abbreviations else raw["id"]),
        quote_guard=bool(raw.get("quote_guard", False)), safe_fix=bool(raw.get("safe_fix", True)),
        strong=frozenset(raw.get("strong", ("USA", "U.S.A.") if raw["id"] == "US" else ())),
    )


def _merged_entities(extension: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """Built-in entities with the user's additions: lists extend, scalars replace, new ids append."""
    out = [dict(e) for e in _DATA["entity"]]
    by_id = {e["id"]: e for e in out}
    for entity_id, extra in (extension or {}).items():
        target = by_id.get(entity_id)
        if target is None:
            target = {"id": entity_id}
            out.append(target)
            by_id[entity_id] = target
        for key, value in extra.items():
            key = key.replace("-", "_")
            if isinstance(value, list):
                target[key] = list(target.get(key, [])) + [v for v in value if v not in target.get(key, [])]
            else:
                target[key] = value
    return out


@lru_cache(maxsize=32)
def _build_table(config_json: str) -> EntityTable:
    config = json.loads(config_json)
    entities = tuple(_make_entity(e) for e in _merged_entities(config.get("entities", {})))
    prefer: Dict[str, str] = {}
    reason = "the configured preferred form"
    style = config.get("house-style")
    if style:
        prefer.update(_DATA["house_style"][style])
        reason = f"house style '{style}'"
    if config.get("prefer"):
        prefer.update(config["prefer"])
    owner, lower_owner, exceptions = {}, {}, []
    for e in entities:
        for form in e.abbreviations:
            owner[form] = e.id
        for form in e.lowercase:
            lower_owner[form] = e.id
        exceptions.extend(e.exceptions)
    # compiled on first use: only a text with an abbreviation needs it, and it is large
    exc = lazy_compile("|".join(f"(?:{x})" for x in exceptions)) if exceptions else None
    return EntityTable(entities, tuple(sorted(prefer.items())), reason, tuple(owner), tuple(lower_owner),
                       exc, tuple(owner.items()), tuple(lower_owner.items()))


def entity_table(doc=None) -> EntityTable:
    """The entity table for this document's settings (cached per distinct config)."""
    section = doc.context.section("naming") if doc is not None and doc.context else {}
    wanted = {k: section[k] for k in ("entities", "prefer", "house-style") if k in section}
    return _build_table(json.dumps(wanted, sort_keys=True))


def _skipped_lines(doc) -> frozenset:
    """Numbers of the lines whose words are not prose: the title, blank, ALL-CAPS lines."""
    def make():
        skipped = _line_skipped(doc)
        return frozenset(line.number for line in doc.lines if skipped(line))
    return _cached(doc, "skipped", make)


def _line_skipped(doc):
    """``skipped(line)``: whether one line is in :func:`_skipped_lines`, decided lazily per line
    (most rules look at a few lines only)."""
    def make():
        title = _headline(doc)
        memo: Dict[int, bool] = {}

        def skipped(line) -> bool:
            number = line.number
            found = memo.get(number)
            if found is None:
                text = line.text
                found = memo[number] = line is title or not text.strip() or is_caps_line(text)
            return found
        return skipped
    return _cached(doc, "skipped-test", make)


def _headline(doc):
    """The title line when it is a headline (its words are not prose), else None."""
    return _cached(doc, "headline", lambda: doc.title if _is_headline(doc.title) else None)


def _is_headline(line) -> bool:
    """The first line is a headline, not the first paragraph of a scrape that has none."""
    if line is None:
        return False
    text = line.text.strip()
    return is_title_case_line(text) or (len(text.split()) <= 20 and not text.endswith((".", '"', "”")))


def _cached(doc, name: str, make):
    store = doc.__dict__.setdefault("_naming_cache", {})
    if name not in store:
        store[name] = make()
    return store[name]


# -- where acronyms are prose ---------------------------------------------------------------------


# The letters [A-ZÀ-Þ] and [a-zß-ÿ] as Latin-1 bytes: all are Latin-1, so a line encoded
# with the other characters dropped has the same counts, and bytes.translate is much faster.
_LOWER_BYTES = bytes(list(range(0x61, 0x7B)) + list(range(0xDF, 0x100)))
_UPPER_BYTES = bytes(list(range(0x41, 0x5B)) + list(range(0xC0, 0xDF)))


# Latin-1 bytes with every a-z as "a" and every A-Z as "A" (other bytes unchanged).
_LETTER_CLASSES = bytes(0x61 if 0x61 <= b <= 0x7A else 0x41 if 0x41 <= b <= 0x5A else b for b in range(256))


def is_caps_line(text: str) -> bool:
    """An ALL-CAPS line (a headline, a transcript): its words are not prose spellings."""
    if len(text) > 200:
        head = text[:100].encode("latin-1", "ignore")
        if len(head) - len(head.translate(None, _LOWER_BYTES)) > 40:
            return False  # clearly prose: no need to count the whole paragraph
    data = text.encode("latin-1", "ignore")
    lower = len(data) - len(data.translate(None, _LOWER_BYTES))
    upper = len(data) - len(data.translate(None, _UPPER_BYTES))
    if upper + lower < 12:
        return upper > 0 and lower == 0
    return upper / (upper + lower) > 0.85


def is_title_case_line(text: str) -> bool:
    """A headline-style line ("Led Coalition Airstrikes Kill Over 100 Syrian Soldiers")."""
    if len(text) > 250:
        return False
    # A cheap disproof first (most prose lines): title case needs capital words >= 3 x lowercase
    # words (75%). Capital words <= the capitals A-Z of the line; each " " + 4 lowercase letters
    # a-z starts a distinct lowercase word of >= 4 letters (a space is no word character, so a
    # word starts there). Encoding with "?" for other characters keeps the positions.
    classes = text.encode("latin-1", "replace").translate(_LETTER_CLASSES)
    if 3 * classes.count(b" aaaa") > classes.count(b"A"):
        return False
    # the _WORD_RX words of >= 4 letters, each as its capital first letter or "" (C-speed counting)
    words = _WORD4_CAPITAL.findall(text)
    count = len(words)
    if count < 3 or count > 12 and text.rstrip().endswith((".", "?", "!", '"', "”")):
        return False
    return (count - words.count("")) / count >= 0.75


# _WORD_RX's words of >= 4 characters (a shorter word cannot hide a longer one: the words are
# maximal runs), with the first letter captured when it is a capital.
_WORD4_CAPITAL = lazy_compile(r"(?:([A-Z])|[a-z])[A-Za-z'.]{3,}")


def _caps_context(text: str, start: int, end: int, k: int = 3) -> bool:
    """True when >= 3 of the 6 neighbouring words are ALL CAPS ("WHO IS ...", "FOR US. IT SEEMS")."""
    before = _WORD_RX.findall(text[max(0, start - 80):start])[-k:]
    after = _WORD_RX.findall(text[end:end + 80])[:k]
    words = [w.strip(".'") for w in before + after]
    return sum(1 for w in words if len(w) >= 2 and w.isupper()) >= 3


def _quoted_spans(text: str) -> List[Tuple[int, int]]:
    """Spans inside quotation marks in one line (straight quotes pair up; curly quotes open/close)."""
    spans, open_at = [], None
    for i, ch in enumerate(text):
        if ch in "“«":
            open_at = i
        elif ch in "”»" and open_at is not None:
            spans.append((open_at, i))
            open_at = None
        elif ch == '"':
            if open_at is None:
                open_at = i
            else:
                spans.append((open_at, i))
                open_at = None
    return spans


def _is_exception(text: str, start: int, end: int, table: EntityTable) -> bool:
    """Whether text[start:end] lies inside a name that contains a form ("USA TODAY", "50 U.S.C.")."""
    if table.exceptions_rx is None:
        return False
    lo = max(0, start - 40)
    window = text[lo:end + 40]
    return any(m.start() <= start - lo and m.end() >= end - lo for m in table.exceptions_rx.finditer(window))


class Mention(NamedTuple):
    entity: str
    form: str
    start: int
    end: int


def abbreviation_mentions(doc) -> List[Mention]:
    """Abbreviated entity mentions in the article's running text, in order.

    Skipped: the title and ALL-CAPS lines, names that contain a form (the exception list), forms
    that are English words in ALL-CAPS context, quoted forms of quote-guarded entities, and
    mentions of the name itself ("the Arabic acronym for ISIS").
    """
    def make():
        table = entity_table(doc)
        text = doc.text
        found = find_forms(text, table.abbreviation_forms)
        if not found:
            return []
        owner = dict(table.owner)
        out = []
        skipped = _line_skipped(doc)
        quotes: Dict[int, list] = {}
        for start, end, form in found:
            line = doc.line_at(start)
            if skipped(line) or _is_exception(text, start, end, table):
                continue
            entity = table.entity(owner[form])
            if form in entity.caps_guard and _caps_context(text, start, end):
                continue
            if _MENTION_BEFORE.search(text[max(line.start, start - 60):start]):
                continue
            if entity.quote_guard:
                if line.number not in quotes:
                    quotes[line.number] = _quoted_spans(line.text)
                if any(a < start - line.start < b for a, b in quotes[line.number]):
                    continue
            out.append(Mention(entity.id, form, start, end))
        return out

    return _cached(doc, "mentions", make)


def abbreviation_counts(doc) -> Dict[str, Counter]:
    """How often the article writes each abbreviated form, per entity (title excluded)."""
    counts: Dict[str, Counter] = {}
    for mention in abbreviation_mentions(doc):
        counts.setdefault(mention.entity, Counter())[mention.form] += 1
    return counts


def preferred_form(entity_id: str, counts: Dict[str, Counter], prefer: Mapping[str, str],
                   mentions: Sequence[Mention] = (), default: Optional[str] = None) -> Tuple[str, str, bool]:
    """(form, reason, decided): the configured preference, else the article's most frequent form,
    else (a tie) the tied form the article uses first, else the entity's default.

    ``decided`` is False when the article itself does not settle the form (a tie, or no mention):
    N002 then flags nothing, while N001 still needs some form for its fix.
    """
    if entity_id in prefer:
        return prefer[entity_id], "the configured preferred form", True
    seen = counts.get(entity_id)
    if seen:
        ranked = sorted(seen.items(), key=lambda kv: -kv[1])
        top = ranked[0][1]
        tied = [f for f, n in ranked if n == top]
        if len(tied) == 1:
            form = tied[0]
            return form, f"this article writes '{form}' {top} time{'s' * (top != 1)}", True
        first = next((m.form for m in mentions if m.entity == entity_id and m.form in tied), sorted(tied)[0])
        return first, f"this article writes '{first}' first ({top} times, as often as {_others(tied, first)})", False
    return default or entity_id, "the usual form", False


def _others(forms: Sequence[str], but: str) -> str:
    return ", ".join(f"'{f}'" for f in forms if f != but)


def _target(doc, entity_id: str) -> Tuple[str, str, bool]:
    table = entity_table(doc)
    prefer = dict(table.prefer)
    entity = table.entity(entity_id)
    form, reason, decided = preferred_form(entity_id, abbreviation_counts(doc), prefer,
                                           abbreviation_mentions(doc), entity.default)
    if entity_id in prefer:
        reason = table.prefer_reason
    return form, reason, decided


_SENTENCE_STARTERS = frozenset(
    "The A An It He She They We I In On At But And Or So Yet This That These Those There Its His Her Their Our "
    "After Before When While As If Since Although However Meanwhile Officials Some Many".split()
)


def _replacement(text: str, start: int, end: int, target: str) -> Tuple[int, int, str, bool]:
    """(start, end, content, certain) replacing ``text[start:end]`` by ``target`` without
    doubling or losing a sentence-final period ("the US." -> "the U.S."; "the U.S. The" -> "the US. The")."""
    form = text[start:end]
    after = text[end:end + 1]
    if target.endswith(".") and after == ".":
        return start, end + 1, target, True  # "US." at a sentence end becomes "U.S."
    if form.endswith(".") and not target.endswith("."):
        rest = text[end:]
        stripped = rest.lstrip(" ")
        if not stripped or stripped[:1] in "\n\"'”’)":
            return start, end, target + ".", True  # "... the U.S." at the end of a line
        nxt = _TOKEN_WORD.match(stripped)
        if nxt and nxt.group()[0].isupper():
            # "the U.S. Army" or "the U.S. The ...": a guess either way
            if nxt.group() in _SENTENCE_STARTERS:
                return start, end, target + ".", False
            return start, end, target, False
    return start, end, target, True


def _in_prose(text: str, start: int, end: int) -> bool:
    """False inside URLs, e-mail addresses, hashtags, handles and file names."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before in _NOT_PROSE:
        return False
    if after in _NOT_PROSE:
        # a sentence-ending period or a colon followed by a space is still prose
        return after in ".:" and (end + 1 >= len(text) or text[end + 1].isspace())
    return True


def _foreign_context(text: str, start: int, end: int) -> bool:
    """True when an Italian/Spanish/Portuguese function word is within two words ("nato a Roma")."""
    before = _TOKEN_WORD.findall(text[max(0, start - 40):start])[-2:]
    after = _TOKEN_WORD.findall(text[end:end + 40])[:2]
    return any(w.lower() in _FOREIGN for w in before + after)


@rule("N001", "lowercase-acronym", fix=Applicability.SAFE)
def lowercase_acronym(doc):
    """A country or organisation acronym written in lowercase ("usa authorities").

    Why: lowercasing is scraper or spinner damage; no newsroom writes "usa" or "nato". The
    fix uses the form the article itself uses elsewhere ("US" or "U.S."), else the usual
    one. The pronoun "us" is never flagged, nor "un" and "eu" (other languages, "Kim Jong-un"),
    nor forms inside URLs, e-mail addresses, hashtags, handles or Italian/Spanish/Portuguese text.

    Bad:  Reuters reported, citing a spokesman for the usa authorities.
    Good: Reuters reported, citing a spokesman for the US authorities.

    Fix safety: safe. Only the letter case (and dots) of the acronym change, to the form of the
    same entity that N002 (abbreviation agreement) would also choose, so the two never disagree.
    """
    table = entity_table(doc)
    text = doc.text
    found = find_forms(text, table.lowercase_forms)
    if not found:
        return
    owner = dict(table.lower_owner)
    title = doc.title
    for start, end, form in found:
        if not _in_prose(text, start, end) or _foreign_context(text, start, end):
            continue
        line = doc.line_at(start)
        if is_caps_line(line.text):
            continue
        target, reason, _ = _target(doc, owner[form])
        s, e, content, certain = _replacement(text, start, end, target)
        if line is title and not certain:
            certain = True
        yield doc.finding(
            start, end,
            f"Lowercase acronym '{form}'; write '{target}' ({reason})",
            fix=Fix.replace(s, e, content, f"Write '{target}'", Applicability.SAFE if certain else Applicability.UNSAFE),
        )


@rule("N002", "abbreviation-agreement", fix=Applicability.SAFE)
def abbreviation_agreement(doc):
    """One entity abbreviated two ways in one article ("U.S." six times, then "US military").

    Why: a newsroom picks one form ("U.S." in AP style, "US" at Reuters UK or the BBC) and keeps
    it; a spinner or a careless merge of two sources mixes them. Each mention that differs from
    the configured form (`prefer`, `house-style`), else from the article's dominant form, is
    flagged with the counts. Spelled-out names ("the United States", "America") are normal beside
    an abbreviation and never count; names that contain a form ("USA TODAY", "50 U.S.C.") are
    skipped. An article needs 3 abbreviated mentions of the entity, and a tie flags nothing.
    Severity: warning for three forms or a "USA" in prose beside "US"/"U.S." (no genuine article
    of 500 did that); info for two forms (4 of 500 genuine articles mix "US" and "U.S.").

    Bad:  U.S. troops arrived. U.S. officials spoke. The U.S. Navy agreed. The US military did not.
    Good: U.S. troops arrived. The United States sent more. U.S. officials spoke in America.

    Fix safety: safe for entities whose forms differ only in dots and letters of one name (US,
    UK, UN, EU, NATO); unsafe where the form is an editorial choice (ISIS / ISIL / IS), or when a
    dot may end a sentence ("the U.S. The" -> "the US. The").
    """
    mentions = abbreviation_mentions(doc)
    if not mentions:
        return
    table = entity_table(doc)
    prefer = dict(table.prefer)
    counts = abbreviation_counts(doc)
    text = doc.text
    minimum = _AGREEMENT["min_mentions"]
    for entity_id, seen in counts.items():
        configured = entity_id in prefer
        if not configured and (len(seen) < 2 or sum(seen.values()) < minimum):
            continue
        form, reason, decided = _target(doc, entity_id)
        if not decided:
            continue
        entity = table.entity(entity_id)
        others = [f for f in seen if f != form]
        if not others:
            continue
        strong = len(seen) >= 3 or any(f in entity.strong for f in seen) and form not in entity.strong
        severity = Severity.WARNING if configured or strong else Severity.INFO
        summary = ", ".join(f"'{f}' {n}" for f, n in seen.most_common())
        for m in mentions:
            if m.entity != entity_id or m.form == form:
                continue
            start, end, content, certain = _replacement(text, m.start, m.end, form)
            safe = entity.safe_fix and certain
            yield doc.finding(
                m.start, m.end,
                f"'{m.form}': {reason}; keep one form of the {entity_id} (forms here: {summary})",
                fix=Fix.replace(start, end, content, f"Write '{form}'", Applicability.SAFE if safe else Applicability.UNSAFE),
                severity=severity,
            )


# -- N003: acronyms whose letters are permuted ------------------------------------------------------
# (?<![\w.\-])[A-Z]{3,6}(?!\w), written to start with a capital so that the search skips to one
_ACRONYM = lazy_compile(r"[A-Z](?<![\w.\-][A-Z])[A-Z]{2,5}(?!\w)")


@rule("N003", "permuted-acronym", fix=Applicability.UNSAFE)
def permuted_acronym(doc):
    """An acronym with the letters of another in the same article ("FDS offices" beside "SDF").

    Why: translated copy keeps the source language's word order (French "Forces démocratiques
    syriennes" = FDS for the Syrian Democratic Forces, SDF), and typists swap letters (UNWRA for
    UNRWA). The less frequent form is flagged with the likely intended one. Skipped: ALL-CAPS
    lines and context, codes followed by a digit ("ERS-7"), and pairs both defined in parentheses
    ("(LPV)" and "(VPL)": two real acronyms). Measured on 500 news articles: 2 flags, both the
    real typo "UNWRA" beside "UNRWA"; 0 wrong.

    Bad:  The SDF said the SDF held the town after an attack against FDS offices.
    Good: The SDF said the SDF held the town after an attack against SDF offices.

    Fix safety: unsafe. The intended acronym is a guess from the letters and the counts.
    """
    text = doc.text
    # An acronym cannot span a line break and the pattern's edges see a line break as they see a
    # line's edge, so one search over the text finds what a search line by line finds. Only
    # letter sets written two ways can give a finding: the per-hit checks run for those alone.
    forms_of: Dict[str, set] = defaultdict(set)
    letters_of: Dict[str, str] = {}
    for form in set(_ACRONYM.findall(text)):
        letters_of[form] = letters = "".join(sorted(form))
        forms_of[letters].add(form)
    wanted = {letters for letters, forms in forms_of.items() if len(forms) > 1}
    if not wanted:
        return
    found: Dict[str, List[Tuple[str, int, int]]] = defaultdict(list)
    skipped = _line_skipped(doc)
    for m in _ACRONYM.finditer(text):
        form = m.group()
        letters = letters_of[form]
        if letters not in wanted:
            continue
        line = doc.line_at(m.start())
        if skipped(line):
            continue
        start, end = m.start() - line.start, m.end() - line.start
        if _caps_context(line.text, start, end) or _DIGIT_AFTER.match(line.text, end):
            continue
        found[letters].append((form, m.start(), m.end()))
    table = entity_table(doc)
    known = dict(table.owner)
    for letters, hits in found.items():
        forms = Counter(h[0] for h in hits)
        if len(forms) < 2:
            continue
        defined = {f for f in forms if f"({f})" in text}
        if len(defined) >= 2:
            continue
        ranked = forms.most_common()
        top = ranked[0][1]
        leaders = [f for f, n in ranked if n == top]
        if len(leaders) > 1:
            leaders = [f for f in leaders if f in known or f in defined]
            if len(leaders) != 1:
                continue  # a tie between unknown acronyms: no way to tell which is meant
        intended = leaders[0]
        if intended not in known and intended not in defined and top < 2:
            continue
        n = forms[intended]
        for form, start, end in hits:
            if form == intended or form in defined:
                continue
            yield doc.finding(
                start, end,
                f"'{form}' has the letters of '{intended}', which this article writes {n} time{'s' * (n != 1)}; "
                f"likely '{intended}' (translated word order or swapped letters)",
                fix=Fix.replace(start, end, intended, f"Write '{intended}'", Applicability.UNSAFE),
            )


# -- proper names: extraction, keys, the corpus collector and similarity (reused by family P) -------
_NAME_TOKEN_FIRST = r"[A-Z\u00C0-\u00DE]"
_NAME_TOKEN_REST = r"[\w\u00C0-\u024F'’]*(?:-[\w\u00C0-\u024F'’]+)*"
_NAME_TOKEN = lazy_compile(_NAME_TOKEN_FIRST + _NAME_TOKEN_REST)
_PARTICLE_NAME = lazy_compile(r"\b([A-Z][a-z]+)\s+((?:al|el|ez|es|ed|ad|ar|as|ash|az|an)-[A-Z]\w+)")
# What every _PARTICLE_NAME match contains ("l-Z" of "al-Zor"): a search that skips to the hyphens.
_PARTICLE_HINT = lazy_compile(r"-(?<=(?:al|el|ez|es|ed|ad|ar|as|sh|az|an)-)[A-Z]")
_POSSESSIVE = lazy_compile(r"'s?$")
_NAME_SPLIT = lazy_compile(r"[\s\-']+")
_DOUBLED = lazy_compile(r"(.)\1+")
_VOWEL_SET = frozenset("aeiou")
_DROP_VOWELS = str.maketrans("", "", "aeiou")  # re.sub("[aeiou]", "", s), at C speed
_DIGIT_AFTER = lazy_compile(r"-?\d")
_PARTICLES = frozenset("al el ez es ed ad ar as at an ash az i e ul ol il".split())
_NAMES_DATA = _DATA["names"]
_STOP = frozenset(_NAMES_DATA["stop"]["words"].split())
_SETTINGS_NAMES = _NAMES_DATA["settings"]


_OPENERS = frozenset(".!?:;\"“”‘’'([—–-")


def _sentence_initial(text: str, pos: int) -> bool:
    """Whether the token at ``pos`` opens a sentence, a quote or a clause after a dash."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _OPENERS


class NameOccurrence(NamedTuple):
    surface: str  # the spelling, possessive "'s" removed ("Guterres")
    start: int
    end: int
    sentence_initial: bool


def strip_diacritics(s: str) -> str:
    if s.isascii():
        return s  # NFKD leaves ASCII as it is
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def name_key(surface: str) -> str:
    """Spelling-insensitive key of a name: no diacritics, lowercase, particles dropped
    ("Deir al-Zor" and "Deir ez-Zor" -> "deirzor"; "Guterres's" -> "guterres")."""
    if surface.isascii() and surface.isalpha():
        return surface.lower()  # one plain word: what the steps below give, faster
    s = strip_diacritics(surface).lower().replace("’", "'")
    s = _POSSESSIVE.sub("", s)
    parts = [p for p in _NAME_SPLIT.split(s) if p]
    kept = [p for p in parts if p not in _PARTICLES]
    return "".join(kept or parts)


@lru_cache(maxsize=65536)
def soft_key(key: str) -> str:
    """Collapse spelling classes that typos and transliterations produce (ph/f, c/k/q, z/s, y/i,
    ou/u, w/v, doubled letters): "guterres" and "guterez" -> "guteres"."""
    s = key.replace("ph", "f").replace("ck", "k").replace("q", "k").replace("c", "k")
    s = s.replace("z", "s").replace("y", "i").replace("ou", "u").replace("w", "v")
    return _DOUBLED.sub(_first_group, s)


def _first_group(m: "re.Match[str]") -> str:
    return m.group(1)  # the same as the template r"\1", without expanding a template per match


@lru_cache(maxsize=65536)
def block_key(surface: str) -> str:
    """The index key (blocking key) of a name: first letter + consonants of its soft key, so
    that spellings one edit apart usually share a key ("Guterres", "Guterez" -> "gtrs";
    "Deir-i-Zur", "Deir al-Zor" -> "drsr")."""
    s = soft_key(name_key(surface))
    return s[:1] + s[1:].translate(_DROP_VOWELS) if s else ""


def _ratio(a: str, b: str) -> float:
    """rapidfuzz's fuzz.ratio: 100 * (1 - indel distance / total length)."""
    if not a and not b:
        return 100.0
    # longest common subsequence
    previous = [0] * (len(b) + 1)
    for ca in a:
        current = [0]
        for j, cb in enumerate(b, 1):
            current.append(previous[j - 1] + 1 if ca == cb else max(previous[j], current[j - 1]))
        previous = current
    lcs = previous[-1]
    return 100.0 * 2 * lcs / (len(a) + len(b))


def same_name(a: str, b: str, min_length: Optional[int] = None, min_ratio: Optional[float] = None) -> bool:
    """Whether two spellings look like one name misspelled or transliterated differently.

    True when the keys differ but their soft keys are equal, or one vowel apart with a
    similarity ratio >= 85; both keys must have >= 5 letters, start with the same letter and
    neither may be a prefix of the other (Scott/Scotty, Hawaii/Hawaiian). Measured on 500 news
    articles: Jon/John, Allen/Allan never match; Guterres/Guterez, Deir al-Zor/Deir-i-Zur do.
    """
    min_length = _SETTINGS_NAMES["min_key_length"] if min_length is None else min_length
    min_ratio = _SETTINGS_NAMES["min_ratio"] if min_ratio is None else min_ratio
    ka, kb = name_key(a), name_key(b)
    if ka == kb or len(ka) < min_length or len(kb) < min_length or ka[0] != kb[0]:
        return False
    if ka.startswith(kb) or kb.startswith(ka):
        return False
    sa, sb = soft_key(ka), soft_key(kb)
    if sa == sb:
        return True
    return _one_vowel_apart(sa, sb) and _ratio(ka, kb) >= min_ratio


def _one_vowel_apart(a: str, b: str) -> bool:
    """One vowel added, dropped or changed ("Micororaptor", "Deir-i-Zur"/"Deir al-Zor"); a consonant
    edit more often makes another name (Kevin/Kelvin, Walter/Water, Teresa/Theresa)."""
    if len(a) == len(b):
        diff = [(x, y) for x, y in zip(a, b) if x != y]
        return len(diff) == 1 and diff[0][0] in _VOWEL_SET and diff[0][1] in _VOWEL_SET
    if abs(len(a) - len(b)) != 1:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)
    for i, ch in enumerate(long):
        if long[:i] + long[i + 1:] == short:
            return ch in _VOWEL_SET
    return False


def _clean_surface(token: str) -> str:
    token = token.rstrip("'’")
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    return token


def _occurrence_surface(token: str) -> str:
    surface = _clean_surface(token)
    if len(surface) < 3 or surface in _STOP or surface.replace("-", "").isupper():
        return ""
    return surface


class _Surfaces(dict):
    """token -> its surface (_occurrence_surface), or "" when it is no name; filled on lookup."""

    def __missing__(self, token: str) -> str:
        if len(self) > 200_000:
            self.clear()
        surface = self[token] = _occurrence_surface(token)
        return surface


_OCCURRENCE_SURFACES = _Surfaces()


def name_occurrences(doc, sentence_initial: bool = False) -> List[NameOccurrence]:
    """Capitalised person and place names in the article's running text, in order.

    A name is a capitalised token (hyphenated parts kept whole: "Jong-un", "Deir-i-Zur") of >= 3
    letters that is not an acronym, not a common capitalised word (entities.toml [names.stop]),
    outside the title, ALL-CAPS and Title-Case lines; plus "X al-Y" place names ("Deir al-Zor").
    A token seen only at sentence starts is kept only if the article also writes it mid-sentence
    (drops "Officials", "Sources" ...), unless ``sentence_initial`` is true. Cached per document.
    """
    name = "names-all" if sentence_initial else "names"
    store = doc.__dict__.setdefault("_naming_cache", {})
    found = store.get(name)
    if found is None:
        surfaces, starts, initial, mid = _name_scan(doc)
        make = NameOccurrence._make
        if sentence_initial:
            found = [make(o) for o in zip(surfaces, starts, map(add, starts, map(len, surfaces)), initial)]
        else:
            found = [make((surface, start, start + len(surface), first))
                     for surface, start, first in zip(surfaces, starts, initial) if surface in mid]
        store[name] = found
    return found


_LINE_OPENERS = _OPENERS | {"\n"}  # a line break: the token opens its line


def _initial_flags(text: str, starts: Iterable[int]) -> List[bool]:
    """[_sentence_initial(line, start)] for tokens at ``starts`` (offsets in ``text``): looking
    back over spaces and tabs, a line break stops as the start of the line does."""
    opens = _LINE_OPENERS
    flags = []
    for start in starts:
        i = start - 1
        while i >= 0 and text[i] in " \t":
            i -= 1
        flags.append(i < 0 or text[i] in opens)
    return flags


_GROUP = re.Match.group
_START = re.Match.start


class _GluedChars(dict):
    """character -> whether a name token right after it is glued to it (a letter, digit, hyphen
    or apostrophe: see _scan); filled on lookup."""

    def __missing__(self, ch: str) -> bool:
        glued = self[ch] = ch.isalnum() or ch in "-'’"  # isalnum: \w without "_", as [^\W_]
        return glued


_GLUED = _GluedChars()


def _doc_tokens(doc) -> Tuple[List[str], List[int]]:
    """Every _NAME_TOKEN match of the whole text, (tokens, starts), in text order; cached per
    document. The one regex pass over the capitalised words shared by the collectors (_scan keeps
    the tokens of its prose lines that are not glued to the character before them) and N004's
    pre-check (_spelling_tokens counts them all)."""
    store = doc.__dict__.setdefault("_naming_cache", {})
    found = store.get("tokens")
    if found is None:
        matches = list(_NAME_TOKEN.finditer(doc.text))
        found = store["tokens"] = (list(map(_GROUP, matches)), list(map(_START, matches)))
    return found


def _name_scan(doc) -> Tuple[List[str], List[int], List[bool], set]:
    """The name tokens of name_occurrences as parallel lists (surfaces, starts, sentence-initial)
    plus the set of surfaces written mid-sentence at least once; cached per document."""
    store = doc.__dict__.setdefault("_naming_cache", {})
    found = store.get("scan")
    if found is None:
        found = store["scan"] = _scan(doc)
    return found


def _scan(doc) -> Tuple[List[str], List[int], List[bool], set]:
    """Line by line, the name tokens of the prose lines (not the title, blank, ALL-CAPS or Title
    Case lines) and then, on a line with a hyphen, its "X al-Y" names.

    A name token is a _NAME_TOKEN match not glued to a letter, digit, hyphen or apostrophe before
    it (a token inside a skipped one, "Zor" of "al-Zor", is rejected the same way). The work is
    done in bulk: the tokens come from the one search of the whole text that N004's pre-check
    shares (_doc_tokens), taken for each run of consecutive prose lines (blank lines inside a run
    hold no token; a token never spans a line break) and filtered by the character before them,
    and the surfaces by one map over the tokens. Lines with "_", "×" or "÷" (see _scan_line) and
    lines with "X al-Y" names (their names follow the line's tokens) are handled one line at a
    time, in order."""
    surfaces: List[str] = []
    starts: List[int] = []
    initial: List[bool] = []
    text = doc.text
    title = _headline(doc)
    particles = _PARTICLE_HINT.search(text) is not None
    odd = "_" in text or "×" in text or "÷" in text
    # the prose text in order: (start, end) runs of lines to search in bulk, or one Line alone
    segments: list = []
    lo = hi = -1
    for line in doc.lines:
        line_text = line.text
        if not line_text or line_text.isspace():
            continue  # no token: a run goes on over it
        # the lines of _line_skipped (title, blank, ALL CAPS) and Title Case lines hold no prose
        if line is title or is_caps_line(line_text) or is_title_case_line(line_text):
            if lo >= 0:
                segments.append((lo, hi))
                lo = -1
        elif (odd and ("_" in line_text or "×" in line_text or "÷" in line_text)
              or particles and "-" in line_text):
            if lo >= 0:
                segments.append((lo, hi))
                lo = -1
            segments.append(line)
        else:
            if lo < 0:
                lo = line.start
            hi = line.end
    if lo >= 0:
        segments.append((lo, hi))
    if not segments:
        return surfaces, starts, initial, set()
    known = _OCCURRENCE_SURFACES
    # In a span of lines without "_", "×" or "÷", the whole-text _NAME_TOKEN matches that start in
    # it and are not glued are exactly what _scan_line finds there (what a search of the span with
    # the look-behinds "(?<![^\W_].)(?<![-'’].)" after the first letter found before): a match
    # that starts earlier covers a token start only through a character of its own (\w, "-", "'",
    # "’", or "×"/"÷" of \u00C0-\u024F), and that character glues the token unless it is "_", "×"
    # or "÷"; from an unglued start both take the same characters. No token spans a line break,
    # so the tokens starting in a span of whole lines end in it.
    all_tokens, all_starts = _doc_tokens(doc)
    glued = _GLUED.__getitem__
    for segment in segments:
        if type(segment) is tuple:
            lo, hi = segment
        else:
            line_text = segment.text
            lo, hi = segment.start, segment.end
            if odd and ("_" in line_text or "×" in line_text or "÷" in line_text):
                _scan_line(line_text, lo, surfaces, starts, initial)
                lo = hi  # no tokens from the bulk scan
        i = bisect_left(all_starts, lo)
        j = bisect_left(all_starts, hi, i)
        if i < j:
            span_starts = all_starts[i:j]
            tokens = all_tokens[i:j]
            before = list(map(text.__getitem__, map(sub, span_starts, repeat(1))))  # the character before each
            if not span_starts[0]:
                before[0] = "\n"  # a token at the start of the text follows nothing (not text[-1])
            free = list(map(not_, map(glued, before)))
            span_starts = list(compress(span_starts, free))
            found = list(map(known.__getitem__, compress(tokens, free)))  # "" when no name
            kept = list(compress(span_starts, found))
            surfaces.extend(filter(None, found))
            starts.extend(kept)
            initial.extend(_initial_flags(text, kept))
        if type(segment) is not tuple and particles and "-" in segment.text:
            base = segment.start
            for m in _PARTICLE_NAME.finditer(segment.text):
                surfaces.append(m.group())
                starts.append(base + m.start())
                initial.append(False)
    mid = set(compress(surfaces, map(not_, initial)))
    return surfaces, starts, initial, mid


def _scan_line(text: str, base: int, surfaces: List[str], starts: List[int], initial: List[bool]) -> None:
    """The name tokens of one line, token by token: the definition that _scan's bulk filter
    follows, used where a "_", "×" or "÷" inside a token could start a token in the middle of one."""
    known = _OCCURRENCE_SURFACES
    for m in _NAME_TOKEN.finditer(text):
        start = m.start()
        if start:
            before = text[start - 1]
            if before.isalnum() or before in "-'’":
                continue  # "Zor" inside "al-Zor"
        surface = known[m.group()]
        if not surface:
            continue
        surfaces.append(surface)
        starts.append(base + start)
        initial.append(_sentence_initial(text, start))


def collect_names(doc) -> Dict[str, List[str]]:
    """Corpus collector "names": {block key: [spellings]} for one document (see :func:`block_key`)."""
    surfaces, _, _, mid = _name_scan(doc)
    out: Dict[str, List[str]] = {}
    for surface in dict.fromkeys(surfaces):  # distinct, in order of first occurrence
        if surface in mid:
            key = block_key(surface)
            if key:
                out.setdefault(key, []).append(surface)
    return out


_AT_MOST_2 = (2).__ge__


def _neighbours(doc, sentence_initial: bool = True) -> Dict[str, set]:
    """name key -> keys of the capitalised words right before and after it ("António", "Los");
    without ``sentence_initial`` only neighbours the article also writes mid-sentence (so "Later"
    in "Later Guterez left" is no neighbour, "Los" in "? Los Angeles" is one only with it)."""
    def make():
        surfaces, starts, _, mid = _name_scan(doc)
        out: Dict[str, set] = defaultdict(set)
        text = doc.text
        ends = list(map(add, starts, map(len, surfaces)))
        # Two neighbours in the list (the relation is symmetric) at most 2 characters apart (a space,
        # a hyphen, a line break), counted from the end of the first to the start of the second
        # (out of text order: "X al-Y" names come after their line). start(b) - end(a) never
        # exceeds that count, so a pair further apart by it is no pair.
        for i in compress(range(len(starts) - 1), map(_AT_MOST_2, map(sub, islice(starts, 1, None), ends))):
            lo = ends[i]
            hi = starts[i + 1]
            if lo > hi:  # out of text order ("X al-Y" after its line): the text between the two
                lo = min(lo, ends[i + 1])
                hi = max(starts[i], hi)
            if text[lo:hi].strip() not in ("", "-"):
                continue
            a, b = surfaces[i], surfaces[i + 1]
            if sentence_initial or b in mid:
                out[name_key(a)].add(name_key(b))
            if sentence_initial or a in mid:
                out[name_key(b)].add(name_key(a))
        return out

    return _cached(doc, f"neighbours-{sentence_initial}", make)


def collect_name_neighbours(doc) -> Dict[str, List[str]]:
    """Corpus collector "name-neighbours": {name key: [keys of adjacent capitalised names]}."""
    return {k: sorted(v) for k, v in _neighbours(doc).items() if v}


NAMES_VERSION = "1"
#: Rules that read the name index. Another family reusing it adds its codes here, or declares its
#: own ``Collector(name="names", collect=collect_names, rules=(...), version=NAMES_VERSION)``.
NAME_RULES: Tuple[str, ...] = ("N004",)
COLLECTORS = [
    Collector(name="names", collect=collect_names, rules=NAME_RULES, version=NAMES_VERSION),
    Collector(name="name-neighbours", collect=collect_name_neighbours, rules=("N004",), version=NAMES_VERSION),
]


class Spelling(NamedTuple):
    surface: str
    documents: int  # other documents that write this spelling
    examples: List[str]  # a few of their paths


def similar_spellings(index, surface: str, path: Optional[str] = None, own: Iterable[str] = ()) -> List[Spelling]:
    """Other spellings of ``surface`` in a corpus index (``doc.context.index``), most documents first.

    ``path``/``own`` exclude the asking document (``index_key(doc.path)`` and the spellings it
    writes in this block, e.g. ``collect_names(doc).get(block_key(surface), ())``). Returns []
    without an index. Only the block of ``surface`` is read: no scan over the whole index.
    """
    if index is None:
        return []
    out = []
    for variant, (count, examples) in index.variants("names", block_key(surface), path=path, own=own).items():
        if same_name(surface, variant):
            out.append(Spelling(variant, count, list(examples)))
    out.sort(key=lambda s: (-s.documents, s.surface))
    return out


def _name_settings(doc) -> Dict[str, Any]:
    merged = dict(_SETTINGS_NAMES)
    section = doc.context.section("naming") if doc.context else {}
    for key in ("min-documents", "small-corpus"):
        if key in section:
            merged[key.replace("-", "_")] = section[key]
    return merged


_TOKEN_BLOCKS: Dict[str, Optional[Tuple[str, str, str]]] = {}


def _token_block(token: str) -> Optional[Tuple[str, str, str]]:
    """(block key, surface, name key) of a capitalised token, or None when it is no name candidate."""
    surface = _clean_surface(token)
    if len(surface) < 3:
        return None
    if surface.isascii() and surface.isalpha():
        # one plain word (most tokens): block_key and name_key inline, without filling their caches
        nkey = surface.lower()
        soft = nkey.replace("ph", "f").replace("ck", "k").replace("q", "k").replace("c", "k")
        soft = soft.replace("z", "s").replace("y", "i").replace("ou", "u").replace("w", "v")
        soft = _DOUBLED.sub(_first_group, soft)
        return (soft[:1] + soft[1:].translate(_DROP_VOWELS), surface, nkey)
    key = block_key(surface)
    return (key, surface, name_key(surface)) if key else None


def _spelling_tokens(text: str, tokens: Optional[List[str]] = None) -> Tuple["_TokenCounts", set]:
    """(capitalised token -> count, distinct (block key, surface, name key) of those tokens): a
    superset of N004's name occurrences (every _NAME_TOKEN and "X al-Y" match of the text).
    ``tokens``: the text's _NAME_TOKEN matches when already found (_doc_tokens); not changed."""
    counts = _TokenCounts(_NAME_TOKEN.findall(text) if tokens is None else tokens)
    if "-" in text and _PARTICLE_HINT.search(text):  # "Deir al-Zor": one name, as in name_occurrences
        counts.update(m.group() for m in _PARTICLE_NAME.finditer(text))
    cache = _TOKEN_BLOCKS
    distinct = counts.distinct()
    missing = distinct.difference(cache)  # (not keys() - keys(): that walks the whole cache)
    if missing:
        if len(cache) > 200_000:
            cache.clear()
            missing = distinct
        for token in missing:
            cache[token] = _token_block(token)
    entries = set(map(cache.__getitem__, distinct))  # distinct (block key, surface, name key)
    entries.discard(None)
    return counts, entries


class _TokenCounts:
    """The tokens of _spelling_tokens, counted only when asked (`items`): the pre-check needs the
    counts only for the few texts with two similar spellings, and a set is cheaper than a Counter."""

    def __init__(self, tokens: List[str]):
        self.tokens = tokens
        self._distinct: Optional[set] = None

    def update(self, more) -> None:
        self.tokens = self.tokens + list(more)  # a new list: the given one may be shared
        self._distinct = None

    def distinct(self) -> set:
        if self._distinct is None:
            self._distinct = set(self.tokens)
        return self._distinct

    def items(self):
        return Counter(self.tokens).items()


def _may_have_spelling_pair(text: str, tokens: Optional[Tuple["_TokenCounts", set]] = None) -> bool:
    """A superset test for N004's within-article check, on the distinct capitalised tokens only:
    two of them fall in one block and are similar (`same_name`), and one of the two names is
    written at least twice (N004 needs a spelling seen twice beside one seen once). Most articles
    have none, and then the full name analysis is skipped."""
    counts, entries = tokens or _spelling_tokens(text)
    if len(set(map(itemgetter(0), entries))) == len(entries):
        return False  # every block holds one spelling
    per_block = Counter(map(itemgetter(0), entries))
    blocks: Dict[str, List[Tuple[str, str]]] = defaultdict(list)
    for key, surface, nkey in entries:
        if per_block[key] > 1:
            blocks[key].append((surface, nkey))
    similar = [(ka, kb) for members in blocks.values() for i, (a, ka) in enumerate(members)
               for b, kb in members[i + 1:] if ka != kb and same_name(a, b)]
    if not similar:
        return False
    cache = _TOKEN_BLOCKS
    written: Counter = Counter()  # name key -> capitalised tokens of that name in the text
    for token, n in counts.items():
        entry = cache[token]
        if entry is not None:
            written[entry[2]] += n
    return any(written[ka] > 1 or written[kb] > 1 for ka, kb in similar)


class _IndexBlocks:
    """What N004's cross-document pre-check reads from one corpus index, block by block, on first
    use: {name key: documents writing a spelling of it}, and the keys long enough for `same_name`
    with one spelling each. Rebuilt when another index (or a grown one) is asked about."""

    def __init__(self, index):
        import weakref

        self.ref = weakref.ref(index)
        self.stamp = _index_stamp(index)
        self.names = index.keys("names")
        self.neighbours = index.keys("name-neighbours")
        self.blocks: Dict[str, Tuple[Dict[str, int], Tuple[Tuple[str, str, int], ...]]] = {}
        self._with_candidates: Optional[set] = None

    def with_candidates(self) -> set:
        """The blocks with at least one candidate (see `block`), for a test on a whole probe."""
        if self._with_candidates is None:
            self._with_candidates = {key for key in self.names if self.block(key)[1]}
        return self._with_candidates

    def block(self, key: str) -> Tuple[Dict[str, int], Tuple[Tuple[str, str, int], ...]]:
        found = self.blocks.get(key)
        if found is None:
            documents: Dict[str, int] = {}
            spelling: Dict[str, str] = {}
            for variant, (count, _) in self.names.get(key, {}).items():
                k = name_key(variant)
                documents[k] = documents.get(k, 0) + count
                spelling.setdefault(k, variant)
            shortest = _SETTINGS_NAMES["min_key_length"]
            found = self.blocks[key] = (documents, tuple(
                (k, spelling[k], n) for k, n in documents.items() if len(k) >= shortest and n >= 2))
        return found


def _index_stamp(index) -> Tuple[int, int, int, int]:
    return (id(index), getattr(index, "generation", 0), len(index.paths), len(index.keys("names")))


_INDEX_BLOCKS: List[_IndexBlocks] = []  # the one index asked about last


def _index_blocks(index) -> _IndexBlocks:
    if _INDEX_BLOCKS:
        known = _INDEX_BLOCKS[0]
        if known.ref() is index and known.stamp == _index_stamp(index):
            return known
    _INDEX_BLOCKS[:] = [_IndexBlocks(index)]
    return _INDEX_BLOCKS[0]


def _may_have_rare_spelling(index, entries: set, anchored: bool) -> bool:
    """A superset test for N004's cross-document check: some name key ``rare`` of this text
    (``entries`` of `_spelling_tokens`) that the other documents never write, and in its block
    a similar key (`same_name`) that at least 2 other documents write (and, when the check needs
    a shared neighbouring name, with some neighbour in the index that is a capitalised word of
    this text). Counts are bounded without the document's own facts: a key's count in the index
    drops by at most the number of this text's spellings of it when the document is indexed, so a
    rare key written by more documents than that is written by others."""
    blocks = _index_blocks(index)
    spellings = Counter(map(itemgetter(2), entries))  # name key -> distinct spellings in the text
    shortest = _SETTINGS_NAMES["min_key_length"]
    keys = None
    known = blocks.blocks  # (read directly: a method call per entry is most of the cost)
    for block, surface, rare in entries:
        if len(rare) < shortest:
            continue  # same_name needs >= 5 letters
        found = known.get(block)
        documents, candidates = found if found is not None else blocks.block(block)
        if not candidates or documents.get(rare, 0) > spellings[rare]:
            continue  # no similar key written twice, or other documents write this one too
        for key, spelling, count in candidates:
            # (``count`` includes this document, but it is no bound from below for the others:
            # the index holds this document's facts, which leave out the title and headline-style
            # lines that ``entries`` has; every candidate has count >= 2, the rule decides the rest)
            if key == rare or not same_name(surface, spelling):
                continue
            if anchored:
                if keys is None:
                    keys = set(spellings)
                if keys.isdisjoint(blocks.neighbours.get(key, ())):
                    continue  # no neighbouring name of the other spelling in this text
            return True
    return False


def _person_variant_spans(doc) -> set:
    """Spans that P003 (name-variant) reports: within an article, people's names are the P
    family's job, so N004 leaves them to it and keeps other names (places, species, bodies)."""
    cached = getattr(doc, "_person_variant_spans", None)
    if cached is None:
        from .people import name_variant

        cached = {(f.start, f.end) for f in name_variant.run(doc)}
        doc._person_variant_spans = cached
    return cached


def _n004_probe(doc) -> Optional[List[Any]]:
    """N004's index probe (see :class:`lint.corpus.IndexProbe`): what `_may_have_rare_spelling`
    reads of this text, as [small-corpus setting, the fields of its (block, surface, key) entries
    joined by NUL] (one string: a run holds a probe per document until its index is complete, and
    no name token holds a NUL). None when no key of the text is long enough for `same_name`: then
    no index can add a finding."""
    entries = _doc_spelling_tokens(doc)[1]
    shortest = _SETTINGS_NAMES["min_key_length"]
    if not any(len(rare) >= shortest for _, _, rare in entries):
        return None
    return [_name_settings(doc)["small_corpus"], "\0".join(field for entry in entries for field in entry)]


def _n004_needed(probe: List[Any], index, path: str) -> bool:
    small, joined = probe
    fields = joined.split("\0")
    if _index_blocks(index).with_candidates().isdisjoint(fields[0::3]):
        return False  # no block of the text has a candidate: every entry is skipped below
    entries = set(zip(fields[0::3], fields[1::3], fields[2::3]))
    return _may_have_rare_spelling(index, entries, index.documents > small)


def _doc_spelling_tokens(doc) -> Tuple["_TokenCounts", set]:
    return _cached(doc, "spelling-tokens", lambda: _spelling_tokens(doc.text, _doc_tokens(doc)[0]))


@rule("N004", "name-spelling", fix=Applicability.UNSAFE, index_probe=IndexProbe(_n004_probe, _n004_needed))
def name_spelling(doc):
    """A name spelled once one way where the article, or most documents of the run, spell it another way.

    Why: a misspelt or differently transliterated name ("Guterez" for "Guterres", "Deir-i-Zur" for
    "Deir al-Zor") breaks search and linking and marks copied or spun text. Within an article, a
    spelling seen once beside a similar one written at least twice is flagged, unless the two stand
    beside different names (two people: "Mohamed Refa'a", "Mohammed Morsy"). Across documents
    (several files in one run, or a saved `lint index`), a spelling found only in this document is
    flagged when at least 2 other documents, and twice as many, write one similar spelling; in
    a run of more than 20 documents the two must also share a neighbouring name ("António").
    Similar = same key after folding spelling classes (z/s, c/k, doubled letters) or one vowel
    apart (see `same_name`). A tie flags nothing. Measured on 500 news articles: 8 within-article
    flags, all real misspellings (Micororaptor, Pollizi, Hilary Clinton ...); the 500 as one folder:
    4 flags (Los Angles, Barak Obama; Morsy/Morsi and Allison/Alison Brooks, spelling variants of
    one person); 0 flags on different people.

    Bad:  Secretary-General Guterres spoke. Guterres said aid must flow. Guterez later left.
    Good: Secretary-General Guterres spoke. Guterres said aid must flow. Guterres later left.

    Fix safety: unsafe. Two similar names can belong to two people (Alison and Allison).
    """
    index = doc.context.index if doc.context else None
    tokens = _doc_spelling_tokens(doc)
    if not _may_have_spelling_pair(doc.text, tokens):
        # the cheap tests: no two similar capitalised words in the text, nor in the index
        if index is None or not _may_have_rare_spelling(
                index, tokens[1], index.documents > _name_settings(doc)["small_corpus"]):
            return
    occ = name_occurrences(doc, sentence_initial=True)  # a misspelling may sit at a sentence start
    if not occ:
        return
    settings = _name_settings(doc)
    names = {o.surface for o in name_occurrences(doc)}  # written mid-sentence: a name, not a word
    by_key: Dict[str, List[NameOccurrence]] = defaultdict(list)
    for o in occ:
        by_key[name_key(o.surface)].append(o)
    blocks: Dict[str, List[str]] = defaultdict(list)
    for k, hits in by_key.items():
        blocks[block_key(hits[0].surface)].append(k)
    flagged = set()
    # within the article
    for keys in blocks.values():
        if len(keys) < 2:
            continue
        for rare in keys:
            if len(by_key[rare]) != 1:
                continue
            surface = by_key[rare][0].surface
            matches = [c for c in keys if c != rare and len(by_key[c]) >= 2 and by_key[c][0].surface in names
                       and same_name(surface, by_key[c][0].surface)]
            if len(matches) != 1:
                continue
            near = _neighbours(doc, sentence_initial=False)
            if near.get(rare) and not near[rare] & near.get(matches[0], set()):
                continue  # "Mohamed Refa'a" beside "Mohammed Morsy": two people, two spellings
            common = Counter(o.surface for o in by_key[matches[0]]).most_common(1)[0][0]
            n = len(by_key[matches[0]])
            o = by_key[rare][0]
            flagged.add(rare)
            if (o.start, o.end) in _person_variant_spans(doc):
                continue  # a person's name: P003 (name-variant) reports it, once
            yield doc.finding(
                o.start, o.end,
                f"'{o.surface}' here, but this article writes '{common}' {n} times; same name misspelt?",
                fix=Fix.replace(o.start, o.end, common, f"Write '{common}'", Applicability.UNSAFE),
            )
    index = doc.context.index if doc.context else None
    if index is None:
        return
    path = index_key(doc.path)
    own_blocks = collect_names(doc)
    anchored = index.documents > settings["small_corpus"]
    own_neighbours = _neighbours(doc) if anchored else {}
    for block, keys in blocks.items():
        others = index.variants("names", block, path=path, own=own_blocks.get(block, ()))
        if not others:
            continue
        docs_by_key: Dict[str, int] = Counter()
        surfaces: Dict[str, Counter] = defaultdict(Counter)
        examples: Dict[str, List[str]] = defaultdict(list)
        for variant, (count, paths) in others.items():
            k = name_key(variant)
            docs_by_key[k] += count
            surfaces[k][variant] += count
            examples[k].extend(paths)
        for rare in keys:
            if rare in flagged or docs_by_key.get(rare):
                continue  # spelled this way elsewhere too: not rare
            surface = by_key[rare][0].surface
            candidates = [c for c in docs_by_key if c not in by_key and same_name(surface, surfaces[c].most_common(1)[0][0])]
            candidates = [c for c in candidates if docs_by_key[c] >= max(settings["min_documents"], 2)]
            if anchored:
                candidates = [c for c in candidates if own_neighbours.get(rare, set()) & set(
                    index.variants("name-neighbours", c, path=path, own=own_neighbours.get(c, ())))]
            if not candidates:
                continue
            candidates.sort(key=lambda c: -docs_by_key[c])
            if len(candidates) > 1 and docs_by_key[candidates[0]] == docs_by_key[candidates[1]]:
                continue  # two spellings equally common: a tie says nothing
            best = candidates[0]
            common = surfaces[best].most_common(1)[0][0]
            n = docs_by_key[best]
            where = ", ".join(sorted(set(examples[best]))[:3])
            for o in by_key[rare]:
                yield doc.finding(
                    o.start, o.end,
                    f"'{o.surface}' appears only in this document; {n} other documents write '{common}' ({where})",
                    fix=Fix.replace(o.start, o.end, common, f"Write '{common}'", Applicability.UNSAFE),
                )


# -- configuration --------------------------------------------------------------------------------
def _dict_of_str(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) and v for k, v in value.items())


def _check_prefer(value) -> bool:
    """A table of entity id = form; for built-in entities the form must be one of its names."""
    if not _dict_of_str(value):
        return False
    builtin = {e["id"]: set(e.get("abbreviations", ())) for e in _DATA["entity"]}
    return all(form in builtin[k] for k, form in value.items() if k in builtin)


def _check_house_style(value) -> bool:
    return isinstance(value, str) and value in _DATA["house_style"]


def _check_entities(value) -> bool:
    if not isinstance(value, dict):
        return False
    for entity_id, extra in value.items():
        if not isinstance(entity_id, str) or not isinstance(extra, dict) or not extra:
            return False
        for key, item in extra.items():
            key = key.replace("-", "_")
            if key not in _ENTITY_KEYS:
                return False
            if key in ("default",):
                if not isinstance(item, str):
                    return False
            elif key in ("quote_guard", "safe_fix"):
                if not isinstance(item, bool):
                    return False
            elif not (isinstance(item, list) and all(isinstance(v, str) and v for v in item)):
                return False
            if key == "exceptions":
                try:
                    for pattern in item:
                        re.compile(pattern)
                except re.error:
                    return False
    return True


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


# Config tables this family owns: [tool.articlelint.<section>] key -> (check, description)
SETTINGS = {
    "naming": {
        "prefer": (_check_prefer, "a table of entity id = preferred form, where the form is one of that entity's "
                                  "abbreviations, e.g. {US = \"U.S.\"} (built-in ids: "
                                  + ", ".join(e["id"] for e in _DATA["entity"]) + ")"),
        "house-style": (_check_house_style, "one of " + ", ".join(f"'{s}'" for s in _DATA["house_style"])
                        + " (sets `prefer` for US, UK, UN, EU, NATO)"),
        "entities": (_check_entities, "a table of entity id = {abbreviations = [...], full = [...], lowercase = [...], "
                                      "exceptions = [regex, ...], aliases = [...], caps-guard = [...], default = \"...\", "
                                      "safe-fix = true|false}; lists extend the built-in entity of that id"),
        "min-documents": (_positive_int, "an integer >= 1: other documents that must share a spelling before N004 "
                                         "flags a rare one (at least 2 are always required)"),
        "small-corpus": (_positive_int, "an integer >= 1: up to this many documents N004 needs no shared neighbouring "
                                        "name (default 20)"),
    },
}
