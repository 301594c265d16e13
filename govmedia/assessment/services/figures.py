"""传播力 figures: each account's month built from its pulled posts (influence.py), ranked per
platform, stored so the rankings page reads one indexed table."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from govmedia.monitoring.models import Post
from govmedia.registry.models import MediaAccount

from ..influence import MonthAccumulator
from ..models import AccountMonth

BATCH = 5000


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _bounds(month: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine(next_month(month), time.min))
    return start, end


def figures_build(*, month: date) -> int:
    """Rebuild the month's rows (idempotent): posts published in the month, as pulled; an
    account with no post that month gets no row. Returns the number of rows."""
    month = month_start(month)
    start, end = _bounds(month)
    totals: dict[int, MonthAccumulator] = defaultdict(MonthAccumulator)
    rows = (
        Post.objects.filter(published_at__gte=start, published_at__lt=end)
        .order_by("account_id", "published_at", "pk")
        .values_list("account_id", "published_at", "metrics")
    )
    for account_id, published_at, metrics in rows.iterator(chunk_size=BATCH):
        totals[account_id].add(timezone.localtime(published_at), metrics)
    accounts = {
        a.pk: a
        for a in MediaAccount.objects.filter(pk__in=list(totals))
        .select_related("host_org")
        .only("pk", "platform_id", "host_org_id", "host_org__org_type")
    }
    built = []
    for account_id, acc in totals.items():
        account = accounts.get(account_id)
        if account is None:
            continue
        built.append(
            AccountMonth(
                account_id=account_id,
                month=month,
                platform_id=account.platform_id,
                org_id=account.host_org_id,
                org_type=account.host_org.org_type,
                posts=acc.posts,
                reads=acc.reads,
                likes=acc.likes,
                shares=acc.shares,
                comments=acc.comments,
                wci=Decimal(f"{acc.index():.2f}"),
            )
        )
    by_platform: dict[int, list[AccountMonth]] = defaultdict(list)
    for row in built:
        by_platform[row.platform_id].append(row)
    for rows_of_platform in by_platform.values():
        rows_of_platform.sort(key=lambda r: (-r.wci, r.account_id))
        for place, row in enumerate(rows_of_platform, start=1):
            row.rank = place
    with transaction.atomic():
        AccountMonth.objects.filter(month=month).delete()
        AccountMonth.objects.bulk_create(built, batch_size=BATCH)
    return len(built)


def figures_build_recent(*, today: date | None = None, months: int = 2) -> int:
    """This month and the one before (posts' metrics keep growing after publication)."""
    month = month_start(today or timezone.localdate())
    total = 0
    for _ in range(months):
        total += figures_build(month=month)
        month = month_start(month - timedelta(days=1))
    return total
