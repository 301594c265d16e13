"""The Screener API: input handling, ordering, determinism, overlaps, lexicon as data."""

import dataclasses

import pytest

from govmedia.screening.engine import Finding, LexiconEntry, Screener, fold_term


def test_empty_text_gives_no_findings(check):
    assert check("") == []


@pytest.mark.parametrize("value", [None, b"\xe5\x8f\xb0", 42, ["台湾总统"]])
def test_non_str_input_raises_type_error(screener, value):
    with pytest.raises(TypeError):
        screener.check(value)


def test_findings_are_sorted_by_start_category_rule(check):
    text = "据网传，台湾总统在菏泽市长陪同下点击购买优惠券，手机13800000000"
    findings = check(text)
    keys = [(f.start, f.category, f.rule) for f in findings]
    assert keys == sorted(keys)
    assert {f.category for f in findings} >= {
        "unofficial_source",
        "political_expression",
        "advertising",
        "personal_data",
    }


def test_check_is_deterministic_across_rebuilds():
    from govmedia.screening.engine import load_seed_entries

    text = "中华民国总统，台 湾 总 统，山东省省委书记，秘密★1年，11010519491231002X"
    entries = load_seed_entries()
    first = Screener(entries, version=1).check(text)
    assert Screener(list(reversed(entries)), version=2).check(text) == first
    assert Screener(entries, version=1).check(text) == first


def test_overlaps_keep_the_longest_within_a_category_only():
    entries = [
        LexiconEntry("中华民国", "political_expression", "block"),
        LexiconEntry("中华民国总统", "political_expression", "block"),
        LexiconEntry("民国", "typo", "warn"),
    ]
    findings = Screener(entries).check("中华民国总统")
    assert [(f.category, f.rule) for f in findings] == [
        ("political_expression", "中华民国总统"),
        ("typo", "民国"),
    ]


def test_same_term_twice_in_a_category_is_reported_once_preferring_block():
    entries = [
        LexiconEntry("赌博", "sensitive", "warn"),
        LexiconEntry("赌博", "sensitive", "block"),
    ]
    [finding] = Screener(entries).check("赌博")
    assert finding.severity == "block"


def test_entries_that_are_all_noise_are_rejected_not_fatal():
    entries = [LexiconEntry("★★", "sensitive", "warn"), LexiconEntry("赌博", "sensitive", "warn")]
    screener = Screener(entries, version=7)
    assert screener.rejected == (entries[0],)
    assert screener.version == 7 and screener.entry_count == 1
    assert [f.rule for f in screener.check("★★赌博")] == ["赌博"]


def test_lexicon_terms_fold_like_the_text():
    assert fold_term("臺灣　總統") == "台湾总统"
    assert fold_term("来源：网络") == "来源网络"
    assert fold_term("NO.1") == "no1"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"term": "", "category": "sensitive"},
        {"term": "x", "category": "nonsense"},
        {"term": "x", "category": "sensitive", "severity": "maybe"},
        {"term": "x", "category": "sensitive", "context": "weekend"},
    ],
)
def test_lexicon_entries_are_validated(kwargs):
    with pytest.raises(ValueError):
        LexiconEntry(**kwargs)


def test_findings_are_immutable_values_with_a_plain_dict_form(check):
    [finding] = check("台湾总统")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 3
    assert finding.to_dict() == {
        "category": "political_expression",
        "rule": "台湾总统",
        "severity": "block",
        "start": 0,
        "end": 4,
        "matched": "台湾总统",
        "suggestion": "台湾地区领导人",
        "basis": "新华社新闻信息报道中的禁用词和慎用词（2016）·涉台用语",
        "note": "",
    }
    assert type(finding.to_dict()["category"]) is str
    assert isinstance(finding, Finding) and finding.blocks


def test_screener_without_entries_still_runs_detectors():
    [finding] = Screener([]).check("机密★5年")
    assert finding.category == "classified"


def test_many_occurrences_are_capped_per_rule():
    from govmedia.screening.engine.limits import MAX_HITS_PER_RULE

    findings = Screener([LexiconEntry("赌博", "sensitive", "warn")]).check(
        "赌博，" * (MAX_HITS_PER_RULE + 50)
    )
    assert len(findings) == MAX_HITS_PER_RULE
