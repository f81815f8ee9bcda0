"""T: structure (a repeated headline, duplicated paragraphs, cut-off articles, a broken title)."""

from __future__ import annotations

import re
from itertools import islice
from typing import Dict

from lint import Applicability, Edit, Fix, Severity, rule

from ._data import load
from ._lazy import lazy_compile

_DATA = load("structure")
_NON_WORD = lazy_compile(r"[\W_]+")


def _normal(text: str) -> str:
    """Casefolded words only: quotes, punctuation and spacing do not count."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _delete_lines_fix(doc, first, last, message: str) -> Fix:
    """Delete lines ``first..last`` (Line objects) with their line break and one blank line beside them."""
    lines, text = doc.lines, doc.text
    if not text[last.end:].strip():
        # the last block: delete it with the blank lines before it, keep one final line break
        previous = next((ln for ln in reversed(lines[:first.number - 1]) if not ln.is_blank), None)
        start = previous.end + 1 if previous is not None else 0
        if start < len(text):
            return Fix(message, (Edit(start, len(text), ""),), Applicability.SAFE)
    if first.number == last.number:
        return doc.delete_line_fix(first, message)
    start, end = first.start, last.end
    if end < len(text):
        end += 1
        after = last.number  # index of the next line
        if after < len(lines) and lines[after].is_blank and (first.number < 2 or lines[first.number - 2].is_blank):
            end = lines[after].end + (1 if lines[after].end < len(text) else 0)
    elif start > 0:
        start -= 1
        before = first.number - 2
        if before > 0 and lines[before].is_blank:
            start = lines[before].start - 1
    return Fix(message, (Edit(start, end, ""),), Applicability.SAFE)


# -- T001 ----------------------------------------------------------------------------------
@rule("T001", "headline-repeated", fix=Applicability.SAFE)
def headline_repeated(doc):
    """The headline repeated as the first line of the body.

    Why: scrapers often keep both the page title and the article's own heading, so the
    headline appears twice. Case, punctuation and quote style are ignored when comparing;
    headlines of fewer than three words ("Advertisement") are left to the boilerplate rules.

    Bad:  Headline of the article
    Good: The first paragraph of the article follows the headline.

    Fix safety: safe. The body copy is deleted; the headline on the first line stays.
    """
    title = doc.title
    if title is None:
        return
    first = _first_body_line(doc, title)
    if first is None:
        return
    # _normal of a prefix is a prefix of _normal of the whole (casefold and \W are per character),
    # so when the two 64-character prefixes disagree, the whole lines differ too
    head, other = _normal(title.text[:64]), _normal(first.text[:64])
    if not (head.startswith(other) or other.startswith(head)):
        return
    wanted = _normal(title.text)
    if len(wanted.split()) < 3:
        return
    if _normal(first.text) == wanted:
        yield doc.finding(first.start, first.end, f"The headline is repeated as the first body line (line {title.number})",
                          fix=doc.delete_line_fix(first, "Delete the repeated headline"))


def _first_body_line(doc, title):
    """``doc.body_lines[0]`` (or None), without building the list when no rule has built it."""
    body = doc.__dict__.get("body_lines")
    if body is not None:
        return body[0] if body else None
    for line in islice(doc.lines, title.number, None):
        if not line.is_blank:
            return line
    return None


def _is_list_block(text: str) -> bool:
    """Several short lines that each start with a capital and none ends a sentence: a bullet list
    (product features, tour dates), where repeating items is normal."""
    rows = text.split("\n")
    return len(rows) > 1 and all(r.strip()[:1].isupper() and not r.rstrip().endswith(".") for r in rows)


def _is_list_item(doc, para) -> bool:
    """A line without a closing mark inside a block of lines with no blank line between them."""
    if para.text.rstrip().endswith(")") or para.text.rstrip().rstrip("\"”’ ").endswith((".", "!", "?")):
        return False
    line = doc.line_at(para.start)
    lines = doc.lines
    before = lines[line.number - 2] if line.number >= 2 else None
    after = lines[line.number] if line.number < len(lines) else None
    return any(neighbour is not None and not neighbour.is_blank for neighbour in (before, after))


_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


def _signature(text: str) -> str:
    """The letters among the first 48 characters, casefolded, at most 24 of them; for ASCII
    (where casefold is lower and the letters are A-Z) done with bytes methods at C speed."""
    head = text[:48].casefold()
    if head.isascii():
        return head.encode("ascii").translate(None, _ASCII_NON_LETTERS)[:24].decode("ascii")
    return "".join(filter(str.isalpha, head))[:24]


# -- T002 ----------------------------------------------------------------------------------
MIN_DUPLICATE_WORDS = 8  # words of two or more letters, numbers not counted
MAX_COPIES = 3  # more copies: a template line (an interview's recurring question)
MAX_REPEATED_KEYS = 3  # more distinct repeated paragraphs: a structured page (recipes, product lists)


@rule("T002", "duplicate-paragraph", fix=Applicability.SAFE)
def duplicate_paragraph(doc):
    """A paragraph of eight or more words that repeats an earlier paragraph of the article.

    Why: scrapers pick up a paragraph twice (a pull quote, a teaser, the page's summary and
    its lead, a second page that repeats the first). Only paragraphs of at least eight words
    count, so short repeated lines ("Advertisement", "Share this") are left to the boilerplate
    rules. Case, punctuation and quote style are ignored when comparing. A paragraph found more
    than three times (an interview's recurring question) or a page with more than three
    different repeated paragraphs (recipes, product lists) is structure, not a slip.

    Bad:  The coalition said it had repelled an attack by hundreds of troops overnight.
          The coalition said it had repelled an attack by hundreds of troops overnight.
    Good: The coalition said it had repelled an attack by hundreds of troops overnight.
          The coalition said later it had repelled a second attack by the same troops.

    Fix safety: safe. The later copy (its lines, and one blank line beside it) is deleted; the
    first copy stays where it was.
    """
    title = doc.title
    keyed = []
    counts: Dict[str, int] = {}
    # a cheap signature first (letters at the start of the paragraph); normalise only collisions
    by_signature: Dict[str, list] = {}
    for para in doc.paragraphs:
        if title is not None and para.start <= title.end:
            continue  # the headline (T001 compares it with the body)
        if len(para.text) < 30:
            continue
        signature = _signature(para.text)
        by_signature.setdefault(signature, []).append(para)
    for group in by_signature.values():
        if len(group) < 2:
            continue
        # list blocks and list items are left out; checked only here, where a signature repeats
        group = [para for para in group if not (_is_list_block(para.text) or _is_list_item(doc, para))]
        if len(group) < 2:
            continue
        for para in group:
            key = _normal(para.text)
            if sum(1 for w in key.split() if w.isalpha() and len(w) > 1) < MIN_DUPLICATE_WORDS:
                continue
            keyed.append((para, key))
            counts[key] = counts.get(key, 0) + 1
    keyed.sort(key=lambda item: item[0].start)
    repeated = [k for k, n in counts.items() if n > 1]
    if not repeated or len(repeated) > MAX_REPEATED_KEYS:
        return  # many repeated blocks: a list, a menu or a questionnaire, not a scraping slip
    seen: Dict[str, int] = {}
    for para, key in keyed:
        if counts[key] < 2 or counts[key] > MAX_COPIES:
            continue  # the same question put to every interviewee, a template line
        if key not in seen:
            seen[key] = doc.position(para.start)[0]
            continue
        first, last = doc.line_at(para.start), doc.line_at(para.end)
        whole = doc.text[first.start:para.start].strip() == "" and doc.text[para.end:last.end].strip() == ""
        fix = _delete_lines_fix(doc, first, last, "Delete the repeated paragraph") if whole else None
        yield doc.finding(para.start, para.end, f"This paragraph repeats the one on line {seen[key]}", fix=fix)


# -- T003 ----------------------------------------------------------------------------------
_TRAILERS = sorted(_DATA["truncated"]["trailers"], key=len, reverse=True)
TRAILER = lazy_compile(r"(?:^|[\s.!?])(" + "|".join(re.escape(t) for t in _TRAILERS) + r")\s*(?:[.:»›>→]+|\.\.\.|…)?\s*$",
                     re.IGNORECASE)
ELLIPSIS_END = lazy_compile(r"(?:\.\.\.|…|\[(?:…|\.\.\.)\]|\((?:…|\.\.\.)\))\s*$")
_SIGNOFF_STARTS = tuple(_DATA["truncated"]["signoff_starts"])
_FINISHED = tuple(".!?\"”’')]…:;*»")
MIN_CUT_WORDS = 12
_WIDGETS = tuple(_DATA["truncated"]["widgets"])
_LINK_LABELS = tuple(_DATA["truncated"]["link_labels"])
INNER_SENTENCE_END = lazy_compile(r"[a-z]{2}[.!?][\"”’)]?\s+[\"“‘(]?[A-Z]")


def _last_line(doc):
    """``doc.body_lines[-1]`` (or None), without building the list when no rule has built it."""
    body = doc.__dict__.get("body_lines")
    if body is not None:
        return body[-1] if body else None
    title = doc.title
    if title is None:
        return None
    lines = doc.lines
    for index in range(len(lines) - 1, title.number - 1, -1):
        if not lines[index].is_blank:
            return lines[index]
    return None


def _is_title_case(words) -> bool:
    letters = [w for w in words if w[:1].isalpha()]
    return bool(letters) and sum(w[:1].isupper() for w in letters) >= 0.7 * len(letters)


@rule("T003", "truncated-article", severity=Severity.WARNING)
def truncated_article(doc):
    """The article stops mid-sentence, or ends in "..." / "[…]" / "Continue reading" instead of its text.

    Why: paywalls, teaser feeds and length limits cut articles off; the rest of the story is
    missing and a summary of it will be wrong or incomplete. A last line counts as cut
    mid-sentence only if it has twelve or more words, holds a finished sentence before the cut
    (or thirty words), and ends in a lowercase word without a closing mark. Sign-offs
    ("— Reporting by ..."), credits, datelines, list items, link labels ("Learn more"),
    headlines of related stories and "Loading..." widgets are left alone.

    Bad:  The plan was approved on Monday. The debate between the two parties, which had lasted
    Good: The plan was approved on Monday after a long debate between the two parties.
    """
    last = _last_line(doc)
    if last is None:
        return
    text = last.text.strip()
    start = last.start + (len(last.text) - len(last.text.lstrip()))
    words = text.split()
    trailer = TRAILER.search(text)
    if trailer and (len(words) <= 6 or trailer.start(1) > 0):
        yield doc.finding(start + trailer.start(1), start + len(text),
                          f"The article ends in a '{trailer.group(1)}' trailer: the rest of it was not scraped")
        return
    if ELLIPSIS_END.search(text):
        before = text.rstrip(".…[]() ")
        if before.endswith(_FINISHED) or before.lower().endswith(_WIDGETS):
            return
        yield doc.finding(start, start + len(text), "The article ends in an ellipsis: it was cut off")
        return
    if len(words) < MIN_CUT_WORDS or text.endswith(_FINISHED):
        return
    lowered = text.lower()
    if lowered.startswith(_SIGNOFF_STARTS) or lowered.endswith(_LINK_LABELS) \
            or re.search(r"https?://|www\.|@\w|\.com\b", lowered):
        return
    if not (INNER_SENTENCE_END.search(text) or len(words) >= 30) or _is_title_case(words):
        return  # a headline of another story, a list item or a caption
    last_word = words[-1]
    if not re.fullmatch(r"[a-z][a-z'’-]*,?", last_word):
        return  # ends in a number, a code, an acronym or a name: often a credit or a table cell
    yield doc.finding(start, start + len(text),
                      f"The article stops mid-sentence after '{last_word}': the rest of it is missing")


# -- T004 ----------------------------------------------------------------------------------
_TITLE_TAILS = "|".join(_DATA["title_fragment"]["tails"])
TITLE_FRAGMENT = lazy_compile(rf"^\s*(?P<tail>(?i:{_TITLE_TAILS}))\s+(?P<next>[A-Za-z][\w'’]*)")


@rule("T004", "title-lost-compound-head", fix=Applicability.UNSAFE)
def title_lost_compound_head(doc):
    """A title that starts with the tail of a compound whose first half was lost ("Led Coalition ...").

    Title: Led Coalition Airstrikes Kill Over 100 Soldiers

    Why: a headline such as "US-Led Coalition Airstrikes ..." loses its first word when the
    scraper splits at the hyphen. The title must start with a compound tail ("Led", "Backed",
    "Based", ...) and the body must use the full compound before the same word ("US-led
    coalition"), which also gives the missing half.

    Bad:  Strikes by the US-led coalition killed over 100 soldiers.
    Good: Strikes by the coalition killed over 100 soldiers.

    Fix safety: unsafe. The first half is taken from the body ("US-"); another spelling may
    have been meant.
    """
    title = doc.title
    if title is None:
        return
    match = TITLE_FRAGMENT.match(title.text)
    if not match:
        return
    tail, nxt = match.group("tail"), match.group("next")
    body_start = title.end
    pattern = re.compile(rf"(?<![\w-])([\w.&’']+)-{re.escape(tail)}\s+{re.escape(nxt)}\b", re.IGNORECASE)
    heads: Dict[str, int] = {}
    for found in pattern.finditer(doc.text, body_start):
        heads[found.group(1)] = heads.get(found.group(1), 0) + 1
    if not heads:
        return
    head = max(heads, key=lambda h: (heads[h], -len(h)))
    at = title.start + match.start("tail")
    yield doc.finding(
        at, title.start + match.end("next"),
        f"The title starts with '{tail}', the tail of a compound; the body says '{head}-{tail.lower()} {nxt.lower()}'",
        fix=Fix.replace(at, at, f"{head}-", f"Write '{head}-{tail} {nxt}'", Applicability.UNSAFE),
    )
