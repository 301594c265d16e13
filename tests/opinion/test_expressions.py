"""监测方案 expressions: the syntax of issue 17, its errors, and the shared-automaton matcher."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia.opinion.expressions import Expression, ExpressionError
from govmedia.opinion.matcher import SubscriptionMatcher


def matches(expression: str, text: str) -> bool:
    return Expression.parse(expression).matches(text)


@pytest.mark.parametrize(
    ("expression", "text", "expected"),
    [
        ("食品 AND 安全", "这家店的食品不安全", True),
        ("食品 AND 安全", "这家店的食品很好", False),
        ("食品 安全", "安全的食品", True),  # side by side means AND
        ("食品 OR 药品", "药品价格", True),
        ("食品 OR 药品", "医保报销", False),
        ("NOT 广告", "一条普通留言", True),
        ("NOT 广告", "加微信看广告", False),
        ("食品 NOT 广告", "食品安全", True),  # between two expressions: AND NOT
        ("食品 NOT 广告", "食品广告", False),
        ("食品 AND NOT 广告", "食品广告", False),
        ("(食品 OR 药品) AND 投诉", "我要投诉这家药品店", True),
        ("(食品 OR 药品) AND 投诉", "我要投诉这家饭店", False),
        ("食品 OR 药品 AND 投诉", "食品", True),  # AND binds tighter than OR
        ("NOT 食品 OR 药品", "食品药品", True),  # NOT binds tightest: (NOT 食品) OR 药品
        ("NOT (食品 OR 药品)", "食品", False),
        ('"食品 安全"', "食品安全", True),  # a phrase: the space is ignored like other noise
        ("“食品安全”", "食 品·安 全", True),  # Chinese quotes; noise between characters ignored
        ("食品安全", "食品，安全", True),
        ("拆遷", "强制拆迁", True),  # traditional folded to simplified
        ("ABC", "xxabcxx", True),  # Latin letters case-insensitive
        ("ＡＢＣ", "abc", True),  # full width folded
        ("食品 NEAR/3 超标", "食品检测严重超标", False),  # 检测严重: 4 characters between
        ("食品 NEAR/4 超标", "食品检测严重超标", True),
        ("食品 NEAR/3 超标", "食品检测结果严重超标", False),
        ("超标 NEAR/4 食品", "食品检测严重超标", True),  # either order
        ("食品 NEAR/0 安全", "食品安全", True),
        ("食品安全 NEAR/0 安全问题", "食品安全问题", True),  # overlapping occurrences
        ("(食品 OR 药品) NEAR/2 问题", "药品有问题", True),
        ("食品 NEAR/2 问题 NEAR/2 投诉", "食品有问题要投诉", True),
        ("食品 NEAR/2 问题 NEAR/2 投诉", "食品有问题，我们大家一起要投诉", False),
        ("食品 NEAR/5 安全 AND 投诉", "食品不安全", False),  # NEAR binds tighter than AND
        ("and", "AND", True),  # lower case is a term, matched case-insensitively
    ],
)
def test_syntax(expression, text, expected):
    assert matches(expression, text) is expected


def test_near_counts_the_characters_between_in_the_normalised_text():
    # 食品，，，安全: the punctuation is noise, so the terms are adjacent.
    assert matches("食品 NEAR/0 安全", "食品，，，安全")
    # The nearest pair counts, not the first occurrence of each.
    assert matches("食品 NEAR/1 安全", "食品" + "很" * 50 + "食品很安全")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("", "监测表达式为空"),
        ("   ", "监测表达式为空"),
        ("食品 AND", "第 4 个字符处的 AND 后缺少检索词"),
        ("OR 食品", "第 1 个字符处的 OR 前缺少检索词"),
        ("食品 OR OR 药品", "第 7 个字符处的 OR 前缺少检索词"),
        ("(食品 OR 药品", "第 1 个字符处的左括号没有闭合"),
        ("食品 OR 药品)", "第 9 个字符处的右括号没有对应的左括号"),
        ("()", "第 1 个字符处的括号中没有检索词"),
        ("(食品 OR )", "第 5 个字符处的 OR 后缺少检索词"),
        ('食品 "安全', "第 4 个字符处的引号没有配对"),
        ('食品 ""', "第 4 个字符处的短语不含可匹配的文字"),
        ("食品 ★★", "第 4 个字符处的“★★”不含可匹配的文字"),
        ("食品 NEAR/x 安全", "第 4 个字符处的“NEAR/x”应写作 NEAR/n"),
        ("食品 NEAR 安全", "第 4 个字符处的“NEAR”应写作 NEAR/n"),
        ("食品 NEAR/1001 安全", "n 为 0 至 1000 的整数"),
        ("食品 NEAR/3 (安全 AND 问题)", "第 4 个字符处的 NEAR 两侧只能是检索词"),
        ("NOT 食品 NEAR/3 安全", "第 8 个字符处的 NEAR 两侧只能是检索词"),
        ("NOT", "第 1 个字符处的 NOT 后缺少检索词"),
        ("(" * 41 + "食品" + ")" * 41, "括号嵌套超过 40 层"),
        ("食" * 2001, "监测表达式不能超过 2000 个字符"),
    ],
)
def test_malformed_expressions_are_refused_naming_the_position(expression, message):
    with pytest.raises(ExpressionError) as refused:
        Expression.parse(expression)
    assert message in refused.value.message


def test_error_position_is_reported_separately():
    with pytest.raises(ExpressionError) as refused:
        Expression.parse("食品 AND")
    assert refused.value.position == 4


def test_terms_are_normalised_once():
    assert Expression.parse('拆遷 OR "Ａ B" OR NOT 食·品').terms == {"拆迁", "ab", "食品"}


# --- the shared automaton agrees with evaluating each expression alone ------------------------

WORDS = ["食品", "安全", "药品", "问题", "投诉", "拆迁", "广告", "ab", "品安"]
OPERATORS = [" AND ", " OR ", " NOT ", " ", " NEAR/0 ", " NEAR/3 "]


@st.composite
def expressions(draw, depth=2):
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(WORDS))
    left = draw(expressions(depth=depth - 1))
    right = draw(expressions(depth=depth - 1))
    operator = draw(st.sampled_from(OPERATORS))
    if draw(st.booleans()):
        return f"({left}{operator}{right})"
    return (
        f"NOT {left}" if operator == " NOT " and draw(st.booleans()) else f"{left}{operator}{right}"
    )


texts = st.lists(st.sampled_from([*WORDS, "，", "很", " ", "問題", "ＡＢ"]), max_size=12).map(
    "".join
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(expressions(), min_size=1, max_size=6), st.lists(texts, min_size=1, max_size=5))
def test_matcher_agrees_with_each_expression(sources, sample):
    parsed = {}
    for index, source in enumerate(sources):
        try:
            parsed[index] = Expression.parse(source)
        except ExpressionError:
            continue  # NEAR over an AND: refused, as the syntax says
    matcher = SubscriptionMatcher(parsed)
    for text in sample:
        assert matcher.match(text) == [key for key, expr in parsed.items() if expr.matches(text)]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.sampled_from(WORDS), st.sampled_from(WORDS), st.integers(0, 5), texts)
def test_near_is_symmetric_and_implies_both(a, b, distance, text):
    near = matches(f"{a} NEAR/{distance} {b}", text)
    assert near == matches(f"{b} NEAR/{distance} {a}", text)
    if near:
        assert matches(f"{a} AND {b}", text)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.sampled_from(WORDS), st.sampled_from(WORDS), texts)
def test_binary_not_is_and_not(a, b, text):
    assert matches(f"{a} NOT {b}", text) == matches(f"{a} AND NOT {b}", text)
    assert matches(f"NOT ({a} OR {b})", text) == matches(f"NOT {a} AND NOT {b}", text)


def test_matcher_with_no_subscriptions_matches_nothing():
    assert SubscriptionMatcher({}).match("食品安全") == []


# --- the command ---------------------------------------------------------------------------


def run_command(*args, text: str) -> str:
    out = io.StringIO()
    call_command("opinion_match", *args, stdin=io.BytesIO(text.encode()), stdout=out)
    return out.getvalue()


def test_command_prints_the_match_as_json():
    assert json.loads(run_command("--expr", "食品 NEAR/2 安全", "--json", text="食品很不安全")) == {
        "match": True
    }
    assert json.loads(run_command("--expr", "食品 NOT 安全", "--json", text="食品很不安全")) == {
        "match": False
    }


def test_command_refuses_a_malformed_expression_with_status_2():
    with pytest.raises(CommandError) as refused:
        run_command("--expr", "(食品", "--json", text="食品")
    assert refused.value.returncode == 2
    assert "第 1 个字符处的左括号没有闭合" in str(refused.value)


def test_command_refuses_text_that_is_not_utf8():
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "opinion_match", "--expr", "食品", "--json", stdin=io.BytesIO(b"\xff\xfe"), stdout=out
        )
    assert refused.value.returncode == 2 and out.getvalue() == ""


def test_a_subscription_is_indexed_by_its_most_selective_required_part():
    from govmedia.opinion.matcher import index_terms

    def index(source):
        return index_terms(Expression.parse(source).tree)

    assert index('"幸福小区" NEAR/10 (停水 OR 停电)') == {"幸福小区"}
    assert index("(停水 OR 停电) NOT 演练") == {"停水", "停电"}
    assert index("停水 OR NOT 演练") is None  # may hold without its terms: always evaluated
    assert index("NOT NOT 停水") is None
    matcher = SubscriptionMatcher(
        {1: Expression.parse("NOT NOT 停水"), 2: Expression.parse("NOT 广告")}
    )
    assert matcher.match("又停水了") == [1, 2] and matcher.match("广告") == []
