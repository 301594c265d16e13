"""Attributions to unverified sources."""

import pytest

CATEGORY = "unofficial_source"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("据网传，某地发生火灾", "据网传"),
        ("图片来源：网络", "来源：网络"),
        ("来源: 网络", "来源：网络"),
        ("本文转自朋友圈", "转自朋友圈"),
        ("据网友爆料", "网友爆料"),
    ],
)
def test_attributions_fire(rules, text, rule):
    assert rules(text, CATEGORY) == [rule]


@pytest.mark.parametrize(
    "text",
    [
        "严禁转发非官方渠道信息和未经核实的信息",
        "破坏网络传播秩序",
        "互联网传播秩序",  # contains 网传 across two words
        "根据传染病防治法",  # contains 据传
        "承诺信息来源真实可靠",
    ],
)
def test_forbidding_sentences_and_lookalikes_do_not_fire(rules, text):
    assert rules(text, CATEGORY) == []
