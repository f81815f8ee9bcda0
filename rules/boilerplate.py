"""B: lines that are not part of the article (navigation, prompts, ads, captions, trailers).

How it works: every line of a document is classified once (the result is cached per document and
shared by the rules of this family). The patterns live in ``rules/data/boilerplate.toml``: the
``[[line]]`` entries are tried in file order, so the first matching entry decides what a line is
and a line gets one finding at most. Each entry declares cues (line prefixes, keywords, a leading
digit) that every line it matches shows; one Aho-Corasick pass over a line finds the entries whose
cues it shows, and only those are tried (each entry's expression is compiled the first time a line
shows its cues). The ``[[context]]`` entries need neighbouring lines (a list of links at the end
of the article, the headlines under a "You may also like" label, a repeated block...) and run
after the line entries. Each rule then reports the lines of its own kind.

Precision first: the kinds that the extraction benchmark's own ground truth keeps most often for
the least recall (affiliate links and buy buttons, tweet signatures, bare URLs, press-release
"About" sections) are opt-in rules (``default=False``).
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from operator import add
from typing import Dict, List, Optional, Sequence, Tuple

from lint import Applicability, Severity, rule

from ._data import load

_DATA = load("boilerplate")


class _Lazy:
    """A regular expression compiled on first use (``match``/``search``): most documents never
    need most patterns, and ``lint one-file.txt`` should not pay for compiling them."""

    __slots__ = ("pattern", "flags", "match", "search")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name):  # only called while the slot is unset, i.e. before compiling
        if name not in ("match", "search"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        self.match, self.search = compiled.match, compiled.search
        return getattr(self, name)


# re's IGNORECASE also equates "İ" and "ı" with "i" and "ſ" with "s", which str.lower() does not
# (it turns "İ" into "i" + a combining dot): these are mapped first, so a line matched by a pattern
# always shows that pattern's lower-cased cues.
_SRE_FOLD = {ord("İ"): "i", ord("ı"): "i", ord("ſ"): "s"}


def _fold(text: str) -> str:
    """``text`` lower-cased the way the cues are written (see ``_SRE_FOLD``)."""
    if not text.isascii() and ("İ" in text or "ı" in text or "ſ" in text):
        text = text.translate(_SRE_FOLD)
    return text.lower()


_RELATED_LABELS = _DATA["related_link"]["labels"]
_RELATED_BY_FIRST_WORD: Dict[str, List[str]] = {}
for _label in _RELATED_LABELS:
    _RELATED_BY_FIRST_WORD.setdefault(_fold(_label.split()[0]), []).append(_label)
_RELATED_FIRST_WORDS = tuple(_RELATED_BY_FIRST_WORD)
_RELATED_LINK_BY_WORDS: Dict[Tuple[str, ...], "_Lazy"] = {}


def _related_link_pattern(labels) -> "_Lazy":
    alternatives = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in sorted(labels, key=len, reverse=True))
    # optional "[" or "(", the label, a colon (or dash), then some text; the whole line
    return _Lazy(rf"^\s*[\[(]?\s*(?:{alternatives})\s*[:：]\s*\S.*$", re.IGNORECASE)


def _related_link_match(text: str) -> bool:
    """Whether B001's pattern (a label, a colon, a headline) matches the line. After the spaces and
    the optional bracket, a matching line starts with the first word of its label (lower-cased as
    in ``_fold``), so only the labels with such a first word are tried: the expression of all
    labels is never compiled, only the small one for the first words a line starts with."""
    start = text.lstrip()
    if start[:1] in ("[", "("):
        start = start[1:].lstrip()
    low = _fold(start[:40])
    if not low.startswith(_RELATED_FIRST_WORDS):
        return False
    words = tuple(word for word in _RELATED_FIRST_WORDS if low.startswith(word))
    pattern = _RELATED_LINK_BY_WORDS.get(words)
    if pattern is None:
        pattern = _RELATED_LINK_BY_WORDS[words] = _related_link_pattern(
            [label for word in words for label in _RELATED_BY_FIRST_WORD[word]])
    return pattern.match(text) is not None


@rule("B001", "related-link-line", fix=Applicability.SAFE)
def related_link_line(doc):
    """A line that only links to another story ("More news: ...", "Read more: ...").

    Why: the scraper kept the site's navigation: a label and the headline of another story.
    It is not part of the article, and summaries or models trained on it learn to invent such
    lines. The label must start the line and be followed by a colon, so prose that begins with
    the same words ("More news is expected ...") is left alone.

    Bad:  More news: Kylie Jenner Did Not Give Her Daughter a Middle Name
    Good: More news is expected on Friday, the spokesman said.

    Fix safety: safe. The line (with one blank line next to it) is deleted; a label line is
    never article text.
    """
    title = doc.title
    lines = doc.lines
    for index in sorted(_related_lines(doc)):
        line = lines[index]
        if line is not title:
            yield doc.finding(
                line.start, line.end,
                "Link to another story left by the scraper; it is not part of the article",
                fix=doc.delete_line_fix(line, "Delete the related-story line"),
            )


# ---------------------------------------------------------------------------------------------
# The line classifier


class Kind:
    """One data entry: what a matching line is, which rule reports it, how safe deleting it is."""

    __slots__ = ("id", "rule", "what", "safe", "title")

    def __init__(self, id: str, rule: str, what: str, safe: bool, title: bool = False):
        self.id, self.rule, self.what, self.safe = id, rule, what, safe
        self.title = title  # may match the first line, which is otherwise taken for the headline

    def __repr__(self):
        return f"Kind({self.id!r}, {self.rule!r})"


def _kind(entry) -> Kind:
    if entry.get("fix") not in ("safe", "unsafe"):
        raise ValueError(f"boilerplate.toml: entry {entry['id']!r}: fix must be \"safe\" or \"unsafe\"")
    return Kind(entry["id"], entry["rule"], entry["what"], entry["fix"] == "safe", bool(entry.get("title", False)))


LINE_KINDS: List[Kind] = [_kind(e) for e in _DATA["line"]]
CONTEXT_KINDS: Dict[str, Kind] = {e["kind"]: _kind(e) for e in _DATA["context"]}
CONTEXT_PARAMS: Dict[str, dict] = {e["kind"]: dict(e.get("params", {})) for e in _DATA["context"]}


def _scoped(entry) -> str:
    pattern = entry["pattern"]
    if not pattern.startswith("^"):
        raise ValueError(f"boilerplate.toml: entry {entry['id']!r}: the pattern must start with ^")
    flags = entry.get("flags", "")
    return f"(?{flags}:{pattern})" if flags else f"(?:{pattern})"


def _cues(entry) -> List[str]:
    """The entry's automaton keys: "\0" + each prefix, each suffix + "\0", each keyword."""
    starts, ends, keywords = (list(entry.get(name, ())) for name in ("starts", "ends", "keywords"))
    for cue in starts + ends + keywords:
        if not cue or "\0" in cue or _fold(cue) != cue:
            raise ValueError(f"boilerplate.toml: entry {entry['id']!r}: cue {cue!r} must be non-empty and lower-case")
    return ["\0" + cue for cue in starts] + [cue + "\0" for cue in ends] + keywords


# Every entry is matched at the start of the (stripped) line, and the first entry in file order
# that matches decides. The entry's cues (``starts``, ``ends``, ``keywords``, ``digit_start``,
# ``caps_start`` in the data) are necessary conditions: a line the entry matches starts with one of
# its prefixes, ends with one of its suffixes, contains one of its keywords, starts with a digit or
# has no letter a-z in its first characters. One automaton holds every keyword, prefix and suffix
# (a prefix as "\0" + prefix and a suffix as suffix + "\0", searched in "\0" + the line + "\0",
# so they are only found at the start or the end); its hits name the entries a line can match, and
# those are tried in file order. The answer is the same as when every entry is tried on every line.
# Entries without cues are tried on every line.
_SOURCES = [_scoped(e) for e in _DATA["line"]]
_CUES = [_cues(e) for e in _DATA["line"]]
_DIGIT_START = tuple(i for i, e in enumerate(_DATA["line"]) if e.get("digit_start"))
_CAPS_START = tuple((i, e["caps_start"]) for i, e in enumerate(_DATA["line"]) if e.get("caps_start"))
_UNCUED = tuple(i for i, e in enumerate(_DATA["line"])
                if not any(e.get(cue) for cue in ("starts", "ends", "keywords", "digit_start", "caps_start")))
_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
# With no entry tried on every line and every caps_start of at least 2 characters, a line with no
# automaton hit, no leading digit and a letter a-z second has no candidate: classify skips it.
_NO_CUE_SHORTCUT = not _UNCUED and all(n >= 2 for _i, n in _CAPS_START)
_MATCHERS: list = [None] * len(_SOURCES)  # entry -> compiled ``match``, filled on first use
_AUTOMATON: list = []  # [the cue automaton], built on first use


def _cue_automaton():
    """The automaton of every cue: each key's value is (the entries it is a cue of, in file order;
    the context cues it is, see ``_CONTEXT_CUES``)."""
    import ahocorasick  # a core dependency; imported here so that importing the module stays cheap

    entries: Dict[str, list] = {}
    for i, keys in enumerate(_CUES):
        for key in keys:
            if i not in entries.setdefault(key, []):
                entries[key].append(i)
    tags: Dict[str, list] = {}
    for tag, keys in _CONTEXT_CUES.items():
        for key in keys:
            tags.setdefault(key, []).append(tag)
    automaton = ahocorasick.Automaton()
    for key in {**entries, **tags}:
        automaton.add_word(key, (tuple(entries.get(key, ())), tuple(tags.get(key, ()))))
    automaton.make_automaton()
    _AUTOMATON[:] = [automaton]
    return automaton


def _matcher(i: int):
    try:
        match = re.compile(_SOURCES[i]).match
    except re.error as exc:
        raise ValueError(f"boilerplate.toml: entry {_DATA['line'][i]['id']!r}: {exc}") from None
    _MATCHERS[i] = match
    return match


def _candidates(text: str, low: str, hits: list) -> Sequence[int]:
    """The entries (indexes into ``LINE_KINDS``, in file order) whose cues a stripped, non-empty
    line shows: the only entries that can match it. ``low`` is ``_fold(text)``; ``hits`` are the
    automaton's values for "\0" + low + "\0"."""
    if low[0].isdecimal():  # \d is a Unicode decimal digit, as str.isdecimal
        hits = hits + [_DIGIT_START]
    for i, n in _CAPS_START:
        if _ASCII_LOWER.isdisjoint(text[:n]):
            hits = hits + [(i,)]
    if not hits:
        return _UNCUED
    if len(hits) == 1 and not _UNCUED:
        return hits[0]  # (each automaton value is in file order)
    found = set(_UNCUED)
    for ids in hits:
        found.update(ids)
    return sorted(found)


def _first_match(text: str, entries: Sequence[int]) -> Optional[Kind]:
    for i in entries:
        if (_MATCHERS[i] or _matcher(i))(text):
            return LINE_KINDS[i]
    return None


def candidates(text: str) -> Sequence[int]:
    """The entries (in file order) a stripped, non-empty line can match (it shows their cues)."""
    low = _fold(text)
    automaton = _AUTOMATON[0] if _AUTOMATON else _cue_automaton()
    return _candidates(text, low, [ids for _end, (ids, _tags) in automaton.iter(f"\0{low}\0") if ids])


def match_line(text: str) -> Optional[Kind]:
    """The kind of the first entry (in file order) that matches a stripped, non-empty line, or None."""
    return _first_match(text, candidates(text))


def _cue_hits(texts: List[str], lows: List[str]) -> Tuple[Dict[int, list], Dict[str, set]]:
    """(line index -> the entry ids of the cues the line shows (``candidates`` for a whole
    document), context tag -> the lines that show one of its cues): one pass over "\0" + line + "\0"
    for all lines joined (a start or end cue holds "\0", a keyword none, so no cue is found across
    two lines), which costs half as much as one pass per line. Lines longer than ``_MAX_LINE`` are
    not scanned: they are added to every context tag (the context functions check them in full)."""
    long = max(map(len, texts), default=0) > _MAX_LINE
    # (an empty line's ``low`` is empty too)
    scan = [low if len(text) <= _MAX_LINE else "" for text, low in zip(texts, lows)] if long else lows
    starts = list(accumulate(map(add, map(len, scan), repeat(2)), initial=1))  # offset of each line
    hits: Dict[int, list] = {}
    tagged: Dict[str, set] = {tag: set() for tag in _CONTEXT_CUES}
    automaton = _AUTOMATON[0] if _AUTOMATON else _cue_automaton()
    for end, (ids, tags) in automaton.iter("\0" + "\0\0".join(scan) + "\0"):
        line = bisect_right(starts, end) - 1
        if ids:
            hits.setdefault(line, []).append(ids)
        for tag in tags:
            tagged[tag].add(line)
    if long:
        unscanned = {i for i, text in enumerate(texts) if len(text) > _MAX_LINE}
        for lines in tagged.values():
            lines |= unscanned
    return hits, tagged


# Longer lines are never checked: every entry that can match a long line caps its length lower.
_MAX_LINE = 800

_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _related_lines(doc) -> set:
    """Indexes of the lines B001's pattern matches (it needs a colon). Cached per document."""
    cached = doc.__dict__.get("_b001_lines")
    if cached is None:
        cached = {line.number - 1 for line in doc.lines
                  if (":" in line.text or "：" in line.text) and _related_link_match(line.text)}
        doc.__dict__["_b001_lines"] = cached
    return cached


def classify(doc) -> Dict[int, Kind]:
    """Line index (0-based, into ``doc.lines``) -> the kind of boilerplate it is. Cached per document."""
    cached = _CACHE.get(doc)
    if cached is not None:
        return cached
    lines = doc.lines
    title = doc.title
    texts = [line.text.strip() for line in lines]
    # shared by the cue pre-checks of the line and context entries; str.lower() alone is ``_fold``
    # when the text has none of the letters _SRE_FOLD maps
    whole = doc.text
    if "İ" in whole or "ı" in whole or "ſ" in whole:
        lows = [_fold(line) for line in texts]
    else:
        lows = [line.lower() for line in texts]
    out: Dict[int, Kind] = {}
    b001 = set()
    title_index = title.number - 1 if title is not None else -1
    related = _related_lines(doc)
    hits, tagged = _cue_hits(texts, lows)
    for i, text in enumerate(texts):
        if not text or len(text) > _MAX_LINE:
            continue
        if i == title_index:
            # The first line is taken for the headline: only kinds that never look like one count.
            kind = _first_match(text, _candidates(text, lows[i], hits.get(i, [])))
            if kind is not None and kind.title:
                out[i] = kind
            continue
        if i in related:
            b001.add(i)  # B001's line; no second finding from this classifier
            continue
        line_hits = hits.get(i)
        if line_hits is None and _NO_CUE_SHORTCUT and "a" <= text[1:2] <= "z" and not lows[i][0].isdecimal():
            continue  # no cue at all, so ``_candidates`` is empty (see _NO_CUE_SHORTCUT)
        kind = _first_match(text, _candidates(text, lows[i], line_hits or []))
        if kind is not None:
            out[i] = kind
    chrome = set(out) | b001  # lines the line entries recognised (context rules look at them)
    skip = {title_index}
    for kind_name, function in _CONTEXT_FUNCTIONS.items():
        if kind_name not in CONTEXT_KINDS:
            continue
        for i in function(texts, lows, CONTEXT_PARAMS[kind_name], chrome, tagged):
            if i not in out and i not in b001 and i not in skip:
                out[i] = CONTEXT_KINDS[kind_name]
    _NONBLANK[0] = None
    _CACHE[doc] = out
    return out


# ---------------------------------------------------------------------------------------------
# Context logic (parameters in the [[context]] entries). Each function takes the stripped lines,
# the same lines lower-cased by ``_fold``, its params, the set of lines the line entries
# recognised and the lines that show each context cue (``_CONTEXT_CUES``), and returns line indexes.

# Compiled on first use (``_Lazy``); the pre-checks in front of them say what a match needs.
_BULLET = _Lazy(r"^[-•*–]\s+\S")  # needs a first character in _BULLET_MARKS
_BULLET_MARKS = ("-", "•", "*", "–")
_TERMINAL = _Lazy(r"""[.!?…:;,]["'”’)\]]*$""")
_INNER_SENTENCE = _Lazy(r"(?:[a-z]{3,}|\d)[.!?]\s+[A-Z]")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
          r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_FULL_DATE = _Lazy(rf"\b{_MONTH}\.?\s+\d{{1,2}},?\s+(?:19|20)\d\d\b|\b\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d\d\b")
_SIDE = _Lazy(
    r"\((?:left|right|center|centre|top|bottom|front|back|second from (?:left|right)|L|R|from left|from right|l-r|L-R)\)"
    r"|,\s(?:left|right|center|centre|second from (?:left|right)),\s", re.IGNORECASE)
_RELATED_LABEL = _Lazy(
    r"^(?:related(?: (?:stories|articles|posts?|content|coverage|links?|reading|videos?|news))?|"
    r"more (?:news|stories|coverage|videos|headlines)|more from [\w .'’&-]{1,40}|"
    r"you (?:may|might) also (?:like|be interested in)|also read|read (?:more|also|next)|see also|"
    r"recommended(?: for you| stories| reading)?|don'?t miss|must reads?|trending(?: now| stories)?|"
    r"top stories|popular on [\w .'’&-]{1,40}|most (?:read|popular|viewed|shared)(?: (?:in|on|from) [\w .'’&-]{1,40})?|"
    r"editor'?s picks?|what to read next|up next|latest news|explore further)\s*(?:\.\.\.|…|:)?\s*$",
    re.IGNORECASE)
# Every _SIDE match contains one of these (lower-cased as in ``_fold``).
_SIDE_WORDS = ("left", "right", "cent", "(top)", "(bottom)", "(front)", "(back)", "(l)", "(r)", "(l-r)")


def _has_side_word(low: str) -> bool:
    """Whether a line, lower-cased by ``_fold``, has a word every _SIDE match contains."""
    return any(word in low for word in _SIDE_WORDS)


_HEADLINE_END = _Lazy(r"""[?!]["'”’]?$|[^.!?…:;,]$""")
_ABOUT_HEADER = _Lazy(
    r"^About (?!(?:this|the|us|me|it|that|what|how|our|my|you|him|her|them|a|an)\b)"
    r"([A-Za-z][\w.&-]*(?: [A-Z][\w.&-]*){0,3})$")
# What a _RELATED_LABEL line starts with (lower-cased as in ``_fold``).
_RELATED_LABEL_STARTS = ("related", "more news", "more stories", "more coverage", "more videos", "more headlines",
                         "more from ", "you may also", "you might also", "also read", "read more", "read also",
                         "read next", "see also", "recommended", "don't miss", "dont miss", "must read", "trending",
                         "top stories", "popular on ", "most read", "most popular", "most viewed", "most shared",
                         "editor's pick", "editors pick", "what to read next", "up next", "latest news",
                         "explore further")


# Context cues, found by the cue automaton in the same pass as the entries' cues (see
# ``_cue_hits``): for each tag, keys that every line the tag's test needs shows. A key "\0" + s is a
# line start, other keys are substrings of the line lower-cased by ``_fold`` (which keeps the first
# character of "-", "•", "*", "–" and turns "About " into "about ").
_CONTEXT_CUES = {
    "bullet": ["\0" + mark for mark in _BULLET_MARKS],  # _is_bullet: starts with a mark
    "label": ["\0" + start for start in _RELATED_LABEL_STARTS],  # _is_related_label
    "side": list(_SIDE_WORDS),  # _has_side_word
    "about": ["\0about "],  # startswith("About ")
}


def _is_bullet(text: str) -> bool:
    return text.startswith(_BULLET_MARKS) and _BULLET.match(text) is not None


def _is_related_label(text: str, low: str) -> bool:
    """Whether a stripped line is a related-stories label; ``low`` is ``_fold(text)``."""
    return low.startswith(_RELATED_LABEL_STARTS) and _RELATED_LABEL.match(text) is not None


_CORPORATE_VERB = (r"(?:'s|’s)?\s+(?:[\w,&()-]+\s+){0,8}?(?:is|are|offers|provides|operates?|develops|delivers|"
                   r"helps|enables|designs|makes|builds|serves|was founded|has been)\b")


# What a press-release "About X" header's next line has after X's first word.
_ABOUT_REST = _Lazy(rf"(?:\s+[A-Z][\w.&-]*){{0,3}}{_CORPORATE_VERB}", re.IGNORECASE)

_NONBLANK: list = [None]  # [(texts, its non-blank indexes)] of the document being classified


def _nonblank(texts) -> List[int]:
    """Indexes of the non-blank lines; computed once per document (the list is only read).
    The (texts, indexes) pair is read and replaced as one tuple, so threads cannot mix them up."""
    cached = _NONBLANK[0]
    if cached is None or cached[0] is not texts:
        cached = (texts, [i for i, t in enumerate(texts) if t])
        _NONBLANK[0] = cached
    return cached[1]


def _link_list(texts, lows, p, chrome, tagged):
    """A run of 3-12 bullet lines, most of them headline-like, at the end of the article.

    Headline-like: 3-30 words, starts with a capital, a digit or a quote, no final punctuation
    and no sentence break inside. At most ``max_after`` unrecognised lines may follow the run,
    and a run announced by a line ending in ":" ("You will need:") is a content list unless that
    line is a related-stories label.
    """
    if len(tagged["bullet"]) < max(p["min_run"], 1):
        return []  # fewer bullet lines than a run needs (every bullet line shows a "bullet" cue)
    idx = _nonblank(texts)
    runs, current = [], []
    for i in idx:
        if _is_bullet(texts[i]):
            current.append(i)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    out = []
    position = {i: k for k, i in enumerate(idx)}
    for run in runs:
        if not p["min_run"] <= len(run) <= p["max_run"]:
            continue
        good = 0
        for i in run:
            item = texts[i][1:].strip()
            words = len(item.split())
            if (p["min_words"] <= words <= p["max_words"] and not _TERMINAL.search(item)
                    and not _INNER_SENTENCE.search(item) and (item[0].isupper() or item[0].isdigit() or item[0] in "\"'“‘")):
                good += 1
        if good / len(run) < p["min_share"]:
            continue
        after = [i for i in idx[position[run[-1]] + 1:] if i not in chrome]
        if len(after) > p["max_after"]:
            continue
        k = position[run[0]]
        if k > 0 and p.get("skip_after_colon", True):
            before = texts[idx[k - 1]]
            if before.endswith(":") and not _is_related_label(before, lows[idx[k - 1]]):
                continue
        out.extend(run)
    return out


def _teaser_block(texts, lows, p, chrome, tagged):
    """Headlines directly under a whole-line related-stories label ("You may also like...").

    Up to ``max_lines`` lines of 4-20 words that end like a headline (no final . : ; ,); the
    block counts only with at least ``min_block`` of them (one short line after "More from X" is
    often a real subhead).
    """
    if not tagged["label"]:
        return []  # no line starts like a label (every label line shows a "label" cue)
    idx = _nonblank(texts)
    out = []
    for i in sorted(tagged["label"]):  # (non-blank lines, in order)
        if not _is_related_label(texts[i], lows[i]):
            continue
        k = bisect_left(idx, i)
        block = []
        for j in idx[k + 1:k + 1 + p["max_lines"]]:
            t = texts[j]
            if _is_bullet(t):
                t = t[1:].strip()
            if not (p["min_words"] <= len(t.split()) <= p["max_words"]) or not _HEADLINE_END.search(t):
                break
            block.append(j)
        if len(block) >= p["min_block"]:
            out.extend(block)
    return out


def _caption_date(texts, lows, p, chrome, tagged):
    """A photo caption: a position in the picture ("(left)", ", right,") AND a full date, one line.

    Either alone is ordinary prose; both together were a caption in every case the research read.
    """
    out = []
    for i in sorted(tagged["side"]):  # the lines _has_side_word can accept
        t = texts[i]
        if (t and ("19" in t or "20" in t) and ("(" in t or ", " in t) and _has_side_word(lows[i]) and _SIDE.search(t)
                and len(t.split()) <= p["max_words"] and _FULL_DATE.search(t)):
            out.append(i)
    return out


def _repeated_block(texts, lows, p, chrome, tagged):
    """At least ``min_block`` consecutive lines (``min_words``+ words each) that already appeared.

    Catches a second copy of the body (page metadata). Bullet items and table rows never count:
    spec lists and recipes repeat lines legitimately.
    """
    idx = _nonblank(texts)
    distinct = set(texts)
    distinct.discard("")
    if len(idx) - len(distinct) < max(p["min_block"], 1):
        return []  # a flagged line repeats an earlier one: fewer repeats than a block needs
    seen = set()
    flags = []
    for i in idx:
        t = texts[i]
        flags.append((i, t in seen and len(t.split()) >= p["min_words"] and not _is_bullet(t) and not t.startswith("|")))
        seen.add(t)
    out, current = [], []
    for i, repeated in flags + [(None, False)]:
        if repeated:
            current.append(i)
        else:
            if len(current) >= p["min_block"]:
                out.extend(current)
            current = []
    return out


def _about_section(texts, lows, p, chrome, tagged):
    """Press-release boilerplate: "About X" followed by "X is a global provider of ...".

    The next line must start with X's first word and, within nine words, use a present-tense
    corporate verb; the header and up to ``max_lines`` following lines starting with X are flagged.
    A narrative subhead ("About Rex" then "Rex was one of 35 lions") is not.
    """
    if not tagged["about"]:
        return []
    idx = _nonblank(texts)
    out = []
    for i in sorted(tagged["about"]):  # (non-blank lines, in order)
        if not texts[i].startswith("About "):
            continue
        k = bisect_left(idx, i)
        m = _ABOUT_HEADER.match(texts[i])
        if not m or k + 1 >= len(idx):
            continue
        first = re.escape(m.group(1).split()[0])
        # "^first\b" then _ABOUT_REST, as one match: ``first`` is a run of literals, so it matches
        # one way only and the rest is compiled once, not once per company name
        starts = re.compile(rf"^{first}\b", re.IGNORECASE)
        head = starts.match(texts[idx[k + 1]])
        if head is None or not _ABOUT_REST.match(texts[idx[k + 1]], head.end()):
            continue
        out.append(i)
        for j in idx[k + 1:k + 1 + p["max_lines"]]:
            if not starts.match(texts[j]):
                break
            out.append(j)
    return out


_CONTEXT_FUNCTIONS = {
    "bullet_run": _link_list,
    "teaser_block": _teaser_block,
    "caption_date": _caption_date,
    "duplicate_line": _repeated_block,
    "about_section": _about_section,
}
for _name in CONTEXT_KINDS:
    if _name not in _CONTEXT_FUNCTIONS:
        raise ValueError(f"boilerplate.toml: unknown context kind {_name!r}")


# ---------------------------------------------------------------------------------------------
# The rules: each reports the lines of its own kinds.

_SNIPPET = 70


def _snippet(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SNIPPET else text[:_SNIPPET - 1].rstrip() + "…"


def _report(doc, code: str, reason: str = "left by the scraper",
            force_unsafe: bool = False):
    lines = doc.lines
    by_rule = doc.__dict__.get("_boilerplate_by_rule")
    if by_rule is None:  # the classified lines grouped by rule, in line order; once per document
        by_rule = {}
        for i, kind in sorted(classify(doc).items()):
            by_rule.setdefault(kind.rule, []).append((i, kind))
        doc.__dict__["_boilerplate_by_rule"] = by_rule
    for i, kind in by_rule.get(code, ()):
        line = lines[i]
        safe = kind.safe and not force_unsafe
        yield doc.finding(
            line.start, line.end,
            f"{kind.what} {reason}: “{_snippet(line.text)}”",
            fix=doc.delete_line_fix(line, f"Delete the line ({kind.what.lower()})",
                                    Applicability.SAFE if safe else Applicability.UNSAFE),
        )


@rule("B002", "reader-prompt-line", fix=Applicability.SAFE)
def reader_prompt_line(doc):
    """A prompt to the reader: follow, subscribe, sign up, share, comment, get the app, click here.

    Why: calls to action belong to the page around the article. "Follow" must be capitalised and
    name a network, a handle or a URL; "subscribe" and "sign up" must start the line; so "she will
    follow the case" and "Subscribers to the service rose" stay clean.

    Bad:  Follow Jane Doe on Twitter @janedoe.
    Good: Subscribers to the service rose 4 percent last year.

    Fix safety: safe. The line is deleted; none of these prompts carries article text.
    """
    return _report(doc, "B002")


@rule("B003", "advertisement-marker", fix=Applicability.SAFE)
def advertisement_marker(doc):
    """An ad slot marker: "Advertisement", "Sponsored content", "Continue reading the main story".

    Why: the label of an ad slot or a "story continues below" marker interrupts the article. Only
    a line that is nothing but the marker is flagged, so "Advertisement revenue at the paper rose
    4 percent" stays clean.

    Bad:  Advertisement Continue reading the main story
    Good: Advertisement revenue at the paper rose 4 percent.

    Fix safety: safe. The line is deleted; it holds only the marker.
    """
    return _report(doc, "B003")


@rule("B004", "site-notice-line", fix=Applicability.SAFE)
def site_notice_line(doc):
    """A notice from the website: cookies, JavaScript, paywall, comment policy, disclaimer.

    Why: browser and paywall notices ("Please enable JavaScript", "Already a subscriber?") and the
    site's comment policy or disclaimer are addressed to the visitor, not part of the story.

    Bad:  Please enable JavaScript to view the comments.
    Good: Websites that use cookies must ask for consent, the court ruled.

    Fix safety: safe. The line is deleted; the patterns only match the notice's fixed wording.
    """
    return _report(doc, "B004")


@rule("B005", "copyright-line", fix=Applicability.SAFE)
def copyright_line(doc):
    """A copyright or rights line: "© 2019 Example Media", "All rights reserved", the AP "may not be published" line.

    Why: the publisher's legal footer is not part of the article text.

    Bad:  © 2019 Example Media Group. All rights reserved.
    Good: Copyright law protects the song, the judge said.

    Fix safety: safe. The line is deleted; it starts with © or "Copyright <year>", or is a rights
    notice of at most 400 characters.
    """
    return _report(doc, "B005")


@rule("B006", "source-credit-line", fix=Applicability.UNSAFE, severity=Severity.INFO)
def source_credit_line(doc):
    """A source or credit trailer: "Source: Reuters", "(Reporting by ...; Editing by ...)", "... contributed".

    Why: the agency credit, contributor line, "originally published on" and "this story was
    updated" notes follow the article rather than belong to it. They can be worth keeping (who
    wrote it, where it came from), so this is information, not a warning.

    Bad:  (Reporting by Ann Smith; Editing by Bob Jones)
    Good: Reporting by the paper showed the fund had lost money.

    Fix safety: unsafe. Deleting the line loses the credit, which some uses need.
    """
    return _report(doc, "B006", reason="after the article (a trailer, not article text)", force_unsafe=True)


@rule("B007", "photo-caption-line", fix=Applicability.UNSAFE)
def photo_caption_line(doc):
    """A photo caption or credit left in the text ("Image copyright Getty Images", "(AP Photo/...)", "FILE - ... photo").

    Why: the scraper kept the caption of a picture the text no longer shows. Labels ("Image
    caption", "toggle caption", "Photo: ..."), agency credits and the wire's "FILE - In this
    ... photo" are the evidence; a line naming a position in the picture ("(left)") together with
    a full date is a caption too, while either alone is prose ("the photo showed ..." stays clean).

    Bad:  Image copyright Example Agency Image caption Crowds gathered at dawn
    Good: The photo showed the suspect leaving the building.

    Fix safety: unsafe. A caption can carry a sentence of information the article repeats only in
    part; read before deleting.
    """
    return _report(doc, "B007", force_unsafe=True)


@rule("B008", "media-placeholder-line", fix=Applicability.SAFE)
def media_placeholder_line(doc):
    """A placeholder for a video or graphic: "Media playback is unsupported on your device", "(Graphic: ... - here)".

    Why: the player or chart is gone; its placeholder text is not part of the story.

    Bad:  Media playback is unsupported on your device
    Good: Playback of the tapes was halted by the judge.

    Fix safety: safe for a graphic placeholder in parentheses; unsafe for a player message, which
    can be followed by the video's caption on the same line.
    """
    return _report(doc, "B008")


@rule("B009", "social-embed-remnant", fix=Applicability.SAFE)
def social_embed_remnant(doc):
    """What is left of an embedded post: "pic.twitter.com/...", "A post shared by ...", "View this post on Instagram".

    Why: the embed did not survive extraction; its link or caption line is noise in the article.
    Tweet signatures ("— Name (@handle) date") are a separate, opt-in rule (B016).

    Bad:  A post shared by Jane Roe (@janeroe) on Mar 3, 2020 at 5:10pm PST
    Good: A post shared widely online claimed the opposite.

    Fix safety: safe. The line is deleted; it is only the embed's remnant.
    """
    return _report(doc, "B009")


@rule("B010", "page-metadata-line", fix=Applicability.SAFE)
def page_metadata_line(doc):
    """Page metadata on a line of its own: a bare date or time stamp, "Tags: ...", "4 min read".

    Why: the page's timestamp, tag list and reading-time label are not sentences of the article.

    Bad:  Tags: budget, taxes, council
    Good: Tags on the luggage showed it came from Rome.

    Fix safety: safe for tag lists and reading-time labels; unsafe for a bare date, which can be
    part of the text (a dated letter or memo quoted in the article).
    """
    return _report(doc, "B010")


@rule("B011", "author-contact-line", fix=Applicability.SAFE)
def author_contact_line(doc):
    """The author's contact line: "Write to Sam Roe at sam.roe@example.com", a bare e-mail address.

    Why: the newspaper's contact footer is not part of the article.

    Bad:  Write to Sam Roe at sam.roe@example.com
    Good: Emails show the mayor knew about the plan.

    Fix safety: safe. The line is deleted; it needs an e-mail address, a Twitter link or "may be
    reached at".
    """
    return _report(doc, "B011")


@rule("B012", "related-stories-block", fix=Applicability.SAFE)
def related_stories_block(doc):
    """Headlines of other stories: a "You may also like" label and the list under it, or a list of links at the end.

    Why: teaser blocks and link lists are the site's navigation. A bullet list counts only at the
    end of the article, when most items look like headlines and no "You will need:" line
    introduces it, so recipe and product lists stay clean.

    Bad:  RELATED STORIES
    Good: Related charges were dropped in March.

    Fix safety: safe for labels, tagged teasers and link lists; unsafe for an all-caps line, which
    may be a real subhead.
    """
    return _report(doc, "B012")


@rule("B013", "press-release-about", fix=Applicability.UNSAFE, default=False)
def press_release_about(doc):
    """The "About <Company>" paragraph of a press release ("About ExampleCorp / ExampleCorp is a provider of ...").

    Why: the issuer's standard self-description is not news. The header counts only when the next
    line starts with the company's name and a present-tense corporate verb ("is", "offers").

    Bad:  About ExampleCorp
      ExampleCorp is a global provider of billing software, headquartered in Oslo.
    Good: About 100 people attended the vigil.

    Off by default: in a corpus of press releases the company description can be wanted, and
    the extraction benchmark's ground truth keeps it.

    Fix safety: unsafe. Some readers want the company description.
    """
    return _report(doc, "B013", force_unsafe=True)


@rule("B014", "separator-line", fix=Applicability.SAFE)
def separator_line(doc):
    """A decorative separator: "___", "=====", "-----" or a lone bullet.

    Why: horizontal rules and empty bullets are layout, not text.

    Bad:  ___
    Good: --- a dash-led aside ---

    Fix safety: safe. The line holds no words.
    """
    return _report(doc, "B014")


@rule("B015", "affiliate-line", fix=Applicability.SAFE, default=False)
def affiliate_line(doc):
    """Shopping chrome: "Buy now", "See it now: Amazon", affiliate disclosures, bare amzn.to links.

    Why: buy buttons and commission disclosures belong to the shop around a review. Off by
    default: the extraction benchmark's ground truth keeps these lines as article body, and on
    product pages they can be what the reader wants.

    Bad:  If you buy something through our links, we may earn a commission.
    Good: Buy now or pay more later, economists warned shoppers on Monday.

    Fix safety: safe for buttons and disclosures; unsafe for a bare short link, which may be the
    only pointer to the product.
    """
    return _report(doc, "B015")


@rule("B016", "tweet-signature", fix=Applicability.SAFE, default=False)
def tweet_signature(doc):
    """The signature line of an embedded tweet: "— Jane Roe (@janeroe) March 3, 2020".

    Why: it is the embed's footer. Off by default: it also tells who wrote the quoted tweet above
    it, and the extraction benchmark's ground truth keeps it.

    Bad:  — Jane Roe (@janeroe) March 3, 2020
    Good: — a claim the minister (@minister on Twitter) denied.

    Fix safety: safe. The line is only the signature.
    """
    return _report(doc, "B016")


@rule("B017", "bare-url-line", fix=Applicability.UNSAFE, default=False)
def bare_url_line(doc):
    """A line that is nothing but a URL.

    Why: a leftover link of the page. Off by default: an article can cite its sources as bare
    URLs, or give a venue's website in an info box.

    Bad:  https://example.com/news/story-123.html
    Good: Visit https://example.com for the full list of winners.

    Fix safety: unsafe. The URL may be a citation.
    """
    return _report(doc, "B017")


@rule("B018", "repeated-block", fix=Applicability.UNSAFE)
def repeated_block(doc):
    """A block of four or more lines that repeats lines already in the article (a second copy of the body).

    Why: the scraper took the text twice (the body and a metadata copy). Single repeated lines
    (refrains, recipe steps, table headers) are left alone.

    Bad:  Line one of the story is right here today.
      Line two of the story is right here today.
      Line three of the story is right here today.
      Line four of the story is right here today.
      Line one of the story is right here today.
      Line two of the story is right here today.
      Line three of the story is right here today.
      Line four of the story is right here today.
    Good: Vote for Anna on the last page!

    Fix safety: unsafe. Deleting the second copy is usually right, but a reader should check
    which copy is the article.
    """
    return _report(doc, "B018", force_unsafe=True)


# ---------------------------------------------------------------------------------------------
# User patterns: [tool.articlelint.boilerplate] extra-line-patterns = ["^Sponsored by .*$"]

_TIMEOUT = 0.05  # seconds per line and pattern: a catastrophic user regex cannot hang a run
_USER_CACHE: Dict[Tuple[str, ...], list] = {}


def compile_line_patterns(patterns) -> list:
    """Compile user line patterns (``regex`` module); a pattern that does not compile is a ValueError."""
    key = tuple(patterns)
    if key in _USER_CACHE:
        return _USER_CACHE[key]
    import regex  # lazy: only runs that configure patterns pay for it

    compiled = []
    for pattern in key:
        if not isinstance(pattern, str):
            raise ValueError(f"[tool.articlelint.boilerplate] extra-line-patterns: {pattern!r} is not a string")
        try:
            compiled.append(regex.compile(pattern, regex.VERSION0))
        except regex.error as exc:
            raise ValueError(
                f"{pattern!r} is not a valid regular expression: {exc}"
            ) from None
    _USER_CACHE[key] = compiled
    return compiled


def _valid_patterns(value) -> bool:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return False
    compile_line_patterns(value)  # a ValueError names the pattern and why; the engine reports it
    return True


SETTINGS = {
    "boilerplate": {
        "extra-line-patterns": (
            _valid_patterns,
            "a list of regular expressions that compile (Python `regex` syntax), each matched against "
            "a stripped line, e.g. [\"^Sponsored by .*$\"]",
        ),
    },
}

_SHORTCODE = _Lazy(_DATA["custom"]["pattern"], re.IGNORECASE)


@rule("B099", "custom-boilerplate-line", fix=Applicability.SAFE)
def custom_boilerplate_line(doc):
    """A line matching one of your own boilerplate patterns, or CMS shortcode residue ("[button ...]").

    Why: every site has its own chrome. List regular expressions in
    `[tool.articlelint.boilerplate] extra-line-patterns = ["^Sponsored by .*$"]`; a line (stripped
    of surrounding spaces) that a pattern matches (`search`: anchor with ^ and $) is reported.
    Out of the box the rule knows one kind: unrendered shortcodes such as `[caption id="..."]`.
    Each match has a time limit, so a runaway pattern cannot hang a run; a pattern that does
    not compile is a configuration error.

    Bad:  [button link="https://example.com/submit" type="big"] Send us your review[/button]
    Good: The court heard the [redacted] evidence on Monday.

    Fix safety: safe. The patterns are yours: you declared such lines boilerplate.
    """
    user = doc.context.section("boilerplate").get("extra-line-patterns", []) if doc.context is not None else []
    compiled = compile_line_patterns(user) if user else []
    if not compiled and "[" not in doc.text:
        return  # a shortcode line starts with "["
    title = doc.title
    taken = classify(doc)
    related = _related_lines(doc)
    timed_out = set()
    for index, line in enumerate(doc.lines):
        if not compiled and "[" not in line.text:
            continue
        if line is title or line.is_blank or index in taken or index in related:
            continue
        text = line.text.strip()
        what = None
        if _SHORTCODE.match(text):
            what = "Unrendered CMS shortcode left by the scraper"
        else:
            for k, rx in enumerate(compiled):
                if k in timed_out:
                    continue
                try:
                    if rx.search(text, timeout=_TIMEOUT):
                        what = f"Line matching your boilerplate pattern {rx.pattern!r}"
                        break
                except TimeoutError:
                    timed_out.add(k)  # give up on this pattern for the rest of the document
        if what:
            yield doc.finding(
                line.start, line.end,
                f"{what}: “{_snippet(text)}”",
                fix=doc.delete_line_fix(line, "Delete the boilerplate line"),
            )
