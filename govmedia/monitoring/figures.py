"""The dormant report's stored figures: each account's level, longest gap and posts in the last
90 days, computed from its posts (dormancy.figures) and kept on its PullState.

The level counts per unit follow in the same transaction (tallies.py).
Refreshed for the accounts of each pull as it finishes, and for every account once a day (a
level moves with the date alone), in chunks of bounded size, each its own transaction. The
report then sorts, counts and pages by indexed columns and never reads posts, so a page costs
the same at 1,000 and 100,000 accounts.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govmedia.core import bulksql

from . import dormancy, tallies
from .alerts import registration_date, thresholds
from .models import Post, PullState

CHUNK = 1000  # accounts refreshed in one transaction by the daily sweep
FIGURES = ("level", "risk_rank", "longest_gap", "posts_90", "figures_on")  # stored per account
# What they are computed from (only these are read: a pull refreshes every account it pulled).
READ = (
    "last_post_at",
    "first_success_at",
    "last_success_at",
    "consecutive_failures",
    "account__registered_on",
    "account__created_at",
)


def refresh(account_ids, *, today: date | None = None) -> int:
    """Recompute and store the figures of these accounts; how many were stored."""
    today = today or timezone.localdate()
    # Plain values, not PullState and MediaAccount objects: a pull writer refreshes every
    # account of every group it writes.
    states = list(
        PullState.objects.filter(account_id__in=list(account_ids)).values_list("account_id", *READ)
    )
    if not states:
        return 0
    dates = _recent_dates([state[0] for state in states], today)
    limits, failure_limit = thresholds(), settings.PULL_FAILURE_LIMIT
    local = timezone.localdate
    rows = []
    for account_id, last, first, success, failures, registered_on, created_at in states:
        figures = dormancy.figures(
            dates.get(account_id, ()),
            today=today,
            last_update=local(last) if last else None,
            reference=registration_date(registered_on, created_at),
            first_pulled=local(first) if first else None,
            failing=failures >= failure_limit,
            pulled=success is not None,
            thresholds=limits,
        )
        rank = dormancy.LEVEL_ORDER.index(figures.level)
        level, gap, posts = figures.level.value, figures.longest_gap, figures.posts_90
        rows.append((account_id, level, rank, gap, posts, today))
    bulksql.update_from_rows(
        PullState,
        {"account": "account"} | {f"new_{name}": name for name in FIGURES},
        rows,
        key="account",
        assignments={name: f"v.new_{name}" for name in FIGURES},
    )
    tallies.retally(row[0] for row in rows)  # levels moved: the report's counts
    return len(rows)


def refresh_all(*, today: date | None = None, chunk: int = CHUNK) -> int:
    """The daily sweep: every account not yet refreshed today, a chunk per transaction.
    Resumable: a sweep cut short leaves the rest to the next run (figures_on tells)."""
    today = today or timezone.localdate()
    done = 0
    while True:
        with transaction.atomic():
            ids = list(
                PullState.objects.exclude(figures_on=today)
                .order_by("account_id")
                .values_list("account_id", flat=True)[:chunk]
            )
            if not ids:
                if done:  # the day's sweep just finished: correct any count a bulk write missed
                    tallies.reconcile()
                return done
            done += refresh(ids, today=today)


def _recent_dates(account_ids: list[int], today: date) -> dict[int, list[date]]:
    """Local publication dates of the window's posts (not deleted), per account: one query."""
    since = dormancy.cutoff(today, dormancy.WINDOW_DAYS, timezone.get_current_timezone())
    dates: dict[int, list[date]] = defaultdict(list)
    rows = Post.objects.filter(
        account_id__in=account_ids, deleted_at__isnull=True, published_at__gte=since
    ).values_list("account_id", "published_at")
    if len(account_ids) > 200:  # a sweep's chunk: stream (a pull's group: one round trip)
        rows = rows.iterator(chunk_size=5000)
    tz = timezone.get_current_timezone()  # once: localdate() looks it up for every post
    for account_id, published_at in rows:
        dates[account_id].append(published_at.astimezone(tz).date())
    return dates
