"""年度考核 arithmetic, pure: a unit's components (each 0–100, or None when nothing counted)
combined by the district office's weights; a component with nothing to count is left out and
the remaining weights share its place."""

from dataclasses import dataclass
from decimal import Decimal

COMPONENTS = ("checks", "bulletins", "rectification", "reposts")
LABELS = {
    "checks": "检查合格率",
    "bulletins": "通报情况",
    "rectification": "整改完成率",
    "reposts": "转载完成率",
}


@dataclass(frozen=True)
class UnitYear:
    org_id: int
    org_name: str
    sheets: int
    passed: int
    named_failed: int
    rectifications: int
    rectified: int
    repost_rate: float | None  # 0–1, coordination's completion rate
    components: dict  # name → Decimal | None
    total: Decimal | None


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def combine(components: dict, weights: dict) -> Decimal | None:
    counted = {name: value for name, value in components.items() if value is not None}
    weight = sum((Decimal(weights[name]) for name in counted), Decimal(0))
    if not counted or weight <= 0:
        return None
    total = sum((Decimal(weights[name]) * value for name, value in counted.items()), Decimal(0))
    return (total / weight).quantize(Decimal("0.1"))


def unit_year(
    *,
    org_id,
    org_name,
    sheets,
    passed,
    named_failed,
    rectifications,
    rectified,
    repost_rate,
    weights: dict,
    penalty: Decimal,
) -> UnitYear:
    components = {
        "checks": _percent(passed, sheets),
        "bulletins": max(Decimal(100) - penalty * named_failed, Decimal(0)) if sheets else None,
        "rectification": _percent(rectified, rectifications),
        "reposts": (
            (Decimal(str(repost_rate)) * 100).quantize(Decimal("0.1"))
            if repost_rate is not None
            else None
        ),
    }
    return UnitYear(
        org_id=org_id,
        org_name=org_name,
        sheets=sheets,
        passed=passed,
        named_failed=named_failed,
        rectifications=rectifications,
        rectified=rectified,
        repost_rate=repost_rate,
        components=components,
        total=combine(components, weights),
    )
