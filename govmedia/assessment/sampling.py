"""Drawing a spot check's sample (抽查): pure (no Django), reproducible from its inputs.

The population is a list of (account id, stratum) as it stood when the check was drawn (the
check stores it); the seed is recorded. Anyone with the two re-draws the same list: strata are
taken in sorted order, each with its own generator seeded by "seed:stratum", drawing from its
ids sorted — no dict order, no set order, no clock.

Shares: with a ratio, every stratum gives ceil(ratio × its size) (a province's "不少于30%" is a
floor, never rounded down); with a count, the count is split across strata in proportion to
their sizes by largest remainders (ties to the larger stratum, then to the stratum name), and
every non-empty stratum gets at least one account while the count allows. An account is in at
most one stratum and is drawn at most once.
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal


class SamplingError(ValueError):
    """The inputs cannot give a sample; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Draw:
    ids: tuple[int, ...]  # sorted
    shares: dict[str, tuple[int, int]]  # stratum → (drawn, size)


def strata_of(population) -> dict[str, list[int]]:
    strata: dict[str, list[int]] = defaultdict(list)
    seen: set[int] = set()
    for account_id, stratum in population:
        if account_id in seen:
            raise SamplingError(f"抽查总体中账号 {account_id} 重复出现")
        seen.add(account_id)
        strata[str(stratum)].append(int(account_id))
    return {name: sorted(ids) for name, ids in sorted(strata.items())}


def shares(sizes: dict[str, int], *, ratio: Decimal | None, count: int | None) -> dict[str, int]:
    if (ratio is None) == (count is None):
        raise SamplingError("请给出抽查比例或抽查数量中的一项")
    total = sum(sizes.values())
    if ratio is not None:
        if not Decimal(0) < ratio <= Decimal(1):
            raise SamplingError("抽查比例应大于0且不超过100%")
        return {name: min(size, math.ceil(ratio * size)) for name, size in sizes.items()}
    if count <= 0:
        raise SamplingError("抽查数量应大于0")
    count = min(count, total)
    if total == 0:
        return dict.fromkeys(sizes, 0)
    exact = {name: Decimal(count) * size / total for name, size in sizes.items()}
    given = {name: int(value) for name, value in exact.items()}
    order = sorted(sizes, key=lambda name: (-(exact[name] - given[name]), -sizes[name], name))
    for name in order[: count - sum(given.values())]:
        given[name] += 1
    # Every stratum is represented while the count allows: take from the largest shares.
    for name in sorted(sizes, key=lambda n: (sizes[n], n)):
        if given[name] == 0 and sizes[name] > 0:
            donor = max(given, key=lambda n: (given[n], n))
            if given[donor] > 1:
                given[donor] -= 1
                given[name] += 1
    return given


def draw(population, *, seed: int, ratio: Decimal | None = None, count: int | None = None) -> Draw:
    """The sample of `population` ([(account id, stratum)]) for `seed`."""
    strata = strata_of(population)
    if not strata:
        raise SamplingError("抽查总体为空：没有符合条件的账号")
    wanted = shares({name: len(ids) for name, ids in strata.items()}, ratio=ratio, count=count)
    drawn: list[int] = []
    for name, ids in strata.items():
        rng = random.Random(f"{seed}:{name}")
        drawn.extend(rng.sample(ids, wanted[name]))
    return Draw(
        ids=tuple(sorted(drawn)),
        shares={name: (wanted[name], len(ids)) for name, ids in strata.items()},
    )
