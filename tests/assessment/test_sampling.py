"""Drawing the sample: reproducible from seed and population, stratified, never twice."""

import math
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govmedia.assessment.sampling import SamplingError, draw, shares

POPULATION = [(pk, "微信公众号" if pk % 3 else "微博") for pk in range(1, 101)]


def test_the_same_seed_and_population_give_the_same_sample():
    first = draw(POPULATION, seed=20261124, ratio=Decimal("0.3"))
    again = draw(list(reversed(POPULATION)), seed=20261124, ratio=Decimal("0.3"))
    assert first == again
    assert draw(POPULATION, seed=1, ratio=Decimal("0.3")).ids != first.ids


def test_a_known_seed_gives_a_known_list():
    # Pinned: a change in how the sample is drawn would make old checks unrepeatable.
    assert draw([(pk, "") for pk in range(1, 11)], seed=7, count=3).ids == (1, 2, 8)


def test_each_stratum_gives_its_share_rounded_up():
    result = draw(POPULATION, seed=5, ratio=Decimal("0.3"))
    sizes = Counter(stratum for _, stratum in POPULATION)
    drawn = Counter(dict(POPULATION)[pk] for pk in result.ids)
    for stratum, size in sizes.items():
        assert drawn[stratum] == math.ceil(Decimal("0.3") * size)
        assert result.shares[stratum] == (drawn[stratum], size)


def test_a_count_is_split_in_proportion_and_every_stratum_appears():
    assert shares({"a": 90, "b": 9, "c": 1}, ratio=None, count=10) == {"a": 8, "b": 1, "c": 1}
    assert sum(shares({"a": 5, "b": 5}, ratio=None, count=7).values()) == 7


def test_an_account_listed_twice_in_the_population_is_refused():
    with pytest.raises(SamplingError, match="重复"):
        draw([(1, "a"), (1, "b")], seed=1, count=1)


@pytest.mark.parametrize(
    ("ratio", "count", "message"),
    [(None, None, "一项"), (Decimal(0), None, "比例"), (None, 0, "数量")],
)
def test_sizes_that_cannot_be_drawn_are_refused(ratio, count, message):
    with pytest.raises(SamplingError, match=message):
        draw(POPULATION, seed=1, ratio=ratio, count=count)


populations = st.lists(
    st.tuples(st.integers(1, 10_000), st.sampled_from(["微信", "微博", "抖音", "镇街", "部门"])),
    min_size=1,
    max_size=200,
    unique_by=lambda row: row[0],
)


@given(populations, st.integers(0, 2**53 - 1), st.decimals("0.01", "1", places=2))
def test_by_ratio_every_account_at_most_once_and_each_stratum_its_share(population, seed, ratio):
    result = draw(population, seed=seed, ratio=ratio)
    assert len(result.ids) == len(set(result.ids))
    stratum = dict(population)
    assert set(result.ids) <= set(stratum)
    sizes = Counter(stratum.values())
    drawn = Counter(stratum[pk] for pk in result.ids)
    for name, size in sizes.items():
        assert drawn[name] == min(size, math.ceil(ratio * size))
    assert result == draw(list(reversed(population)), seed=seed, ratio=ratio)


@given(populations, st.integers(0, 2**53 - 1), st.integers(1, 300))
def test_by_count_the_count_is_drawn_exactly(population, seed, count):
    result = draw(population, seed=seed, count=count)
    assert len(set(result.ids)) == len(result.ids) == min(count, len(population))
