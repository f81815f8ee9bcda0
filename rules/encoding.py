"""E: encoding damage (mojibake, HTML entities and tags, control and invisible characters)."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from typing import List, Optional, Tuple

from lint import Applicability, Edit, Fix, rule

from ._data import load
from ._lazy import lazy_compile

_DATA = load("encoding")

# ---------------------------------------------------------------------------------------------
# Shared: where ftfy repairs mojibake (used by E001, and by E004/E005/E006 to stay out of its way)

# Cheap pre-check before ftfy is imported: UTF-8 read as a single-byte code page always leaves
# two non-ASCII characters side by side (lead byte + continuation byte), or a C1 control, or an
# "Ã"/"Â" whose no-break space became a plain space. Pairs of ordinary typography ("—“", "…”")
# do not count.
# Written to start with one character class, so the regex engine skips ASCII text at C speed (the
# plain form "[\x80-\x9f]|[ÂÃ][ \xa0?]|(?![‘’“”–—…•«»\xa0 ]{2})[^\x00-\x7f]{2}", whose last branch
# starts with a lookahead, is tried at every position); it matches at the same places.
_SUSPECT = lazy_compile(r"[^\x00-\x7f](?:(?<=[\x80-\x9f])|(?<=[ÂÃ])[ \xa0?]|[^\x00-\x7f](?<![‘’“”–—…•«»\xa0 ]{2}))")
_C1 = lazy_compile(r"[\x80-\x9f]")
_ASCII_BYTES = bytes(range(128))
# characters that _SUSPECT never takes, on their own or side by side: ordinary typography
_TYPOGRAPHY = frozenset("‘’“”–—…•«»\xa0")


# ftfy changes a line only when its badness pattern (ftfy.badness.BADNESS_RE) matches it: its first
# step returns text that pattern does not match unchanged. Every alternative of that pattern takes a
# C1 control, "Â"/"Ã" before a space, "Œ"/"œ" before a character that is not an ASCII letter,
# "вЂ"/"ВЂ", or two adjacent characters of _MOJIBAKE_CHARS (which holds every character the pattern
# names: Latin-1, Latin Extended, spacing modifiers, Greek, Cyrillic, general punctuation,
# currency, letterlike, arrows and math, box drawing, ligatures, U+F8FF, U+FFFD) that are not
# both ordinary typography (‘’“”–—…•«» and the no-break space) and not both Greek or Cyrillic
# letters other than ΄ ΅ Ґ ґ (in every alternative such a pair stands next to another character
# of the set that is not). So a line without a match of _MAY_BE_BAD is left alone by ftfy, and
# ftfy (~20 ms to import and compile) is not needed for it. tests/test_encoding.py checks the
# character set against the installed ftfy.
_MOJIBAKE_CHARS = ("\x80-\u02ff\u0370-\u04ff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f\u2190-\u23ff"
                   "\u2500-\u25ff\uf8ff\ufb00-\ufb4f\ufffd")
_GREEK_CYRILLIC_LETTERS = "\u0370-\u0383\u0386-\u048f\u0492-\u04ff"
_MAY_BE_BAD = lazy_compile(
    rf"[^\x00-\x7f](?:(?<=[\x80-\x9f])|(?<=[ÂÃ]) |(?<=[Œœ])[^A-Za-z]|(?<=[вВ])Ђ"
    rf"|(?<=[{_MOJIBAKE_CHARS}])[{_MOJIBAKE_CHARS}](?<![‘’“”–—…•«»\xa0]{{2}})(?<![{_GREEK_CYRILLIC_LETTERS}]{{2}}))"
)


def _non_ascii(doc) -> str:
    """The document's non-ASCII characters, in order, with the ASCII ones left out.

    Built at C speed (UTF-8 bytes with the ASCII bytes deleted: a UTF-8 sequence of a non-ASCII
    character has no ASCII byte, so the characters stay whole), once per document, and shared by
    the E rules: a rule about non-ASCII characters that finds none of them here cannot fire.
    """
    chars = doc.__dict__.get("_non_ascii")
    if chars is None:
        text = doc.text
        chars = "" if text.isascii() else \
            text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        doc.__dict__["_non_ascii"] = chars
    return chars


def _may_have_mojibake(doc) -> bool:
    """False proves that ``_SUSPECT`` matches nowhere in the text: every branch takes a non-ASCII
    character outside ordinary typography (a C1 control, "Â"/"Ã", or a pair that is not two
    typography marks), so a text whose non-ASCII characters are all typography has no match.
    False also when ftfy would change no line (no match of _MAY_BE_BAD)."""
    chars = _non_ascii(doc)
    if not chars or _TYPOGRAPHY.issuperset(chars):
        return False
    return bool(_SUSPECT.search(doc.text)) and bool(_MAY_BE_BAD.search(doc.text))


_ASCII_OR_NOT = lazy_compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")
_ENCODING_NAMES = _DATA["mojibake"]["encoding_names"]
_SAFE_ENCODINGS = frozenset(_DATA["mojibake"]["safe_encodings"])
_SAFE_DECODINGS = frozenset(_DATA["mojibake"]["safe_decodings"])
# More damaged spans than this on one line (a wholly garbled paragraph): one finding for the line.
_MAX_SPANS_PER_LINE = 20

_CONFIG = None


def _ftfy_config():
    global _CONFIG
    if _CONFIG is None:
        from ftfy import TextFixerConfig  # heavy: imported only when a line looks damaged

        # Encoding repairs only: no quote uncurling, width folding, ligatures, HTML, line breaks,
        # control-character removal or normalization (those are style, or other rules' business).
        _CONFIG = TextFixerConfig(
            unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
            fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
            remove_control_chars=False, normalization=None, explain=True,
        )
    return _CONFIG


def _cp1252(char: str) -> Optional[str]:
    """The Windows-1252 reading of a C1 control, or None where Windows-1252 leaves the byte undefined."""
    try:
        return char.encode("latin-1").decode("windows-1252")
    except UnicodeDecodeError:
        return None


@lru_cache(maxsize=4096)
def repair_with_plan(text: str) -> Tuple[Tuple[Tuple[int, int, str], ...], Tuple[Tuple[str, str], ...]]:
    """The mojibake spans of one line as (start, end, replacement), and ftfy's repair plan.

    Both are empty when ftfy changes nothing. Standalone C1 controls that ftfy reads as
    Windows-1252 are left out (E004 reports them).
    """
    if not _SUSPECT.search(text) or not _MAY_BE_BAD.search(text):
        return (), ()  # (without a match of _MAY_BE_BAD, ftfy changes nothing)
    from ftfy import fix_encoding_and_explain

    result = fix_encoding_and_explain(text, _ftfy_config())
    fixed = result.text
    if fixed == text:
        return (), ()
    plan = tuple((step[0], step[1]) for step in (result.explanation or ()))
    return tuple(_changed_spans(text, fixed)), plan


def _is_plain_c1(original: str, replacement: str) -> bool:
    return bool(original) and all(_C1.match(c) for c in original) and "".join(
        _cp1252(c) or "?" for c in original) == replacement


def _changed_spans(a: str, b: str) -> List[Tuple[int, int, str]]:
    """Align a line with its repair: runs of ASCII survive mojibake, so diff runs, not characters."""
    ta = [m.group() for m in _ASCII_OR_NOT.finditer(a)]
    tb = [m.group() for m in _ASCII_OR_NOT.finditer(b)]
    pa = [0]
    for t in ta:
        pa.append(pa[-1] + len(t))
    pb = [0]
    for t in tb:
        pb.append(pb[-1] + len(t))
    regions = []  # (a_start, a_end, b_start, b_end)
    for i1, i2, j1, j2 in _align(ta, tb):
        s, e, t, u = pa[i1], pa[i2], pb[j1], pb[j2]
        # trim what the two sides share at either end ("â€? from " -> "�" for " from ",
        # "’Ã©" -> "é" for "’é"), keeping at least one character on each side ("Â°" -> "°")
        while e - s > 1 and u - t > 1 and a[s] == b[t]:
            s, t = s + 1, t + 1
        while e - s > 1 and u - t > 1 and a[e - 1] == b[u - 1]:
            e, u = e - 1, u - 1
        if s == e and t == u or _is_plain_c1(a[s:e], b[t:u]):
            continue  # a lone C1 control read as Windows-1252 is E004's finding
        # one damaged word is one span: merge with the previous region when no space separates them
        if regions and not any(c.isspace() for c in a[regions[-1][1]:s]):
            regions[-1] = (regions[-1][0], e, regions[-1][2], u)
        else:
            regions.append((s, e, t, u))
    return [(s, e, b[t:u]) for s, e, t, u in regions]


_LOOKAHEAD = 10


def _align(ta: List[str], tb: List[str]) -> List[Tuple[int, int, int, int]]:
    """The differing stretches of two run lists, as (i1, i2, j1, j2).

    A linear walk: where the runs differ, resynchronise on the nearest pair of equal ASCII runs
    (ASCII survives mojibake). Much faster than difflib on long paragraphs, and it never aligns
    a junk character with a coincidentally equal repaired one.
    """
    out = []
    i = j = 0
    na, nb = len(ta), len(tb)
    while i < na and j < nb:
        if ta[i] == tb[j]:
            i, j = i + 1, j + 1
            continue
        best = None
        for total in range(1, 2 * _LOOKAHEAD + 1):
            for di in range(max(0, total - _LOOKAHEAD), min(total, _LOOKAHEAD) + 1):
                dj = total - di
                if i + di < na and j + dj < nb and ta[i + di] == tb[j + dj] and ta[i + di].isascii():
                    best = (di, dj)
                    break
            if best:
                break
        if best is None:
            out.append((i, na, j, nb))
            return out
        out.append((i, i + best[0], j, j + best[1]))
        i, j = i + best[0], j + best[1]
    if i < na or j < nb:
        out.append((i, na, j, nb))
    return out


def _mojibake_ranges(doc) -> List[Tuple[int, int]]:
    """Absolute (start, end) of every E001 span in the document (empty when no line looks damaged)."""
    if not _may_have_mojibake(doc):
        return []
    out = []
    for line in doc.lines:
        for start, end, _ in repair_with_plan(line.text)[0]:
            out.append((line.start + start, line.start + end))
    return out


def _inside(offset: int, ranges: List[Tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in ranges)


def _describe_plan(plan: Tuple[Tuple[str, str], ...]) -> str:
    """ftfy's repair plan in words, in the order the damage happened."""
    misreads = [_ENCODING_NAMES.get(p, p) for a, p in plan if a == "encode"]
    notes = []
    if any(a == "apply" and p == "decode_inconsistent_utf8" for a, p in plan):
        misreads = misreads or ["Windows-1252"]
    if ("transcode", "restore_byte_a0") in plan:
        notes.append("a no-break space byte became a plain space")
    if ("transcode", "replace_lossy_sequences") in plan:
        notes.append("some bytes were lost and cannot be recovered")
    if not misreads:
        what = "a UTF-8 character decoded as Windows-1252"
    else:
        damage = list(reversed(misreads))  # the repair undoes the last misreading first
        if len(set(damage)) == 1 and len(damage) > 1:
            how = f"{damage[0]} {_times(len(damage))}"
        else:
            how = ", then as ".join(damage)
        what = f"UTF-8 decoded as {how}"
    return what + (f" ({'; '.join(notes)})" if notes else "")


def _times(n: int) -> str:
    return {2: "twice", 3: "three times"}.get(n, f"{n} times")


def _plan_is_safe(plan: Tuple[Tuple[str, str], ...]) -> bool:
    for action, param in plan:
        if action == "encode" and param not in _SAFE_ENCODINGS:
            return False
        if action == "decode" and param not in _SAFE_DECODINGS:
            return False
        if action == "transcode" and param != "fix_c1_controls":
            return False
        if action == "apply" and param != "decode_inconsistent_utf8":
            return False
    return True


def _show(text: str) -> str:
    """A string for a message: visible, with control and invisible characters escaped."""
    out = []
    for c in text:
        if c.isprintable() and c != "\xa0":
            out.append(c)
        else:
            out.append(f"\\u{ord(c):04x}" if ord(c) > 0xFF else f"\\x{ord(c):02x}")
    shown = "".join(out)
    return shown if len(shown) <= 60 else shown[:57] + "..."


@rule("E001", "mojibake", fix=Applicability.SAFE)
def mojibake(doc):
    """Mojibake: UTF-8 text decoded with the wrong code page ("doesnâ€™t" for "doesn’t").

    Why: a scraper or a database read UTF-8 bytes as Windows-1252 (or Latin-1, MacRoman ...), so
    every accented letter, curly quote and dash became two or three junk characters. ftfy finds
    the damage and the code page; only its encoding repairs are used (never its quote uncurling,
    width folding or normalization, which would rewrite correct text). Each damaged word is one
    finding, naming what went wrong and what to write.

    Bad:  The Mona Lisa doesnâ€™t have eyebrows.
    Good: The Mona Lisa doesn’t have eyebrows, said a naïve visitor from São Paulo.

    Fix safety: safe when the repair exactly undoes UTF-8 read as Windows-1252 or Latin-1, the
    common mix-up that is never legitimate text. Unsafe when ftfy had to pick among other code
    pages (MacRoman, Windows-1250/1251/1257, code page 437), guessed a lost no-break space, or
    could only repair part of the text (the result has '�').
    """
    if not _may_have_mojibake(doc):
        return
    for line in doc.lines:
        if not _SUSPECT.search(line.text):
            continue
        spans, plan = repair_with_plan(line.text)
        if not spans:
            continue
        how = _describe_plan(plan)
        applicability = Applicability.SAFE if _plan_is_safe(plan) else Applicability.UNSAFE
        if len(spans) > _MAX_SPANS_PER_LINE:
            start, end = spans[0][0], spans[-1][1]
            edits = tuple(Edit(line.start + s, line.start + e, r) for s, e, r in spans)
            yield doc.finding(
                line.start + start, line.start + end,
                f"{len(spans)} mojibake spans on this line ('{_show(line.text[spans[0][0]:spans[0][1]])}' "
                f"for '{_show(spans[0][2])}' ...): {how}",
                fix=Fix("Repair the encoding of the line", edits, applicability),
            )
            continue
        for start, end, replacement in spans:
            original = line.text[start:end]
            if replacement:
                advice = f"write '{_show(replacement)}'"
            else:
                advice = "delete it"
            yield doc.finding(
                line.start + start, line.start + end,
                f"Mojibake '{_show(original)}' is {how}; {advice}",
                fix=Fix.replace(line.start + start, line.start + end, replacement,
                                f"Repair the encoding: '{_show(replacement)}'", applicability),
            )


# ---------------------------------------------------------------------------------------------
# E002: HTML entities

_ENTITY = lazy_compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


@rule("E002", "html-entity", fix=Applicability.SAFE)
def html_entity(doc):
    """An HTML entity left in the text ("&amp;", "&#8217;", "&nbsp;") instead of its character.

    Why: the scraper copied the page's source without decoding it, so readers see "Johnson &amp;
    Johnson" and models learn entities as words. Only complete entities count (a name HTML knows,
    or a character number, ended by ';'), so "AT&T", "Q&A", "R&D" and "&c." are left alone.

    Bad:  Johnson &amp; Johnson said the company&#8217;s shares fell.
    Good: AT&T and Johnson & Johnson held a Q&A on R&D.

    Fix safety: safe. The entity is replaced by the character it stands for, as a browser shows
    it ("&nbsp;" becomes a no-break space). A doubly escaped "&amp;amp;" takes two passes.
    """
    text = doc.text
    if "&" not in text:
        return
    for match in _ENTITY.finditer(text):
        entity = match.group()
        char = unescape(entity)
        if char == entity:
            continue  # not an entity HTML knows ("&nonsense;")
        if char in ("\x00", "\ufffd") and entity not in ("&#65533;", "&#xFFFD;", "&#xfffd;"):
            yield doc.finding(match.start(), match.end(), f"Invalid HTML character reference '{entity}' left in the text")
            continue
        yield doc.finding(
            match.start(), match.end(),
            f"HTML entity '{entity}' left in the text; write '{_show(char)}'",
            fix=Fix.replace(match.start(), match.end(), char, f"Decode '{entity}'"),
        )


# ---------------------------------------------------------------------------------------------
# E003: HTML tags

_INLINE_TAGS = frozenset(_DATA["html_tag"]["inline_tags"])
_BLOCK_TAGS = frozenset(_DATA["html_tag"]["block_tags"])
_TAG_NAMES = "|".join(sorted(_INLINE_TAGS | _BLOCK_TAGS, key=len, reverse=True))
_ATTRIBUTE = r"""\s+[A-Za-z_:][-\w:.]*\s*=\s*(?:"[^"<>\n]*"|'[^'<>\n]*'|[^\s"'<>=`]+)"""
_ONE_TAG = rf"(?:<!--.*?-->|</?(?:{_TAG_NAMES})(?:{_ATTRIBUTE})*\s*/?>)"
_TAG_RUN = lazy_compile(rf"{_ONE_TAG}(?:[ \t]*{_ONE_TAG})*", re.IGNORECASE)
_TAG_NAME = lazy_compile(r"<!--|</?([A-Za-z0-9]+)")


@rule("E003", "html-tag", fix=Applicability.SAFE)
def html_tag(doc):
    """An HTML tag left in the text ("<br>", "<p>", "</a>", "<!-- ... -->").

    Why: the scraper kept markup; it is not article text. Only tags with a known HTML name and
    well-formed attributes (name="value") count, so "a < b", "<3", "x<y and y>z" and "<Smith>"
    are left alone. Tags side by side ("</p><p>") are one finding.

    Bad:  Read the <a href="https://example.com/story">full report</a> here.<br>
    Good: The score was 3<4 and I <3 New York, if a < b and b > c.

    Fix safety: safe for inline tags (links, emphasis) and for any tag at the start or end of a
    line: the tag is deleted, and with it a space so no double space is left. Unsafe for a
    paragraph or line-break tag inside a line, which is replaced by a line break (a guess about
    the layout the page had).
    """
    text = doc.text
    if "<" not in text:
        return
    for line in doc.lines:
        if "<" not in line.text:
            continue
        for match in _TAG_RUN.finditer(line.text):
            names = [m.group(1).lower() if m.group(1) else "!--" for m in _TAG_NAME.finditer(match.group())]
            shown = _show(match.group())
            if line.text.strip() == match.group():
                yield doc.finding(line.start + match.start(), line.start + match.end(),
                                  f"HTML markup '{shown}' left in the text; delete the line",
                                  fix=doc.delete_line_fix(line, "Delete the markup line"))
                continue
            fix = _tag_fix(line, match, names)
            yield doc.finding(line.start + match.start(), line.start + match.end(),
                              f"HTML markup '{shown}' left in the text", fix=fix)


def _tag_fix(line, match, names) -> Fix:
    s, e = match.start(), match.end()
    before, after = line.text[:s], line.text[e:]
    if not before.strip():  # at the start of the line: delete with the spaces after it
        e += len(after) - len(after.lstrip(" \t"))
        s = 0 if not before.strip() else s
        return Fix.replace(line.start + s, line.start + e, "", "Delete the markup")
    if not after.strip():  # at the end: delete with the spaces before it
        s -= len(before) - len(before.rstrip(" \t"))
        return Fix.replace(line.start + s, line.start + len(line.text), "", "Delete the markup")
    if any(n in _BLOCK_TAGS for n in names):
        s -= len(before) - len(before.rstrip(" \t"))
        e += len(after) - len(after.lstrip(" \t"))
        brk = "\n" if all(n in ("br", "!--") or n not in _BLOCK_TAGS for n in names) else "\n\n"
        return Fix.replace(line.start + s, line.start + e, brk, "Replace the markup with a line break",
                           Applicability.UNSAFE)
    if before.endswith((" ", "\t")) and after.startswith((" ", "\t")):
        e += 1  # "the <b> word" -> "the word", not "the  word"
    return Fix.replace(line.start + s, line.start + e, "", "Delete the markup")


# ---------------------------------------------------------------------------------------------
# E004: C1 control characters

_CONTRACTION_TAIL = lazy_compile(r"(?:s|t|d|m|ll|re|ve)(?![A-Za-z])")
_PUNCTUATION_C1 = frozenset("\x80\x82\x84\x85\x86\x87\x89\x8b\x91\x92\x93\x94\x95\x96\x97\x99\x9b")


@rule("E004", "c1-control-character", fix=Applicability.SAFE)
def c1_control_character(doc):
    """A C1 control character ("\\x97", "\\x92") where Windows-1252 punctuation was meant.

    Why: text in Windows-1252 was read as Latin-1, so its curly quotes, dashes and ellipses
    became invisible control characters (U+0080-U+009F) that no article contains. Bytes that
    Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are left alone: nothing says what
    they meant.

    Bad:  It wasn\x92t over\x97not yet.
    Good: It wasn’t over—not yet.

    Fix safety: safe for punctuation where punctuation belongs (an apostrophe in "wasn't", a dash
    or quote next to a space). Unsafe when the character sits between two letters in another
    way ("tur\\x92stico"): there it may be a MacRoman letter, not Windows-1252 punctuation.
    """
    text = doc.text
    if not _C1.search(_non_ascii(doc)):
        return  # (every C1 control is a non-ASCII character)
    mojibake_ranges = _mojibake_ranges(doc)
    for match in _C1.finditer(text):
        pos = match.start()
        char = match.group()
        replacement = _cp1252(char)
        if replacement is None or _inside(pos, mojibake_ranges):
            continue
        prev = text[pos - 1] if pos > 0 else " "
        nxt = text[pos + 1] if pos + 1 < len(text) else " "
        between_letters = prev.isalpha() and nxt.isalpha()
        if char not in _PUNCTUATION_C1:
            safe = False
        elif between_letters:
            safe = char == "\x92" and bool(_CONTRACTION_TAIL.match(text, pos + 1))
        else:
            safe = True
        yield doc.finding(
            pos, pos + 1,
            f"Control character \\x{ord(char):02x} is Windows-1252 '{replacement}' read as Latin-1; "
            f"write '{replacement}'",
            fix=Fix.replace(pos, pos + 1, replacement, f"Write '{replacement}'",
                            Applicability.SAFE if safe else Applicability.UNSAFE),
        )


# ---------------------------------------------------------------------------------------------
# E005: invisible characters

_ALWAYS = _DATA["invisible"]["always"]
_JOINERS = _DATA["invisible"]["joiners"]
_BIDI = _DATA["invisible"]["bidi"]
_INVISIBLE = lazy_compile("[" + "".join(_ALWAYS) + "".join(_JOINERS) + "".join(_BIDI) + "]+")
# the same class without "+": a pattern that starts with a character class lets the regex engine
# skip ahead at C speed, so the document-level pre-check is cheap
_ANY_INVISIBLE = lazy_compile("[" + "".join(_ALWAYS) + "".join(_JOINERS) + "".join(_BIDI) + "]")
_RTL = lazy_compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")
# Embeddings, overrides and isolates change how the rest of the line is shown: removing them is
# unsafe. The marks (LRM, RLM, ALM) only steer neutral characters and go safely.
_OVERRIDES = frozenset(_BIDI) - frozenset("\u200e\u200f\u061c")


def _latin_or_space(c: str) -> bool:
    return c == "" or c.isspace() or ord(c) < 0x250 and (c.isalnum() or c in ".,;:!?'\"()-")


@rule("E005", "invisible-character", fix=Applicability.SAFE)
def invisible_character(doc):
    """An invisible character inside the text (zero-width space, soft hyphen, stray BOM, bidi mark).

    Why: invisible characters left by CMS editors and copy-paste split words for search,
    tokenizers and spell checkers while looking fine on screen. A zero-width joiner between emoji
    ("👨‍👩‍👧") and joiners in Indic or Persian spelling are legitimate and left alone, as are
    bidi marks on lines with Hebrew or Arabic text.

    Bad:  the prime\u200bminister said the hyphen\u00adated word
    Good: a family 👨\u200d👩\u200d👧 emoji, and the prime minister said so

    Fix safety: safe. The character is deleted; it shows nothing, so the text reads the same.
    Unsafe for bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which
    change how the rest of the line is shown.
    """
    text = doc.text
    if not _ANY_INVISIBLE.search(_non_ascii(doc)):
        return  # (every invisible character is non-ASCII)
    mojibake_ranges = _mojibake_ranges(doc)
    for match in _INVISIBLE.finditer(text):
        run = match.group()
        start, end = match.start(), match.end()
        if _inside(start, mojibake_ranges):
            continue
        prev = text[start - 1] if start > 0 else ""
        nxt = text[end] if end < len(text) else ""
        kept = []
        for c in run:
            if c in _JOINERS and not (_latin_or_space(prev) and _latin_or_space(nxt)):
                kept.append(c)
            elif c in _BIDI and _RTL.search(doc.line_at(start).text):
                kept.append(c)
        if kept:
            if len(kept) == len(run):
                continue
            replacement = "".join(kept)
        else:
            replacement = ""
        flagged = [c for c in run if c not in kept]
        label = ", ".join(f"{_ALWAYS.get(c) or _JOINERS.get(c) or _BIDI[c]} (U+{ord(c):04X})"
                          for c in dict.fromkeys(flagged))
        applicability = Applicability.UNSAFE if any(c in _OVERRIDES for c in flagged) else Applicability.SAFE
        yield doc.finding(
            start, end, f"Invisible {label} inside the text; delete it",
            fix=Fix.replace(start, end, replacement, "Delete the invisible character", applicability),
        )


# ---------------------------------------------------------------------------------------------
# E006: the replacement character

_FFFD = lazy_compile("\ufffd+")


@rule("E006", "replacement-character", fix=Applicability.UNSAFE)
def replacement_character(doc):
    """The replacement character '�' (U+FFFD): a character was lost when the text was decoded.

    Why: a decoder met bytes it could not read and put '�' in their place; the original letter
    or punctuation is gone from the text ("Sloven�ina"). Only the source can say what it was, so
    in general there is no fix: re-fetch or re-decode the page. One pattern is common enough to
    name: '�?' after a quotation opened with '“' is a lost closing quote '”' (its UTF-8 bytes end
    in 0x9D, which Windows-1252 cannot decode; a lossy decoder wrote '�?').

    Bad:  The caf� on the corner was “closed�? all week.
    Good: The café on the corner was “closed” all week.

    Fix safety: no fix in general. Unsafe for '�?' after an unclosed '“' on the same line, which
    becomes '”' (a lost question mark before the quote would be lost for good).
    """
    text = doc.text
    if "\ufffd" not in text:
        return
    mojibake_ranges = _mojibake_ranges(doc)
    for match in _FFFD.finditer(text):
        start, end = match.start(), match.end()
        if _inside(start, mojibake_ranges):
            continue
        n = len(match.group())
        if n == 1 and text.startswith("?", end):
            line = doc.line_at(start)
            before = text[line.start:start]
            if before.count("“") > before.count("”"):
                yield doc.finding(
                    start, end + 1,
                    "'�?' is a closing quote '”' lost in decoding (its last UTF-8 byte, 0x9D, has no "
                    "Windows-1252 character); write '”'",
                    fix=Fix.replace(start, end + 1, "”", "Write '”'", Applicability.UNSAFE),
                )
                continue
        what = "a character was" if n == 1 else f"{n} characters were"
        yield doc.finding(start, end, f"Replacement character '�': {what} lost in decoding; check the source")
