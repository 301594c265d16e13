"""The suggested class: keyword rules kept as data (govmedia/interaction/data/class_rules.json)."""

import pytest

from govmedia.interaction.classify import default_rules, suggest_class
from govmedia.interaction.models import MessageClass


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请问居住证需要带什么材料？", "consult"),
        ("投诉：夜间施工扰民，打电话没人管吗？", "complaint"),  # a complaint phrased as a question
        ("家里停水三天了，求助！", "help"),
        ("建议在服务站增加老年人窗口", "suggestion"),
        ("点赞！工作人员辛苦了", "praise"),
        ("贷款秒批，加微信", "no_reply"),
        ("今天天气不错", "consult"),  # nothing matched: 咨询, for a person to confirm
    ],
)
def test_suggested_class(text, expected):
    assert suggest_class(text).message_class == expected


def test_every_rule_names_a_class_of_the_model():
    assert {cls for cls, _ in default_rules()} <= set(MessageClass.values)
    assert suggest_class("投诉乱收费").hits == ("投诉", "乱收费")
