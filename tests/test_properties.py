"""Property tests: any text -> no crash, spans inside the text, fixing is idempotent."""

from hypothesis import HealthCheck, given, settings, strategies as st

from lint.config import Settings
from lint.engine import check_text, fix_text

ALL = Settings(select=("ALL",))
# Text made of the pieces the rules look for, so the search space hits them often.
PIECES = st.sampled_from([
    "US", " -backed", "U.S.", "usa", " ", "\n", "\n\n", "More news: ", "Related: ", "the", ".", ",", "'",
    '"', "“", "”", "(left)", "Photo: ", "said", "she", "he", "Advertisement", "\r\n", "é", "😀", "&amp;", "â€™",
    "Reuters", "-", "nato", "Source: Reuters", "...", "Mr. ", "Smith", "John Smith", "  ", "\t", "\u200b",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=60).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_no_crash_and_spans_inside_text(text):
    for d in check_text(text, ALL):
        assert 0 <= d.start <= d.end <= len(text)
        assert d.line >= 1 and d.column >= 1
        if d.fix is not None:
            for e in d.fix.edits:
                assert 0 <= e.start <= e.end <= len(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_fix_is_idempotent(text):
    once = fix_text(text, ALL, unsafe=True)
    if not once.converged:
        return  # reported to the user as rules fighting; nothing is written
    twice = fix_text(once.text, ALL, unsafe=True)
    assert twice.text == once.text
    assert twice.fixed == 0
