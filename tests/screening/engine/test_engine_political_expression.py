"""规范表述: Taiwan/Hong Kong/Macao wording, country names, forms of official titles."""

import pytest

CATEGORY = "political_expression"


@pytest.mark.parametrize(
    ("text", "rule", "suggestion"),
    [
        ("会见台湾总统", "台湾总统", "台湾地区领导人"),
        ("中华民国总统", "中华民国总统", "台湾地区领导人"),
        ("两岸三地青年交流", "两岸三地", "海峡两岸和香港、澳门"),
        ("访问北朝鲜", "北朝鲜", "朝鲜"),
        ("南朝鲜队", "南朝鲜", "韩国"),
        ("促进中港两地合作", "中港两地", "内地与香港"),
        ("WTO成员国之间", "WTO成员国", "WTO成员"),
    ],
)
def test_lexicon_wording_fires_with_its_suggestion(check, text, rule, suggestion):
    [finding] = [f for f in check(text) if f.category == CATEGORY]
    assert (finding.rule, finding.suggestion) == (rule, suggestion)
    assert text[finding.start : finding.end] == finding.matched == rule
    assert finding.basis


def test_longest_overlapping_term_wins(check):
    [finding] = check("中华民国总统出席")
    assert finding.rule == "中华民国总统"


@pytest.mark.parametrize(
    ("text", "rule", "matched", "suggestion"),
    [
        ("山东省省委书记", "title_province_committee", "山东省省委", "山东省委"),
        ("黑龙江省省政府", "title_province_committee", "黑龙江省省政府", "黑龙江省政府"),
        ("原教育部部长张某", "title_former_head", "原教育部部长", "教育部原部长"),
        ("原国土资源部副部长", "title_former_head", "原国土资源部副部长", "国土资源部原副部长"),
        ("原太原市公安局局长", "title_former_head", "原太原市公安局局长", "太原市公安局原局长"),
        ("菏泽市长出席", "title_city_mayor", "菏泽市长", "菏泽市市长"),
        ("济南副市长", "title_city_mayor", "济南副市长", "济南市副市长"),
        ("定陶区政法委书记", "title_party_organ", "区政法委", "区委政法委"),
        ("山东省组织部", "title_party_organ", "省组织部", "省委组织部"),
    ],
)
def test_title_errors_fire(check, text, rule, matched, suggestion):
    [finding] = [f for f in check(text) if f.category == CATEGORY]
    assert (finding.rule, finding.matched, finding.suggestion) == (rule, matched, suggestion)
    assert text[finding.start : finding.end] == matched


@pytest.mark.parametrize(
    "text",
    [
        "山东省委书记",
        "山东省省长",
        "菏泽市市长",
        "教育部原部长",
        "济南市长清区",
        "北京市长安街",
        "武汉市长江大桥",
        "建立市长效机制",
        "定陶区委政法委书记",
        "市委组织部",
        "原则上由组织部部长负责",
        "他原来是财政局局长",
        "台湾地区领导人",
        "朝鲜和韩国",
        "华中港口城市",  # 中港 alone is not a term
        "数据中台建设",
        "在台湾。总统说",  # two words meeting across a sentence boundary
    ],
)
def test_correct_forms_do_not_fire(rules, text):
    assert rules(text, CATEGORY) == []


def test_title_error_inside_noise_still_fires(check):
    [finding] = check("山东省 省委书记")
    assert finding.matched == "山东省 省委"
