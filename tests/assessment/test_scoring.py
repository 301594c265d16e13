"""The scoring rules of 国办秘函〔2019〕19号 as govmedia.assessment.scoring applies them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govmedia.assessment.scoring import (
    BONUS,
    DEDUCT,
    FAILED,
    PASSED,
    VETO,
    InvalidItem,
    ItemResult,
    score,
)


def deduct(points, *amounts):
    return ItemResult(DEDUCT, points=Decimal(points), amounts=tuple(map(Decimal, amounts)))


def bonus(points, *amounts):
    return ItemResult(BONUS, points=Decimal(points), amounts=tuple(map(Decimal, amounts)))


def veto(hit):
    return ItemResult(VETO, hit=hit)


def test_a_veto_fails_the_account_and_stops_scoring():
    result = score([veto(True), deduct(20, 1), bonus(10, 5)])
    assert (result.verdict, result.score, result.vetoed) == (FAILED, None, True)


def test_a_veto_not_hit_lets_the_deductions_count():
    result = score([veto(False), deduct(20, 5, 3)])
    assert (result.verdict, result.score, result.vetoed) == (PASSED, Decimal(92), False)


def test_deductions_within_one_item_never_exceed_its_points():
    assert score([deduct(10, 8, 8, 8)]).score == Decimal(90)
    assert score([deduct(10, 8, 8), deduct(5, 2)]).score == Decimal(88)


@pytest.mark.parametrize(
    ("deducted", "verdict"),
    [("40.5", FAILED), ("40", PASSED), ("39.5", PASSED)],
    ids=["59.5 fails", "60 passes", "60.5 passes"],
)
def test_the_60_boundary(deducted, verdict):
    result = score([deduct(100, deducted)])
    assert result.verdict == verdict
    assert result.score == Decimal(100) - Decimal(deducted)


def test_exactly_80_gets_no_bonus_and_above_80_does():
    assert score([deduct(30, 20), bonus(10, 4)]).score == Decimal(80)
    assert score([deduct(30, "19.5"), bonus(10, 4)]).score == Decimal("84.5")


def test_79_5_gets_no_bonus():
    assert score([deduct(30, "20.5"), bonus(10, 4)]).score == Decimal("79.5")


def test_awards_within_one_item_and_the_part_are_capped():
    assert score([bonus(10, 8, 8)]).score == Decimal(110)
    assert score([bonus(10, 8, 8), bonus(10, 9)], bonus_cap=Decimal(15)).score == Decimal(115)


def test_a_bonus_never_rescues_a_failing_deduct_score():
    result = score([deduct(50, 45), bonus(30, 30)])
    assert (result.verdict, result.score) == (FAILED, Decimal(55))


def test_negative_amounts_and_unknown_parts_are_refused():
    with pytest.raises(InvalidItem, match="不能为负数"):
        score([deduct(10, -1)])
    with pytest.raises(InvalidItem, match="part"):
        score([ItemResult("other")])


# Property tests over random item results (derandomized by the suite's Hypothesis profile).

amounts = st.decimals(min_value=0, max_value=40, places=1)
deduct_items = st.builds(
    lambda points, xs: deduct(points, *xs), amounts, st.lists(amounts, max_size=4)
)
bonus_items = st.builds(
    lambda points, xs: bonus(points, *xs), amounts, st.lists(amounts, max_size=4)
)
veto_items = st.builds(veto, st.booleans())
items = st.lists(st.one_of(deduct_items, bonus_items, veto_items), max_size=12)


@given(items)
def test_any_veto_hit_means_failed_and_no_score(results):
    result = score(results)
    if any(item.part == VETO and item.hit for item in results):
        assert (result.verdict, result.score, result.vetoed) == (FAILED, None, True)
    else:
        assert result.vetoed is False and result.score is not None


@given(items)
def test_the_verdict_follows_the_deduct_score_alone(results):
    result = score(results)
    if not result.vetoed:
        assert result.passed == (result.deduct_score >= 60)
        assert 0 <= result.deduct_score <= 100


@given(items)
def test_the_bonus_comes_only_above_80(results):
    result = score(results)
    if not result.vetoed:
        if result.deduct_score <= 80:
            assert result.bonus == 0
        assert result.score == result.deduct_score + result.bonus


@given(items)
def test_no_item_takes_off_more_than_its_points(results):
    result = score(results)
    if not result.vetoed:
        most = sum((item.points for item in results if item.part == DEDUCT), Decimal(0))
        assert 100 - result.deduct_score <= most


@given(items, deduct_items)
def test_more_deductions_never_raise_the_deduct_score(results, extra):
    before, after = score(results), score([*results, extra])
    if not before.vetoed:
        assert after.deduct_score <= before.deduct_score


@given(items)
def test_the_order_of_items_does_not_matter(results):
    assert score(results) == score(list(reversed(results)))
