"""Sensitive words and the whitelist of legitimate phrases that contain them."""

import pytest

from govmedia.screening.engine import LexiconEntry, Screener

CATEGORY = "sensitive"


@pytest.mark.parametrize(
    ("text", "rule"), [("境外网络赌博平台", "网络赌博"), ("兜售冰毒", "冰毒"), ("色情直播", "色情")]
)
def test_sensitive_words_fire(rules, text, rule):
    assert rules(text, CATEGORY) == [rule]


@pytest.mark.parametrize(
    "text",
    [
        "开展扫黄打非专项行动",
        "严厉打击赌博违法犯罪",
        "远离毒品珍爱生命",
        "依法惩治毒品犯罪",
        "打击淫秽色情信息",
        "反分裂国家法",
    ],
)
def test_whitelisted_phrases_suppress_the_term_they_cover(rules, text):
    assert rules(text, CATEGORY) == []


def test_whitelist_only_covers_its_own_span(rules):
    assert rules("打击赌博，禁止赌博", CATEGORY) == ["赌博"]


def test_whitelist_is_scoped_to_its_category():
    entries = [
        LexiconEntry("赌博", "sensitive", "warn"),
        LexiconEntry("赌博", "typo", "warn"),
        LexiconEntry("打击赌博", "sensitive", whitelist=True),
    ]
    findings = Screener(entries).check("打击赌博")
    assert [(f.category, f.rule) for f in findings] == [("typo", "赌博")]


def test_whitelist_without_category_covers_all_categories():
    entries = [
        LexiconEntry("赌博", "sensitive", "warn"),
        LexiconEntry("赌博", "typo", "warn"),
        LexiconEntry("打击赌博", "", whitelist=True),
    ]
    assert Screener(entries).check("打击赌博") == []
