"""Writing pull results: posts upserted by platform id, deletions noticed, each run recorded,
each account rescheduled and released. Runs in the worker's main thread. New and edited posts
are screened by a task of their own (rectify.screen_pending), off the pull's critical path: a
post is pending until its screened_hash equals its content_hash, so none is ever missed.

The results that arrive together are written in one transaction of a few statements, however
many accounts the group has (re-lists and the deletions they notice included), because a commit
or a query per account caps a worker at a few dozen accounts a second on PostgreSQL. If the group
fails, each account is written alone, so one account's bad data never loses the others'.

The upsert is INSERT … ON CONFLICT (account, platform_post_id) DO UPDATE on both databases, so a
repeated or overlapping pull, even two at once, never makes a second row for a post. It, the
group's pull runs and the rescheduling of its accounts are one statement each, written by
core.bulksql: the ORM's bulk_create and a per-account UPDATE were most of a worker's time.
"""

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from govmedia.core import bulksql
from govmedia.platforms import base

from . import backoff, figures
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


class PostRow(NamedTuple):
    """A post as inserted (the columns of Post but its id); the first ten are updated when the
    post is already stored."""

    account_id: int
    platform_post_id: str
    title: str
    text: str
    is_html: bool
    url: str
    published_at: datetime
    metrics: dict
    content_hash: str
    last_seen_at: datetime
    deleted_at: datetime | None
    first_seen_at: datetime
    screened_hash: str = ""
    screened_version: int | None = None


def _row(account_id: int, post: base.Post, now: datetime) -> PostRow:
    title = post.title[:500]
    return PostRow(
        account_id=account_id,
        platform_post_id=post.post_id[:128],
        title=title,
        text=post.text,
        is_html=post.is_html,
        url=post.url[:1000],
        published_at=post.published_at,
        metrics=_metrics(post),
        content_hash=content_hash(title, post.text),
        last_seen_at=now,
        deleted_at=None,
        first_seen_at=now,
    )


class RunRow(NamedTuple):
    """A PullRun as inserted (its columns but its id)."""

    account_id: int
    started_at: datetime
    finished_at: datetime
    outcome: str
    pages: int
    posts_seen: int
    posts_new: int
    posts_updated: int
    posts_deleted: int
    full_relist: bool
    cursor: str
    worker: str
    error_kind: str = ""
    error_code: str = ""
    error_message: str = ""


@dataclass
class Written:
    state: PullState
    result: FetchResult
    run: RunRow | None
    new: int = 0
    changed: int = 0
    deleted: int = 0
    last_post_at: datetime | None = None
    failures: int = 0  # in a row, including this pull (0 after a success)


def _known(rows: dict[int, list[PostRow]]) -> dict[tuple[int, str], str]:
    """(account, platform id) → content hash of the posts already stored."""
    keys = [
        (r.account_id, r.platform_post_id) for account_rows in rows.values() for r in account_rows
    ]
    if not keys:
        return {}
    # The group's keys as one table parameter (core.bulksql): an IN list of thousands of ids is
    # slow to send.
    source, params = bulksql.rows_table(Post, {"a": "account", "p": "platform_post_id"}, keys)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.account_id, p.platform_post_id, p.content_hash FROM {Post._meta.db_table} p "
            f"JOIN ({source}) AS k ON p.account_id = k.a AND p.platform_post_id = k.p",
            params,
        )
        return {(account_id, post_id): content for account_id, post_id, content in cursor}


def _upsert(rows: dict[int, list[PostRow]]) -> None:
    every_row = [row for account_rows in rows.values() for row in account_rows]
    bulksql.upsert(
        Post,
        PostRow._fields,
        every_row,
        unique=["account", "platform_post_id"],
        update=UPSERT_FIELDS,
    )


def _mark_deleted(pairs: list[tuple[PullState, FetchResult]], now: datetime) -> dict[int, int]:
    """Posts stored from each re-listed window that the platform no longer lists, marked for the
    whole group in one statement; how many per account. Before an account's first successful
    pull nothing of it is stored to miss."""
    windows = [
        (result.plan.account_id, since)
        for state, result in pairs
        if state.last_success_at is not None and (since := result.covered_since()) is not None
    ]
    if not windows:
        return {}
    relisted = {account_id for account_id, _ in windows}
    listed = [
        (account_id, post_id[:128])
        for _, result in pairs
        if (account_id := result.plan.account_id) in relisted
        for post_id in result.posts
    ]
    window, window_params = bulksql.rows_table(
        Post, {"a": "account", "since": "published_at"}, windows
    )
    seen, seen_params = bulksql.rows_table(Post, {"a": "account", "p": "platform_post_id"}, listed)
    table = connection.ops.quote_name(Post._meta.db_table)
    deleted: dict[int, int] = defaultdict(int)
    with connection.cursor() as cursor:
        # NOT IN a (non-correlated) subquery: both databases build its set once.
        cursor.execute(
            f"UPDATE {table} SET deleted_at = %s FROM ({window}) AS v "
            f"WHERE {table}.account_id = v.a AND {table}.deleted_at IS NULL "
            f"AND {table}.published_at >= v.since "
            f"AND ({table}.account_id, {table}.platform_post_id) "
            f"NOT IN (SELECT k.a, k.p FROM ({seen}) AS k) "
            f"RETURNING {table}.account_id",
            [now, *window_params, *seen_params],
        )
        for (account_id,) in cursor.fetchall():
            deleted[account_id] += 1
    return deleted


def _newest_left(account_ids) -> dict[int, datetime | None]:
    """The newest post not deleted of each account (after deletions were noticed): one query."""
    newest = dict.fromkeys(account_ids)
    rows = (
        Post.objects.filter(account_id__in=list(account_ids), deleted_at__isnull=True)
        .values("account_id")
        .annotate(last=Max("published_at"))
        .values_list("account_id", "last")
    )
    newest.update(rows)
    return newest


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
    state: PullState,
    result: FetchResult,
    rows: list[PostRow],
    known: dict,
    deleted: int,
    worker: str,
    now,
) -> Written:
    """What the pull of one account wrote (`deleted`: its posts just marked deleted), with its
    run; last_post_at is left to the caller when posts were deleted."""
    account_id = result.plan.account_id
    written = Written(state=state, result=result, run=None, last_post_at=state.last_post_at)
    if result.ok:
        for row in rows:
            before = known.get((account_id, row.platform_post_id))
            if before is None:
                written.new += 1
            elif before != row.content_hash:
                written.changed += 1
        written.deleted = deleted
        if rows and not deleted:
            newest = max(row.published_at for row in rows)
            written.last_post_at = max(written.last_post_at or newest, newest)
    written.run = RunRow(
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
    return written


# The new schedule of each account of a group, one statement: what the values (v) say, applied
# to the account's PullState. Failures count up from the stored figure; a success resets it.
RESCHEDULE_COLUMNS = {
    "account": "account",
    "due": "next_due_at",
    "attempt": "last_attempt_at",
    "ok": "failure_alerted",
    "post_at": "last_post_at",
    "relist": "last_relist_at",
    "error": "last_error",
}
RESCHEDULE = {
    "next_due_at": "v.due",
    "claimed_by": "''",
    "claimed_until": "NULL",
    "last_attempt_at": "v.attempt",
    "consecutive_failures": "CASE WHEN v.ok THEN 0 ELSE consecutive_failures + 1 END",
    "last_success_at": "CASE WHEN v.ok THEN v.attempt ELSE last_success_at END",
    "first_success_at": "CASE WHEN v.ok THEN COALESCE(first_success_at, v.attempt) "
    "ELSE first_success_at END",
    "last_post_at": "CASE WHEN v.ok THEN v.post_at ELSE last_post_at END",
    "last_error": "v.error",
    "failure_alerted": "CASE WHEN v.ok THEN false ELSE failure_alerted END",
    "last_relist_at": "COALESCE(v.relist, last_relist_at)",
}


def _schedule_row(written: Written, now) -> tuple:
    result, run = written.result, written.run
    error = result.error or (None if result.ok else base.PlatformError(result.unexpected))
    due = backoff.next_due(
        now=now,
        interval=interval_for(result.plan.platform),
        error=error,
        failures=written.failures,
    )
    relist = now if result.ok and run.full_relist else None
    last_error = "" if result.ok else run.error_message
    return (result.plan.account_id, due, now, result.ok, written.last_post_at, relist, last_error)


def _reschedule(written: list[Written], worker: str, now) -> None:
    """Each account due again, released. Only while this worker holds the lease: a worker whose
    lease ran out and was taken over must not reschedule what the new holder is doing (its posts
    are kept: idempotent)."""
    table = connection.ops.quote_name(PullState._meta.db_table)
    bulksql.update_from_rows(
        PullState,
        RESCHEDULE_COLUMNS,
        [_schedule_row(w, now) for w in written],
        key="account",
        assignments=RESCHEDULE,
        where=f"{table}.claimed_by = %s",
        where_params=[worker[:100]],
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
    deleted = _mark_deleted(pairs, now)
    written = [
        _account_written(
            state,
            result,
            rows.get(result.plan.account_id, []),
            known,
            deleted.get(result.plan.account_id, 0),
            worker,
            now,
        )
        for state, result in pairs
    ]
    if deleted:  # a deleted post may have been the newest
        newest = _newest_left(deleted)
        for w in written:
            if w.deleted:
                w.last_post_at = newest[w.result.plan.account_id]
    bulksql.insert(PullRun, RunRow._fields, [w.run for w in written])
    _reschedule(written, worker, now)
    # The dormant report's figures, in the same transaction (a round trip less per group).
    today = timezone.localdate(now)
    figures.refresh([w.state.account_id for w in written if _moves_figures(w, today)], today=today)
    return written


def _moves_figures(written: Written, today) -> bool:
    """Whether the pull may have changed the account's dormant figures: they follow from the
    date, the dates of its posts and whether it was pulled and is failing. Most pulls of a
    day find nothing new: their accounts' figures of today stand."""
    state = written.state
    unchanged = (
        written.result.ok
        and not written.new
        and not written.deleted
        and written.last_post_at == state.last_post_at
        and state.figures_on == today
        and state.first_success_at is not None
        and state.consecutive_failures == 0
    )
    return not unchanged


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
