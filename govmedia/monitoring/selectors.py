"""The dormant-account report (僵尸账号), read in a constant number of queries.

The level and the risk order are computed in SQL from the stored PullState (last_post_at is kept
current by every pull), so sorting and paging 10,000 accounts never reads their posts. Only the
accounts on the page (or, for the export, in scope) have their last 90 days of posts read, as
bare (account_id, published_at) pairs, for the longest gap and posts per week.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from govmedia.core.scope import may
from govmedia.registry.models import MediaAccount

from . import dormancy
from .alerts import thresholds
from .claims import pulled_accounts
from .models import Post

Level = dormancy.Level


def _conditions(today: date) -> dict[Level, Q]:
    """The Q of each level over MediaAccount rows (joined to their PullState)."""
    tz = timezone.get_current_timezone()
    t = thresholds()
    failing = Q(pull_state__consecutive_failures__gte=settings.PULL_FAILURE_LIMIT)
    unpulled = Q(pull_state__isnull=True) | Q(pull_state__last_success_at__isnull=True)

    def silent_for_more_than(days: int) -> Q:
        # Last update, or (never published) registration, more than `days` days before today.
        before = dormancy.cutoff(today, days, tz)
        never = Q(pull_state__last_post_at__isnull=True)
        return Q(pull_state__last_post_at__lt=before) | (
            never
            & (
                Q(registered_on__lt=before.date())
                | Q(registered_on__isnull=True, created_at__lt=before)
            )
        )

    judged = ~failing & ~unpulled
    return {
        Level.FAILING: failing,
        Level.UNPULLED: ~failing & unpulled,
        Level.CLEANUP: judged & silent_for_more_than(t.cleanup_days),
        Level.RISK: judged
        & silent_for_more_than(t.risk_days)
        & ~silent_for_more_than(t.cleanup_days),
        Level.OK: judged & ~silent_for_more_than(t.risk_days),
    }


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
    """The accounts in scope, most at risk first, annotated with `risk_rank`."""
    today = today or timezone.localdate()
    conditions = _conditions(today)
    accounts = monitored_accounts(user).annotate(
        risk_rank=Case(
            *[
                When(conditions[lv], then=Value(rank))
                for rank, lv in enumerate(dormancy.LEVEL_ORDER)
            ],
            default=Value(len(dormancy.LEVEL_ORDER)),
            output_field=IntegerField(),
        )
    )
    if level in dormancy.LEVEL_LABELS:
        accounts = accounts.filter(conditions[Level(level)])
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
    """How many accounts in scope are at each level: one query."""
    conditions = _conditions(today or timezone.localdate())
    totals = monitored_accounts(user).aggregate(
        **{str(lv): Count("pk", filter=q) for lv, q in conditions.items()}
    )
    return {lv: totals[str(lv)] for lv in dormancy.LEVEL_ORDER}


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


def _recent_dates(account_ids: list[int], today: date) -> dict[int, list[date]]:
    """Local publication dates of the last 90 days, per account: one query."""
    since = timezone.now() - timedelta(days=dormancy.WINDOW_DAYS + 1)
    dates: dict[int, list[date]] = defaultdict(list)
    rows = (
        Post.objects.filter(
            account_id__in=account_ids, deleted_at__isnull=True, published_at__gte=since
        )
        .values_list("account_id", "published_at")
        .iterator(chunk_size=5000)
    )
    for account_id, published_at in rows:
        dates[account_id].append(timezone.localdate(published_at))
    return dates


def _level_of(account: MediaAccount, today: date) -> Level:
    state = getattr(account, "pull_state", None)
    last = state.last_post_at if state else None
    return dormancy.level(
        last_update=timezone.localdate(last) if last else None,
        reference=account.registered_on or timezone.localdate(account.created_at),
        today=today,
        failing=bool(state and state.consecutive_failures >= settings.PULL_FAILURE_LIMIT),
        pulled=bool(state and state.last_success_at),
        thresholds=thresholds(),
    )


def rows_for(accounts, *, today: date | None = None) -> list[DormantRow]:
    """Report rows for these accounts (a page, or all in scope for the export)."""
    today = today or timezone.localdate()
    accounts = list(accounts)
    dates = _recent_dates([a.pk for a in accounts], today)
    rows = []
    for account in accounts:
        state = getattr(account, "pull_state", None)
        last: datetime | None = state.last_post_at if state else None
        last_update = timezone.localdate(last) if last else None
        pulled = bool(state and state.last_success_at)
        published = dates.get(account.pk, [])
        rows.append(
            DormantRow(
                account=account,
                level=_level_of(account, today),
                last_update=last_update,
                days_since=dormancy.days_since(last_update, today),
                longest_gap=dormancy.longest_gap(published, today=today) if pulled else None,
                posts_90=len(published),
                posts_per_week=dormancy.posts_per_week(len(published)),
            )
        )
    return rows
