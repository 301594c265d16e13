"""Frequent mistakes in government writing: warn only."""

import pytest

CATEGORY = "typo"


@pytest.mark.parametrize(
    ("text", "rule", "suggestion"),
    [
        ("按步就班推进", "按步就班", "按部就班"),
        ("迫不急待", "迫不急待", "迫不及待"),
        ("既使困难再多", "既使", "即使"),
        ("区区委书记", "doubled_level", "区委"),
        ("县县委常委", "doubled_level", "县委"),
        ("菏泽市市政府", "doubled_level", "市政府"),
    ],
)
def test_typos_fire_as_warnings(check, text, rule, suggestion):
    [finding] = [f for f in check(text) if f.category == CATEGORY]
    assert (finding.rule, finding.suggestion, finding.severity) == (rule, suggestion, "warn")


@pytest.mark.parametrize(
    "text", ["按部就班", "迫不及待", "菏泽市市长", "定陶区区长", "区区小事", "菏泽市市场监管局"]
)
def test_correct_text_does_not_fire(rules, text):
    assert rules(text, CATEGORY) == []
