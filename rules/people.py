"""P: people (pronouns and names) inside one article.

All five rules share one analysis of the article, computed once on first use and cached per
document: paragraphs become segments (a headline-like line starts a new one), captions are set
apart, quoted speech is blanked out (offsets kept), and an inventory of the people the article
names is built (full names with a gender hint from honorifics, role nouns and the first-name
table ``data/first_names.tsv``, derived from US SSA baby-name counts, public domain).
Cross-document spelling checks live in the naming family (one corpus index); these rules only
compare an article with itself.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from itertools import compress
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from lint import Applicability, Fix, rule
from lint.document import split_sentences

from ._data import DATA_DIR, load
from ._lazy import lazy_compile

_OPPOSITE = {"M": "F", "F": "M"}
_GENDERED = ("F", "M")
_PRONOUN_GENDER = {"he": "M", "him": "M", "his": "M", "himself": "M",
                   "she": "F", "her": "F", "hers": "F", "herself": "F"}
# Names, tokens: "McKee", "O'Malley", "DeVine", "al-Assad"-style hyphenated names.
_TOKEN = r"(?:Mc|Mac|O['’]|D['’])[A-Z][a-z]+|[A-Z][a-z]+[A-Z][a-z]+|[A-Z][a-z]+(?:[-'’][A-Za-z][a-z]+)*"
_PARTICLES = r"al|el|bin|ibn|de|da|di|del|van|von|der|la|le|du|dos"
# The same token, written to start with a character class so that the regex engine can skip
# ahead quickly (a pattern that starts with a lookbehind is tried at every position). The letter
# runs are possessive ("[a-z]++"): every pattern using this token requires a non-letter after it
# (a space, punctuation, a word boundary), so giving letters back could never lead to a match,
# and not trying saves the engine most of its work on the many capitalised words that fail.
_TOKEN_AT_CAPITAL = (r"[A-Z](?<![\w.-][A-Z])(?:(?<=M)(?:c|ac)[A-Z][a-z]++|(?<=[OD])['’][A-Z][a-z]++|"
                     r"[a-z]++[A-Z][a-z]++|[a-z]++(?:[-'’][A-Za-z][a-z]++)*)")


def _token_at_capital(guard: str) -> str:
    """_TOKEN_AT_CAPITAL with the lookahead ``guard`` tried right after its first capital. A
    guard that every match of the whole pattern satisfies there changes no match; it only lets
    the regex engine give up early at the many capitals where the pattern fails (most of
    them: "The", "But", a name before a lowercase word), instead of trying every alternative."""
    head = r"[A-Z](?<![\w.-][A-Z])"
    assert _TOKEN_AT_CAPITAL.startswith(head)
    return f"{head}(?={guard}){_TOKEN_AT_CAPITAL[len(head):]}"


# What follows the first token of every capseq match: its letters (a token is made of
# [A-Za-z'’-] and is followed by whitespace, so it runs to the end of that run of characters),
# whitespace, then a capital (an initial or the next token) or the first letter of a particle.
_CAPSEQ_GUARD = r"[A-Za-z'’-]*+\s++[A-Z" + "".join(sorted({p[0] for p in _PARTICLES.split("|")})) + "]"
# What follows the first capital of every orphan match: the rest of the token (to the end of
# its letters, as above), then whitespace and a lowercase word ("also" or a speech verb), or
# optional whitespace and one of ",.;".
_ORPHAN_GUARD = r"[A-Za-z'’-]*+\s*+[a-z,.;]"
_DETERMINER = lazy_compile(r"\b(a|an|the|his|her|their|its|our|my)\s+$", re.I)
_WORD = lazy_compile(r"\b[A-Za-z][a-z]+\b")
_POSSESSIVE_OR_COMPOUND = lazy_compile(r"-|['’]?s\b")
# Photo captions: "(left)", "(second from right)", "Photo: ...", "... / AP", "... Feb. 7, 2018."
_CAPTION_PLACE = lazy_compile(r"\((?:[Ll]eft|[Rr]ight|[Cc]ent(?:er|re)|L|R|C|[Tt]op|[Bb]ottom|[Ff]ront|[Bb]ack|"
                            r"[Pp]ictured|[Ss]econd from (?:left|right)|[Ff]ar (?:left|right)|in red|in white)\)")
_CAPTION_START = ("photo", "image", "picture", "credit", "caption", "file")
_CAPTION_CREDIT = lazy_compile(r"\((?:AP|Reuters|AFP|Getty|Photo)[^)]*\)$|/\s*(?:AP|Getty|Reuters|AFP|Staff)\b")
_CAPTION_PHOTO = lazy_compile(r"photo(?:graph)?s?\s*:", re.I)
_CAPTION_WORD = lazy_compile(r"(?:photo|image|picture|credit|caption|file)\b")
_CAPTION_DATE = lazy_compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{1,2}, \d{4}\.$")
_HEADLINE_STARTS = ("More news:", "Read more", "READ MORE", "Related:", "See also", "Also read", "RELATED",
                    "Source:", "Advertisement", "Click here")
_CAP_WORDS = lazy_compile(r"([A-Za-z])[\w'’-]*")  # (findall gives the first letter of each word)
# a name with a capitalised word or a title in front ("Jeffrey R. Gahler", "Mayor Nutter", "Vel McKee")
_INTRODUCED = lazy_compile(
    rf"[A-Z](?<![\w'’-][A-Z])(?=(?:[\w'’-]*|[a-z]{{0,3}}\.)[ \t]+(?:[A-Z]\.[ \t]+)?({_TOKEN}))")
_APPOSITIVE = lazy_compile(rf"({_TOKEN_AT_CAPITAL}),\s+(?:who|a|an|the|now|\d)")
_VERB_BEFORE = lazy_compile(r"([a-z]+)\s+$")
_APOSTROPHE_S = lazy_compile(r"['’]s\b")
_CLAUSE_BREAK = lazy_compile(r"[.;]|\b(?:and|but|said|told)\b")
_TOKEN_RE = lazy_compile(_TOKEN)
_CONTRACTION = lazy_compile(r"['’](?:ve|re|ll|d|s|t|m)$")
_HYPHEN_LOWER = lazy_compile(r"-[a-z]")
_LONGER_NAME_BEFORE = lazy_compile(r"(?:\b[Tt]he|[A-Z][\w.'’-]*|\b(?:his|her|their|its|a|an|of|for|from))\s+$")
_PREPOSITION_BEFORE = lazy_compile(r"\b(?:and|of|&|in|at|from|to|near|for|on|by|with|across|outside|inside)\s+$")
_CREDIT_AFTER = lazy_compile(r"\s*(?:from|to this)\b")
_IT_AFTER = lazy_compile(r"[^.]{0,40}?\b(?:it|its)\b")
_NOT_PROSE_AFTER = lazy_compile(r"[@/_-]|\.\w")
_SUSPENSION = frozenset("and or to nor but through versus vs as than not then into from if of".split())


def _bounded_spans(text: str, word: str, glue: str = "-", limit: int = -1) -> List[Tuple[int, int]]:
    r"""The spans ``re.finditer(r"(?<![\w-])WORD(?![\w-])", text)`` finds for a literal WORD
    (with ``glue=""``: ``(?<!\w)WORD(?!\w)``, which is ``\bWORD\b`` for a WORD of word characters),
    found with str.find: no pattern is compiled per word. ``\w`` is ``isalnum()`` or "_".
    With ``limit`` >= 0, it stops as soon as more than ``limit`` spans are found."""
    out = []
    n, size = len(word), len(text)
    find = text.find
    pos = find(word)
    while pos != -1:
        end = pos + n
        if pos:
            c = text[pos - 1]
            if c.isalnum() or c == "_" or c in glue:
                pos = find(word, pos + 1)
                continue
        if end < size:
            c = text[end]
            if c.isalnum() or c == "_" or c in glue:
                pos = find(word, pos + 1)
                continue
        out.append((pos, end))
        if len(out) == limit + 1:
            break
        pos = find(word, end)
    return out


def _count_bounded(text: str, word: str, glue: str = "-") -> int:
    r"""``len(re.findall(r"(?<![\w-])WORD(?![\w-])", text))`` for a literal WORD (see _bounded_spans)."""
    if word not in text:
        return 0
    return len(_bounded_spans(text, word, glue))


def _split(value: str) -> frozenset:
    return frozenset(value.split())


@lru_cache(maxsize=None)
def _first_name_text() -> str:
    """The rows of ``data/first_names.tsv`` ("name<TAB>gender<TAB>magnitude<LF>" each), without the
    leading comment lines. benchmarks/make_first_names.py writes them sorted by name, once each."""
    with open(Path(DATA_DIR) / "first_names.tsv", encoding="utf-8") as handle:
        text = handle.read()
    pos = 0
    while text.startswith("#", pos):
        pos = text.find("\n", pos) + 1 or len(text)
    body = text[pos:]
    return body if not body or body.endswith("\n") else body + "\n"


def _first_name_row(name: str) -> Optional[Tuple[str, str]]:
    """(gender, magnitude) of ``name`` in the table, found by binary search over the sorted rows
    of the file text (~15 steps of str.find): a single article looks up some twenty words, and
    this costs microseconds where building the whole table costs ~10 ms."""
    body = _first_name_text()
    if "\t" in name or "\n" in name:
        return None
    lo, hi = 0, len(body)  # lo and hi are line starts; name, if present, starts a line in [lo, hi)
    rfind, find = body.rfind, body.find
    while lo < hi:
        start = rfind("\n", lo, (lo + hi) // 2) + 1 or lo
        tab = find("\t", start)
        key = body[start:tab]
        if key == name:
            tab2 = find("\t", tab + 1)
            return body[tab + 1:tab2], body[tab2 + 1:find("\n", tab2)]
        if key < name:
            lo = find("\n", tab) + 1
        else:
            hi = start
    return None


@lru_cache(maxsize=None)
def _first_name_rows() -> Tuple[List[str], List[str], List[str]]:
    """The columns of the table (names, genders, magnitudes), split at C speed: one ``split`` of
    the whole text, every row being exactly three tab-separated fields (a line-by-line parse
    took ~30 ms)."""
    body = _first_name_text()[:-1]
    fields = body.replace("\n", "\t").split("\t") if body else []
    if len(fields) != 3 * (body.count("\n") + 1) or "\n#" in body:  # not the generated layout
        rows = [line.split("\t") for line in body.split("\n") if not line.startswith("#")]
        if any(len(row) != 3 for row in rows):
            raise ValueError("first_names.tsv: every row must be name<TAB>gender<TAB>magnitude")
        fields = [field for row in rows for field in row]
    names = fields[0::3]
    if names != sorted(set(names)):
        raise ValueError("first_names.tsv: rows must be sorted by name, once each "
                         "(benchmarks/make_first_names.py writes them so; lookups use binary search)")
    return names, fields[1::3], fields[2::3]


@lru_cache(maxsize=None)
def _first_name_dict() -> Dict[str, str]:
    names, genders, _ = _first_name_rows()
    return dict(zip(names, genders))


@lru_cache(maxsize=None)
def _common_first_names() -> frozenset:
    names, _, magnitudes = _first_name_rows()
    # "4".__le__(m) is m >= "4" (the magnitude is one digit): 10,000 births or more
    return frozenset(compress(names, map("4".__le__, magnitudes)))


class _Lookup(dict):
    """word -> value from the names table, or None (misses are cached too). The first
    LOOKUP_BUDGET words are looked up one by one (binary search: cheap for one article); after
    that the whole table is loaded once, which is cheaper for a corpus. Read with ``lookup[word]``
    (``dict.get`` would skip ``__missing__``)."""

    LOOKUP_BUDGET = 1000

    def __init__(self, one, whole):
        super().__init__()
        self._one, self._whole, self._left = one, whole, self.LOOKUP_BUDGET

    def __missing__(self, word):
        if self._left > 0:
            self._left -= 1
            value = self._one(word)
        else:
            if self._left == 0:
                self._left = -1
                self.update(self._whole())
                if word in self:
                    return dict.__getitem__(self, word)
            value = None
        self[word] = value
        return value


def _gender_of(word: str) -> Optional[str]:
    row = _first_name_row(word)
    return row[0] if row else None


def _is_common(word: str) -> Optional[bool]:
    row = _first_name_row(word)
    return True if row and row[1] >= "4" else None


@lru_cache(maxsize=None)
def _name_genders() -> _Lookup:
    """First name -> "F", "M" or "U"; None for any other word (see first_names())."""
    return _Lookup(_gender_of, _first_name_dict)


@lru_cache(maxsize=None)
def _common_names() -> _Lookup:
    """First name -> True when common (see common_first_names()); None for any other word."""
    return _Lookup(_is_common, lambda: dict.fromkeys(_common_first_names(), True))


def first_names() -> Dict[str, str]:
    """First name -> "F", "M" or "U" (no confident gender); read once per process."""
    return _first_name_dict()


def common_first_names() -> frozenset:
    """First names given to 10,000 or more US babies ("Amber", "Ryan"; not "Novak", "Mattis")."""
    return _common_first_names()


def _alternation(words) -> str:
    """A regex that matches exactly the given words, written as a trie ("a(?:dd(?:ed|s)|sked)")
    so that the engine rejects a wrong word at its first letters instead of trying each one.
    A word that is the start of another is an optional tail, longer first; every use is followed
    by a word boundary, so it matches the same spans as a plain "word1|word2|..." list."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node) -> str:
        parts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _lowercase_words(words) -> frozenset:
    """Words that the generic word patterns below stand for ("[a-z]+", checked against the set
    in Python): they must be lowercase ASCII words."""
    words = frozenset(words)
    bad = sorted(w for w in words if not (w.isascii() and w.isalpha() and w.islower()))
    if bad:
        raise ValueError(f"people.toml: not a lowercase word: {bad}")
    return words


# "\s*,?\s*(?:SPEECH\b|who\b|\d{1,3},|an?\s|the\s)": every alternative is a lowercase word or
# digits, so one generic word is matched and checked in Python (see _Lists.speech_after)
_SPEECH_AFTER = lazy_compile(r"\s*,?\s*(?:([a-z]+)\b|\d{1,3},)")
# the subject test without its speech verbs (those are _SUBJECT_VERB plus a set lookup)
_SUBJECT_OTHER = lazy_compile(r"\s+(?:also\s+|later\s+|then\s+|never\s+|still\s+)?"
                            r"(?:described|[a-z]+ed\s+(?:it|this|that|the|a|an|his|her|him|them)|did|"
                            r"doesn['’]t|didn['’]t)\b")
_SUBJECT_VERB = lazy_compile(r"\s+(?:(?:also|later|then|never|still)\s+)?([a-z]+)\b")


# The places where _Lists.attribution can start, each found by a pattern that starts with a
# literal: "he" (also the end of "she" and "She") and "He" with no word character before the
# pronoun; "HE" anywhere (that pattern takes "HE" and "SHE" at any position, "THE," too, and a
# match at the "S" of "SHE" implies one at its "H"). Group 1 takes part when the pronoun is
# "she": it starts one character before the literal. (Lookbehinds look back from the end of
# the literal.)
_PRONOUN_ENDS = (lazy_compile(r"he\b(?:(?<!\w..)|((?<=[Ss]..)(?<!\w...)))"),
                 lazy_compile(r"He\b(?<!\w..)"),
                 lazy_compile(r"HE\b"))


class _Lists:
    """Word lists (sets, built on first use) and the patterns made from them, each compiled the
    first time it is used: a long alternation costs milliseconds to compile, and `lint file.txt`
    should pay only for the patterns its text needs. Word lists are looked up per word in sets
    wherever a generic pattern can stand for the alternation."""

    def __init__(self):
        data = self.data = load("people")
        self.honor_m, self.honor_f = _split(data["honorifics"]["male"]), _split(data["honorifics"]["female"])
        bad = sorted(w for w in self.honor_m | self.honor_f
                     if not (w[:1].isupper() and w.isascii() and w.isalpha() and w[1:].islower()))
        if bad:  # the generic pattern of honorifics() needs them to be "[A-Z][a-z]+"
            raise ValueError(f"people.toml: honorifics must be capitalised words: {bad}")
        self.titles = _split(data["titles"]["words"])
        self.role_m, self.role_f = _split(data["roles"]["male"]), _split(data["roles"]["female"])
        self.neutral = _split(data["roles"]["neutral"])
        ex = data["exclusions"]
        self.places = _split(ex["places"])
        self.nonperson = _split(ex["nonperson"]) | self.places
        self.orgplace = _split(ex["org_place_words"])
        self.common = _split(ex["common_words"])
        self.mononyms = _split(ex["mononyms"])
        self.plural_suffixes = tuple(ex["plural_suffixes"].split())
        self.overrides = {tuple(k.split()): v for k, v in data["person_overrides"].items()}
        self.speech = _lowercase_words(data["speech"]["verbs"].split())
        self.inverted = _split(data["speech"]["inverted"])
        self.person_nouns = self.role_m | self.role_f | self.neutral
        # the person nouns that are plain words ("\b[A-Za-z][a-z]+\b" matches them), lowercase
        self.noun_words = frozenset(w for w in self.person_nouns if len(w) >= 2 and w.isascii()
                                    and w.isalpha() and w.islower())
        self.introducers = self.person_nouns | {"company", "firm", "college", "adviser", "brother", "sister"}

    @cached_property
    def _speech_re(self) -> str:
        return _alternation(self.speech)

    # "he said", "she also told"; or "said he." (the verb before is checked in Python)
    # (the pronoun is written to start with one character class, "[SsHh]", so the regex engine
    # skips every other character at C speed; it is "(?:[Ss](?<!\w[Ss])he|[Hh](?<!\w[Hh])e|SHE|HE)")
    @cached_property
    def attribution(self) -> "re.Pattern":
        adverbs = "|".join(self.data["speech"]["adverbs"].split())
        return re.compile(
            rf"[SsHh](?:(?<=[Ss])(?<!\w[Ss])he|(?<=[Hh])(?<!\w[Hh])e|(?<=S)HE|(?<=H)E)"
            rf"\b(?:\s+(?:(?:{adverbs})\s+)?(?:{self._speech_re})\b|(?=\s*[,.;:]))")

    @staticmethod
    def pronoun_starts(text: str) -> List[int]:
        """Every offset where ``attribution`` can match, sorted (a superset: the pattern is still
        tried there). ``attribution`` would be tried at every "s" and "h" of the text; the
        pronouns are found here by patterns that start with a literal ("he", "He", "HE"), which
        the regex engine looks for at C speed. "HE" found inside "SHE" gives the offset of
        the "S" too, where the match is tried first: it succeeds exactly when one at the "H"
        would (the same "HE" follows), and ``finditer`` takes it and passes over the "H"."""
        out = []
        for pattern in _PRONOUN_ENDS:
            for m in pattern.finditer(text):
                end = m.end()
                start = end - 2 if m.lastindex is None else end - 3
                if start and text[start] == "H" and text[start - 1] == "S":
                    out.append(start - 1)
                out.append(start)
        out.sort()
        return out

    def attributions_in(self, text: str, starts: List[int]):
        """The matches of ``attribution.finditer(text)``, tried only at ``starts`` (from
        pronoun_starts(text)): a position inside an earlier match is passed over, as finditer
        does (a match covers a pronoun, adverbs and a verb: no other pronoun starts inside it)."""
        match = self.attribution.match
        done = 0
        for start in starts:
            if start < done:
                continue
            m = match(text, start)
            if m:
                done = m.end()
                yield m

    def speech_after(self, post: str) -> bool:
        """``post`` starts with a speech verb, "who", "12,", "a ", "an " or "the " (after an
        optional comma): "Anna Novak, who ...", "Anna Novak said"."""
        m = _SPEECH_AFTER.match(post)
        if m is None:
            return False
        w = m.group(1)
        if w is None or w in self.speech or w == "who":
            return True
        e = m.end()
        return w in ("a", "an", "the") and e < len(post) and post[e].isspace()

    def subject_after(self, text: str, pos: int) -> bool:
        """A verb follows ``pos`` that makes the word before it a subject ("Novak said",
        "Novak described", "Novak blamed the ...", "Novak didn't")."""
        m = _SUBJECT_VERB.match(text, pos)
        return bool(m and m.group(1) in self.speech) or _SUBJECT_OTHER.match(text, pos) is not None

    @cached_property
    def capseq(self) -> "re.Pattern":
        return re.compile(
            rf"({_token_at_capital(_CAPSEQ_GUARD)}(?:\s+(?:[A-Z]\.\s+|(?:{_PARTICLES})[- ]?)?(?:{_TOKEN}))+)")

    @cached_property
    def single(self) -> "re.Pattern":
        return re.compile(rf"({_TOKEN_AT_CAPITAL})(?:['’]s)?\b")

    @cached_property
    def _honorific_candidate(self) -> "re.Pattern":
        # any capitalised word where "\b(Mr|Mrs|...)" stands; the word is checked in Python
        return re.compile(rf"([A-Z](?<!\w[A-Z])[a-z]+)\.?\s+((?:[A-Z]\.\s+)?(?:{_TOKEN}))")

    def honorifics(self, text: str):
        r"""The matches of ``\b(HONORIFIC)\.?\s+(NAME)`` in ``text`` ("Mr. Haddad", "Queen
        Elizabeth"). An honorific must end where its word ends (a dot or a space follows), so
        it is the whole capitalised word the generic pattern finds; where that word is no
        honorific, the alternation could not match at that position either, and the search
        goes on from the next character, exactly as ``finditer`` does."""
        honor = self.honor_m | self.honor_f
        search = self._honorific_candidate.search
        pos = 0
        while True:
            m = search(text, pos)
            if m is None:
                return
            if m.group(1) in honor:
                yield m
                pos = m.end()
            else:
                pos = m.start() + 1

    # "\b(he|him|his|himself|she|her|hers|herself)\b" case-insensitively, written to start with
    # one character class (the letters that re.I matches for "h" and "s", "ſ" included)
    @cached_property
    def pronoun(self) -> "re.Pattern":
        return re.compile(r"([HhSs\u017f](?<!\w[HhSs\u017f])(?i:(?<=h)(?:e|im|is|imself|er|ers|erself)|(?<=s)he))\b")

    # "White added", "Novak also said"; or "said Novak." (the verb before is checked in Python)
    @cached_property
    def orphan(self) -> "re.Pattern":
        return re.compile(rf"({_token_at_capital(_ORPHAN_GUARD)})(?:(\s+(?:also\s+)?(?:{self._speech_re})\b)|(?=\s*[,.;]))")


@lru_cache(maxsize=None)
def _lists() -> _Lists:
    """Word lists and patterns, built on first use (not at import: `lint file.txt` starts fast)."""
    return _Lists()


# -- the shared analysis of one article --------------------------------------------------------
# Opening quotation marks: a double quote, or a single one with no letter or digit before it
# (an apostrophe inside a word is skipped at C speed; the letter after it is checked in Python:
# "\w" also takes digits and "_"). ``[^\W_]`` is exactly ``str.isalnum``. (One character class
# first, not an alternation: the regex engine then skips ahead to the next quote mark quickly.)
_QUOTE_OPEN = lazy_compile(r"[\"“'‘](?<![^\W_]['‘])(?:(?<=[\"“])|(?=\w))")
_SINGLE_CLOSE = lazy_compile(r"['’]")


def _mask_quotes(text: str) -> str:
    """Blank out quoted speech, keeping offsets: “…”, "…" (unclosed: to the end of the paragraph),
    and ‘…’ / '…' used as quotation marks (an apostrophe inside a word is left alone)."""
    if '"' not in text and "'" not in text and "“" not in text and "‘" not in text:
        return text
    n = len(text)
    pieces = []
    done = 0  # text[:done] is handled
    i = 0
    search = _QUOTE_OPEN.search
    while True:
        m = search(text, i)
        if m is None:
            break
        i = m.start()
        c = text[i]
        if c in "‘'":
            if not text[i + 1].isalpha():
                i += 1
                continue
            j = i + 1
            close = _SINGLE_CLOSE.search
            while True:  # the closing mark that is not an apostrophe inside a word
                k = close(text, j)
                if k is None:
                    j = -1
                    break
                j = k.start()
                if j + 1 >= n or not text[j + 1].isalpha():
                    break
                j += 1
            if j == -1:
                i += 1  # no closing mark: an apostrophe
                continue
        else:
            j = text.find("”" if c == "“" else '"', i + 1)
            if j == -1:
                j = n - 1
        pieces.append(text[done:i])
        pieces.append(" " * (j + 1 - i))
        done = i = j + 1
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _is_caption(text: str) -> bool:
    """A photo caption ("... (left) thanks ...", "Photo: ...", "... Feb. 7, 2018.")."""
    head = text[:12].lower()
    if head.startswith(_CAPTION_START) and _CAPTION_WORD.match(head):
        return True
    if "(" in text and _CAPTION_PLACE.search(text):
        return True
    if ("(" in text or "/" in text) and _CAPTION_CREDIT.search(text):
        return True
    if ("hoto" in text or "HOTO" in text) and _CAPTION_PHOTO.search(text):
        return True
    return text[-5:-1].isdigit() and bool(_CAPTION_DATE.search(text))


def _is_headline(text: str) -> bool:
    """A short line without final punctuation, or a "More news:"-style link: it starts a new story."""
    s = text.strip()
    if s.startswith(_HEADLINE_STARTS):
        return True
    if not s or s[-1] in ".!?\"”’'" or len(s.split()) > 25:
        return False
    words = _CAP_WORDS.findall(s)
    if not words:
        return True
    caps = sum(map(str.isupper, words))
    return len(words) <= 20 and (caps / len(words) >= 0.5 or len(words) <= 12)


class _Sentence:
    __slots__ = ("start", "end", "masked", "_mentions")

    def __init__(self, start, end, masked):
        self.start, self.end, self.masked = start, end, masked
        self._mentions = None

    @property
    def long(self) -> bool:
        """Quote-only fragments ("Says who?") are looked at but do not use up the window."""
        return len(self.masked.split()) >= 4


class _Para:
    """A paragraph of the body (headline-like paragraphs are left out). Its caption flag and its
    sentences are computed on first use: most articles need them for a few paragraphs only."""
    __slots__ = ("start", "end", "text", "seg", "_caption", "_sents")

    def __init__(self, start, end, text, seg):
        self.start, self.end, self.text, self.seg = start, end, text, seg
        self._caption = self._sents = None

    @property
    def caption(self) -> bool:
        if self._caption is None:
            self._caption = _is_caption(self.text)
        return self._caption


class _Person:
    __slots__ = ("tokens", "gender", "start", "end")

    def __init__(self, tokens, gender, start, end):
        self.tokens, self.gender, self.start, self.end = tokens, gender, start, end


class _Article:
    def __init__(self, doc):
        self.doc = doc
        self.text = doc.text
        self.lists = _lists()
        self.names = _name_genders()
        self._lowercase: Dict[str, bool] = {}
        self._segment()
        self.people = self._inventory()
        self.by_token = self._token_genders()
        self._orphan_all = None

    def orphan_matches(self) -> list:
        """``lists.orphan`` over the whole quote-masked text (P004 uses it as is)."""
        if self._orphan_all is None:
            self._orphan_all = list(self.lists.orphan.finditer(self.masked))
        return self._orphan_all

    def para_orphan_matches(self) -> List[Tuple[_Para, "re.Match"]]:
        """The same matches, as a scan of each body paragraph on its own finds them: the ones in
        headline paragraphs, and the few that reach into the next paragraph, are dropped (a scan
        that stops at the paragraph end does not find those, and finds nothing else there: the
        rest of such a match is lowercase)."""
        out = []
        paras = self.paras
        k, n = 0, len(paras)
        for m in self.orphan_matches():
            ms = m.start()
            while k < n and paras[k].end <= ms:
                k += 1
            if k == n:
                break
            p = paras[k]
            if ms < p.start:
                continue  # a headline paragraph
            me = m.end()
            if me > p.end or (me == p.end and m.group(2) is None):
                continue
            out.append((p, m))
        return out

    def in_lowercase(self, word: str) -> bool:
        """Does the article use ``word`` (lowercase) as a whole word? Then a capitalised "Will" or
        "Officials" is an ordinary word rather than a name."""
        known = self._lowercase.get(word)
        if known is None:
            known = False
            text, n = self.text, len(word)
            pos = text.find(word)
            while pos != -1:
                before = text[pos - 1] if pos else " "
                after = text[pos + n] if pos + n < len(text) else " "
                if not (before.isalnum() or before in "-'’") and not (after.isalnum() or after == "-"):
                    known = True
                    break
                pos = text.find(word, pos + n)
            self._lowercase[word] = known
        return known

    # segments and the quote-masked text; sentences on demand
    def _segment(self):
        doc, text = self.doc, self.text
        title = doc.title
        masked = []  # pieces of the quote-masked text (same length as the text)
        done = 0
        self.paras: List[_Para] = []
        seg = 0
        for para in doc.paragraphs:
            ptext = para.text
            if (title is not None and para.start <= title.start < para.end) or _is_headline(ptext):
                seg += 1
                continue
            para_masked = _mask_quotes(ptext)
            if para_masked is not ptext:
                masked.append(text[done:para.start])
                masked.append(para_masked)
                done = para.end
            self.paras.append(_Para(para.start, para.end, ptext, seg))
        if masked:
            masked.append(text[done:])
            self.masked = "".join(masked)
        else:
            self.masked = text

    def sentences_of(self, p: _Para) -> List[_Sentence]:
        """The sentences of a paragraph, as ``doc.sentences`` splits them (quote-masked text)."""
        sents = p._sents
        if sents is None:
            masked = self.masked
            sents = p._sents = [_Sentence(s.start, s.end, masked[s.start:s.end])
                                for s in split_sentences(p.text, p.start)]
        return sents

    def sentence_at(self, p: _Para, offset: int) -> _Sentence:
        """The sentence of ``p`` that holds ``offset``."""
        found = None
        for s in self.sentences_of(p):
            if s.start > offset:
                break
            found = s
        return found

    # the people the article names
    def classify(self, tokens, pre, post) -> Optional[str]:
        """Is this capitalised sequence a person? "M", "F", "?" (a person, no gender) or None.
        Tokens before the first known first name are a title ("Police Chief John Smith")."""
        return self._classify(tokens, pre, post)[0]

    def _classify(self, tokens, pre, post) -> Tuple[Optional[str], int]:
        """(classify(), index of the first token of the name without its title: strip_title())."""
        g, start, ask = self._classify_tokens(tokens)
        if ask is not None:
            i0, j, g = ask
            if not self._titled_or_speechy(tokens, i0, j, pre, post):
                g = None
        return g, start

    def _classify_tokens(self, tokens) -> Tuple[Optional[str], int, Optional[Tuple[int, int, str]]]:
        """The part of _classify() that looks at the tokens alone: (gender, start, ask). When
        ``ask`` is (i0, j, g) the answer depends on the words around the run: it is g if
        _titled_or_speechy(tokens, i0, j, pre, post), else None (the caller builds pre and post
        only then). Everything else here depends on the tokens and the article only, so a run
        that occurs twice is classified once (see _inventory).
        (Index arithmetic rather than list copies, and the title and speech tests only when they
        can change the answer: this runs for every capitalised run of the article.)"""
        L, names = self.lists, self.names
        common, titles = L.common, L.titles
        n = len(tokens)
        i0 = 0  # leading common words ("The", "But") are not part of the name
        while i0 < n and tokens[i0].lower() in common:
            i0 += 1
        if n - i0 < 2:
            return None, 0, None
        orgplace, nonperson = L.orgplace, L.nonperson
        last = tokens[-1]
        if last.rstrip(".") in orgplace or last in nonperson:
            # (the loop over tokens[j:] below would say so: j < n always holds there)
            return None, 0, None
        get = names.__getitem__  # (a _Lookup: None for a word that is no first name)
        gendered = idx = None
        for i in range(i0, n - 1):
            if get(tokens[i]) in _GENDERED:
                gendered = idx = i
                break
        else:
            for i in range(i0, n - 1):
                t = tokens[i]
                if get(t) is not None and t.rstrip(".") not in titles:
                    idx = i
                    break
        # the title (prefix) is tokens[i0:j], the name tokens[j:]
        j = i0 if idx is None else idx
        while j < n and tokens[j].rstrip(".") in titles:
            j += 1
        if n - j < 2 and not (i0 < j < n):
            return None, 0, None
        for k in range(j, n - 1):
            t = tokens[k]
            if t.rstrip(".") in orgplace or t in nonperson:
                return None, 0, None
        if gendered is None:  # strip_title: leading titles go
            start = i0
            while start < n and tokens[start].rstrip(".") in titles:
                start += 1
        else:
            start = gendered
        lead = None
        honor_m, honor_f = L.honor_m, L.honor_f
        for k in range(i0, j):
            t = tokens[k].rstrip(".")
            if t in honor_m:
                lead = "M"
            elif t in honor_f:
                lead = "F"
        first = tokens[j]
        key = (first, last)
        if key in L.overrides:
            return L.overrides[key], start, None
        if lead:
            return lead, start, None
        gender = get(first)
        if n - j >= 2:
            if gender in _GENDERED:
                if j > i0 or not self.in_lowercase(first.lower()):
                    return gender, start, None
                return None, start, (i0, j, gender)
            if gender is not None and not self.in_lowercase(first.lower()):
                return "?", start, None
        return None, start, (i0, j, "?")

    def _titled_or_speechy(self, tokens, i0, j, pre, post) -> bool:
        """A title among tokens[i0:j] or just before the name, or a speech verb next to it."""
        L = self.lists
        titles = L.titles
        before = pre.split()
        last = before[-1].rstrip(".") if before else ""
        if last in titles or last in L.speech:
            return True
        for k in range(i0, j):
            if tokens[k].rstrip(".") in titles:
                return True
        return (L.speech_after(post)
                    or pre.rstrip().endswith(("according to", "citing", "cited", "quoted")))

    def strip_title(self, tokens) -> List[str]:
        L, names = self.lists, self.names
        toks = list(tokens)
        while toks and toks[0].lower() in L.common:
            toks.pop(0)
        idx = next((i for i, t in enumerate(toks[:-1]) if names[t] in ("F", "M")), None)
        if idx is not None:
            return toks[idx:]
        while toks and toks[0].rstrip(".") in L.titles:
            toks.pop(0)
        return toks

    def _inventory(self) -> List[_Person]:
        """Full person names anywhere in the article body (names inside quotes count too)."""
        text, L = self.text, self.lists
        finditer, titles, speech = L.capseq.finditer, L.titles, L.speech
        classify = self._classify_tokens
        known = {}  # capitalised run -> (tokens, gender, start, ask) of _classify_tokens
        out = []
        # One scan per paragraph: a name never runs over a sentence end (only "[A-Z]. " joins
        # tokens, and the sentence splitter never ends a sentence after an initial). The text
        # before a name is clipped at its sentence's start; that only matters when the name
        # starts a sentence and the word before it (the previous sentence's last word) is a
        # title or a speech verb, so the paragraph is split into sentences only then. The
        # text around a run is looked at only when the tokens alone do not decide.
        for p in self.paras:
            ps, pe = p.start, p.end
            for m in finditer(text, ps, pe):
                run = m.group(1)
                hit = known.get(run)
                if hit is None:
                    toks = run.split()
                    hit = known[run] = (toks, *classify(toks))
                toks, g, start, ask = hit
                if ask is not None:
                    ms, me = m.span()
                    pre = text[max(ps, ms - 30):ms]
                    if ms > ps and text[ms - 1].isspace():
                        before = pre.split()
                        if before:
                            last = before[-1].rstrip(".")
                            if (last in titles or last in speech) and \
                                    any(x.start == ms for x in self.sentences_of(p)):
                                pre = ""
                    i0, j, g = ask
                    if not self._titled_or_speechy(toks, i0, j, pre, text[me:min(me + 20, pe)]):
                        continue
                elif g is None:
                    continue
                toks = toks[start:]  # strip_title(toks)
                if toks:
                    ms, me = m.span()
                    out.append(_Person(toks, g, ms, me))
        return out

    def _token_genders(self) -> Dict[str, str]:
        """Surname (and confident first name) -> gender of the person it refers to ("?" on conflict)."""
        L, inv = self.lists, {}
        for p in self.people:
            toks = p.tokens
            keys = [toks[-1], toks[0]] if self.names[toks[0]] in ("F", "M") else [toks[-1]]
            for tok in keys:
                if tok in L.nonperson or tok.lower() in L.common:
                    continue
                if tok in inv and inv[tok] != p.gender:
                    inv[tok] = "?"
                else:
                    inv.setdefault(tok, p.gender)
        return inv

    # mentions of people in one sentence (quote-masked)
    def mentions(self, s: _Sentence) -> List[Tuple[int, str, str, str]]:
        """(offset, gender M/F/?, text, kind) with kind in name/role/pronoun."""
        if s._mentions is not None:
            return s._mentions
        L, t, base = self.lists, s.masked, s.start
        res: List[Tuple[int, str, str, str]] = []
        taken: List[Tuple[int, int]] = []
        for m in L.honorifics(t):
            res.append((m.start(), "M" if m.group(1) in L.honor_m else "F", m.group(0), "name"))
            taken.append((m.start(), m.end()))
        for m in L.capseq.finditer(t):
            if any(a <= m.start() < b for a, b in taken):
                continue
            toks = m.group(1).split()
            g = self.classify(toks, t[max(0, m.start() - 30):m.start()], t[m.end():m.end() + 20])
            if g is not None:
                if g == "?" and toks[-1] in self.by_token:
                    g = self.by_token[toks[-1]]
                res.append((m.start(), g, m.group(1), "name"))
            taken.append((m.start(), m.end()))
        for m in L.single.finditer(t):
            if any(a <= m.start() < b for a, b in taken):
                continue
            w = m.group(1)
            if w in L.nonperson or w.lower() in L.common:
                continue
            if w in self.by_token:
                res.append((m.start(), self.by_token[w], w, "name"))
            elif (not self.in_lowercase(w.lower()) and w.rstrip(".") not in L.orgplace and w not in L.titles
                  and (L.subject_after(t, m.end())
                       or (self.names[w] is not None and _APOSTROPHE_S.match(t[m.end():m.end() + 3])))):
                g = self.names[w]
                res.append((m.start(), g if g in ("F", "M") else "?", w, "name"))  # an unresolved subject blocks
        noun_words = L.noun_words
        # the words that are person nouns (most sentences have none: one C-level set test first)
        for m in (() if noun_words.isdisjoint(map(str.lower, _WORD.findall(t))) else _WORD.finditer(t)):
            w = m.group()
            lw = w.lower()
            if lw not in noun_words:
                continue
            if _POSSESSIVE_OR_COMPOUND.match(t, m.end()):
                continue  # "spokesman's", "chairman-elect"
            if lw in L.neutral and w[0].isupper():
                continue  # part of a title ("Chief Inspector"), handled with the name
            res.append((m.start(), "M" if lw in L.role_m else "F" if lw in L.role_f else "?", w, "role"))
        # appositives: "Linda Woolley, president of ...", "professor John Cawley" are one person
        named = [(p, p + len(x), g) for p, g, x, k in res if k == "name" and g in ("F", "M")]
        kept = []
        for p, g, x, k in res:
            if k == "role" and g == "?" and x.islower():
                e = p + len(x)
                if any(0 <= p - ne <= 60 and "," in t[ne:p] and not _CLAUSE_BREAK.search(t[ne:p])
                       for ns_, ne, _ in named) or any(0 <= ns_ - e <= 3 for ns_, _, _ in named):
                    continue
            kept.append((p, g, x, k))
        res = [(base + p, g, x, k) for p, g, x, k in kept]
        for m in L.pronoun.finditer(t):
            res.append((base + m.start(), _PRONOUN_GENDER[m.group(1).lower()], m.group(1), "pronoun"))
        s._mentions = res
        return res

    def label(self, offset: int, text: str, kind: str) -> str:
        if kind == "role":
            m = _DETERMINER.search(self.text[max(0, offset - 8):offset])
            if m:
                return f"{m.group(1).lower()} {text}"
        return text


def _article(doc) -> _Article:
    """The shared analysis, cached on the document itself. (A WeakKeyDictionary keyed by the
    document leaked every document: the analysis refers back to its document, so the key never
    died. Measured: 221 MB peak for a 20 MB JSONL file; now flat.)"""
    art = doc.__dict__.get("_people_article")
    if art is None:
        art = doc.__dict__["_people_article"] = _Article(doc)
    return art


# -- P001 ----------------------------------------------------------------------------------------
WINDOW = 3  # previous non-caption sentences searched for the antecedent (research: 3 finds seed 000)


def _attributions(L, text: str, starts: Optional[List[int]] = None):
    """(offset, pronoun) of "he said", "she also told", "said he." outside quotes. (With
    ``starts`` = pronoun_starts(text), the matches are looked for there only.)"""
    for m in (L.attribution.finditer(text) if starts is None else L.attributions_in(text, starts)):
        pron = m.group().split(None, 1)[0]
        if m.end() == m.start() + len(pron):  # "said he," : the verb must come right before
            verb = _VERB_BEFORE.search(text, max(0, m.start() - 25), m.start())
            if verb is None or verb.group(1) not in L.inverted:
                continue
        yield m.start(), pron


def _keeps_quiet(mentions, gender: str) -> bool:
    """A mention that always blocks a finding for a pronoun of ``gender``: the same gender, or a
    name (not a role noun) of unknown gender."""
    for _, g, _, kind in mentions:
        if g == gender or (g == "?" and kind != "role"):
            return True
    return False


def _previous_sentences(art: _Article, pi: int, si: int):
    """The non-caption sentences before sentence ``si`` of body paragraph ``pi``, nearest
    first, within its segment (a headline-like paragraph ends the search)."""
    paras = art.paras
    p = paras[pi]
    sents = art.sentences_of(p)
    for j in range(si - 1, -1, -1):
        yield sents[j]
    seg = p.seg
    for pj in range(pi - 1, -1, -1):
        q = paras[pj]
        if q.seg != seg:
            return
        if q.caption:
            continue
        sents = art.sentences_of(q)
        for j in range(len(sents) - 1, -1, -1):
            yield sents[j]


def _pronoun_findings(doc):
    text = doc.text
    L = _lists()
    starts = L.pronoun_starts(text)
    if not any(_attributions(L, text, starts)):
        return  # no attribution pronoun in the whole text
    art = _article(doc)
    masked, match = art.masked, L.attribution.match
    if masked is not text:
        # pronoun_starts(masked): the same offsets but those in blanked quotations. (Masking turns
        # whole quotations, marks included, into spaces: the characters just before and after
        # a pronoun outside them are unchanged, or a quotation mark that became a space; both
        # are non-word characters, all that the patterns of pronoun_starts look at.)
        starts = [p for p in starts if masked[p] != " "]
    said = {}  # offset of an attribution pronoun -> its gender
    found = []  # (paragraph index, sentence index, its attributions)
    k, n = 0, len(starts)
    for pi, p in enumerate(art.paras):
        # a paragraph without a match cannot have one in any of its sentences. The test is
        # ``attribution.search(masked, p.start, p.end) is not None``, tried at the pronouns only
        ps, pe = p.start, p.end
        while k < n and starts[k] < ps:
            k += 1
        j = k
        while j < n and starts[j] < pe and match(masked, starts[j], pe) is None:
            j += 1
        if j == n or starts[j] >= pe or p.caption:
            continue
        for si, s in enumerate(art.sentences_of(p)):
            attrs = list(_attributions(L, s.masked))
            if attrs:
                found.append((pi, si, attrs))
                for offset, pron in attrs:
                    said[s.start + offset] = _PRONOUN_GENDER[pron.lower()]
    for pi, si, attrs in found:
        s = art.sentences_of(art.paras[pi])[si]
        for offset, pron in attrs:
            ppos = s.start + offset
            gender = _PRONOUN_GENDER[pron.lower()]
            other = _OPPOSITE[gender]
            window = [x for x in art.mentions(s) if x[0] != ppos]
            # Someone of the pronoun's own gender, or a named person of unknown gender, anywhere in
            # the window always keeps the rule quiet (see below): stop looking as soon as one shows
            # up, so the earlier sentences' mentions need not be computed.
            blocked = _keeps_quiet(window, gender)
            k = 0
            if not blocked:
                for prev in _previous_sentences(art, pi, si):
                    more = art.mentions(prev)
                    window += more
                    blocked = _keeps_quiet(more, gender)
                    k += prev.long
                    if blocked or k >= WINDOW:
                        break
            if blocked or not window:
                continue
            if any(g != other for _, g, _, _ in window):
                # one unnamed source: "An official said ... , she said. ... , he said." -- the
                # other pronoun is an attribution too, and nobody else but unnamed roles is near
                if not any(said.get(x[0]) == other and x[0] < ppos for x in window) or any(
                        g == gender or (g == "?" and kind != "role") for _, g, _, kind in window):
                    continue
                window = [x for x in window if said.get(x[0]) == other and x[0] < ppos]
            before = [x for x in window if x[0] < ppos]
            pos, _, what, kind = max(before) if before else min(window)
            line = doc.position(pos)[0]
            if all(x[3] == "pronoun" for x in window):
                msg = (f"'{pron}', but the same unnamed source is called '{what.lower()}' on line {line}: "
                       "one person gets both 'he' and 'she'")
            else:
                msg = f"'{pron}', but the source named on line {line} is '{art.label(pos, what, kind)}'"
            yield doc.finding(ppos, ppos + len(pron), msg)


@rule("P001", "pronoun-mismatch")
def pronoun_mismatch(doc):
    """An attribution pronoun ("she said") whose nearest named source has the other gender.

    Why: spun or stitched articles swap "he" and "she", so the reader cannot tell who is
    speaking. The rule looks at the sentence and the three before it (captions and headlines
    skipped, quoted speech ignored) and flags only when every person mentioned there has the
    other gender: a full name whose first name the names table (US SSA data) gives with
    confidence, an honorific (Mr., Ms.), a gendered role noun (spokesman, chairwoman) or
    another pronoun. A neutral antecedent ("the official"), an unknown or unisex first name,
    or anyone of the same gender keeps it quiet; plural "they" is never checked.

    Bad:  A spokesman for the agency confirmed the closure. The bridge stays shut, she said.
    Good: Chief executive Anna Novak opened the plant. We expect to hire 200 people, she said.
    """
    yield from _pronoun_findings(doc)


# -- P002 / P003: orphan surnames and name variants ----------------------------------------------
def _distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, cut off above ``limit`` (names are short)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _same_name(a: str, b: str) -> bool:
    """Spellings that are the same name, not a variant: apostrophe style, plural s, hyphen parts."""
    a2, b2 = a.replace("’", "'"), b.replace("’", "'")
    return a2 == b2 or a2.rstrip("s") == b2.rstrip("s") or "-" in a + b


def _is_variant(a: str, b: str) -> bool:
    return (min(len(a), len(b)) >= 5 and a[0].lower() == b[0].lower() and not _same_name(a, b)
            and 1 <= _distance(a, b) <= 2)


def _is_word_char(c: str) -> bool:
    r"""``[\w'’-]`` (``\w`` is ``str.isalnum()`` or "_")."""
    return c.isalnum() or c in "_'’-"


def _introduced(text: str, w: str) -> bool:
    """``w in set(_INTRODUCED.findall(text)) | set(_APPOSITIVE.findall(text))``, without the two
    scans of the whole text: each place where ``w`` occurs is checked on its own (a few regex
    matches at the places those patterns could start from), and the answer is the same.

    _INTRODUCED consumes one capital and looks ahead, so it is tried at every capital: its name
    group is at ``q`` only when the match starts at a capitalised word (or "Dr."-style word)
    that ends before the blanks before ``q``, or before those of an initial ("J. ") in front of
    ``q``; those starts are tried. _APPOSITIVE matches are found as finditer finds them from the
    start of the blank-delimited chunk holding ``q``: no earlier match reaches past a blank into
    a capital (after a blank a match covers only "who", "a", "an", "the", "now" or a digit)."""
    size = len(text)
    find = text.find
    q = find(w)
    intro, appos = _INTRODUCED.match, _APPOSITIVE.match
    while q != -1:
        # _INTRODUCED: ends of the word in front (without and with an initial between)
        b = q
        while b > 0 and text[b - 1] in " \t":
            b -= 1
        if b < q:
            ends = [b]
            if b >= 2 and text[b - 1] == "." and "A" <= text[b - 2] <= "Z":
                c = b - 2
                while c > 0 and text[c - 1] in " \t":
                    c -= 1
                if c < b - 2:
                    ends.append(c)
            for e in ends:
                k = e
                while k > 0 and _is_word_char(text[k - 1]):
                    k -= 1
                for k in ([k] if k < e else []) + list(range(max(0, e - 5), e - 1)):
                    if "A" <= text[k] <= "Z":
                        m = intro(text, k)
                        if m is not None and m.start(1) == q and m.group(1) == w:
                            return True
        # _APPOSITIVE, as finditer meets it from the start of the chunk
        k = q
        while k > 0 and not text[k - 1].isspace():
            k -= 1
        while k <= q and k < size:
            if "A" <= text[k] <= "Z":
                m = appos(text, k)
                if m is not None:
                    if k == q and m.group(1) == w:
                        return True
                    k = m.end()
                    continue
            k += 1
        q = find(w, q + 1)
    return False


def _orphans(art: _Article) -> List[Tuple[int, str]]:
    """(offset, surname) of the first use of each speaker surname the article never introduces."""
    L, text = art.lists, art.text
    known = {t for p in art.people for t in p.tokens}
    title = set(_TOKEN_RE.findall(art.doc.title.text)) if art.doc.title is not None else set()
    common = _common_names()
    out, seen = [], set()
    masked = art.masked
    # (every test below is a plain filter, so the cheap ones come first; the sentence of a
    # match is needed only by the last few)
    for p, m in art.para_orphan_matches():
        w = m.group(1)
        if w in seen or w in known or w in L.nonperson or w.isupper() or len(w) < 3:
            continue
        if w.rstrip(".") in L.titles or w in L.orgplace or w.lower() in L.common or w in L.mononyms:
            continue
        if common[w] or _CONTRACTION.search(w):
            continue  # a first-name-only reference ("Amber said"); a contraction ("We've")
        if "-" in w and _HYPHEN_LOWER.search(w) or w in title:
            continue  # a nickname ("Ah-nuld"); named in the headline, so the subject of the story
        pos = m.start(1)
        if m.group(2) is None:  # "said Novak." : the verb must come right before
            # (a lowercase word never runs over a sentence start: the paragraph start is bound enough)
            verb = _VERB_BEFORE.search(masked, max(p.start, pos - 25), pos)
            if verb is None or verb.group(1) not in L.inverted:
                continue  # "told Haaretz," names the listener, not the speaker
        s = art.sentence_at(p, pos)
        t = s.masked
        pos -= s.start
        pre = t[:pos]
        if _LONGER_NAME_BEFORE.search(pre):
            continue  # "the Pentagon said", the end of a longer name ("Fox News said")
        if _PREPOSITION_BEFORE.search(pre):
            continue  # "Control and Prevention said", "an official in Karachi said"
        before = pre[-40:].split()
        if before and before[-1].lower() in L.introducers:
            continue  # introduced by a role or kinship noun: "his sister Kim said"
        lw = w.lower()
        if art.in_lowercase(lw):
            continue  # a common word, capitalised: "Officials said"
        if _introduced(text, w):
            continue  # a capitalised word or title in front ("Mayor Nutter"), an appositive ("Budiyono, who")
        end = m.end() - s.start
        post = t[end:end + 70] if m.group(2) else ""
        if _CREDIT_AFTER.match(post) or _IT_AFTER.match(post):
            continue  # a credit line ("X reported from Gaza"); an organisation ("Amtrak announced it")
        if w.endswith("s") and (lw[:-1] in L.neutral or lw[:-1] in L.role_m or w[:-1] in L.nonperson
                                or w[:-1] in L.orgplace or art.in_lowercase(lw[:-1])
                                or (lw.endswith(L.plural_suffixes) and not lw.endswith(("ers", "ors")))):
            continue  # a plural person noun: "Anthropologists said", "Organizers said"
        seen.add(w)
        out.append((s.start + pos, w))
    return out


def _variants(art: _Article):
    """(offset, end, wrong, right, evidence) for names spelled two ways in the article."""
    text = art.text
    out = []
    # (a) two full names that differ in one token
    spellings: Dict[Tuple[str, ...], int] = {}
    for p in art.people:
        if p.gender != "?" or art.names[p.tokens[0]]:
            spellings.setdefault(tuple(p.tokens), p.start)
    keys = list(spellings)
    done = set()
    for a in range(len(keys)):
        for b in range(a + 1, len(keys)):
            x, y = keys[a], keys[b]
            if len(x) != len(y):
                x, y = (x[0], x[-1]), (y[0], y[-1])
            diff = [(p, q) for p, q in zip(x, y) if p != q]
            if len(diff) != 1 or not _is_variant(*diff[0]):
                continue
            p, q = diff[0]
            n_p = _count_bounded(text, p)
            n_q = _count_bounded(text, q)
            # the minority spelling is flagged; on a tie, the later one, without a fix
            if n_p > n_q or (n_p == n_q and spellings[keys[a]] <= spellings[keys[b]]):
                wrong, right, n_wrong, n_right = q, p, n_q, n_p
            else:
                wrong, right, n_wrong, n_right = p, q, n_p, n_q
            if (wrong, right) in done or (right, wrong) in done:
                continue
            done.add((wrong, right))
            for start, end in _bounded_spans(text, wrong):
                out.append((start, end, wrong, right, n_right, n_wrong < n_right))
    return out


def _surname_variant(art: _Article, w: str) -> Optional[Tuple[str, int]]:
    """A known surname of the article within 2 edits of ``w`` ("Hornbury" for "Horbury")."""
    best = None
    for p in art.people:
        last = p.tokens[-1]
        if last != w and _is_variant(w, last):
            n = _count_bounded(art.text, last)
            if best is None or n > best[1]:
                best = (last, n)
    return best


def _orphan_analysis(doc):
    """(orphans, surname variants) of the article, computed once."""
    art = _article(doc)
    cached = getattr(art, "_orphan_result", None)
    if cached is None:
        orphans, variants = [], []
        L = _lists()
        if L.orphan.search(doc.text):
            for pos, w in _orphans(art):
                near = _surname_variant(art, w)
                if near:
                    variants.append((pos, w, near))
                else:
                    orphans.append((pos, w))
        cached = art._orphan_result = (orphans, variants)
    return cached


@rule("P002", "orphan-surname")
def orphan_surname(doc):
    """A surname speaks ("White added", "Novak said") but the article never gives the full name.

    Why: when a scraper or a spinner drops the paragraph that introduced someone, a bare surname
    is left that the reader cannot place. Only a capitalised word that says or adds something
    counts, and only when it is never introduced: no full name, title ("Mayor Nutter") or
    appositive ("Budiyono, who heads ...") for it anywhere in the article. Outlets, agencies,
    companies, places, plural nouns ("Analysts said"), first names, celebrity mononyms and
    names in the headline are left alone.

    Bad:  The council met on Monday. Novak said the vote would be close.
    Good: Chief executive Anna Novak opened the plant. Novak said the vote would be close.
    """
    orphans, _ = _orphan_analysis(doc)
    for pos, w in orphans:
        yield doc.finding(pos, pos + len(w),
                          f"'{w}' speaks as a person, but the article never gives the full name of '{w}'")


@rule("P003", "name-variant", fix=Applicability.UNSAFE)
def name_variant(doc):
    """A person's name spelled two ways in one article ("Jonathan Reyes" and "Jonathon Reyes").

    Why: typos in names are the errors readers and subjects notice most. Two full names that
    differ in one part by one or two letters, or a speaking surname one or two letters from a
    surname the article introduced ("Horbury ... said Hornbury"), are one person spelled twice.
    The spelling used less often is flagged. Different people with hyphenated given names
    ("Kim Jong-il", "Kim Jong-un"), plurals and apostrophe styles are left alone.

    Bad:  Jonathan Reyes coached the team. Jonathan Reyes praised it. Jonathon Reyes left.
    Good: Hillary Clinton spoke first. Bill Clinton spoke after her.

    Fix safety: unsafe. The fix writes the spelling the article uses more often, which is
    usually, not always, the right one.
    """
    art = _article(doc)
    seen = set()
    for start, end, wrong, right, n, minority in _variants(art):
        seen.add((start, end))
        if minority:
            yield doc.finding(start, end,
                              f"'{wrong}' is spelled '{right}' elsewhere in this article ({n} time{'s' * (n != 1)})",
                              fix=Fix.replace(start, end, right, f"Write '{right}'", Applicability.UNSAFE))
        else:  # as often one way as the other: no way to tell which is right
            yield doc.finding(start, end, f"'{wrong}' is spelled '{right}' as often elsewhere in this article; "
                                          "check which spelling is right")
    _, variants = _orphan_analysis(doc)
    for pos, w, (right, n) in variants:
        for start, end in _bounded_spans(doc.text, w):
            if (start, end) in seen:
                continue
            yield doc.finding(start, end,
                              f"'{w}' is spelled '{right}' elsewhere in this article ({n} time{'s' * (n != 1)})",
                              fix=Fix.replace(start, end, right, f"Write '{right}'", Applicability.UNSAFE))


# -- P004 / P005: mangled names ------------------------------------------------------------------
def _in_prose(text: str, start: int, end: int) -> bool:
    """False inside URLs, e-mail addresses, handles and hashtags."""
    before = text[start - 1] if start else " "
    after = text[end:end + 2]
    return before not in "@#/._-\\" and not _NOT_PROSE_AFTER.match(after)


@rule("P004", "lowercase-name", fix=Applicability.UNSAFE)
def lowercase_name(doc):
    """A person's full name written in lowercase in running text ("tim kaine").

    Why: case-folding scrapers and spinners lower names. Flagged only with evidence from the
    same article: the capitalised full name occurs there ("Tim Kaine"), or its surname does
    and the first word is a first name from the names table. URLs and handles are left alone.

    Bad:  Sen. Tim Kaine criticised the strikes. On Thursday tim kaine asked for a vote.
    Good: Sen. Tim Kaine criticised the strikes. Prices rose sharply, and mark time is over.

    Fix safety: unsafe. The name is capitalised as the article writes it elsewhere.
    """
    text = doc.text
    art = _article(doc)
    L = art.lists
    reported = set()
    forms: Dict[str, str] = {}
    surnames: Dict[str, str] = {}
    for p in art.people:
        if len(p.tokens) >= 2:
            forms.setdefault(" ".join(p.tokens).lower(), " ".join(p.tokens))
            if len(p.tokens[-1]) >= 3:
                surnames.setdefault(p.tokens[-1].lower(), p.tokens[-1])
    for m in art.orphan_matches():  # surnames that speak: "Mattis said"
        if m.group(2) and len(m.group(1)) >= 3 and m.group(1) not in L.nonperson:
            surnames.setdefault(m.group(1).lower(), m.group(1))
    for lower, proper in forms.items():
        pos = text.find(lower)
        while pos != -1:
            end = pos + len(lower)
            if _bounded(text, pos, end) and _in_prose(text, pos, end):
                reported.add(pos)
                yield doc.finding(pos, end, f"Name in lowercase: '{lower}' (the article writes '{proper}')",
                                  fix=Fix.replace(pos, end, proper, f"Write '{proper}'", Applicability.UNSAFE))
            pos = text.find(lower, end)
    for lower, proper in surnames.items():
        if lower in L.common:
            continue  # "white", "young": a common word
        pos = text.find(" " + lower)
        # (the count only when the loop below has something to look at: most surnames never
        # occur in lowercase, and one search that fails is cheaper than a count)
        if pos == -1 or text.count(lower) > 1:
            continue  # "white", "young": the word is used as a word
        while pos != -1:
            start, end = pos + 1, pos + 1 + len(lower)
            m = _LOWER_WORD_BEFORE.search(text, max(0, pos - 20), pos)
            pos = text.find(" " + lower, end)
            if m is None or m.start() in reported or not _bounded(text, start, end):
                continue
            first = m.group(1)
            cap = first.capitalize()
            if art.names[cap] not in ("F", "M") or first in L.common or cap in L.titles \
                    or first in L.person_nouns or _count_bounded(text, first, "") > 1:
                continue  # the first word is used as an ordinary word elsewhere ("mark", "will")
            if not _in_prose(text, m.start(), end):
                continue
            fixed = f"{cap} {proper}"
            yield doc.finding(m.start(), end, f"Name in lowercase: '{text[m.start():end]}' (the article writes '{proper}')",
                              fix=Fix.replace(m.start(), end, fixed, f"Write '{fixed}'", Applicability.UNSAFE))


_LOWER_WORD_BEFORE = lazy_compile(r"(?<![\w'’@#/.-])([a-z]{2,})$")


def _bounded(text: str, start: int, end: int) -> bool:
    """The span is a whole run of words: no letter, apostrophe or hyphen glued on either side."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "'’-" or after.isalnum() or after in "'’-")


# written to start with a character class (not a lookbehind) so the regex engine skips ahead fast:
# "(?<![\w'’-])([A-Z]..." and "([A-Z](?<![\w'’-][A-Z])..." match the same spans
_SPACE_SPLIT = lazy_compile(r"([A-Z](?<![\w'’-][A-Z])[a-z]{0,4}+) ([a-z]{2,}+)(?![\w'’-])")
_HYPHEN_SPLIT = lazy_compile(r"([A-Z](?<![\w-][A-Z])[a-z]+)- ([a-z]{2,})\b(?!-)")
_NEXT_NAME = lazy_compile(rf"\s+(?:{_TOKEN}|(?:{_PARTICLES})-[A-Z])")


@rule("P005", "split-name", fix=Applicability.UNSAFE)
def split_name(doc):
    """A name split by a stray space or a line-end hyphen ("Ba shar al-Assad", "Muham- med").

    Why: re-flowed print text and spinners break words, and a broken name is no longer found
    by search. Flagged only when the joined word is a name: a name the article uses
    elsewhere ("Bashar"), or a first name from the names table followed by a surname.

    Bad:  President Bashar al-Assad's forces advanced. Ba shar al-Assad did not comment.
    Good: President Bashar al-Assad's forces advanced, and Al so did the rebels' allies.

    Fix safety: unsafe. The space (or hyphen and space) is removed: "Bashar", "Muhammed".
    """
    text = doc.text
    has_hyphen = "- " in text
    if not has_hyphen and not _SPACE_SPLIT.search(text):
        return
    art = _article(doc)
    L = art.lists
    tokens = {t for p in art.people if p.gender != "?" or len(p.tokens) > 1 for t in p.tokens}
    names = art.names
    common = L.common
    # The tests that come first in the loop below, on (head, tail) pairs alone (findall builds
    # no match objects): when no pair passes them, the loop could not report anything.
    if any(not (head.lower() in common or tail in common or tail in _SUSPENSION or head in tokens)
           and (head + tail in tokens or names[head + tail] in _GENDERED)
           for head, tail in _SPACE_SPLIT.findall(text)):
        yield from _space_splits(text, art, tokens)
    if not has_hyphen:
        return
    for m in _HYPHEN_SPLIT.finditer(text):
        head, tail = m.group(1), m.group(2)
        if tail in _SUSPENSION:
            continue
        joined = head + tail
        if joined in tokens or (art.names[joined] in ("F", "M") and _NEXT_NAME.match(text, m.end())):
            yield doc.finding(m.start(), m.end(), f"Name broken by a line-end hyphen: '{head}- {tail}' for '{joined}'",
                              fix=Fix.replace(m.end(1), m.start(2), "", f"Join the name: '{joined}'",
                                              Applicability.UNSAFE))


def _space_splits(text: str, art: _Article, tokens: set):
    """The findings of split_name() for names split by a space."""
    L, names = art.lists, art.names
    doc = art.doc
    for m in _SPACE_SPLIT.finditer(text):
        head, tail = m.group(1), m.group(2)
        joined = head + tail
        if head.lower() in L.common or tail in L.common or tail in _SUSPENSION or head in tokens:
            continue
        if joined not in tokens and names[joined] not in _GENDERED:
            continue  # no evidence can follow (see below); the cheap test first
        if head in text and len(_bounded_spans(text, head, "-", 1)) > 1:
            continue  # the first part is a word of its own elsewhere ("Dyson proposed ... Dyson said")
        evidence = None
        if joined in tokens:
            evidence = "the article writes it elsewhere"
        elif art.names[joined] in ("F", "M") and _NEXT_NAME.match(text, m.end()) and art.names[head] is None \
                and _count_bounded(text, tail, "") == 1 and len(joined) >= 5:
            evidence = "a first name followed by a surname"
        if evidence is None:
            continue
        yield doc.finding(m.start(), m.end(), f"Name split by a space: '{head} {tail}' for '{joined}' ({evidence})",
                          fix=Fix.replace(m.end(1), m.start(2), "", f"Join the name: '{joined}'", Applicability.UNSAFE))
