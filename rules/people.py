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
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, List, Optional, Tuple

from lint import Applicability, Fix, rule
from lint.document import split_sentences

from ._data import DATA_DIR, load

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
_DETERMINER = re.compile(r"\b(a|an|the|his|her|their|its|our|my)\s+$", re.I)
_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")
_POSSESSIVE_OR_COMPOUND = re.compile(r"-|['’]?s\b")
# Photo captions: "(left)", "(second from right)", "Photo: ...", "... / AP", "... Feb. 7, 2018."
_CAPTION_PLACE = re.compile(r"\((?:[Ll]eft|[Rr]ight|[Cc]ent(?:er|re)|L|R|C|[Tt]op|[Bb]ottom|[Ff]ront|[Bb]ack|"
                            r"[Pp]ictured|[Ss]econd from (?:left|right)|[Ff]ar (?:left|right)|in red|in white)\)")
_CAPTION_START = ("photo", "image", "picture", "credit", "caption", "file")
_CAPTION_CREDIT = re.compile(r"\((?:AP|Reuters|AFP|Getty|Photo)[^)]*\)$|/\s*(?:AP|Getty|Reuters|AFP|Staff)\b")
_CAPTION_PHOTO = re.compile(r"photo(?:graph)?s?\s*:", re.I)
_CAPTION_WORD = re.compile(r"(?:photo|image|picture|credit|caption|file)\b")
_CAPTION_DATE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{1,2}, \d{4}\.$")
_HEADLINE_STARTS = ("More news:", "Read more", "READ MORE", "Related:", "See also", "Also read", "RELATED",
                    "Source:", "Advertisement", "Click here")
_CAP_WORDS = re.compile(r"[A-Za-z][\w'’-]*")
# a name with a capitalised word or a title in front ("Jeffrey R. Gahler", "Mayor Nutter", "Vel McKee")
_INTRODUCED = re.compile(
    rf"[A-Z](?<![\w'’-][A-Z])(?=(?:[\w'’-]*|[a-z]{{0,3}}\.)[ \t]+(?:[A-Z]\.[ \t]+)?({_TOKEN}))")
_APPOSITIVE = re.compile(rf"({_TOKEN_AT_CAPITAL}),\s+(?:who|a|an|the|now|\d)")
_VERB_BEFORE = re.compile(r"([a-z]+)\s+$")
_APOSTROPHE_S = re.compile(r"['’]s\b")
_CLAUSE_BREAK = re.compile(r"[.;]|\b(?:and|but|said|told)\b")
_TOKEN_RE = re.compile(_TOKEN)
_CONTRACTION = re.compile(r"['’](?:ve|re|ll|d|s|t|m)$")
_HYPHEN_LOWER = re.compile(r"-[a-z]")
_LONGER_NAME_BEFORE = re.compile(r"(?:\b[Tt]he|[A-Z][\w.'’-]*|\b(?:his|her|their|its|a|an|of|for|from))\s+$")
_PREPOSITION_BEFORE = re.compile(r"\b(?:and|of|&|in|at|from|to|near|for|on|by|with|across|outside|inside)\s+$")
_CREDIT_AFTER = re.compile(r"\s*(?:from|to this)\b")
_IT_AFTER = re.compile(r"[^.]{0,40}?\b(?:it|its)\b")
_NOT_PROSE_AFTER = re.compile(r"[@/_-]|\.\w")
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
def _first_name_table() -> Tuple[Dict[str, str], frozenset]:
    table, common = {}, []
    with open(Path(DATA_DIR) / "first_names.tsv", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            name, gender, magnitude = line.rstrip("\n").split("\t")
            table[name] = gender
            if magnitude >= "4":
                common.append(name)
    return table, frozenset(common)


def first_names() -> Dict[str, str]:
    """First name -> "F", "M" or "U" (no confident gender); read once per process."""
    return _first_name_table()[0]


def common_first_names() -> frozenset:
    """First names given to 10,000 or more US babies ("Amber", "Ryan"; not "Novak", "Mattis")."""
    return _first_name_table()[1]


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


def _initial_alternation(words) -> str:
    r"""``\b(?:w1|w2|...)`` for capitalised words, grouped by first letter and written to start
    with that letter ("M(?<!\wM)(?:rs|r|s)"), so that the regex engine skips ahead to candidate
    letters at C speed; longer words are still tried first."""
    groups: Dict[str, List[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "(?:" + "|".join(f"{c}(?<!\\w{c})(?:{'|'.join(rest)})" for c, rest in groups.items()) + ")"


@lru_cache(maxsize=None)
def _lists() -> SimpleNamespace:
    """Word lists and patterns, built on first use (not at import: `lint file.txt` starts fast)."""
    data = load("people")
    ns = SimpleNamespace()
    speech = _alternation(set(data["speech"]["verbs"].split()))
    adverbs = "|".join(data["speech"]["adverbs"].split())
    ns.honor_m, ns.honor_f = _split(data["honorifics"]["male"]), _split(data["honorifics"]["female"])
    ns.titles = _split(data["titles"]["words"])
    ns.role_m, ns.role_f = _split(data["roles"]["male"]), _split(data["roles"]["female"])
    ns.neutral = _split(data["roles"]["neutral"])
    ex = data["exclusions"]
    ns.places = _split(ex["places"])
    ns.nonperson = _split(ex["nonperson"]) | ns.places
    ns.orgplace = _split(ex["org_place_words"])
    ns.common = _split(ex["common_words"])
    ns.mononyms = _split(ex["mononyms"])
    ns.plural_suffixes = tuple(ex["plural_suffixes"].split())
    ns.overrides = {tuple(k.split()): v for k, v in data["person_overrides"].items()}
    # "he said", "she also told"; or "said he." (the verb before is checked in Python)
    # (the pronoun is written to start with one character class, "[SsHh]", so the regex engine
    # skips every other character at C speed; it is "(?:[Ss](?<!\w[Ss])he|[Hh](?<!\w[Hh])e|SHE|HE)")
    ns.attribution = re.compile(
        rf"[SsHh](?:(?<=[Ss])(?<!\w[Ss])he|(?<=[Hh])(?<!\w[Hh])e|(?<=S)HE|(?<=H)E)"
        rf"\b(?:\s+(?:(?:{adverbs})\s+)?(?:{speech})\b|(?=\s*[,.;:]))")
    ns.speech_after = re.compile(rf"\s*,?\s*(?:(?:{speech})\b|who\b|\d{{1,3}},|an?\s|the\s)")
    ns.speech = _split(data["speech"]["verbs"])
    ns.inverted = _split(data["speech"]["inverted"])
    ns.subject_after = re.compile(
        rf"\s+(?:also\s+|later\s+|then\s+|never\s+|still\s+)?(?:(?:{speech})|described|"
        rf"[a-z]+ed\s+(?:it|this|that|the|a|an|his|her|him|them)|did|doesn['’]t|didn['’]t)\b")
    ns.capseq = re.compile(
        rf"({_TOKEN_AT_CAPITAL}(?:\s+(?:[A-Z]\.\s+|(?:{_PARTICLES})[- ]?)?(?:{_TOKEN}))+)")
    ns.single = re.compile(rf"({_TOKEN_AT_CAPITAL})(?:['’]s)?\b")
    # "\b(Mr|Mrs|...)" written to start with a letter (see _initial_alternation)
    honor = _initial_alternation(ns.honor_m | ns.honor_f)
    ns.honorific = re.compile(rf"({honor})\.?\s+((?:[A-Z]\.\s+)?(?:{_TOKEN}))")
    ns.person_nouns = ns.role_m | ns.role_f | ns.neutral
    # role nouns as words, "\b[A-Za-z][a-z]+\b" whose lowercase is a person noun; the first
    # letter in either case, written as a class so that the engine skips to it quickly
    nouns = sorted(w for w in ns.person_nouns if re.fullmatch(r"[a-z]{2,}", w))
    by_letter: Dict[str, List[str]] = {}
    for w in nouns:
        by_letter.setdefault(w[0], []).append(w[1:])
    ns.person_noun = re.compile(
        "[A-Za-z](?<!\\w[A-Za-z])(?:" + "|".join(
            f"(?<=[{c}{c.upper()}]){_alternation(rest)}" for c, rest in by_letter.items()) + ")\\b")
    # "\b(he|him|his|himself|she|her|hers|herself)\b" case-insensitively, written to start with
    # one character class (the letters that re.I matches for "h" and "s", "ſ" included)
    ns.pronoun = re.compile(r"([HhSs\u017f](?<!\w[HhSs\u017f])(?i:(?<=h)(?:e|im|is|imself|er|ers|erself)|(?<=s)he))\b")
    # "White added", "Novak also said"; or "said Novak." (the verb before is checked in Python)
    ns.orphan = re.compile(rf"({_TOKEN_AT_CAPITAL})(?:(\s+(?:also\s+)?(?:{speech})\b)|(?=\s*[,.;]))")
    ns.introducers = ns.person_nouns | {"company", "firm", "college", "adviser", "brother", "sister"}
    return ns


# -- the shared analysis of one article --------------------------------------------------------
# Opening quotation marks: a double quote, or a single one with no letter or digit before it
# (an apostrophe inside a word is skipped at C speed; the letter after it is checked in Python:
# "\w" also takes digits and "_"). ``[^\W_]`` is exactly ``str.isalnum``. (One character class
# first, not an alternation: the regex engine then skips ahead to the next quote mark quickly.)
_QUOTE_OPEN = re.compile(r"[\"“'‘](?<![^\W_]['‘])(?:(?<=[\"“])|(?=\w))")
_SINGLE_CLOSE = re.compile(r"['’]")


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
    caps = sum(1 for w in words if w[0].isupper())
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
        self.names = first_names()
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
        """(classify(), index of the first token of the name without its title: strip_title()).
        (Index arithmetic rather than list copies, and the title and speech tests only when they
        can change the answer: this runs for every capitalised run of the article.)"""
        L, names = self.lists, self.names
        common, titles = L.common, L.titles
        n = len(tokens)
        i0 = 0  # leading common words ("The", "But") are not part of the name
        while i0 < n and tokens[i0].lower() in common:
            i0 += 1
        if n - i0 < 2:
            return None, 0
        get = names.get
        gendered = idx = None
        for i in range(i0, n - 1):
            if get(tokens[i]) in _GENDERED:
                gendered = idx = i
                break
        else:
            for i in range(i0, n - 1):
                t = tokens[i]
                if t in names and t.rstrip(".") not in titles:
                    idx = i
                    break
        # the title (prefix) is tokens[i0:j], the name tokens[j:]
        j = i0 if idx is None else idx
        while j < n and tokens[j].rstrip(".") in titles:
            j += 1
        if n - j < 2 and not (i0 < j < n):
            return None, 0
        orgplace, nonperson = L.orgplace, L.nonperson
        for k in range(j, n):
            t = tokens[k]
            if t.rstrip(".") in orgplace or t in nonperson:
                return None, 0
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
        key = (first, tokens[-1])
        if key in L.overrides:
            return L.overrides[key], start
        if lead:
            return lead, start
        gender = get(first)
        if n - j >= 2:
            if gender in _GENDERED:
                if j > i0 or not self.in_lowercase(first.lower()):
                    return gender, start
                return (gender if self._titled_or_speechy(tokens, i0, j, pre, post) else None), start
            if gender is not None and not self.in_lowercase(first.lower()):
                return "?", start
        return ("?" if self._titled_or_speechy(tokens, i0, j, pre, post) else None), start

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
        return bool(L.speech_after.match(post)
                    or pre.rstrip().endswith(("according to", "citing", "cited", "quoted")))

    def strip_title(self, tokens) -> List[str]:
        L, names = self.lists, self.names
        toks = list(tokens)
        while toks and toks[0].lower() in L.common:
            toks.pop(0)
        idx = next((i for i, t in enumerate(toks[:-1]) if names.get(t) in ("F", "M")), None)
        if idx is not None:
            return toks[idx:]
        while toks and toks[0].rstrip(".") in L.titles:
            toks.pop(0)
        return toks

    def _inventory(self) -> List[_Person]:
        """Full person names anywhere in the article body (names inside quotes count too)."""
        text, L = self.text, self.lists
        capseq, titles, speech = L.capseq, L.titles, L.speech
        out = []
        # One scan per paragraph: a name never runs over a sentence end (only "[A-Z]. " joins
        # tokens, and the sentence splitter never ends a sentence after an initial). The text
        # before a name is clipped at its sentence's start; that only matters when the name
        # starts a sentence and the word before it (the previous sentence's last word) is a
        # title or a speech verb, so the paragraph is split into sentences only then.
        for p in self.paras:
            ps, pe = p.start, p.end
            for m in capseq.finditer(text, ps, pe):
                ms, me = m.span()
                pre = text[max(ps, ms - 30):ms]
                if ms > ps and text[ms - 1].isspace():
                    before = pre.split()
                    if before:
                        last = before[-1].rstrip(".")
                        if (last in titles or last in speech) and \
                                any(x.start == ms for x in self.sentences_of(p)):
                            pre = ""
                toks = m.group(1).split()
                g, start = self._classify(toks, pre, text[me:min(me + 20, pe)])
                if g is None:
                    continue
                toks = toks[start:]  # strip_title(toks)
                if toks:
                    out.append(_Person(toks, g, ms, me))
        return out

    def _token_genders(self) -> Dict[str, str]:
        """Surname (and confident first name) -> gender of the person it refers to ("?" on conflict)."""
        L, inv = self.lists, {}
        for p in self.people:
            toks = p.tokens
            keys = [toks[-1], toks[0]] if self.names.get(toks[0]) in ("F", "M") else [toks[-1]]
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
        for m in L.honorific.finditer(t):
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
                  and (L.subject_after.match(t, m.end())
                       or (w in self.names and _APOSTROPHE_S.match(t[m.end():m.end() + 3])))):
                g = self.names.get(w)
                res.append((m.start(), g if g in ("F", "M") else "?", w, "name"))  # an unresolved subject blocks
        for m in L.person_noun.finditer(t):  # the words of _WORD that are person nouns
            w = m.group()
            lw = w.lower()
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


def _attributions(L, text: str):
    """(offset, pronoun) of "he said", "she also told", "said he." outside quotes."""
    for m in L.attribution.finditer(text):
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
    if not any(_attributions(L, text)):
        return
    art = _article(doc)
    masked, search = art.masked, L.attribution.search
    said = {}  # offset of an attribution pronoun -> its gender
    found = []  # (paragraph index, sentence index, its attributions)
    for pi, p in enumerate(art.paras):
        # a paragraph without a match cannot have one in any of its sentences
        if search(masked, p.start, p.end) is None or p.caption:
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


def _orphans(art: _Article) -> List[Tuple[int, str]]:
    """(offset, surname) of the first use of each speaker surname the article never introduces."""
    L, text = art.lists, art.text
    known = {t for p in art.people for t in p.tokens}
    title = set(_TOKEN_RE.findall(art.doc.title.text)) if art.doc.title is not None else set()
    introduced = None
    common = common_first_names()
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
        if w in common or _CONTRACTION.search(w):
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
        if introduced is None:
            introduced = set(_INTRODUCED.findall(text)) | set(_APPOSITIVE.findall(text))
        if w in introduced:
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
        if p.gender != "?" or art.names.get(p.tokens[0]):
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
            full_p, full_q = " ".join(keys[a]), " ".join(keys[b])
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
        if lower in L.common or text.count(lower) > 1:
            continue  # "white", "young": the word is used as a word
        pos = text.find(" " + lower)
        while pos != -1:
            start, end = pos + 1, pos + 1 + len(lower)
            m = _LOWER_WORD_BEFORE.search(text, max(0, pos - 20), pos)
            pos = text.find(" " + lower, end)
            if m is None or m.start() in reported or not _bounded(text, start, end):
                continue
            first = m.group(1)
            cap = first.capitalize()
            if art.names.get(cap) not in ("F", "M") or first in L.common or cap in L.titles \
                    or first in L.person_nouns or _count_bounded(text, first, "") > 1:
                continue  # the first word is used as an ordinary word elsewhere ("mark", "will")
            if not _in_prose(text, m.start(), end):
                continue
            fixed = f"{cap} {proper}"
            yield doc.finding(m.start(), end, f"Name in lowercase: '{text[m.start():end]}' (the article writes '{proper}')",
                              fix=Fix.replace(m.start(), end, fixed, f"Write '{fixed}'", Applicability.UNSAFE))


_LOWER_WORD_BEFORE = re.compile(r"(?<![\w'’@#/.-])([a-z]{2,})$")


def _bounded(text: str, start: int, end: int) -> bool:
    """The span is a whole run of words: no letter, apostrophe or hyphen glued on either side."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "'’-" or after.isalnum() or after in "'’-")


# written to start with a character class (not a lookbehind) so the regex engine skips ahead fast:
# "(?<![\w'’-])([A-Z]..." and "([A-Z](?<![\w'’-][A-Z])..." match the same spans
_SPACE_SPLIT = re.compile(r"([A-Z](?<![\w'’-][A-Z])[a-z]{0,4}+) ([a-z]{2,}+)(?![\w'’-])")
_HYPHEN_SPLIT = re.compile(r"([A-Z](?<![\w-][A-Z])[a-z]+)- ([a-z]{2,})\b(?!-)")
_NEXT_NAME = re.compile(rf"\s+(?:{_TOKEN}|(?:{_PARTICLES})-[A-Z])")


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
    for m in _SPACE_SPLIT.finditer(text):
        head, tail = m.group(1), m.group(2)
        joined = head + tail
        if head.lower() in L.common or tail in L.common or tail in _SUSPENSION or head in tokens:
            continue
        if joined not in tokens and names.get(joined) not in _GENDERED:
            continue  # no evidence can follow (see below); the cheap test first
        if head in text and len(_bounded_spans(text, head, "-", 1)) > 1:
            continue  # the first part is a word of its own elsewhere ("Dyson proposed ... Dyson said")
        evidence = None
        if joined in tokens:
            evidence = "the article writes it elsewhere"
        elif art.names.get(joined) in ("F", "M") and _NEXT_NAME.match(text, m.end()) and head not in art.names \
                and _count_bounded(text, tail, "") == 1 and len(joined) >= 5:
            evidence = "a first name followed by a surname"
        if evidence is None:
            continue
        yield doc.finding(m.start(), m.end(), f"Name split by a space: '{head} {tail}' for '{joined}' ({evidence})",
                          fix=Fix.replace(m.end(1), m.start(2), "", f"Join the name: '{joined}'", Applicability.UNSAFE))
    if not has_hyphen:
        return
    for m in _HYPHEN_SPLIT.finditer(text):
        head, tail = m.group(1), m.group(2)
        if tail in _SUSPENSION:
            continue
        joined = head + tail
        if joined in tokens or (art.names.get(joined) in ("F", "M") and _NEXT_NAME.match(text, m.end())):
            yield doc.finding(m.start(), m.end(), f"Name broken by a line-end hyphen: '{head}- {tail}' for '{joined}'",
                              fix=Fix.replace(m.end(1), m.start(2), "", f"Join the name: '{joined}'",
                                              Applicability.UNSAFE))
