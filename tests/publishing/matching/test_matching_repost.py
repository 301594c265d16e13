"""The matcher's repost mode (`carried`, used by coordination's 转载任务): a repost may be
abridged and adds its own title and a 来源 line, so the score is the share of the post that
comes from the original, and the post must carry at least `carried` percent of it. Without
`carried` (先审后发) nothing changes: an abridged post is no approved revision."""

import pytest

from govmedia.publishing.matching import ApprovedIndex, judge
from tests.publishing.matching.fixtures import (
    HEATING_NOTICE,
    MEETING_REPORT,
    as_html,
    joined,
    paragraphs,
    replaced,
    with_prefix,
    with_source_line,
)

REPOST = {"threshold": 70, "carried": 40}


def abridged(text: str, keep: int) -> str:
    return joined(paragraphs(text)[:keep])


def test_an_abridged_repost_with_a_prefix_and_a_source_line_counts_as_a_repost_only():
    post = with_source_line(with_prefix(abridged(HEATING_NOTICE, 6), "【转载】"), "来源：定陶发布")
    repost = judge(as_html(HEATING_NOTICE), post, revision_html=True, **REPOST)
    assert repost.match and repost.score >= 70, repost.reason
    strict = judge(as_html(HEATING_NOTICE), post, revision_html=True)
    assert not strict.match and strict.reason.startswith("仅覆盖稿件")


def test_a_teaser_carries_too_little_of_the_original():
    teaser = abridged(HEATING_NOTICE, 2)
    judgement = judge(HEATING_NOTICE, teaser, **REPOST)
    assert not judgement.match and judgement.score == 69
    assert "转载至少应有 40%" in judgement.reason


def test_another_text_is_no_repost_and_a_changed_figure_is_refused():
    other = judge(HEATING_NOTICE, MEETING_REPORT, **REPOST)
    assert not other.match and other.reason.startswith("与原文内容不同")
    changed = replaced(
        abridged(HEATING_NOTICE, 6), "每平方米每个采暖期22元", "每平方米每个采暖期25元"
    )
    judgement = judge(HEATING_NOTICE, changed, **REPOST)
    assert not judgement.match and judgement.score == 69 and "25" in judgement.reason


def test_the_index_takes_the_repost_mode():
    index = ApprovedIndex(**REPOST)
    index.add("heating", HEATING_NOTICE)
    index.add("meeting", MEETING_REPORT)
    judgement = index.best(with_prefix(abridged(HEATING_NOTICE, 6), "转发："))
    assert judgement.match and judgement.key == "heating"


@pytest.mark.parametrize("carried", [0, 71])
def test_carried_must_lie_below_the_threshold(carried):
    with pytest.raises(ValueError, match="转载覆盖比例"):
        judge(HEATING_NOTICE, HEATING_NOTICE, threshold=70, carried=carried)


def test_a_prepared_text_indexes_as_the_text_does():
    from govmedia.publishing.matching import prepare_revision

    prepared = prepare_revision(HEATING_NOTICE)
    one, two = ApprovedIndex(**REPOST), ApprovedIndex(**REPOST)
    one.add("heating", HEATING_NOTICE)
    two.add_prepared("heating", prepared)
    post = with_source_line(abridged(HEATING_NOTICE, 5))
    assert one.best(post) == two.best(post)


def test_lengths_alone_rule_out_a_long_text_quoting_the_original():
    long_post = HEATING_NOTICE + "\n\n" + MEETING_REPORT + "\n\n" + MEETING_REPORT
    judgement = judge(HEATING_NOTICE, long_post, **REPOST)
    assert not judgement.match and judgement.reason.startswith("原文篇幅只有发布内容的")
