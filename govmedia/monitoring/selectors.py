"""The dormant-account report (僵尸账号), read in a constant number of queries.

Its level counts are counters kept per unit, platform and level (tallies.py), summed over the
units in scope.

Each account's level, longest gap and posts in 90 days are stored on its PullState
(figures.py: refreshed when its pulls finish and by the hourly sweep), so sorting, counting
and paging read indexed columns and never posts: a page costs the same at 1,000 and 100,000
accounts. An account with no PullState yet counts as 尚未采集.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Case, F, QuerySet, Sum, Value, When
from django.utils import timezone

from govmedia.core.scope import may
from govmedia.registry.filters import subtree_q
from govmedia.registry.models import AccountStatus, MediaAccount, Platform

from . import dormancy, tallies
from .clients import supported_codes
from .models import DormantCount, Post

Level = dormancy.Level
UNPULLED_RANK = dormancy.LEVEL_ORDER.index(Level.UNPULLED)


def monitored_accounts(user) -> QuerySet:
    if not may(user, "monitoring.view"):
        return MediaAccount.objects.none()
    return MediaAccount.objects.restrict(user).filter(
        status=AccountStatus.RUNNING, platform__in=_pulled_platforms()
    )


def _pulled_platforms() -> QuerySet:
    return Platform.objects.filter(code__in=supported_codes()).values("pk")


# The report's order, the columns of the index pullstate_risk_order: most at risk first, then
# the longest silent (never posted first). A plain column order, so the page reads the index
# in order and stops after its rows, whatever the number of accounts.
RISK_ORDER = (
    F("pull_state__risk_rank").asc(),
    F("pull_state__last_post_at").asc(nulls_first=True),
    F("pull_state__account_id").asc(),
)


def dormant_accounts(
    user,
    *,
    level: str = "",
    org_id: int | None = None,
    platform_id: int | None = None,
    today: date | None = None,
) -> QuerySet:
    """The accounts in scope that have a PullState (claims.ensure_states gives every pulled
    account one before each round), most at risk first, annotated with the stored `risk_rank`."""
    accounts = monitored_accounts(user).filter(pull_state__isnull=False)
    if level in dormancy.LEVEL_LABELS:
        accounts = accounts.filter(pull_state__risk_rank=dormancy.LEVEL_ORDER.index(Level(level)))
    if org_id:
        accounts = accounts.filter(subtree_q("host_org", int(org_id)))
    if platform_id:
        accounts = accounts.filter(platform_id=platform_id)
    return (
        accounts.annotate(risk_rank=F("pull_state__risk_rank"))
        .select_related("platform", "host_org", "pull_state")
        .order_by(*RISK_ORDER)
    )


@dataclass(frozen=True)
class ReportCounts:
    """The report's counts, from one grouped query: accounts per level (an account still
    without a PullState counts as 尚未采集), how many of them the list shows (those with a
    PullState, per rank), and running accounts on platforms without a client."""

    levels: dict[Level, int]
    listed: dict[int, int]
    unmonitored: int

    def listed_total(self, level: str = "") -> int:
        """Rows of dormant_accounts(level=level) with no org or platform filter."""
        if level in dormancy.LEVEL_LABELS:
            return self.listed.get(dormancy.LEVEL_ORDER.index(Level(level)), 0)
        return sum(self.listed.values())


def report_counts(user) -> ReportCounts:
    """The level counters of the units in scope (tallies.py), summed per (pulled platform,
    bucket): ~200 units' rows, whatever the number of accounts."""
    levels = {lv: 0 for lv in dormancy.LEVEL_ORDER}
    if not may(user, "monitoring.view"):
        return ReportCounts(levels, {}, 0)
    listed, unmonitored = {}, 0
    for bucket, pulled, n in _summed(DormantCount.objects.restrict(user)):
        if not pulled:
            unmonitored += n
        elif bucket == tallies.NO_STATE:
            levels[Level.UNPULLED] += n
        else:
            rank = dormancy.LEVEL_ORDER.index(Level(bucket))
            listed[rank] = listed.get(rank, 0) + n
            levels[dormancy.LEVEL_ORDER[rank]] += n
    return ReportCounts(levels, listed, unmonitored)


def listed_count(user, *, level: str = "", org_id=None, platform_id=None) -> int:
    """The length of dormant_accounts(user, …) with these filters, from the counters."""
    if not may(user, "monitoring.view"):
        return 0
    counters = DormantCount.objects.restrict(user).exclude(bucket=tallies.NO_STATE)
    if level in dormancy.LEVEL_LABELS:
        counters = counters.filter(bucket=level)
    if org_id:
        counters = counters.filter(subtree_q("org", int(org_id)))
    if platform_id:
        counters = counters.filter(platform_id=platform_id)
    return sum(n for _, pulled, n in _summed(counters) if pulled)


def _summed(counters: QuerySet):
    """(bucket, pulled platform?, total) rows of these counters."""
    return (
        counters.filter(n__gt=0)
        .values_list(
            "bucket",
            Case(
                When(platform__in=_pulled_platforms(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(total=Sum("n"))
        .order_by()
    )


def level_counts(user, *, today: date | None = None) -> dict[Level, int]:
    """How many accounts in scope are at each level (report_counts)."""
    return report_counts(user).levels


def unmonitored_count(user) -> int:
    """Running accounts in scope on platforms that have no client (not pulled automatically)."""
    return report_counts(user).unmonitored


@dataclass(frozen=True)
class DormantRow:
    account: MediaAccount
    level: Level
    last_update: date | None
    days_since: int | None
    longest_gap: int | None
    posts_90: int
    posts_per_week: float

    @property
    def level_label(self) -> str:
        return dormancy.LEVEL_LABELS[self.level]

    @property
    def state(self):
        return getattr(self.account, "pull_state", None)


def rows_for(accounts, *, today: date | None = None) -> list[DormantRow]:
    """Report rows for these accounts (a page, or all in scope for the export), from the
    figures stored on their PullState; days since the last update is today's."""
    today = today or timezone.localdate()
    rows = []
    for account in accounts:
        state = getattr(account, "pull_state", None)
        last = state.last_post_at if state else None
        last_update = timezone.localdate(last) if last else None
        posts_90 = state.posts_90 if state else 0
        rows.append(
            DormantRow(
                account=account,
                level=Level(state.level) if state else Level.UNPULLED,
                last_update=last_update,
                days_since=dormancy.days_since(last_update, today),
                longest_gap=state.longest_gap if state else None,
                posts_90=posts_90,
                posts_per_week=dormancy.posts_per_week(posts_90),
            )
        )
    return rows


CHART_WEEKS = 13  # the account page's chart: a quarter, week by week


def weekly_posts(account_id: int, *, today: date | None = None) -> list[tuple[date, int]]:
    """(Monday, posts published that week) for the last CHART_WEEKS weeks, oldest first, from
    the posts the platform listed (deleted ones included: they were published). One query."""
    today = today or timezone.localdate()
    first_monday = today - timedelta(days=today.weekday(), weeks=CHART_WEEKS - 1)
    since = dormancy.cutoff(first_monday, 0, timezone.get_current_timezone())
    counts = {first_monday + timedelta(weeks=n): 0 for n in range(CHART_WEEKS)}
    published = Post.objects.filter(account_id=account_id, published_at__gte=since)
    for published_at in published.values_list("published_at", flat=True).iterator():
        day = timezone.localdate(published_at)
        monday = day - timedelta(days=day.weekday())
        if monday in counts:
            counts[monday] += 1
    return list(counts.items())
