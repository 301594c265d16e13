"""Advertising: promotion phrases always; 广告法第九条 极限词 only in a commercial context."""

import pytest

CATEGORY = "advertising"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("全网销量第一的产品", "全网销量第一"),
        ("点击购买，限时抢购", "点击购买"),
        ("扫码领取优惠券", "扫码领取"),
        ("这款产品是第一品牌", "第一"),
        ("国家级品质，仅售99元", "国家级"),
        ("NO.1的产品，价格实惠", "NO.1"),
        ("顶级面膜 5折", "顶级"),
    ],
)
def test_promotion_and_extreme_words_in_commerce_fire(rules, text, rule):
    assert rule in rules(text, CATEGORY)


@pytest.mark.parametrize(
    "text",
    [
        "驻村第一书记走访农户",
        "国家级贫困县如期脱贫",
        "第一时间回应社会关切",
        "这是全省唯一的国家级自然保护区",  # no commerce cue nearby
        "NO.10号文件",
        "任何政务新媒体均不得参与商业性、盈利性经营活动，不得违规发布广告类信息",
    ],
)
def test_government_prose_does_not_fire(rules, text):
    assert rules(text, CATEGORY) == []


def test_whitelisted_phrase_stays_silent_even_near_a_cue(rules):
    assert rules("第一书记带货，农产品价格实惠", CATEGORY) == []


def test_cue_must_be_within_the_window(rules):
    far = "第一" + "，" * 3 + "我们" * 20 + "价格"
    assert rules(far, CATEGORY) == []
