"""Paging through one account's published posts: pure (no Django), run in the pull threads.

Platforms list newest first. A pull pages until it reaches what an earlier pull saw (`since`) or,
when it re-lists a window to notice deletions, the start of that window (`relist_from`); the list
running out or `max_pages` ends it too. Errors are the typed errors of platforms.base; anything
else a client lets slip through is kept as an unexpected error, never raised into the worker.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from govmedia.platforms.base import (
    AccountRef,
    BadCredentials,
    PlatformClient,
    PlatformError,
    Post,
)


@dataclass(frozen=True)
class FetchPlan:
    account_id: int
    platform: str
    ref: AccountRef
    since: datetime | None = None  # the newest post already stored: stop once past it
    relist_from: datetime | None = None  # list back to here to notice deleted posts
    max_pages: int = 20
    problem: str = ""  # why the pull cannot act for the account (its credentials unreadable)

    @property
    def boundary(self) -> datetime | None:
        """How far back this pull must reach; None: as far as max_pages allows."""
        if self.since is None:
            return self.relist_from
        if self.relist_from is None:
            return self.since
        return min(self.since, self.relist_from)


@dataclass
class FetchResult:
    plan: FetchPlan
    started_at: datetime
    finished_at: datetime | None = None
    posts: dict[str, Post] = field(default_factory=dict)  # by platform id, first seen wins
    pages: int = 0
    cursor: str | None = None  # where the listing stopped (the last page's next cursor)
    exhausted: bool = False  # the platform said there is nothing further
    oldest: datetime | None = None  # the oldest publication time seen
    error: PlatformError | None = None
    unexpected: str = ""  # an exception that was not a PlatformError, as text

    @property
    def ok(self) -> bool:
        return self.error is None and not self.unexpected

    @property
    def seconds(self) -> float:
        return ((self.finished_at or self.started_at) - self.started_at).total_seconds()

    def covered_since(self) -> datetime | None:
        """The start of the period this listing saw in full (for the deleted-post check).

        None when nothing can be concluded: a failed pull, or one that was not a re-list.
        """
        relist_from = self.plan.relist_from
        if not self.ok or relist_from is None:
            return None
        if self.exhausted or (self.oldest is not None and self.oldest < relist_from):
            return relist_from
        # Stopped by max_pages: only what lies after the oldest post seen was listed in full.
        return self.oldest


def failed(plan: FetchPlan, message: str) -> FetchResult:
    """A pull that could not be made (no client, a fetching process gone): `message` says why."""
    result = FetchResult(plan=plan, started_at=_utcnow())
    result.unexpected = message[:500]
    result.finished_at = result.started_at
    return result


def no_client(exc: Exception) -> str:
    """Why a pull failed when its platform's client could not be made."""
    return f"无法创建平台接口客户端：{type(exc).__name__}: {exc}"


def fetch(client: PlatformClient, plan: FetchPlan, *, clock=None) -> FetchResult:
    now = clock or _utcnow
    result = FetchResult(plan=plan, started_at=now())
    if plan.problem:
        result.error = BadCredentials(plan.problem, code="credentials")
        result.finished_at = result.started_at
        return result
    boundary, cursor = plan.boundary, None
    try:
        while result.pages < plan.max_pages:
            page = client.list_posts(plan.ref, cursor)
            result.pages += 1
            for post in page.posts:
                result.posts.setdefault(post.post_id, post)
                if result.oldest is None or post.published_at < result.oldest:
                    result.oldest = post.published_at
            result.cursor = page.next_cursor
            if page.next_cursor is None or not page.posts:
                result.exhausted = True
                break
            if boundary is not None and min(p.published_at for p in page.posts) < boundary:
                break
            cursor = page.next_cursor
    except PlatformError as exc:
        result.error = exc
    except Exception as exc:  # noqa: BLE001 - a client bug must fail one pull, not the worker
        result.unexpected = f"{type(exc).__name__}: {exc}"[:500]
    result.finished_at = now()
    return result


def _utcnow() -> datetime:
    return datetime.now(UTC)
