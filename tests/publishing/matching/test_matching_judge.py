"""judge(): one approved revision and one pulled post, as the notice's 先审后发 requires.

A post is the approved revision when it is the same text with light edits (a title prefix, a
来源 line, an emoji, other punctuation widths, reordered paragraphs, a fixed typo, a dropped
closing paragraph); it is not when it covers only part of the revision, or states a figure, a
date, an amount, a phone number or a name the revision does not.
"""

import opencc
import pytest

from govmedia.publishing.matching import DEFAULT_THRESHOLD, judge
from tests.publishing.matching.fixtures import (
    CIVILISED_CITY,
    HEATING_NOTICE,
    MEETING_REPORT,
    POLICY_EXPLAINER,
    SHORT_WEIBO,
    as_html,
    paragraphs,
    replaced,
    with_emoji,
    with_paragraphs_swapped,
    with_prefix,
    with_source_line,
    with_width_swapped,
    without_last_paragraph,
)

ARTICLES = [HEATING_NOTICE, POLICY_EXPLAINER, MEETING_REPORT]
ARTICLE_IDS = ["供暖通知", "政策解读", "会议报道"]


def assert_matches(revision, post, **options):
    judgement = judge(revision, post, **options)
    assert judgement.match, judgement.reason
    assert DEFAULT_THRESHOLD <= judgement.score <= 100
    assert judgement.reason == ""
    return judgement


def assert_refused(revision, post, *, reason_has="", **options):
    judgement = judge(revision, post, **options)
    assert not judgement.match
    assert 0 <= judgement.score < DEFAULT_THRESHOLD
    assert reason_has in judgement.reason
    return judgement


# --- the same text -------------------------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_an_exact_repost_scores_100(article):
    assert assert_matches(article, article).score == 100


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_a_traditional_character_copy_matches(article):
    traditional = opencc.OpenCC("s2t").convert(article)
    assert traditional != article
    assert assert_matches(article, traditional).score >= 95


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_the_wechat_html_of_a_plain_text_revision_matches(article):
    assert assert_matches(article, as_html(article), post_html=True).score == 100


def test_an_html_revision_matches_its_plain_text_post():
    assert assert_matches(as_html(MEETING_REPORT), MEETING_REPORT, revision_html=True).score == 100


def test_html_read_as_plain_text_does_not_pass_for_the_article():
    # The markup then counts as text of the post: most of it is not in the revision.
    assert_refused(MEETING_REPORT, as_html(MEETING_REPORT), reason_has="见于审核通过的稿件")


def test_a_weibo_repost_with_a_link_and_an_emoticon_matches():
    post = SHORT_WEIBO + " [心]详情：http://t.cn/A6x8Kd9z"
    assert assert_matches(SHORT_WEIBO, post).score >= 95  # 详情 is two characters more


# --- light edits, each on its own -------------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_a_title_prefix_is_a_light_edit(article):
    assert_matches(article, with_prefix(article))


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_a_trailing_source_line_is_a_light_edit(article):
    assert_matches(article, with_source_line(article))


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_an_emoji_is_a_light_edit(article):
    assert assert_matches(article, with_emoji(article)).score == 100


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_other_punctuation_and_digit_widths_are_a_light_edit(article):
    assert assert_matches(article, with_width_swapped(article)).score == 100


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_reordered_paragraphs_are_a_light_edit(article):
    # Two paragraphs of the body swapped: realigned, the post is the whole revision again.
    assert assert_matches(article, with_paragraphs_swapped(article, 2, 3)).score == 100


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_a_dropped_closing_paragraph_is_a_light_edit(article):
    assert_matches(article, without_last_paragraph(article))


def test_a_typo_fixed_in_the_post_is_a_light_edit():
    with_typo = replaced(MEETING_REPORT, "以时不我待的紧迫感", "以时不我待地紧迫感")  # 的 → 地
    assert assert_matches(with_typo, MEETING_REPORT).score >= 99


def test_a_typo_fixed_next_to_a_figure_is_a_light_edit():
    with_typo = replaced(HEATING_NOTICE, "要在24小时内", "要再24小时内")  # 在 → 再
    assert_matches(with_typo, HEATING_NOTICE)


def test_a_figure_written_another_way_is_the_same_figure():
    post = replaced(MEETING_REPORT, "涉农资金3000万元", "涉农资金三千万元")
    assert_matches(MEETING_REPORT, post)


def test_several_light_edits_together_still_match():
    post = with_prefix(with_source_line(with_emoji(with_width_swapped(MEETING_REPORT))))
    assert_matches(MEETING_REPORT, post)


# --- a small part of the revision -------------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=ARTICLE_IDS)
def test_the_first_paragraph_alone_does_not_match(article):
    title, first, *_ = paragraphs(article)
    judgement = assert_refused(article, f"{title}\n\n{first}", reason_has="仅覆盖稿件的")
    assert judgement.score < 40


def test_a_teaser_does_not_match():
    teaser = (
        "【速看】我区2025—2026年度供暖期定了！11月15日起集中供暖，室温不低于18℃，"
        "供暖费每平方米22元。详情请点击阅读全文👇"
    )
    assert_refused(HEATING_NOTICE, teaser, reason_has="仅覆盖稿件的")


def test_one_quoted_sentence_inside_another_text_does_not_match():
    quoted = "会议决定，统筹整合涉农资金3000万元，用于新建高标准农田2.5万亩。"
    blocks = paragraphs(CIVILISED_CITY)
    post = "\n\n".join([*blocks[:2], quoted, *blocks[2:]])
    assert_refused(MEETING_REPORT, post)


def test_the_revision_with_a_long_addition_does_not_match():
    post = MEETING_REPORT + "\n\n" + CIVILISED_CITY
    assert_refused(MEETING_REPORT, post, reason_has="见于审核通过的稿件")


def test_an_unrelated_post_does_not_match():
    judgement = assert_refused(MEETING_REPORT, CIVILISED_CITY, reason_has="内容不同")
    assert judgement.score < 30


# --- a fact changed, however similar the rest --------------------------------------------------


def test_a_changed_figure_never_matches():
    post = replaced(MEETING_REPORT, "3000万元", "5000万元")
    judgement = assert_refused(
        MEETING_REPORT, post, reason_has="数字“5000万元”未见于审核通过的稿件"
    )
    assert "相似度 99" in judgement.reason  # the rest is the same text


def test_a_changed_date_never_matches():
    post = replaced(MEETING_REPORT, "12月5日", "12月8日")
    assert_refused(MEETING_REPORT, post, reason_has="日期“12月8日”未见于审核通过的稿件")


def test_a_changed_amount_never_matches():
    post = replaced(HEATING_NOTICE, "每个采暖期22元", "每个采暖期25元")
    assert_refused(HEATING_NOTICE, post, reason_has="数字“25元”")


def test_a_changed_percentage_in_words_never_matches():
    post = replaced(POLICY_EXPLAINER, "百分之五", "百分之八")
    assert_refused(POLICY_EXPLAINER, post, reason_has="百分之八")


def test_a_moved_decimal_point_never_matches():
    post = replaced(MEETING_REPORT, "2.5万亩", "25万亩")
    assert_refused(MEETING_REPORT, post, reason_has="25万亩")


def test_a_changed_phone_number_never_matches():
    post = replaced(HEATING_NOTICE, "0530-2221234", "0530-2221235")
    assert_refused(HEATING_NOTICE, post, reason_has="号码“0530-2221235”")


def test_a_figure_changed_to_one_stated_elsewhere_never_matches():
    # 10万元 is in the revision (the provincial award), so only the diff sees the change.
    post = replaced(POLICY_EXPLAINER, "给予一次性奖励50万元", "给予一次性奖励10万元")
    assert_refused(POLICY_EXPLAINER, post, reason_has="被改为")


def test_a_changed_surname_never_matches():
    post = replaced(MEETING_REPORT, "副区长张建国主持", "副区长李建国主持")
    assert_refused(MEETING_REPORT, post, reason_has="人名“区长张建国”被改为“区长李建国”")


def test_a_changed_given_name_beside_a_title_never_matches():
    post = replaced(MEETING_REPORT, "副区长张建国主持", "副区长张建华主持")
    assert_refused(MEETING_REPORT, post, reason_has="人名")


def test_a_changed_place_name_never_matches():
    post = replaced(MEETING_REPORT, "黄店镇", "张店镇")  # both start with a surname
    assert_refused(MEETING_REPORT, post, reason_has="人名或地名“集镇黄店镇”被改为“集镇张店镇”")
    village = replaced(CIVILISED_CITY, "走进老旧小区", "走进王庄村老旧小区")
    post = replaced(village, "王庄村", "李庄村")
    assert_refused(village, post, reason_has="地名")


def test_a_name_added_beside_a_title_never_matches():
    post = replaced(MEETING_REPORT, "副区长张建国主持", "副区长张建国、区长助理王明主持")
    assert_refused(MEETING_REPORT, post, reason_has="王明")


def test_a_typo_fixed_away_from_names_is_not_taken_for_one():
    # 再 → 在 and 地 → 的 are single-character replacements, but at no name position.
    with_typos = replaced(
        replaced(HEATING_NOTICE, "要在24小时内", "要再24小时内"), "公开服务承诺", "公开服务成诺"
    )
    assert_matches(with_typos, HEATING_NOTICE)


def test_a_figure_added_by_the_reposter_never_matches():
    # A figure the revision never stated, even in an added line, is not approved content.
    post = with_source_line(MEETING_REPORT, "来源：定陶区人民政府 2025年12月6日")
    assert_refused(MEETING_REPORT, post, reason_has="未见于审核通过的稿件")


def test_a_fact_changed_in_a_traditional_copy_never_matches():
    post = opencc.OpenCC("s2t").convert(replaced(MEETING_REPORT, "3000万元", "5000万元"))
    assert_refused(MEETING_REPORT, post, reason_has="5000")


# --- threshold and odd input ------------------------------------------------------------------


def test_the_threshold_is_a_parameter():
    post = without_last_paragraph(MEETING_REPORT)
    score = judge(MEETING_REPORT, post).score
    assert judge(MEETING_REPORT, post, threshold=score).match
    assert not judge(MEETING_REPORT, post, threshold=score + 1).match
    # A vetoed post stays below any threshold: match is always score >= threshold.
    changed = replaced(MEETING_REPORT, "3000万元", "5000万元")
    assert judge(MEETING_REPORT, changed, threshold=60).score == 59


@pytest.mark.parametrize("threshold", [0, 101])
def test_a_threshold_out_of_range_is_refused(threshold):
    with pytest.raises(ValueError, match="1–100"):
        judge(MEETING_REPORT, MEETING_REPORT, threshold=threshold)


@pytest.mark.parametrize("post", ["", "   \n\n\u3000 ", "👍👍👍", "！？。……", "<p><br/></p>"])
def test_an_empty_or_blank_post_does_not_match(post):
    judgement = judge(MEETING_REPORT, post, post_html=post.startswith("<"))
    assert (judgement.match, judgement.score) == (False, 0)
    assert "发布内容为空" in judgement.reason


def test_an_empty_revision_matches_nothing():
    judgement = judge("", MEETING_REPORT)
    assert (judgement.match, judgement.score) == (False, 0)


def test_a_one_megabyte_post_is_judged_without_trouble():
    filler = "\n\n".join(paragraphs(CIVILISED_CITY) + paragraphs(POLICY_EXPLAINER))
    huge = (filler + "\n\n") * (1_000_000 // len(filler.encode()) + 1)
    assert len(huge.encode()) > 1_000_000
    assert_refused(MEETING_REPORT, huge)
    assert_refused(MEETING_REPORT, MEETING_REPORT + huge)


@pytest.mark.parametrize("post", ["1" * 1_000_000, "1 " * 500_000, "一二" * 500_000])
def test_a_megabyte_of_digits_is_no_figure_and_no_trouble(post):
    # Python will not read an int of 4,300 digits or more: such runs compare as written.
    assert_refused(MEETING_REPORT, post)
    assert judge(post[:10_000], post[:10_000]).match


# --- the frame a repost adds -------------------------------------------------------------------

SHORT = "区政府投资3000万元用于冬季供暖改造，12月5日起受理。\n咨询电话：0530-1234567。"


def test_a_short_notice_in_a_repost_frame_still_matches():
    # On a 50-character notice, a column tag and two attribution lines are a third of the post:
    # they are framing, not content, and are left out of both sides before comparing.
    post = "【天中发布】" + SHORT + "\n来源：定陶区人民政府\n编辑：王芳"
    assert judge(SHORT, post).match and judge(SHORT, post).score == 100


def test_a_figure_changed_inside_a_frame_is_still_caught():
    post = "【天中发布】" + SHORT.replace("3000万元", "5000万元") + "\n来源：定陶区人民政府"
    judgement = judge(SHORT, post)
    assert not judgement.match and "5000万元" in judgement.reason


def test_an_attribution_line_that_states_a_figure_is_content():
    post = SHORT + "\n来源：定陶区人民政府，补贴500元"
    assert not judge(SHORT, post).match
