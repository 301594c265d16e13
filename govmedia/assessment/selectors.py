"""Reads of 检查考核: checks and sheets in scope, rankings, an account's history and trend, and
the annual assessment."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from govmedia.coordination.selectors import completion_rates

from . import annual
from .models import (
    FINISHED_CHECK_STATES,
    AccountMonth,
    AnnualWeights,
    Bulletin,
    Check,
    CheckRectification,
    RectificationState,
    Rubric,
    ScoreSheet,
)
from .services.figures import month_start

TREND_MONTHS = 24


def rubrics(user):
    return (
        Rubric.objects.restrict(user)
        .annotate(items=Count("indicators"))
        .order_by("-year", "name", "-number")
    )


def checks(user):
    return (
        Check.objects.restrict(user)
        .select_related("rubric")
        .annotate(
            sampled=Count("sheets"),
            failed=Count("sheets", filter=Q(sheets__verdict="不合格")),
        )
    )


def sheets(user, check):
    return (
        ScoreSheet.objects.restrict(user)
        .filter(check_run=check)
        .select_related("account__platform", "org", "checker")
        .order_by("org__path", "account__name", "pk")
    )


def account_history(user, account_id):
    """The account's sheets the user may see, newest check first."""
    return (
        ScoreSheet.objects.restrict(user)
        .filter(account_id=account_id)
        .select_related("check_run", "org")
        .order_by("-check_run__check_at")
    )


def bulletins(user):
    return Bulletin.objects.restrict(user).select_related("check_run").defer("docx", "pdf")


def rankings(user, *, month: date, platform_id: int, org_type: str = ""):
    """The month's figures of one platform (accounts are ranked only within their platform),
    best first, with the district-wide rank stored at build time."""
    rows = AccountMonth.objects.restrict(user).filter(
        month=month_start(month), platform_id=platform_id
    )
    if org_type:
        rows = rows.filter(org_type=org_type)
    return rows.select_related("account", "org").order_by("-wci", "account_id")


def trend(user, account_id, *, until: date) -> list[AccountMonth]:
    """The account's last 24 months up to `until`, oldest first (months with no post absent)."""
    last = month_start(until)
    first = date(last.year - 2 + (last.month == 12), last.month % 12 + 1, 1)
    return list(
        AccountMonth.objects.restrict(user)
        .filter(account_id=account_id, month__gte=first, month__lte=last)
        .order_by("month")
    )


def weights(year: int) -> AnnualWeights:
    """The year's weights, or the defaults (unsaved) until the district office sets them."""
    return AnnualWeights.objects.filter(year=year).first() or AnnualWeights(year=year)


def annual_assessment(user, year: int) -> list[annual.UnitYear]:
    """Per unit, the year's finished checks (its accounts' sheets, and those named failed in
    published bulletins), rectification completion and repost completion, combined by the
    year's weights. Four queries whatever the number of units."""
    chosen = weights(year)
    w = {name: getattr(chosen, name) for name in annual.COMPONENTS}
    sheet_rows = (
        ScoreSheet.objects.restrict(user)
        .filter(check_run__check_at__year=year, check_run__state__in=FINISHED_CHECK_STATES)
        .values("org_id", "org__name", "org__path")
        .annotate(
            n=Count("pk"),
            passed=Count("pk", filter=Q(verdict="合格")),
            named=Count("pk", filter=Q(verdict="不合格", check_run__state="published")),
        )
        .order_by("org__path")
    )
    units: dict[int, dict] = {}
    for row in sheet_rows:
        units[row["org_id"]] = {"name": row["org__name"], **row}
    fixes = defaultdict(lambda: [0, 0])
    for row in (
        CheckRectification.objects.restrict(user)
        .filter(sheet__check_run__check_at__year=year)
        .values("org_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        fixes[row["org_id"]][0] += row["n"]
        if row["state"] == RectificationState.CLOSED:
            fixes[row["org_id"]][1] += row["n"]
    reposts = {
        rate.org_id: rate
        for rate in completion_rates(user, start=date(year, 1, 1), end=date(year, 12, 31))
    }
    for org_id, rate in reposts.items():
        units.setdefault(org_id, {"name": rate.org_name, "n": 0, "passed": 0, "named": 0})
    return [
        annual.unit_year(
            org_id=org_id,
            org_name=unit["name"],
            sheets=unit["n"],
            passed=unit["passed"],
            named_failed=unit["named"],
            rectifications=fixes[org_id][0],
            rectified=fixes[org_id][1],
            repost_rate=reposts[org_id].rate if org_id in reposts else None,
            weights=w,
            penalty=Decimal(chosen.bulletin_penalty),
        )
        for org_id, unit in units.items()
    ]
