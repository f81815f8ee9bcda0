"""B: lines that are not part of the article (navigation, prompts, ads, captions, trailers)."""

from __future__ import annotations

import re

from lint import Applicability, rule

from ._data import load

_DATA = load("boilerplate")


def _label_pattern(labels):
    alternatives = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in sorted(labels, key=len, reverse=True))
    # optional "[" or "(", the label, a colon (or dash), then some text; the whole line
    return re.compile(rf"^\s*[\[(]?\s*(?:{alternatives})\s*[:：]\s*\S.*$", re.IGNORECASE)


RELATED_LINK = _label_pattern(_DATA["related_link"]["labels"])


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
    for line in doc.lines:
        if line is title or line.is_blank:
            continue
        if RELATED_LINK.match(line.text):
            yield doc.finding(
                line.start, line.end,
                "Link to another story left by the scraper; it is not part of the article",
                fix=doc.delete_line_fix(line, "Delete the related-story line"),
            )
