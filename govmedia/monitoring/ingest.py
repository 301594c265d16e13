"""Writing pull results: posts upserted by platform id, deletions noticed, each run recorded,
each account rescheduled and released. Runs in the worker's main thread. New and edited posts
are screened by a task of their own (rectify.screen_pending), off the pull's critical path: a
post is pending until its screened_hash equals its content_hash, so none is ever missed.

The results that arrive together are written in one transaction (a few statements for the group,
one UPDATE per account), because a commit per account caps a worker at a few dozen accounts a
second on PostgreSQL. If the group fails, each account is written alone, so one account's bad
data never loses the others'.

The upsert is INSERT … ON CONFLICT (account, platform_post_id) DO UPDATE on both databases, so a
repeated or overlapping pull, even two at once, never makes a second row for a post.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from govmedia.platforms import base

from . import backoff
from .fetch import FetchResult
from .models import Post, PullError, PullOutcome, PullRun, PullState

logger = logging.getLogger(__name__)

ERROR_KINDS = (
    (base.RateLimited, PullError.RATE_LIMITED),
    (base.PlatformUnavailable, PullError.UNAVAILABLE),
    (base.BadCredentials, PullError.BAD_CREDENTIALS),
    (base.TokenExpired, PullError.BAD_CREDENTIALS),
    (base.NotFound, PullError.NOT_FOUND),
    (base.ParameterError, PullError.BAD_PARAMETERS),
)
UPSERT_FIELDS = [
    "title",
    "text",
    "is_html",
    "url",
    "published_at",
    "metrics",
    "content_hash",
    "last_seen_at",
    "deleted_at",
]


def interval_for(platform_code: str) -> timedelta:
    return timedelta(minutes=settings.PULL_INTERVAL_MINUTES.get(platform_code, 120))


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _metrics(post: base.Post) -> dict:
    values = {
        "reads": post.reads,
        "likes": post.likes,
        "shares": post.shares,
        "comments": post.comments,
    }
    return {key: value for key, value in values.items() if value is not None}


def _row(account_id: int, post: base.Post, now: datetime) -> Post:
    title = post.title[:500]
    return Post(
        account_id=account_id,
        platform_post_id=post.post_id[:128],
        title=title,
        text=post.text,
        is_html=post.is_html,
        url=post.url[:1000],
        published_at=post.published_at,
        metrics=_metrics(post),
        content_hash=content_hash(title, post.text),
        first_seen_at=now,
        last_seen_at=now,
        deleted_at=None,
    )


@dataclass
class Written:
    state: PullState
    result: FetchResult
    run: PullRun
    new: int = 0
    changed: int = 0
    deleted: int = 0
    last_post_at: datetime | None = None
    failures: int = 0  # in a row, including this pull (0 after a success)


def _known(rows: dict[int, list[Post]]) -> dict[tuple[int, str], str]:
    """(account, platform id) → content hash of the posts already stored."""
    ids = {row.platform_post_id for account_rows in rows.values() for row in account_rows}
    if not ids:
        return {}
    stored = Post.objects.filter(account_id__in=list(rows), platform_post_id__in=ids)
    return {
        (account_id, post_id): content
        for account_id, post_id, content in stored.values_list(
            "account_id", "platform_post_id", "content_hash"
        )
    }


def _upsert(rows: dict[int, list[Post]]) -> None:
    every_row = [row for account_rows in rows.values() for row in account_rows]
    if not every_row:
        return
    Post.objects.bulk_create(
        every_row,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["account", "platform_post_id"],
        update_fields=UPSERT_FIELDS,
    )
    if any(row.pk is None for row in every_row):  # a database that returns no ids
        ids = dict(
            Post.objects.filter(
                account_id__in=list(rows),
                platform_post_id__in=[r.platform_post_id for r in every_row],
            ).values_list("platform_post_id", "pk")
        )
        for row in every_row:
            row.pk = ids.get(row.platform_post_id)


def mark_deleted(account_id: int, result: FetchResult, now: datetime) -> int:
    """Posts stored from the re-listed window that the platform no longer lists."""
    covered = result.covered_since()
    if covered is None:
        return 0
    return (
        Post.objects.filter(
            account_id=account_id, deleted_at__isnull=True, published_at__gte=covered
        )
        .exclude(platform_post_id__in=list(result.posts))
        .update(deleted_at=now)
    )


def _error_fields(result: FetchResult) -> dict:
    if result.ok:
        return {}
    if result.unexpected:
        return {"error_kind": PullError.ERROR, "error_message": result.unexpected[:500]}
    error = result.error
    kind = next((k for cls, k in ERROR_KINDS if isinstance(error, cls)), PullError.ERROR)
    return {
        "error_kind": kind,
        "error_code": str(error.code if error.code is not None else "")[:40],
        "error_message": error.message[:500],
    }


def _account_written(
    state: PullState, result: FetchResult, rows: list[Post], known: dict, worker: str, now
) -> Written:
    account_id = result.plan.account_id
    written = Written(state=state, result=result, run=None, last_post_at=state.last_post_at)
    if result.ok:
        for row in rows:
            before = known.get((account_id, row.platform_post_id))
            if before is None:
                written.new += 1
            elif before != row.content_hash:
                written.changed += 1
        # Before the first successful pull nothing of the account is stored to miss.
        if state.last_success_at is not None:
            written.deleted = mark_deleted(account_id, result, now)
        if written.deleted:
            written.last_post_at = Post.objects.filter(
                account_id=account_id, deleted_at__isnull=True
            ).aggregate(last=Max("published_at"))["last"]
        elif rows:
            newest = max(row.published_at for row in rows)
            written.last_post_at = max(written.last_post_at or newest, newest)
    written.run = PullRun(
        account_id=account_id,
        started_at=result.started_at,
        finished_at=result.finished_at or now,
        outcome=PullOutcome.OK if result.ok else PullOutcome.FAILED,
        pages=result.pages,
        posts_seen=len(result.posts),
        posts_new=written.new,
        posts_updated=written.changed,
        posts_deleted=written.deleted,
        full_relist=result.covered_since() is not None,
        cursor=(result.cursor or "")[:500],
        worker=worker[:100],
        **_error_fields(result),
    )
    written.failures = 0 if result.ok else state.consecutive_failures + 1
    _reschedule(written, worker, now)
    return written


def _reschedule(written: Written, worker: str, now) -> None:
    result, run = written.result, written.run
    error = result.error or (None if result.ok else base.PlatformError(result.unexpected))
    fields = {
        "next_due_at": backoff.next_due(
            now=now,
            interval=interval_for(result.plan.platform),
            error=error,
            failures=written.failures,
        ),
        "claimed_by": "",
        "claimed_until": None,
        "last_attempt_at": now,
        "consecutive_failures": F("consecutive_failures") + 1 if written.failures else 0,
    }
    if result.ok:
        fields |= {
            "last_success_at": now,
            "first_success_at": Coalesce(F("first_success_at"), Value(now)),
            "last_post_at": written.last_post_at,
            "last_error": "",
            "failure_alerted": False,
        }
        if run.full_relist:
            fields["last_relist_at"] = now
    else:
        fields["last_error"] = run.error_message
    # Only while this worker holds the lease: a worker whose lease ran out and was taken over
    # must not reschedule what the new holder is doing (its posts are kept: idempotent).
    PullState.objects.filter(account_id=result.plan.account_id, claimed_by=worker[:100]).update(
        **fields
    )


def _write(pairs: list[tuple[PullState, FetchResult]], worker: str) -> list[Written]:
    now = timezone.now()
    rows = {
        result.plan.account_id: [
            _row(result.plan.account_id, p, now) for p in result.posts.values()
        ]
        for _, result in pairs
        if result.ok
    }
    known = _known(rows)
    _upsert(rows)
    written = [
        _account_written(state, result, rows.get(result.plan.account_id, []), known, worker, now)
        for state, result in pairs
    ]
    PullRun.objects.bulk_create([w.run for w in written])
    return written


def write_results(pairs: list[tuple[PullState, FetchResult]], *, worker: str) -> list[Written]:
    """Write the results of several accounts (each with the PullState it was claimed with)."""
    try:
        with transaction.atomic():
            return _write(pairs, worker)
    except DatabaseError:
        if len(pairs) == 1:
            raise
        logger.warning("成批写入 %s 个账号的采集结果失败，逐个重试", len(pairs), exc_info=True)
    written = []
    for pair in pairs:
        try:
            with transaction.atomic():
                written += _write([pair], worker)
        except DatabaseError:
            logger.exception("写入采集结果失败：账号 %s", pair[1].plan.account_id)
    return written


def write_result(*, result: FetchResult, state: PullState, worker: str) -> Written:
    """One account's result (tests, and a pull of a single account)."""
    return write_results([(state, result)], worker=worker)[0]
