"""The dormant-account report (僵尸账号), read in a constant number of queries.

Each account's level, longest gap and posts in 90 days are stored on its PullState
(figures.py: refreshed when its pulls finish and by the hourly sweep), so sorting, counting
and paging read indexed columns and never posts: a page costs the same at 1,000 and 100,000
accounts. An account with no PullState yet counts as 尚未采集.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from govmedia.core.scope import may
from govmedia.registry.models import MediaAccount

from . import dormancy
from .claims import pulled_accounts
from .models import Post

Level = dormancy.Level
UNPULLED_RANK = dormancy.LEVEL_ORDER.index(Level.UNPULLED)


def monitored_accounts(user) -> QuerySet:
    if not may(user, "monitoring.view"):
        return MediaAccount.objects.none()
    return MediaAccount.objects.restrict(user).filter(pk__in=pulled_accounts().values("pk"))


def dormant_accounts(
    user,
    *,
    level: str = "",
    org_id: int | None = None,
    platform_id: int | None = None,
    today: date | None = None,
) -> QuerySet:
    """The accounts in scope, most at risk first, annotated with `risk_rank` (stored)."""
    accounts = monitored_accounts(user).annotate(
        risk_rank=Coalesce(
            F("pull_state__risk_rank"), Value(UNPULLED_RANK), output_field=IntegerField()
        )
    )
    if level in dormancy.LEVEL_LABELS:
        accounts = accounts.filter(risk_rank=dormancy.LEVEL_ORDER.index(Level(level)))
    if org_id:
        accounts = accounts.filter(host_org__path__contains=f"/{int(org_id)}/")
    if platform_id:
        accounts = accounts.filter(platform_id=platform_id)
    return accounts.select_related("platform", "host_org", "pull_state").order_by(
        "risk_rank",
        F("pull_state__last_post_at").asc(nulls_first=True),
        F("registered_on").asc(nulls_first=True),
        "pk",
    )


def level_counts(user, *, today: date | None = None) -> dict[Level, int]:
    """How many accounts in scope are at each level: one query, on the stored rank."""
    ranks = (
        monitored_accounts(user)
        .annotate(
            rank=Coalesce(
                F("pull_state__risk_rank"), Value(UNPULLED_RANK), output_field=IntegerField()
            )
        )
        .values("rank")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {lv: 0 for lv in dormancy.LEVEL_ORDER}
    for row in ranks:
        counts[dormancy.LEVEL_ORDER[row["rank"]]] += row["n"]
    return counts


def unmonitored_count(user) -> int:
    """Running accounts in scope on platforms that have no client (not pulled automatically)."""
    if not may(user, "monitoring.view"):
        return 0
    return (
        MediaAccount.objects.restrict(user)
        .filter(status="running")
        .exclude(pk__in=pulled_accounts().values("pk"))
        .count()
    )


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
