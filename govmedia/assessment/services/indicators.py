"""The rubric editor, item by item: add, change, move and delete one indicator of a rubric that
is not frozen, and make the next version of a frozen one.

Every write takes the rubric's version (the page it came from) and bumps it, so two editors of
the same rubric never overwrite each other's order. A frozen rubric (used by a finished check) is
never written here: its items are what old checks were scored by; "制作新版本" copies it.
"""

from django.db import transaction
from django.db.models import Max

from govmedia.audit.services import audit_record
from govmedia.core.errors import ServiceError
from govmedia.core.scope import get_scoped
from govmedia.core.versions import check_version

from ..models import Indicator, ItemResult, Rubric
from .rubrics import MAX_ITEMS, _clean_item, _require, item_dicts, rubric_edit

# ItemError.field (the Chinese label _clean_item names) → the editor form's field.
FORM_FIELDS = {
    "部分": "part",
    "指标内容": "wording",
    "每处分值": "points",
    "单项上限": "cap",
    "评价方式": "method",
    "自动规则": "rule",
    "所需佐证": "evidence",
}
ITEM_FIELDS = ["part", "wording", "points", "cap", "method", "rule", "evidence"]


def _locked_rubric(actor, rubric_id, version) -> Rubric:
    _require(actor)
    rubric = get_scoped(Rubric.objects.select_for_update(), actor, rubric_id, "change")
    check_version(rubric, version, noun="检查指标")
    if rubric.frozen:
        raise ServiceError(
            "该检查指标已用于已完成的检查，已冻结，不能修改；请“制作新版本”后编辑新版本",
            field="version",
            code="frozen",
        )
    return rubric


def _indicator(rubric: Rubric, indicator_id) -> Indicator:
    indicator = rubric.indicators.filter(pk=indicator_id).first()
    if indicator is None:
        raise ServiceError("指标项不存在或已删除，请刷新页面", code="not_found")
    return indicator


def _cleaned(values: dict, position: int) -> dict:
    item, problems = _clean_item(dict(values), position)
    if problems:
        first = problems[0]
        raise ServiceError(
            f"“{first.field}”{first.message}", field=FORM_FIELDS.get(first.field, "wording")
        )
    return item


def _item_snapshot(indicator: Indicator) -> dict:
    return {
        "position": indicator.position,
        **{name: str(getattr(indicator, name)) for name in ITEM_FIELDS},
    }


def _touched(rubric: Rubric) -> None:
    rubric.version += 1
    rubric.save(update_fields=["version"])


def _audit(actor, action, rubric, indicator, before, after) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=rubric,
        object_repr=f"{rubric}：{indicator.wording}"[:200],
        before=before,
        after=after,
    )


@transaction.atomic
def indicator_add(*, actor, rubric_id, version, **values) -> Indicator:
    """A new item at the end of the rubric."""
    rubric = _locked_rubric(actor, rubric_id, version)
    last = rubric.indicators.aggregate(n=Max("position"))["n"] or 0
    if rubric.indicators.count() >= MAX_ITEMS:
        raise ServiceError(f"检查指标最多 {MAX_ITEMS} 项", field="wording")
    item = _cleaned(values, last + 1)
    indicator = Indicator.objects.create(rubric=rubric, **item)
    _touched(rubric)
    _audit(actor, "assessment.indicator_add", rubric, indicator, None, _item_snapshot(indicator))
    return indicator


@transaction.atomic
def indicator_edit(*, actor, rubric_id, indicator_id, version, **values) -> Indicator:
    rubric = _locked_rubric(actor, rubric_id, version)
    indicator = _indicator(rubric, indicator_id)
    before = _item_snapshot(indicator)
    item = _cleaned(values, indicator.position)
    for name in ITEM_FIELDS:
        setattr(indicator, name, item[name])
    indicator.save()
    _touched(rubric)
    _audit(actor, "assessment.indicator_edit", rubric, indicator, before, _item_snapshot(indicator))
    return indicator


def _swap(first: Indicator, second: Indicator) -> None:
    """Exchange two positions; 0 is the free slot (positions start at 1) so the unique
    (rubric, position) holds at every step."""
    a, b = first.position, second.position
    Indicator.objects.filter(pk=first.pk).update(position=0)
    Indicator.objects.filter(pk=second.pk).update(position=a)
    Indicator.objects.filter(pk=first.pk).update(position=b)
    first.position, second.position = b, a


@transaction.atomic
def indicator_move(*, actor, rubric_id, indicator_id, version, direction) -> Indicator:
    """One place up or down (the numbering of the rubric follows)."""
    if direction not in ("up", "down"):
        raise ServiceError("移动方向应为上移或下移", field="direction")
    rubric = _locked_rubric(actor, rubric_id, version)
    indicator = _indicator(rubric, indicator_id)
    neighbours = rubric.indicators.exclude(pk=indicator.pk)
    if direction == "up":
        other = neighbours.filter(position__lt=indicator.position).order_by("-position").first()
    else:
        other = neighbours.filter(position__gt=indicator.position).order_by("position").first()
    if other is None:
        raise ServiceError("已是第一项" if direction == "up" else "已是最后一项", field="direction")
    before = indicator.position
    _swap(indicator, other)
    _touched(rubric)
    _audit(
        actor,
        "assessment.indicator_move",
        rubric,
        indicator,
        {"position": before},
        {"position": indicator.position},
    )
    return indicator


@transaction.atomic
def indicator_delete(*, actor, rubric_id, indicator_id, version) -> None:
    """Remove an item; the ones after it move up. An item already scored on a sheet (a check in
    progress) stays: its results would lose their indicator."""
    rubric = _locked_rubric(actor, rubric_id, version)
    indicator = _indicator(rubric, indicator_id)
    if rubric.indicators.count() <= 1:
        raise ServiceError("检查指标至少要有一项", field="version")
    if ItemResult.objects.filter(indicator=indicator).exists():
        raise ServiceError(
            "该指标项已用于进行中的检查评分，不能删除；可修改其内容", field="version"
        )
    before = _item_snapshot(indicator)
    position = indicator.position
    indicator.delete()
    # One row at a time, in order: each moves into the slot just freed.
    for later in rubric.indicators.filter(position__gt=position).order_by("position"):
        Indicator.objects.filter(pk=later.pk).update(position=later.position - 1)
    _touched(rubric)
    _audit(actor, "assessment.indicator_delete", rubric, indicator, before, None)


def rubric_new_version(*, actor, rubric_id, version) -> Rubric:
    """The next version of a frozen rubric, its items copied, ready to edit (the old checks
    keep theirs)."""
    _require(actor)
    rubric = get_scoped(Rubric.objects.all(), actor, rubric_id, "change")
    if not rubric.frozen:
        raise ServiceError("该检查指标未冻结，可直接修改，无需制作新版本", field="version")
    return rubric_edit(
        actor=actor,
        rubric_id=rubric.pk,
        version=version,
        name=rubric.name,
        year=rubric.year,
        items=item_dicts(rubric),
        source_doc=rubric.source_doc,
        basis=rubric.basis,
        bonus_cap=rubric.bonus_cap,
    )
