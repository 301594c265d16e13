"""Spot checks (抽查): population → sample → assign → score → confirm → rectify and re-check.

The population is chosen by rule and stored as it stood (account id and stratum); the sample is
drawn from it with a recorded seed (sampling.py), so the check page can show anyone how to get
the same list again.
"""

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.versions import check_version
from govmedia.notifications.models import NotificationKind
from govmedia.notifications.services import notification_send
from govmedia.orgs.models import Organization, OrgType
from govmedia.registry.models import AccountStatus, MediaAccount
from govmedia.users.models import User
from govmedia.workdays.calendar import deadline

from .. import sampling
from ..models import (
    Check,
    CheckKind,
    CheckRectification,
    CheckState,
    RectificationState,
    Rubric,
    ScoreSheet,
    SheetState,
)
from . import evaluation
from .rubrics import rubric_freeze

STRATA = {"": "不分层", "platform": "按平台", "org_type": "按单位类型"}
MAX_SEED = 2**53  # exact in JSON and in a browser


def _require(actor, action: str, message: str) -> None:
    if not may(actor, f"assessment.{action}"):
        raise Forbidden(message)


def _clean_rule(rule) -> dict:
    rule = rule or {}
    if not isinstance(rule, dict):
        raise ServiceError("抽查范围格式不正确", field="population_rule")
    platforms = [int(p) for p in rule.get("platforms") or [] if str(p).isdigit()]
    org_types = [t for t in rule.get("org_types") or [] if t in OrgType.values]
    months = rule.get("not_checked_months")
    if months not in (None, ""):
        try:
            months = int(months)
        except (TypeError, ValueError):
            raise ServiceError("“N个月内未被抽查”应为整数", field="population_rule") from None
        if not 1 <= months <= 60:
            raise ServiceError("“N个月内未被抽查”应在1到60之间", field="population_rule")
    else:
        months = None
    return {
        "platforms": sorted(set(platforms)),
        "org_types": sorted(set(org_types)),
        "not_checked_months": months,
    }


@transaction.atomic
def check_create(
    *,
    actor,
    title,
    kind,
    rubric_id,
    check_at: datetime,
    period_start: date,
    population_rule=None,
    strata_by="",
    ratio=None,
    count=None,
) -> Check:
    _require(actor, "manage", "只有区政府办公室可以组织检查")
    title = str(title or "").strip()
    if not title or len(title) > 200:
        raise ServiceError("检查名称不能为空，且不超过200字", field="title")
    if kind not in CheckKind.values:
        raise ServiceError("检查类型不正确", field="kind")
    rubric = get_scoped(Rubric.objects.all(), actor, rubric_id)
    if rubric.superseded:
        raise ServiceError("该检查指标已有新版本，请选择最新版本", field="rubric_id")
    if not isinstance(check_at, datetime) or timezone.is_naive(check_at):
        raise ServiceError("监测时间点应为带时区的日期时间", field="check_at")
    if not isinstance(period_start, date) or period_start > timezone.localdate(check_at):
        raise ServiceError("检查期间起始日不能晚于监测时间点", field="period_start")
    if strata_by not in STRATA:
        raise ServiceError("分层方式应为不分层、按平台或按单位类型", field="strata_by")
    ratio, count = _clean_size(ratio, count)
    check = Check.objects.create(
        org=_district(actor),
        title=title,
        kind=kind,
        rubric=rubric,
        check_at=check_at,
        period_start=period_start,
        population_rule=_clean_rule(population_rule),
        strata_by=strata_by,
        ratio=ratio,
        count=count,
        created_by=actor,
    )
    audit_record(actor=actor, action="assessment.check_create", obj=check, object_repr=title)
    return check


def _district(actor) -> Organization:
    root = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    return root or actor.org


def _clean_size(ratio, count):
    if ratio in (None, "") and count in (None, ""):
        raise ServiceError("请填写抽查比例或抽查数量", field="ratio")
    if ratio not in (None, "") and count not in (None, ""):
        raise ServiceError("抽查比例与抽查数量只填一项", field="count")
    if ratio not in (None, ""):
        try:
            ratio = Decimal(str(ratio))
        except InvalidOperation:
            raise ServiceError("抽查比例应为0到1之间的小数（如0.3）", field="ratio") from None
        if not (ratio.is_finite() and Decimal(0) < ratio <= 1):
            raise ServiceError("抽查比例应大于0且不超过1（如0.3即30%）", field="ratio")
        return ratio.quantize(Decimal("0.0001")), None
    try:
        count = int(count)
    except (TypeError, ValueError):
        raise ServiceError("抽查数量应为正整数", field="count") from None
    if not 1 <= count <= 100000:
        raise ServiceError("抽查数量应在1到100000之间", field="count")
    return None, count


def population_of(check: Check) -> list[list]:
    """[[account id, stratum], …] in id order: the live accounts the rule selects now."""
    rule = check.population_rule
    accounts = MediaAccount.objects.exclude(status=AccountStatus.CANCELLED)
    if rule.get("platforms"):
        accounts = accounts.filter(platform_id__in=rule["platforms"])
    if rule.get("org_types"):
        accounts = accounts.filter(host_org__org_type__in=rule["org_types"])
    months = rule.get("not_checked_months")
    if months:
        since = check.check_at - timedelta(days=30 * months)
        recent = ScoreSheet.objects.filter(
            check_run__check_at__gte=since,
            check_run__state__in=(CheckState.CONFIRMED, CheckState.PUBLISHED),
        ).values("account_id")
        accounts = accounts.exclude(pk__in=recent)
    field = {"": None, "platform": "platform__name", "org_type": "host_org__org_type"}[
        check.strata_by
    ]
    if field is None:
        return [[pk, ""] for pk in accounts.order_by("pk").values_list("pk", flat=True)]
    return [list(row) for row in accounts.order_by("pk").values_list("pk", field)]


@transaction.atomic
def check_draw(*, actor, check_id, version, seed=None) -> Check:
    """Snapshot the population, draw the sample with a recorded seed, open one sheet per
    sampled account (an account at most once: the sheet's unique constraint holds to it)."""
    _require(actor, "manage", "只有区政府办公室可以抽样")
    check = get_scoped(Check.objects.select_for_update(), actor, check_id, "manage")
    check_version(check, version, noun="检查")
    if check.state != CheckState.DRAFT:
        raise ServiceError("该检查已抽样，不能重新抽样", field="version")
    if seed in (None, ""):
        seed = secrets.randbelow(MAX_SEED)
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        raise ServiceError("随机种子应为整数", field="seed") from None
    if not 0 <= seed < MAX_SEED:
        raise ServiceError("随机种子超出范围", field="seed")
    population = population_of(check)
    try:
        drawn = sampling.draw(population, seed=seed, ratio=check.ratio, count=check.count)
    except sampling.SamplingError as error:
        raise ServiceError(str(error), field="population_rule") from None
    stratum = dict((pk, name) for pk, name in population)
    accounts = MediaAccount.objects.in_bulk(drawn.ids)
    ScoreSheet.objects.bulk_create(
        ScoreSheet(
            check_run=check,
            account_id=pk,
            org_id=accounts[pk].host_org_id,
            stratum=str(stratum[pk] or ""),
        )
        for pk in drawn.ids
    )
    check.population, check.seed, check.sample = population, seed, list(drawn.ids)
    check.state = CheckState.SAMPLED
    check.version += 1
    check.save()
    audit_record(
        actor=actor,
        action="assessment.check_draw",
        obj=check,
        object_repr=check.title,
        after={"seed": seed, "population": len(population), "sample": len(drawn.ids)},
    )
    return check


@transaction.atomic
def check_assign(*, actor, check_id, version, checker_ids) -> Check:
    """Share the sheets among the checkers in turn (by account id), then fill the automatic
    items at the check time."""
    _require(actor, "manage", "只有区政府办公室可以分配检查人")
    check = get_scoped(Check.objects.select_for_update(), actor, check_id, "manage")
    check_version(check, version, noun="检查")
    if check.state not in (CheckState.SAMPLED, CheckState.SCORING):
        raise ServiceError("只有已抽样、未确认的检查可以分配检查人", field="version")
    ids = sorted({int(pk) for pk in checker_ids or [] if str(pk).isdigit()})
    checkers = [
        u for u in User.objects.filter(pk__in=ids, is_active=True) if may(u, "assessment.score")
    ]
    if not checkers:
        raise ServiceError("请至少选择一名可以评分的检查人", field="checker_ids")
    sheets = list(check.sheets.filter(state=SheetState.SCORING).order_by("account_id"))
    for offset, checker in enumerate(checkers):
        share = [sheet.pk for sheet in sheets[offset :: len(checkers)]]
        ScoreSheet.objects.filter(pk__in=share).update(checker=checker)
    check.state = CheckState.SCORING
    check.version += 1
    check.save()
    evaluation.evaluate_check(check)
    audit_record(
        actor=actor,
        action="assessment.check_assign",
        obj=check,
        object_repr=check.title,
        after={"checkers": [u.pk for u in checkers], "sheets": len(sheets)},
    )
    return check


@transaction.atomic
def sheet_submit(*, actor, sheet_id, version) -> ScoreSheet:
    sheet = get_scoped(ScoreSheet.objects.select_for_update(of=("self",)), actor, sheet_id, "score")
    check_version(sheet, version, noun="评分表")
    if sheet.state != SheetState.SCORING:
        raise ServiceError("该评分表已提交", field="version")
    if sheet.items.filter(outcome__in=("pending", "undetermined")).exists():
        raise ServiceError("还有待人工评价或无法判断的项：请逐项给出结果后再提交", field="items")
    sheet.state = SheetState.SUBMITTED
    sheet.version += 1
    sheet.save(update_fields=["state", "version"])
    audit_record(
        actor=actor,
        action="assessment.sheet_submit",
        obj=sheet,
        org=sheet.org,
        object_repr=str(sheet.account),
    )
    return sheet


@transaction.atomic
def sheet_confirm(*, actor, sheet_id, version, approve=True, reason="") -> ScoreSheet:
    """The reviewer confirms a submitted sheet, or returns it to its checker with a reason."""
    _require(actor, "confirm", "只有区政府办公室复核人可以确认评分表")
    sheet = get_scoped(
        ScoreSheet.objects.select_for_update(of=("self",)), actor, sheet_id, "confirm"
    )
    check_version(sheet, version, noun="评分表")
    if sheet.state != SheetState.SUBMITTED:
        raise ServiceError("只有待复核的评分表可以确认或退回", field="version")
    if sheet.checker_id == actor.pk:
        raise ServiceError("检查人不能复核自己的评分表", field="version")
    reason = str(reason or "").strip()
    if not approve and not reason:
        raise ServiceError("退回评分表须填写理由", field="reason")
    if approve:
        sheet.state = SheetState.CONFIRMED
        sheet.confirmed_at, sheet.confirmed_by = timezone.now(), actor
    else:
        sheet.state = SheetState.SCORING
    sheet.version += 1
    sheet.save()
    audit_record(
        actor=actor,
        action="assessment.sheet_confirm" if approve else "assessment.sheet_return",
        obj=sheet,
        org=sheet.org,
        object_repr=str(sheet.account),
        after={"reason": reason} if reason else None,
    )
    return sheet


def rectify_workdays() -> int:
    return int(getattr(settings, "ASSESSMENT_RECTIFY_WORKDAYS", 10))


@transaction.atomic
def check_confirm(*, actor, check_id, version, now: datetime | None = None) -> Check:
    """All sheets confirmed: the check is finished, its rubric frozen, and each failed sheet
    opens a rectification item for its unit, due in working days."""
    _require(actor, "confirm", "只有区政府办公室可以确认检查结果")
    check = get_scoped(Check.objects.select_for_update(), actor, check_id, "confirm")
    check_version(check, version, noun="检查")
    if check.state != CheckState.SCORING:
        raise ServiceError("只有评分中的检查可以确认", field="version")
    if check.sheets.exclude(state=SheetState.CONFIRMED).exists():
        raise ServiceError("还有未复核确认的评分表", field="version")
    now = now or timezone.now()
    due = deadline(timezone.localdate(now), rectify_workdays())
    failed = list(
        check.sheets.filter(verdict="不合格")
        .select_related("account", "org")
        .prefetch_related("items__indicator")
    )
    for sheet in failed:
        CheckRectification.objects.create(
            sheet=sheet,
            org=sheet.org,
            account=sheet.account,
            reasons=failure_reasons(sheet),
            due_on=due.date,
            due_provisional=due.provisional,
        )
        notification_send(
            recipient_org=sheet.org,
            kind=NotificationKind.ASSESSMENT_RECTIFY,
            message=f"{check.title}：{sheet.account.name}检查不合格，请于{due.date:%Y年%m月%d日}前完成整改",
            obj=sheet,
        )
    rubric_freeze(check.rubric)
    check.state = CheckState.CONFIRMED
    check.confirmed_at = now
    check.version += 1
    check.save()
    audit_record(
        actor=actor,
        action="assessment.check_confirm",
        obj=check,
        object_repr=check.title,
        after={"failed": len(failed), "due_on": due.date.isoformat()},
    )
    return check


def failure_reasons(sheet: ScoreSheet) -> str:
    """The items found, as the bulletin and the rectification name them."""
    parts = []
    for item in sheet.items.all():
        if item.outcome == "hit":
            times = f"（{item.occurrences}处）" if item.indicator.part != "veto" else "（单项否决）"
            parts.append(item.indicator.wording + times)
    return "；".join(parts) or "得分低于60分"


@transaction.atomic
def rectification_recheck(*, actor, rectification_id, passed: bool, note="", score=None):
    """The re-check (复查): passing closes the item; failing keeps it open with the note."""
    _require(actor, "manage", "只有区政府办公室可以复查")
    row = get_scoped(
        CheckRectification.objects.select_for_update(of=("self",)),
        actor,
        rectification_id,
        "manage",
    )
    if row.state != RectificationState.OPEN:
        raise ServiceError("该整改已复查通过", field="passed")
    note = str(note or "").strip()
    if not note:
        raise ServiceError("请填写复查说明", field="note")
    if score not in (None, ""):
        try:
            score = Decimal(str(score))
        except InvalidOperation:
            raise ServiceError("复查得分应为数字", field="score") from None
    else:
        score = None
    row.recheck_at, row.recheck_note, row.recheck_score = timezone.now(), note[:1000], score
    if passed:
        row.state, row.closed_by = RectificationState.CLOSED, actor
    row.save()
    audit_record(
        actor=actor,
        action="assessment.recheck",
        obj=row,
        org=row.org,
        object_repr=str(row.account),
        after={"passed": bool(passed), "note": row.recheck_note},
    )
    if passed:
        notification_send(
            recipient_org=row.org,
            kind=NotificationKind.ASSESSMENT_RECTIFY_CLOSED,
            message=f"{row.account.name}的检查整改已复查通过",
            obj=row,
        )
    return row
