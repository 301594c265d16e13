"""Interaction health per account for the health page, its export and the API: the figures of
the period for the accounts in the user's scope, sorted by risk, and the months before it."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from govmedia.registry.models import AccountStatus, MediaAccount

from .selectors import InteractionFigures, interaction_figures


@dataclass(frozen=True)
class AccountHealth:
    account: MediaAccount
    figures: InteractionFigures


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def previous_month(day: date) -> date:
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def parse_month(text: str | None, today: date) -> date:
    try:
        year, month = (int(part) for part in str(text or "").split("-", 1))
        chosen = date(year, month, 1)
    except (TypeError, ValueError):
        return month_start(today)
    return min(chosen, month_start(today)) if chosen.year >= 2000 else month_start(today)


def accounts_for(user):
    return (
        MediaAccount.objects.restrict(user)
        .filter(status=AccountStatus.RUNNING)
        .select_related("host_org", "platform")
        .order_by("host_org__path", "name")
    )


def health_rows(user, month: date, *, now: datetime | None = None) -> list[AccountHealth]:
    now = now or timezone.now()
    accounts = list(accounts_for(user))
    end = min(_aware(next_month(month)), now)
    figures = interaction_figures(
        account_ids=[a.pk for a in accounts], start=_aware(month), end=end, now=now
    )
    rows = [AccountHealth(a, figures[a.pk]) for a in accounts]
    return sorted(rows, key=lambda r: (-r.figures.risk, -r.figures.received, r.account.name))


def monthly_trend(user, month: date, months: int = 6, *, now=None) -> list[tuple[str, dict]]:
    """For each of the `months` months up to `month`: the totals over the user's accounts."""
    now = now or timezone.now()
    ids = list(accounts_for(user).values_list("pk", flat=True))
    firsts = [month]
    for _ in range(months - 1):
        firsts.insert(0, previous_month(firsts[0]))
    trend = []
    for first in firsts:
        figures = interaction_figures(
            account_ids=ids, start=_aware(first), end=min(_aware(next_month(first)), now), now=now
        ).values()
        received = sum(f.received for f in figures)
        in_time = sum(f.answered_in_time for f in figures)
        answered = sum(f.answered for f in figures)
        trend.append(
            (
                f"{first:%Y-%m}",
                {
                    "received": received,
                    "answered": answered,
                    "in_time_rate": round(100 * in_time / received) if received else 0,
                },
            )
        )
    return trend
