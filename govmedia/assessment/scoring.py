"""Scoring one account against a rubric, as 国办秘函〔2019〕19号 (检查指标) prescribes.

Pure (no Django): the caller gives the results of the rubric's items and gets the verdict.

- 单项否决 (veto): any item hit → 不合格, and nothing else is scored (score None).
- 扣分 (deduct): counted from 100; the deductions within one item never exceed its points.
  Below 60 → 不合格; 60 itself passes.
- 加分 (bonus): only "高于80分" — strictly above 80 (80 itself gets none); the awards within one
  item never exceed its points, and the part as a whole never exceeds `bonus_cap` when the
  rubric gives one (the national table's 加分 part is out of 20 or 30).
- final = 扣分 score + 加分.

Decimal throughout, so that 59.5 is 59.5 and boundaries are exact.
"""

from dataclasses import dataclass
from decimal import Decimal

VETO = "veto"
DEDUCT = "deduct"
BONUS = "bonus"
PARTS = (VETO, DEDUCT, BONUS)

FULL_MARKS = Decimal(100)
PASS_MARK = Decimal(60)  # 60 itself passes
BONUS_ABOVE = Decimal(80)  # "高于80分": strictly above
PASSED = "合格"
FAILED = "不合格"


class InvalidItem(ValueError):
    """An item result that cannot be scored; the message says which and why (Chinese)."""


@dataclass(frozen=True)
class ItemResult:
    part: str
    hit: bool = False  # veto items only
    points: Decimal = Decimal(0)  # the item's total (deduct and bonus items)
    amounts: tuple[Decimal, ...] = ()  # deductions (扣分) or awards (加分)

    def capped(self) -> Decimal:
        """The item's deductions or awards, never more than its points."""
        return min(sum(self.amounts, Decimal(0)), self.points)


@dataclass(frozen=True)
class Score:
    verdict: str
    score: Decimal | None  # None when vetoed
    vetoed: bool
    deduct_score: Decimal | None = None  # 扣分 part alone
    bonus: Decimal = Decimal(0)

    @property
    def passed(self) -> bool:
        return self.verdict == PASSED


def score(items, *, bonus_cap: Decimal | None = None) -> Score:
    """The verdict and score of one account's item results."""
    items = list(items)
    for index, item in enumerate(items, start=1):
        _check(item, index)
    if any(item.part == VETO and item.hit for item in items):
        return Score(verdict=FAILED, score=None, vetoed=True)
    deducted = sum((item.capped() for item in items if item.part == DEDUCT), Decimal(0))
    deduct_score = max(FULL_MARKS - deducted, Decimal(0))
    bonus = Decimal(0)
    if deduct_score > BONUS_ABOVE:
        bonus = sum((item.capped() for item in items if item.part == BONUS), Decimal(0))
        if bonus_cap is not None:
            bonus = min(bonus, bonus_cap)
    verdict = PASSED if deduct_score >= PASS_MARK else FAILED
    return Score(
        verdict=verdict,
        score=deduct_score + bonus,
        vetoed=False,
        deduct_score=deduct_score,
        bonus=bonus,
    )


def _check(item: ItemResult, index: int) -> None:
    if item.part not in PARTS:
        raise InvalidItem(f"第{index}项：part 必须是 veto、deduct 或 bonus 之一")
    if item.points < 0:
        raise InvalidItem(f"第{index}项：points（分值）不能为负数")
    if any(amount < 0 for amount in item.amounts):
        raise InvalidItem(f"第{index}项：扣分或加分不能为负数")


def item_from_json(raw, index: int) -> ItemResult:
    """One item of `assessment_score --json`'s input: {"part", "hit"} or {"part", "points",
    "deductions"|"awards"}."""
    if not isinstance(raw, dict):
        raise InvalidItem(f"第{index}项：应为对象")
    part = raw.get("part")
    if part == VETO:
        hit = raw.get("hit", False)
        if not isinstance(hit, bool):
            raise InvalidItem(f"第{index}项：hit 应为 true 或 false")
        return ItemResult(part=VETO, hit=hit)
    if part not in PARTS:
        raise InvalidItem(f"第{index}项：part 必须是 veto、deduct 或 bonus 之一")
    key = "deductions" if part == DEDUCT else "awards"
    amounts = raw.get(key, [])
    if not isinstance(amounts, list):
        raise InvalidItem(f"第{index}项：{key} 应为数字列表")
    return ItemResult(
        part=part,
        points=parse_number(raw.get("points", 0), index, "points"),
        amounts=tuple(parse_number(amount, index, key) for amount in amounts),
    )


def parse_number(value, index: int, field: str) -> Decimal:
    # bool is an int in Python; true is not a number of points.
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidItem(f"第{index}项：{field} 应为数字")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise InvalidItem(f"第{index}项：{field} 应为数字") from None
    if not number.is_finite():
        raise InvalidItem(f"第{index}项：{field} 应为有限的数字")
    return number


def as_json_number(value: Decimal | None):
    """An int when whole (80, not 80.0), else a float (59.5)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
