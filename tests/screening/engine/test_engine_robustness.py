"""Large and hostile input: linear time, no catastrophic backtracking, nothing hangs.

Bounds are generous (a shared CI machine); bench/screening_engine.py prints real figures."""

import time

import pytest

from govmedia.screening.engine.markup import html_to_text

NOTICE_LINE = (
    "各镇街、各部门要充分把握推进政务新媒体健康有序发展的重要意义，切实做好政务新媒体建设。"
)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def test_five_megabytes_of_prose(check):
    text = (NOTICE_LINE * 60_000)[: 5_000_000 // 3]
    assert timed(lambda: check(text)) < 3


@pytest.mark.parametrize(
    ("label", "text", "html"),
    [
        ("digits", "1" * 2_000_000, False),
        ("digit groups", "1 " * 1_000_000, False),
        ("almost an ID", "11010519491231002" * 100_000, False),
        ("unterminated tags", '<a "' * 500_000, True),
        ("unterminated quotes", "<a '" + "x" * 1_000_000 + "<b '" * 100_000, True),
        ("open comments", "<!--" * 500_000, True),
        ("entities", "&#" * 1_000_000, True),
        ("classified markers", "机密★" * 600_000, False),
        ("former", "原" * 2_000_000, False),
        ("organ chars", "部" * 2_000_000, False),
        ("noise", "* " * 1_000_000, False),
        ("one term", "台湾总统" * 500_000, False),
        ("near boundaries", "台。湾。" * 500_000, False),
    ],
)
def test_pathological_input_stays_fast(check, label, text, html):
    assert timed(lambda: check(text, html=html)) < 5, label


def test_unterminated_comment_swallows_the_rest():
    content, _ = html_to_text("正文<!-- 台湾总统")
    assert content == "正文"
