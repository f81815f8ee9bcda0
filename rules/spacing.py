"""W: whitespace and punctuation damage."""

from __future__ import annotations

import re

from lint import Applicability, Edit, Fix, Severity, rule

from ._data import load
from ._lazy import lazy_compile

_DATA = load("spacing")
_SUFFIXES = frozenset(_DATA["space_before_hyphen"]["suffixes"])
# A word or a dotted abbreviation ("U.S."), spaces, then a hyphen glued to a lowercase tail.
SPACE_BEFORE_HYPHEN = lazy_compile(r"(?:\b\w+|(?<![\w.])(?:[A-Z]\.){2,})([ \t]+)-([A-Za-z][a-z]+)\b(?!-)")


# a space or tab, then a hyphen (the hyphen first: the engine jumps between hyphens at C speed)
_SPACE_HYPHEN = lazy_compile(r"-(?<=[ \t]-)")


def _is_compound_tail(tail: str) -> bool:
    tail = tail.lower()
    return tail in _SUFFIXES or (len(tail) > 3 and tail.endswith("ed"))


@rule("W001", "space-before-hyphen", fix=Applicability.SAFE)
def space_before_hyphen(doc):
    """A stray space splits a hyphenated compound ("US -backed" for "US-backed").

    Why: scrapers and spinners break compounds such as "US-backed" or "Saudi-led" when they
    re-join words. Only a hyphen glued to a compound tail ("-backed", "-led", "-run", any
    "-ed" participle) counts, so dashes (" - "), negative numbers and suspended hyphens
    ("Russian- or Iranian-backed") are left alone.

    Bad:  clashes between US -backed forces and pro-regime forces
    Good: clashes between US-backed forces and Russian- or Iranian-backed forces

    Fix safety: safe. Only the space is removed; the words are kept.
    """
    if not _SPACE_HYPHEN.search(doc.text):
        return  # no " -" or "\t-" (neither pair spans a line break, so no line has one)
    for line in doc.lines:
        if " -" not in line.text and "\t-" not in line.text:
            continue
        for match in SPACE_BEFORE_HYPHEN.finditer(line.text):
            tail = match.group(2)
            if not _is_compound_tail(tail):
                continue
            start = line.start + match.start(1)
            end = line.start + match.end(2)
            head = match.group(0)[: match.start(1) - match.start()]
            yield doc.finding(
                line.start + match.start(), end,
                f"Stray space inside the compound '{head} -{tail}'; write '{head}-{tail}'",
                fix=Fix.replace(start, line.start + match.end(1), "", f"Remove the space: '{head}-{tail}'"),
            )


def _is_sentence_start(text: str, pos: int) -> bool:
    """True when ``text[pos]`` starts a sentence: at the line start or after ". ", "? ", '." ', "“"."""
    head = text[:pos].rstrip(" \t")
    if not head:
        return True
    head = head.rstrip("\"'“‘(”’)[")
    return not head or head.endswith((".", "!", "?", ":", "…", "\n"))


_ENGLISH_WORDS = frozenset("the of and to a in is that for it was on with as he she by at from".split())


def looks_english(doc) -> bool:
    """At least 8% of the words are common English function words (English prose has ~25%)."""
    words = re.findall(r"[A-Za-z]+", doc.text[:20000])
    if len(words) < 20:
        return True
    return sum(w.lower() in _ENGLISH_WORDS for w in words) >= 0.08 * len(words)


# -- W002 ----------------------------------------------------------------------------------
# A word, spaces, then "," ";" "." ":" "?" or "!" that ends a clause (followed by a space, a
# closing quote or bracket, or the line end). ".5" and ":)" do not end a clause.
# (written to start with a character class, so the regex engine skips ahead at C speed; the same
# matches as "(?<=[A-Za-z0-9%)\]”’])([ \t]+)(?:...)", whose leading lookbehind is tried everywhere)
SPACE_BEFORE_PUNCT = lazy_compile(
    r"([ \t](?<=[A-Za-z0-9%)\]”’][ \t])[ \t]*)(?:([,.?!])(?=[ \t\"”’)\]]|$)|([;:])(?=[ \t]|$))", re.MULTILINE
)
# In a text without tabs: a space, then the mark (a literal first character: the regex engine jumps
# between spaces at C speed); the pre-check that a space stands right before a mark.
_SPACE_THEN_MARK = lazy_compile(r" [,.;:?!]")


@rule("W002", "space-before-punctuation", fix=Applicability.SAFE)
def space_before_punctuation(doc):
    """A space before a comma, full stop, colon, semicolon, question or exclamation mark ("forces ,").

    Why: re-joined scraped text and spun text leave a space before punctuation ("CKY , now
    known as CTV"). The mark must end a clause (a space, a closing quote or the line end
    follows), so decimals (".5"), emoticons (":)"), spaced ellipses (". . .") and ratios or
    scores ("3 : 1") are left alone.

    Bad:  The station, now known as CTV , was sold in 2001 .
    Good: He paused . . . and then went on; the score was 3 : 1 and the rate .5 percent.

    Fix safety: safe. Only the spaces before the mark are removed.
    """
    text = doc.text
    # the last space or tab before the mark touches it
    if not _SPACE_THEN_MARK.search(text) and ("\t" not in text or not any("\t" + mark in text for mark in ",.;:?!")):
        return
    for match in SPACE_BEFORE_PUNCT.finditer(text):
        mark = match.group(2) or match.group(3)
        start, end = match.start(1), match.end()
        if mark == ".":
            # a spaced ellipsis ". . ." or a run of dots
            after = text[end:end + 3]
            before = text[max(0, start - 2):start]
            if after.lstrip(" \t").startswith(".") or before.endswith("."):
                continue
        if mark == ":" and (text[end:end + 3].strip()[:1].isdigit() or text[end:end + 3].strip()[:1] in "$€£₩¥"):
            continue  # a score, a ratio or a label and its value: "3 : 1", "VIP : 60,000"
        if mark in "?!" and text[end:end + 2].strip()[:1] in ("?", "!"):
            continue
        yield doc.finding(
            start - 1 if start else start, end,
            f"Space before '{mark}'; punctuation follows the word directly",
            fix=Fix.replace(start, match.end(1), "", f"Remove the space before '{mark}'"),
        )


# -- W003 ----------------------------------------------------------------------------------
# A lowercase word of 2+ letters, a sentence mark, an optional closing quote, then a capitalised
# word with no space between them: "Philadelphia.The", 'incarceration."Cosby'.
MISSING_SPACE = lazy_compile(r"[.!?](?=[\"”’)]?[“‘]?[A-Z][a-z])")
# MISSING_SPACE one mark at a time: a pattern that starts with a literal character lets the regex
# engine jump between those characters (one that starts with a class tests every character); the
# matches are single characters, so together they are MISSING_SPACE's matches.
_MISSING_SPACE_AFTER = {mark: lazy_compile(re.escape(mark) + r"(?=[\"”’)]?[“‘]?[A-Z][a-z])") for mark in ".!?"}


def _missing_space_marks(text: str):
    """The matches of MISSING_SPACE, in order (marks the text does not hold are not scanned for)."""
    found = [match for mark, pattern in _MISSING_SPACE_AFTER.items() if mark in text for match in pattern.finditer(text)]
    found.sort(key=lambda match: match.start())
    return found
_GLUED_NEXT = lazy_compile(r"([\"”’)]?)([“‘]?[A-Z][a-z]+)")
_WORD_BEFORE = lazy_compile(r"(?<![\w.@/\\-])[A-Za-z]*[a-z]{2}$")
_DOMAIN_TAILS = frozenset(_DATA["missing_space_after_sentence"]["domain_tails"])
_TOKEN_WITH_ADDRESS = lazy_compile(r"://|www\.|@|/")
_QUESTION_MARK_FOR_LETTER = lazy_compile(r"[a-z]\?[a-z]|\s\?[a-z]")


@rule("W003", "missing-space-after-sentence", fix=Applicability.SAFE)
def missing_space_after_sentence(doc):
    """Two sentences glued together without a space ("forces.The coalition ...").

    Why: scrapers that join paragraphs or strip markup drop the space after a full stop. A
    lowercase word must end the first sentence and a capitalised word start the next, so
    abbreviations ("U.S.", "Ph.D.", "J.R.R."), decimals, times and version numbers ("3.5",
    "5.30", "2.1.4"), domains and file names ("bbc.co.uk", "report.pdf") are left alone.

    Bad:  The prison is in suburban Philadelphia.The department said so.
    Good: The prison is near Washington, D.C. and bbc.co.uk says growth was 3.5 percent.

    Fix safety: safe. A space is inserted after the mark (and its closing quote); no word changes.
    """
    text = doc.text
    damaged_question_marks = None
    for mark in _missing_space_marks(text):
        at = mark.start()
        before = _WORD_BEFORE.search(text, max(0, at - 40), at)
        if before is None:
            continue
        glued = _GLUED_NEXT.match(text, at + 1)
        nxt = glued.group(2).lstrip("“‘")
        if nxt.lower() in _DOMAIN_TAILS:
            continue
        if mark.group() == "?":
            if damaged_question_marks is None:
                damaged_question_marks = bool(_QUESTION_MARK_FOR_LETTER.search(text))
            if damaged_question_marks:
                continue  # "anti?Trump": a question mark that replaced a lost character
        # the whole token: skip web addresses, e-mail addresses and paths
        tok_start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
        tok_end = glued.end()
        while tok_end < len(text) and not text[tok_end].isspace():
            tok_end += 1
        if _TOKEN_WITH_ADDRESS.search(text, tok_start, tok_end):
            continue
        insert = glued.end(1)
        if glued.group(1) == '"':
            line_start = text.rfind("\n", 0, at) + 1
            if text.count('"', line_start, at) % 2 == 0:
                insert = glued.start(1)  # the quote opens the next sentence: 'there."We' -> 'there. "We'
        shown = text[before.start():glued.end()]
        yield doc.finding(
            before.start(), glued.end(),
            f"No space between two sentences: '{shown}'",
            fix=Fix.replace(insert, insert, " ", "Insert a space after the full stop"),
        )


# -- W004 ----------------------------------------------------------------------------------
# starts after a space or at a line start (a literal first character keeps the scan fast)
# (possessive runs: a shorter word or space run is followed by a letter or a space, which the rest
# of the pattern can never accept, so backtracking into them is wasted work)
DOUBLED_WORD = lazy_compile(r" ([A-Za-z]{1,30}+)([ \t]++)(\1)(?![\w'’-])", re.IGNORECASE)
# The same matches, faster (a case-sensitive letter class): with IGNORECASE, [A-Za-z] also
# matches these four characters, so the fast form is used only on a text without them.
_DOUBLED_WORD_FAST = lazy_compile(r" ([A-Za-z]{1,30}+)([ \t]++)((?i:\1))(?![\w'’-])")
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
DOUBLED_WORD_AT_LINE_START = lazy_compile(r"^([A-Za-z]{1,30})([ \t]+)(\1)(?![\w'’-])", re.IGNORECASE | re.MULTILINE)
# The same after a line break, written with a literal "\n" so the engine jumps from one line break
# to the next instead of testing "^" at every position; the first line is matched on its own.
_DOUBLED_WORD_AFTER_BREAK = lazy_compile(r"\n([A-Za-z]{1,30}+)([ \t]++)(\1)(?![\w'’-])", re.IGNORECASE)


def _doubled_words_at_line_start(text: str):
    """The matches of DOUBLED_WORD_AT_LINE_START (groups and group offsets are the same)."""
    first = DOUBLED_WORD_AT_LINE_START.match(text)
    if first is not None:
        yield first
    yield from _DOUBLED_WORD_AFTER_BREAK.finditer(text)
_GRAMMATICAL_DOUBLES = frozenset(_DATA["doubled_word"]["grammatical"])
_ALWAYS_WRONG_DOUBLES = frozenset(_DATA["doubled_word"]["always_wrong"])


@rule("W004", "doubled-word", fix=Applicability.SAFE)
def doubled_word(doc):
    """A word written twice in a row ("the the").

    Why: editing slips and spinners double words. Doubles that are grammatical ("had had",
    "that that", "what it is is", "gave her her book", "brought in in chunks") or
    reduplications ("bye bye", "very very") are never flagged, and neither are capitalised
    pairs inside a sentence, which are usually names ("Sirhan Sirhan", "Walla Walla").

    Bad:  News broke of the the death on Saturday.
    Good: He had had enough; she said that that was the plan, and Sirhan Sirhan was convicted.

    Fix safety: safe for function words whose doubling is never grammatical ("the the", "of
    of"): the second copy is removed. For other words the same fix is offered as unsafe.
    """
    text = doc.text
    english = None
    doubled = DOUBLED_WORD if any(c in text for c in _FOLDS_TO_ASCII) else _DOUBLED_WORD_FAST
    for match in sorted((*doubled.finditer(text), *_doubled_words_at_line_start(text)), key=lambda m: m.start(1)):
        first, second = match.group(1), match.group(3)
        low = first.lower()
        if low in _GRAMMATICAL_DOUBLES or (len(first) == 1 and low not in ("a",)):
            continue
        if not second.islower():
            continue  # "Simpson Simpson", "BP BP": names, tickers, band names
        if not first.islower() and not _is_sentence_start(text, match.start(1)):
            continue  # "Vicomte A a company"
        if english is None:
            english = looks_english(doc)
        if not english:
            return  # "amat amat", "biasa biasa": other languages double words on purpose
        safe = low in _ALWAYS_WRONG_DOUBLES
        yield doc.finding(
            match.start(1), match.end(),
            f"Doubled word '{first} {second}'",
            fix=Fix.replace(match.end(1), match.end(3), "", f"Remove the second '{second}'",
                            Applicability.SAFE if safe else Applicability.UNSAFE),
        )


# -- W005 ----------------------------------------------------------------------------------
DOUBLED_PUNCT = lazy_compile(r"(?<=[\w)\]])(?:(,,|;;)(?![,;])|(\.\.)(?![./\\\w]))")
_ABBREVIATION_END = lazy_compile(r"(?:\b[A-Za-z]\.){1,}[A-Za-z]?$|\b(?:etc|Inc|Ltd|Corp|Co|Jr|Sr|Bros|St|Dr|Mr|Mrs|Ms|No)$")


@rule("W005", "doubled-punctuation", fix=Applicability.SAFE)
def doubled_punctuation(doc):
    """A comma, semicolon or full stop written twice (",,", ";;", "..") where one was meant.

    Why: scrapers and editors double a mark when they join text; "C.K.." is an abbreviation
    whose full stop also ends the sentence. Ellipses ("..."), "?!", emphatic "!!" and "??",
    paths ("../") and "::" are left alone.

    Bad:  The plan,, the mayor said, was ready.
    Good: He paused... and went on. Really?! Wow!! Run ../setup.sh first.

    Fix safety: safe for ",,", ";;" and a doubled full stop after an abbreviation ("etc..",
    "C.K.."): one mark is removed. A doubled full stop after a word ("intrusion..") may be a
    clipped ellipsis, so that fix is unsafe.
    """
    text = doc.text
    if ",," not in text and ";;" not in text and (".." not in text or ".." not in text.replace("...", "")):
        return  # (a ".." that the pattern takes is a run of exactly two full stops; without any
        # "..", the text has no "..." to delete either)
    for match in DOUBLED_PUNCT.finditer(text):
        pair = match.group(1) or match.group(2)
        start = match.start()
        safe = True
        if pair == "..":
            if start >= 1 and text[start - 1] in ".…":
                continue
            line_start = text.rfind("\n", 0, start) + 1
            head = text[line_start:start + 1]  # the word with its first full stop
            safe = bool(_ABBREVIATION_END.search(head[:-1]) or re.search(r"\w\.\w+\.$", head))
        yield doc.finding(
            start, match.end(),
            f"Doubled punctuation '{pair}'",
            fix=Fix.replace(start + 1, match.end(), "", f"Keep one '{pair[0]}'",
                            Applicability.SAFE if safe else Applicability.UNSAFE),
        )


# -- W006 ----------------------------------------------------------------------------------
_COMPOUND_TAILS = _DATA["compound_missing_hyphen"]["tails"]
_NOT_NOUNS = frozenset(_DATA["compound_missing_hyphen"]["not_nouns"])
_DEMONYM_ENDINGS = tuple(_DATA["compound_missing_hyphen"]["demonym_endings"])


def _by_first_letter(words) -> str:
    """An alternation of ``words`` grouped by first letter ("l(?:ed|inked)|run|..."): the engine
    then tests a dozen first letters at each space instead of every word. It matches the same
    words; the order does not matter, as a tail (one word) must be followed by a space."""
    groups: dict = {}
    for word in words:
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(re.escape(first) + (f"(?:{'|'.join(rest)})" if len(rest) > 1 else rest[0])
                    for first, rest in groups.items())


# the participle and the word after it; what stands before is checked with NAME_BEFORE_TAIL
TAIL_AND_NOUN = lazy_compile(rf"[ \t]({_by_first_letter(_COMPOUND_TAILS)})[ \t]+([a-z]+)\b")
# The same matches in a text without tabs, faster: a pattern that starts with a literal character
# lets the regex engine jump between spaces; one that starts with a class tests every character.
_TAIL_AND_NOUN_AFTER_SPACE = lazy_compile(rf" ({_by_first_letter(_COMPOUND_TAILS)})[ \t]+([a-z]+)\b")
# a determiner, then one to three capitalised words or an acronym ("U.S."), ending right before the tail
NAME_BEFORE_TAIL = lazy_compile(
    r"\b(?P<det>[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Oo]ur|[Tt]his|[Tt]hat)[ \t]+"
    r"(?P<name>(?:[A-Z][A-Za-z.&']*[ \t]+){0,2}(?:(?:[A-Z]\.){2,}|[A-Z][A-Za-z&']*))$"
)


def _name_can_be_modifier(name: str, det: str, tail: str) -> bool:
    last = name.split()[-1]
    if re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,}", last):
        return True  # an acronym: "U.S.", "UN", "NATO"
    if det.lower() in ("a", "an") or tail == "based":
        return True  # "a London based charity": a noun phrase cannot be the subject here
    return last.lower().endswith(_DEMONYM_ENDINGS) and len(name.split()) == 1


@rule("W006", "compound-missing-hyphen", fix=Applicability.UNSAFE)
def compound_missing_hyphen(doc):
    """A compound modifier that lost its hyphen ("the U.S. led coalition" for "the U.S.-led coalition").

    Why: "U.S.-led", "Saudi-backed" and "London-based" are single modifiers; spun and
    re-typed text drops the hyphen, and the phrase then reads as a verb ("the U.S. led ...").
    A determiner must precede the name and a noun follow the participle, so verbs are left
    alone ("the team he led won", "the U.S. backed away", "the U.S. backed the rebels").

    Bad:  The U.S. led coalition conducted air strikes.
    Good: The U.S. backed away from the deal, and the team he led won.

    Fix safety: unsafe. The participle could still be a verb ("the U.S. backed rebels in ..."),
    so the hyphen is only a suggestion.
    """
    text = doc.text
    tails = TAIL_AND_NOUN if "\t" in text else _TAIL_AND_NOUN_AFTER_SPACE
    for match in tails.finditer(text):
        tail, noun = match.group(1), match.group(2)
        if noun in _NOT_NOUNS or noun.endswith("ly"):
            continue
        space = match.start()
        if space == 0 or not (text[space - 1].isupper() or text[space - 1] in ".'" or text[space - 1].isalpha()):
            continue
        head = NAME_BEFORE_TAIL.search(text, max(0, space - 80), space)
        if head is None:
            continue
        name = head.group("name")
        if not name[:1].isupper() or not _name_can_be_modifier(name, head.group("det"), tail):
            continue
        yield doc.finding(
            head.start("name"), match.end(1),
            f"Compound modifier without its hyphen: '{name} {tail} {noun}' reads as '{name}-{tail} {noun}'",
            fix=Fix.replace(space, space + 1, "-", f"Write '{name}-{tail}'", Applicability.UNSAFE),
        )


# -- W007 ----------------------------------------------------------------------------------
_OPENERS = " \t\n([{—–-/“‘"


# the mark first, then the lookbehind (a pattern that starts with a lookbehind is tried at every
# position): the same matches as '(?<!\d)"', "(?<=[A-Za-z])'(?=[A-Za-z])", "(?<=[A-Za-z])’(?=[A-Za-z])"
_STRAIGHT_DQ = lazy_compile(r'"(?<!\d")')
_STRAIGHT_AP = lazy_compile(r"'(?<=[A-Za-z]')(?=[A-Za-z])")
_CURLY_AP = lazy_compile(r"’(?<=[A-Za-z]’)(?=[A-Za-z])")


def _curly_double(text: str, i: int) -> str:
    return "“" if i == 0 or text[i - 1] in _OPENERS else "”"


@rule("W007", "mixed-quote-style", fix=Applicability.SAFE, severity=Severity.INFO)
def mixed_quote_style(doc):
    """Straight and curly quotes mixed in one article (“...” next to "...", don’t next to don't).

    Why: text pasted from several sources mixes quote styles; summaries and models trained on
    the text then see two spellings of one mark. Double quotes and apostrophes inside words
    are counted separately, and the minority style is flagged. Inch and foot marks after a
    digit (6'2", 55" TV) and single quotation marks (‘...’) are left alone.

    Bad:  “We are ready,” she said. "We will win," he added. “Soon,” she said.
    Good: “We are ready,” she said. “We will win,” he added. The ‘likely’ cause was Syria’s war.

    Fix safety: safe. Each minority quote is rewritten in the article's dominant style (an
    opening curly quote after a space or bracket, a closing one elsewhere); no word changes.
    """
    text = doc.text
    has_straight_dq = '"' in text
    has_curly_dq = "“" in text or "”" in text
    has_straight_ap = "'" in text
    has_curly_ap = "’" in text
    if not ((has_straight_dq and has_curly_dq) or (has_straight_ap and has_curly_ap)):
        return
    if has_straight_dq and has_curly_dq:
        straight = [m.start() for m in _STRAIGHT_DQ.finditer(text)]
        curly = [m.start() for m in re.finditer(r"[“”]", text)]
        if straight and curly and len(straight) != len(curly):
            if len(straight) < len(curly):
                edits = [(i, _curly_double(text, i)) for i in straight]
                yield _quote_finding(doc, edits, "straight", "curly", "double quotes", len(straight), len(curly))
            else:
                edits = [(i, '"') for i in curly]
                yield _quote_finding(doc, edits, "curly", "straight", "double quotes", len(curly), len(straight))
    if has_straight_ap and has_curly_ap:
        straight = [m.start() for m in _STRAIGHT_AP.finditer(text)]
        curly = [m.start() for m in _CURLY_AP.finditer(text)]
        if straight and curly and len(straight) != len(curly):
            if len(straight) < len(curly):
                yield _quote_finding(doc, [(i, "’") for i in straight], "straight", "curly", "apostrophes",
                                     len(straight), len(curly))
            else:
                yield _quote_finding(doc, [(i, "'") for i in curly], "curly", "straight", "apostrophes",
                                     len(curly), len(straight))


def _quote_finding(doc, edits, minority: str, majority: str, kind: str, few: int, many: int):
    first = edits[0][0]
    line = doc.line_at(first)
    return doc.finding(
        first, first + 1,
        f"The article mixes {kind}: {few} {minority} (first on this line) against {many} {majority}",
        fix=Fix(f"Write all {kind} {majority}", tuple(Edit(i, i + 1, mark) for i, mark in edits)),
    ) if line else None


# -- W008 ----------------------------------------------------------------------------------
_LIST_MARKER = lazy_compile(r"(?:^|(?<=\s))(?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})\)")
# (an "8)" emoticon only when the 8 stands alone: "(in 1998)" closes its bracket)
# (an "8" face only with its nose, "8-)": a bare "8)" is far more often a figure, "(of 8)")
_EMOTICON = lazy_compile(r"(?:[:;=][-']?|(?<!\w)8[-'])[()\[\]DPp]|\([:;]|[(][\^\-_.oO][\-_.]?[\^oO][)]")


_QUOTE_MARK = lazy_compile(r'[“”"]')
# Where _LIST_MARKER or _EMOTICON could take a bracket: a '(' that starts an emoticon ("(:",
# "(^_^)") or ends one (":(", ":-("), a ')' that ends one (":)", ";-)") or ends a list marker
# ("1)", "iv)" after a space or at the start). Each starts with the bracket itself, so the regex
# engine jumps between brackets at C speed.
_OPEN_IN_MARKUP = lazy_compile(r"\((?:[:;]|[\^\-_.oO][\-_.]?[\^oO]\)|(?<=[:;=8]\()|(?<=[:;=8][-']\())")
_CLOSE_IN_MARKUP = lazy_compile(
    r"\)(?:(?<=[:;=8]\))|(?<=[:;=8][-']\))|(?<=(?<!\S)\d\))|(?<=(?<!\S)\d\d\))|(?<=(?<!\S)[a-zA-Z]\))"
    r"|(?<=(?<!\S)[ivx]{2}\))|(?<=(?<!\S)[ivx]{3}\))|(?<=(?<!\S)[ivx]{4}\)))"
)


def _quote_steps(para: str) -> str:
    """The double quotes of a paragraph as a string of steps, in order: "+" opens a quote, "-"
    closes one, "0" is a straight quote after a digit (an inch mark, or a quote closed after a
    number: "... in 2017"). A straight quote opens after a space, a bracket or a dash, else closes."""
    steps = []
    for m in _QUOTE_MARK.finditer(para):
        ch = m.group()
        if ch == '"':
            i = m.start()
            if i == 0 or para[i - 1] in _OPENERS:
                steps.append("+")
            elif para[i - 1].isdigit():
                steps.append("0")
            else:
                steps.append("-")
        else:
            steps.append("+" if ch == "“" else "-")
    return "".join(steps)


_MARKER = "\x00"  # a list marker ("b)", "12)") in the bracket walk of _unbalanced_brackets
_PAREN_OR_MARKER = lazy_compile(r"[()\x00]")


def _unbalanced_brackets(body: str):
    """What is wrong with the round brackets of a paragraph (emoticons removed), or None: reading
    left to right, a ')' with no open '(' before it, else a '(' never closed. A list marker ("b)
    second", "12) item") closes a bracket when one is open ("(see chart 8) on", "(of 8)") and is
    no bracket otherwise."""
    if _OPEN_IN_MARKUP.search(body) or _CLOSE_IN_MARKUP.search(body):
        body = _EMOTICON.sub("", _LIST_MARKER.sub(_MARKER, body))
    # else: no list marker, and no emoticon holds a bracket, so the brackets are as they are
    depth = 0  # (one pass: deleting "()" pairs over and over was quadratic in the nesting depth)
    for bracket in _PAREN_OR_MARKER.findall(body):
        if bracket == "(":
            depth += 1
        elif depth:
            depth -= 1
        elif bracket == ")":
            return "a ')' without its '('"
    return "a '(' that is never closed" if depth else None


@rule("W008", "unbalanced-quotes-or-brackets", default=False)
def unbalanced_quotes_or_brackets(doc):
    """A paragraph whose brackets or double quotes do not pair up (a quote opened and never closed).

    Why: an unmatched mark usually means text was lost or glued during scraping. News style
    lets a quotation run over several paragraphs: a paragraph that leaves a quote open is fine
    when the next paragraph opens a quote again. List markers ("1)"), emoticons (":)") and
    inch marks (6'2") are not brackets or quotes.

    Bad:  “We estimate more than 100 were killed, the official said.
    Good: “We estimate more than 100 were killed,” the official said (in Syria).
    """
    paragraphs = doc.paragraphs
    steps_of = {}  # paragraph index -> its quote steps, computed once
    for n, para in enumerate(paragraphs):
        body = para.text
        if "(" in body or ")" in body:
            bad = _unbalanced_brackets(body)
            if bad:
                yield doc.finding(para.start, para.end, f"Unbalanced brackets in the paragraph: {bad}")
                continue
        if '"' not in body and "“" not in body and "”" not in body:
            continue
        steps = steps_of.get(n)
        if steps is None:
            steps = steps_of[n] = _quote_steps(body)
        if "0" not in steps and steps.startswith("+") and not steps.replace("+-", ""):
            continue  # the common case: quotes that open and close in turn
        open_quote = False
        problem = None
        for k, step in enumerate(steps):
            if step == "0":
                open_quote = False  # closes the open quote; otherwise an inch mark
            elif step == "+":
                if open_quote:
                    problem = "a quote opened inside an open quote"
                    break
                open_quote = True
            elif open_quote:
                open_quote = False
            else:
                # a paragraph continuing a quotation may close it without reopening
                if k == 0 and n > 0:
                    before = steps_of.get(n - 1)
                    if before is None:
                        before = steps_of[n - 1] = _quote_steps(paragraphs[n - 1].text)
                    if _leaves_quote_open(before):
                        continue
                problem = "a closing quote without an opening one"
                break
        if problem is None and open_quote:
            nxt = paragraphs[n + 1].text if n + 1 < len(paragraphs) else ""
            if nxt.startswith(("“", '"')):
                continue  # the quotation goes on in the next paragraph
            problem = "a quote that is never closed"
        if problem:
            yield doc.finding(para.start, para.end, f"Unbalanced quotes in the paragraph: {problem}")


def _leaves_quote_open(steps: str) -> bool:
    depth = 0
    for step in steps:
        depth = 1 if step == "+" else 0 if step == "-" or depth else depth
    return depth == 1


# -- W009 -------------------------------------------------------------------------------------
SPACE_RUN = lazy_compile(r"(?<=\S)( {2,})(?=\S)")
_COLUMN_GAP = lazy_compile(r"\S {3,}\S|\t")


@rule("W009", "space-run", fix=Applicability.SAFE)
def space_run(doc):
    """Two or more spaces between words inside a line ("two  spaces").

    Why: markup stripped by a scraper leaves runs of spaces where tags or links stood. Lines
    that look like table columns (two or more wide gaps, or tabs) are left alone.

    Bad:  There were two  spaces here.
    Good: One space here.

    Fix safety: safe. The run becomes one space; no word changes.
    """
    if "  " not in doc.text:
        return
    for line in doc.lines:
        if "  " not in line.text or len(_COLUMN_GAP.findall(line.text)) >= 2:
            continue
        for match in SPACE_RUN.finditer(line.text):
            start, end = line.start + match.start(1), line.start + match.end(1)
            yield doc.finding(start, end, f"{end - start} spaces in a row between words",
                              fix=Fix.replace(start, end, " ", "Use one space"))


# -- W010 ----------------------------------------------------------------------------------
# (written to start with a character class, so the regex engine skips ahead at C speed instead of
# trying a lookbehind at every position; the same matches as "(?<![\w-])([A-Za-z]{2,})- ([a-z]{2,})\b(?!-)")
HYPHENATION_REMNANT = lazy_compile(r"([A-Za-z](?<![\w-][A-Za-z])[A-Za-z]++)- ([a-z]{2,}+)\b(?!-)")
# a letter, "- ", a lowercase letter: what every HYPHENATION_REMNANT match holds (the hyphen
# first, so the engine jumps between hyphens at C speed)
_REMNANT_HINT = lazy_compile(r"-(?<=[A-Za-z]-) [a-z]")
_SUSPENSION_WORDS = frozenset(_DATA["hyphenation_remnant"]["suspension_words"])


def _occurs(text: str, word: str, glue_before: str) -> bool:
    r"""Does ``word`` (letters, or letters around a hyphen) occur with no word character (nor a
    character of ``glue_before``) right before it and no word character right after it? The same
    answer as ``re.search(rf"(?<![\w{glue_before}]){re.escape(word)}\b", text)``, without
    compiling a pattern per word (``\w`` is ``isalnum()`` or "_")."""
    n, size = len(word), len(text)
    pos = text.find(word)
    while pos != -1:
        before = text[pos - 1] if pos else ""
        after = text[pos + n] if pos + n < size else ""
        if not (before and (before.isalnum() or before == "_" or before in glue_before)) and \
                not (after and (after.isalnum() or after == "_")):
            return True
        pos = text.find(word, pos + 1)
    return False


@rule("W010", "hyphenation-remnant", fix=Applicability.UNSAFE)
def hyphenation_remnant(doc):
    """A word split by a line-end hyphen that survived re-flowing ("gov- ernment").

    Why: text extracted from print layouts (PDF) keeps the hyphen that broke a word at a line
    end. Suspended hyphens are correct and left alone: "pre- and post-war", "Russian- or
    Iranian-backed", "mid- to late-1990s", "first- and second-graders".

    Bad:  The operations of the gov- ernment were affected.
    Good: It happened in pre- and post-war Syria, in the mid- to late-1990s.

    Fix safety: unsafe, and offered only with evidence from the same article: the joined word
    ("government") or the hyphenated compound ("long-duration") occurring elsewhere in it.
    """
    text = doc.text
    if not _REMNANT_HINT.search(text):
        return
    lowered = None
    for match in HYPHENATION_REMNANT.finditer(text):
        head, tail = match.group(1), match.group(2)
        if tail in _SUSPENSION_WORDS:
            continue
        after = text[match.end():match.end() + 12]
        if re.match(r"\s*(?:,|and |or |to |&)", after):
            continue  # "first- , second- and third-graders"
        if lowered is None:
            lowered = text.lower()
        joined, hyphened = (head + tail).lower(), f"{head}-{tail}".lower()
        fix = None
        if _occurs(lowered, joined, ""):
            fix = Fix.replace(match.end(1), match.start(2), "", f"Join the word: '{head}{tail}'", Applicability.UNSAFE)
        elif _occurs(lowered, hyphened, "-"):
            fix = Fix.replace(match.end(1), match.start(2), "-", f"Write '{head}-{tail}'", Applicability.UNSAFE)
        yield doc.finding(match.start(), match.end(),
                          f"Word broken by a line-end hyphen: '{head}- {tail}'", fix=fix)
