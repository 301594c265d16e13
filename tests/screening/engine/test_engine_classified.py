"""涉密标识 (GB/T 9704-2012 7.2.2): 密级★保密期限; the words alone are not a marker."""

import pytest

CATEGORY = "classified"


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("秘密★1年", "秘密★1年"),
        ("机密★5年", "机密★5年"),
        ("绝密★长期", "绝密★长期"),
        ("绝密★启用前", "绝密★启用前"),
        ("机密★会议开始前", "机密★会议开始前"),
        ("机密★2025年12月31日", "机密★2025年12月31日"),
        ("本件为机密★，请妥善保管", "机密★"),
        ("秘密☆6个月", "秘密☆6个月"),
        ("机密*5年", "机密*5年"),
        ("機密★５年", "機密★５年"),  # traditional, full-width digit
        ("机 密 ★ 5年", "机 密 ★ 5年"),
        ("机\u200b密★5年", "机\u200b密★5年"),
    ],
)
def test_markers_fire_as_block(check, text, matched):
    [finding] = [f for f in check(text) if f.category == CATEGORY]
    assert finding.severity == "block"
    assert finding.matched == matched == text[finding.start : finding.end]


@pytest.mark.parametrize(
    "text",
    [
        "确保涉密信息不上网、上网信息不涉密",
        "落实保密制度，严防泄露机密",
        "这是一个秘密",
        "**机密**",  # emphasis, not a marker
        "商业机密*",
    ],
)
def test_ordinary_words_are_not_markers(rules, text):
    assert rules(text, CATEGORY) == []
