"""The registry's statistics, counted in the database (GROUP BY) over what the user may see.

A fixed handful of queries whatever the number of accounts and filings: one grouped query over
the accounts, one over the filings, one per-org count for the breakdown by unit, and the names
of platforms and orgs.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from govmedia.core.periods import Period
from govmedia.orgs.models import Organization, OrgType

from ..filters import overdue_q
from ..models import AccountStatus, Filing, FilingKind, FilingState, MediaAccount, Platform


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[tuple[str, int]]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(n for _, n in self.rows)


@dataclass
class RegistryStats:
    accounts_total: int = 0
    accounts_live: int = 0
    accounts_unfiled: int = 0
    filings_total: int = 0
    filings_open: int = 0
    filings_overdue: int = 0
    breakdowns: list[Breakdown] = field(default_factory=list)


LIVE_NOTE = "不含已注销的账号"


def _account_groups(user) -> list[dict]:
    """Counts per (platform, host org type, status, verified, filed): a few hundred groups at most."""
    return list(
        MediaAccount.objects.restrict(user)
        .annotate(
            filed=Case(
                When(filing_no__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .values("platform_id", "host_org__org_type", "status", "verified", "filed")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _filing_groups(user) -> list[dict]:
    return list(
        Filing.objects.restrict(user)
        .values("state", "kind")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_q()))
        .order_by()
    )


def _sum(groups, key, *, live_only=False) -> Counter:
    counts = Counter()
    for group in groups:
        if live_only and group["status"] == AccountStatus.CANCELLED:
            continue
        counts[group[key]] += group["n"]
    return counts


def _unit_breakdown(user) -> Breakdown:
    """Live accounts per unit one level below the user's own org (镇街/部门 for the district)."""
    per_org = dict(
        MediaAccount.objects.restrict(user)
        .exclude(status=AccountStatus.CANCELLED)
        .values_list("host_org_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    base_depth = 0 if user.sees_whole_district else user.org.depth
    orgs = {
        o.pk: o for o in Organization.objects.restrict(user).only("id", "name", "path", "depth")
    }
    counts = Counter()
    for org_id, n in per_org.items():
        org = orgs.get(org_id)
        if org is None:
            continue
        ancestors = [int(part) for part in org.path.strip("/").split("/")]
        unit_id = ancestors[base_depth + 1] if len(ancestors) > base_depth + 1 else org.pk
        unit = orgs.get(unit_id, org)
        counts[unit.name] += n
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return Breakdown("unit", "按单位", rows, note="含各单位的内设机构、下属单位；" + LIVE_NOTE)


def registry_stats(user) -> RegistryStats:
    accounts = _account_groups(user)
    filings = _filing_groups(user)
    platforms = list(Platform.objects.order_by("sort_order", "name").values_list("pk", "name"))

    stats = RegistryStats()
    stats.accounts_total = sum(g["n"] for g in accounts)
    stats.accounts_live = sum(g["n"] for g in accounts if g["status"] != AccountStatus.CANCELLED)
    stats.accounts_unfiled = sum(
        g["n"] for g in accounts if g["status"] != AccountStatus.CANCELLED and not g["filed"]
    )
    stats.filings_total = sum(g["n"] for g in filings)
    stats.filings_open = sum(g["n"] for g in filings if g["state"] != FilingState.FILED)
    stats.filings_overdue = sum(g["overdue"] for g in filings)

    by_platform = _sum(accounts, "platform_id", live_only=True)
    by_type = _sum(accounts, "host_org__org_type", live_only=True)
    by_status = _sum(accounts, "status")
    by_verified = _sum(accounts, "verified", live_only=True)
    by_filed = _sum(accounts, "filed", live_only=True)
    by_state = _sum(filings, "state")
    by_kind = _sum(filings, "kind")
    stats.breakdowns = [
        Breakdown(
            "platform",
            "按运行平台",
            [(name, by_platform[pk]) for pk, name in platforms if by_platform[pk]],
            LIVE_NOTE,
        ),
        Breakdown(
            "org_type",
            "按主办单位类型",
            [(t.label, by_type[t.value]) for t in OrgType if by_type[t.value]],
            LIVE_NOTE,
        ),
        Breakdown("status", "按运行状态", [(s.label, by_status[s.value]) for s in AccountStatus]),
        Breakdown(
            "verified",
            "按官方认证",
            [("已认证", by_verified[True]), ("未认证", by_verified[False])],
            LIVE_NOTE,
        ),
        Breakdown(
            "filed",
            "按备案情况",
            [("已备案", by_filed[1]), ("已登记未备案", by_filed[0])],
            "已备案：已取得备案号（一案一号）；" + LIVE_NOTE,
        ),
        _unit_breakdown(user),
        Breakdown(
            "filing_state", "备案：按办理状态", [(s.label, by_state[s.value]) for s in FilingState]
        ),
        Breakdown(
            "filing_kind", "备案：按备案类型", [(k.label, by_kind[k.value]) for k in FilingKind]
        ),
    ]
    return stats


# ---------------------------------------------------------------- periods and trends


@dataclass
class PeriodFigures:
    """What happened in one period: filings completed by kind, accounts newly registered."""

    period: Period
    filed: Counter = field(default_factory=Counter)  # FilingKind value → filings filed
    registered: int = 0  # accounts whose 注册时间 falls in the period

    @property
    def filed_total(self) -> int:
        return sum(self.filed.values())

    def kind(self, kind: str) -> int:
        return self.filed[kind]


def period_figures(user, periods: list[Period]) -> list[PeriodFigures]:
    """The figures of consecutive periods (oldest first), in two grouped queries: filings filed
    per month and kind, accounts registered per month, put into their periods here."""
    figures = [PeriodFigures(p) for p in periods]
    if not periods:
        return figures
    start, end = periods[0].start, periods[-1].end
    tz = timezone.get_current_timezone()
    filed = (
        Filing.objects.restrict(user)
        .filter(
            state=FilingState.FILED,
            filed_at__gte=_midnight(start, tz),
            filed_at__lt=_midnight(end, tz),
        )
        .annotate(month=TruncMonth("filed_at", tzinfo=tz))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for group in filed:
        if target := _period_for(figures, group["month"]):
            target.filed[group["kind"]] += group["n"]
    registered = (
        MediaAccount.objects.restrict(user)
        .filter(registered_on__gte=start, registered_on__lt=end)
        .annotate(month=TruncMonth("registered_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for group in registered:
        if target := _period_for(figures, group["month"]):
            target.registered += group["n"]
    return figures


def _midnight(day, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def _period_for(figures: list[PeriodFigures], month) -> PeriodFigures | None:
    day = month.date() if isinstance(month, datetime) else month
    return next((f for f in figures if f.period.contains(day)), None)


# ---------------------------------------------------------------- units to chase


def units_without_accounts(user) -> list[Organization]:
    """The active units one level below the user's own org (镇街 and 部门 for the district
    office) that have no live account, counting their 内设机构 and 下属单位: the units a clerk
    asks whether they really run no 政务新媒体 (通知第一部分, 调查摸底)."""
    base_depth = 0 if user.sees_whole_district else user.org.depth
    units = list(
        Organization.objects.restrict(user)
        .active()
        .filter(depth=base_depth + 1)
        .only("id", "name", "path", "org_type")
    )
    hosting_paths = set(
        MediaAccount.objects.restrict(user)
        .exclude(status=AccountStatus.CANCELLED)
        .values_list("host_org__path", flat=True)
        .distinct()
    )
    return sorted(
        (unit for unit in units if not any(p.startswith(unit.path) for p in hosting_paths)),
        key=lambda unit: (UNIT_TYPE_ORDER.get(unit.org_type, 9), unit.name),
    )


# 镇街 first, then 部门, as the notice lists them.
UNIT_TYPE_ORDER = {OrgType.TOWNSHIP: 0, OrgType.DEPARTMENT: 1}
