"""僵尸账号: how long an account has gone without an update, and what that makes it. Pure.

国办秘函〔2019〕19号 fails an account outright (单项否决) when it has no update in the two weeks
before the check; three months without one makes it a 僵尸账号 to be cleaned up (cancelled by a
注销 filing). Days are calendar days between local dates: "more than 14 days" means the last
update is at least 15 days before today, so an account updated exactly two weeks ago passes.

An account whose pulls keep failing, or that was never pulled, is not judged at all: its silence
may be ours, not its own.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

WINDOW_DAYS = 90  # the period of the longest gap and of posts per week


class Level(StrEnum):
    CLEANUP = "cleanup"  # 清理候选
    RISK = "risk"  # 单项否决风险
    FAILING = "failing"  # 采集失败
    UNPULLED = "unpulled"  # 尚未采集
    OK = "ok"  # 正常


LEVEL_LABELS = {
    Level.CLEANUP: "清理候选",
    Level.RISK: "单项否决风险",
    Level.FAILING: "采集失败",
    Level.UNPULLED: "尚未采集",
    Level.OK: "正常",
}
# Sorted by risk: the accounts that need acting on first.
LEVEL_ORDER = (Level.CLEANUP, Level.RISK, Level.FAILING, Level.UNPULLED, Level.OK)


@dataclass(frozen=True)
class Thresholds:
    risk_days: int = 14
    cleanup_days: int = 90


def days_since(last_update: date | None, today: date) -> int | None:
    return None if last_update is None else (today - last_update).days


def level(
    *,
    last_update: date | None,
    reference: date | None,
    today: date,
    failing: bool,
    pulled: bool,
    thresholds: Thresholds,
) -> Level:
    """`last_update`: local date of the newest post; `reference`: when the account came to be
    (registration), which counts for an account that never published anything."""
    if failing:
        return Level.FAILING
    if not pulled:
        return Level.UNPULLED
    days = days_since(last_update or reference, today)
    if days is None:
        return Level.RISK  # never published, and nobody knows since when: act on it
    if days > thresholds.cleanup_days:
        return Level.CLEANUP
    if days > thresholds.risk_days:
        return Level.RISK
    return Level.OK


def longest_gap(
    published: Iterable[date],
    *,
    today: date,
    first_pulled: date | None = None,
    window_days: int = WINDOW_DAYS,
) -> int:
    """The longest run of days without a post in the window ending today, counted only over time
    the platform has seen: between consecutive posts it listed, from the last post to today, and
    from the start of watching (the window's start, or the first pull if later) to the first
    post when nothing earlier was listed. An account first pulled 30 days ago that posts every
    3 days shows 3, not the 55 days from the window's start to the oldest post the pull reached.
    """
    start = today - timedelta(days=window_days)
    watched_from = max(start, first_pulled) if first_pulled else start
    edges = sorted({d for d in published if start <= d <= today} | {today})
    if edges[0] > watched_from:  # silence since we started watching, before the first post
        edges.insert(0, watched_from)
    if len(edges) == 1:  # first pulled today, nothing published today
        return 0
    return max((b - a).days for a, b in zip(edges, edges[1:], strict=False))


@dataclass(frozen=True)
class Figures:
    """What the dormant report shows of one account, stored on its PullState (see figures.py)."""

    level: Level
    longest_gap: int | None  # None: not judged (never pulled)
    posts_90: int


def figures(
    published: Iterable[date],
    *,
    today: date,
    last_update: date | None,
    reference: date | None,
    first_pulled: date | None,
    failing: bool,
    pulled: bool,
    thresholds: Thresholds,
) -> Figures:
    """The figures of an account from the local dates of its posts (not deleted) and its pulls."""
    start = today - timedelta(days=WINDOW_DAYS)
    recent = [d for d in published if start <= d <= today]
    return Figures(
        level=level(
            last_update=last_update,
            reference=reference,
            today=today,
            failing=failing,
            pulled=pulled,
            thresholds=thresholds,
        ),
        longest_gap=longest_gap(recent, today=today, first_pulled=first_pulled) if pulled else None,
        posts_90=len(recent),
    )


def posts_per_week(count: int, *, window_days: int = WINDOW_DAYS) -> float:
    return round(count * 7 / window_days, 1)


def cutoff(today: date, days: int, tz) -> datetime:
    """The instant before which a last update is more than `days` days before `today`."""
    return datetime.combine(today - timedelta(days=days), datetime.min.time(), tzinfo=tz)
