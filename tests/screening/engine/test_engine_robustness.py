"""Large and hostile input: linear work, no catastrophic backtracking, nothing hangs.

No stopwatch: on a shared machine a time limit measures the neighbours as much as the engine.
What is measured instead is the work, counted: every call, builtin call and line of Python that
`check` executes, through the interpreter's tracing hooks, which gives the same count on any
machine under any load. Each hostile input is checked at two sizes, the second four times the
first: linear work grows at most fourfold, while a loop that rescans the text (quadratic) grows
sixteenfold. The scans that run in C (the regular expressions, the automaton, str.translate)
count as one call each: they are linear by construction (possessive or bounded repeats, and
unterminated constructs found with str.find: see markup.py and detectors/personal_data.py), and
each input is also screened once at its full size, megabytes, which would never finish if one
of them backtracked. bench/screening_engine.py measures the speed itself.
"""

import sys
from collections import Counter

import pytest

from govmedia.screening.engine.limits import MAX_HITS_PER_RULE
from govmedia.screening.engine.markup import html_to_text

NOTICE_LINE = (
    "各镇街、各部门要充分把握推进政务新媒体健康有序发展的重要意义，切实做好政务新媒体建设。"
)

# label, the text at full size as (piece, repeats) pairs, and whether it is HTML.
INPUTS = [
    ("five megabytes of prose", [(NOTICE_LINE, 38_760)], False),
    ("digits", [("1", 2_000_000)], False),
    ("digit groups", [("1 ", 1_000_000)], False),
    ("almost an ID", [("11010519491231002", 100_000)], False),
    ("unterminated tags", [('<a "', 500_000)], True),
    ("unterminated quotes", [("<a '", 1), ("x", 1_000_000), ("<b '", 100_000)], True),
    ("open comments", [("<!--", 500_000)], True),
    ("entities", [("&#", 1_000_000)], True),
    ("classified markers", [("机密★", 600_000)], False),
    ("former", [("原", 2_000_000)], False),
    ("organ chars", [("部", 2_000_000)], False),
    ("noise", [("* ", 1_000_000)], False),
    ("one term", [("台湾总统", 500_000)], False),
    ("near boundaries", [("台。湾。", 500_000)], False),
]
PARAMETERS = pytest.mark.parametrize(
    ("pieces", "html"),
    [pytest.param(pieces, html, id=label) for label, pieces, html in INPUTS],
)
# The work is counted on 1/80 and 1/20 of the full size: large enough that the part of the work
# that grows with the input dominates, small enough to trace quickly.
SMALL, LARGE = 80, 20


def text_of(pieces, divisor: int = 1) -> str:
    """The input, its repeated pieces repeated `divisor` times less often."""
    return "".join(piece * max(repeats // divisor, 1) for piece, repeats in pieces)


def work(action) -> int:
    """How many Python events (calls, builtin calls, lines, returns) `action` executes."""
    events = 0

    def tally(frame, event, arg):
        nonlocal events
        events += 1
        return tally  # and trace the lines of this frame too

    outer_trace, outer_profile = sys.gettrace(), sys.getprofile()
    sys.settrace(tally)
    sys.setprofile(tally)
    try:
        action()
    finally:
        sys.settrace(outer_trace)
        sys.setprofile(outer_profile)
    return events


@PARAMETERS
def test_work_grows_at_most_linearly(check, pieces, html):
    small, large = text_of(pieces, SMALL), text_of(pieces, LARGE)
    check(small, html=html)  # first use: lazily built tables are not the input's work
    small_work = work(lambda: check(small, html=html))
    large_work = work(lambda: check(large, html=html))
    assert large_work <= 4 * small_work, (small_work, large_work)


@PARAMETERS
def test_full_size_input_is_screened_with_bounded_findings(check, pieces, html):
    text = text_of(pieces)
    assert len(text) > 1_000_000
    findings = check(text, html=html)
    per_rule = Counter(finding.rule for finding in findings)
    assert all(count <= MAX_HITS_PER_RULE for count in per_rule.values()), per_rule
    assert all(0 <= f.start < f.end <= len(text) for f in findings)


def test_unterminated_comment_swallows_the_rest():
    content, _ = html_to_text("正文<!-- 台湾总统")
    assert content == "正文"
