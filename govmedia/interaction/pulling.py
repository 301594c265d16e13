"""Pulling comments as messages: the accounts whose platform's open API lists comments, each
claimed by a conditional UPDATE on its CommentPull row (the row count says which worker won, so
two workers never pull one account at once), walked page by page until a page brings nothing new.

Its own task and claim, apart from monitoring's post pulls: a comment is the public's question,
due in working days, and is pulled on its own interval (settings.INTERACTION_PULL_MINUTES)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from govmedia.monitoring.clients import client_for, supported_codes
from govmedia.monitoring.credentials import account_ref
from govmedia.platforms.base import PlatformError
from govmedia.registry.models import AccountStatus, MediaAccount

from .models import CommentPull
from .services.messages import messages_ingest

logger = logging.getLogger(__name__)

CLAIM = timedelta(minutes=10)  # a worker that died releases its claim after this
MAX_PAGES = 20  # per pull: a backlog is caught up over the next pulls
MAX_WALK_PAGES = 200  # per pull of a per-post walk (WeChat, Douyin): read to its end
ACCOUNTS_PER_TICK = 50


@dataclass(frozen=True)
class PullResult:
    account_id: int
    new: int
    error: str = ""


def comment_codes() -> tuple[str, ...]:
    """The platforms pulled for comments: a client that reads them and a base URL."""
    codes = []
    for code in supported_codes():
        if getattr(client_for(code), "can_read_comments", False):
            codes.append(code)
    return tuple(codes)


def ensure_pull_rows(now: datetime) -> None:
    accounts = MediaAccount.objects.filter(
        status=AccountStatus.RUNNING, platform__code__in=comment_codes(), comment_pull__isnull=True
    ).values_list("pk", flat=True)
    CommentPull.objects.bulk_create(
        [CommentPull(account_id=pk, next_pull_at=now) for pk in accounts], ignore_conflicts=True
    )


def claim(pull_id: int, now: datetime) -> bool:
    return bool(
        CommentPull.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            pk=pull_id,
            next_pull_at__lte=now,
        ).update(claimed_until=now + CLAIM)
    )


def pull_account(account: MediaAccount) -> int:
    """Read the account's comments. A list newest first across the account (Weibo's
    comments/to_me) is read until a page holds only known ones; a walk post by post (WeChat,
    Douyin: the newest posts' comments, comment_walk) is read to its end, since a page of known
    comments under one post says nothing of the next post."""
    client = client_for(account.platform.code)
    newest_first = getattr(client, "comments_newest_first", False)
    ref = account_ref(account)
    cursor, new = None, 0
    for _ in range(MAX_PAGES if newest_first else MAX_WALK_PAGES):
        page = client.list_comments(ref, cursor)
        created = messages_ingest(account=account, comments=page.comments)
        new += len(created)
        if page.next_cursor is None or (newest_first and not created):
            break
        cursor = page.next_cursor
    return new


def pull_due(*, now: datetime | None = None, force: bool = False) -> list[PullResult]:
    now = now or timezone.now()
    ensure_pull_rows(now)
    due = CommentPull.objects.filter(
        account__status=AccountStatus.RUNNING,
        account__platform__code__in=comment_codes(),
    )
    if not force:
        due = due.filter(next_pull_at__lte=now)
    results = []
    interval = timedelta(minutes=settings.INTERACTION_PULL_MINUTES)
    for pull in due.order_by("next_pull_at")[:ACCOUNTS_PER_TICK]:
        if force:
            CommentPull.objects.filter(pk=pull.pk).update(next_pull_at=now)
        if not claim(pull.pk, now):
            continue  # another worker has it
        account = MediaAccount.objects.select_related("platform", "host_org").get(
            pk=pull.account_id
        )
        try:
            new = pull_account(account)
        except PlatformError as exc:
            CommentPull.objects.filter(pk=pull.pk).update(
                claimed_until=None,
                next_pull_at=now + interval,
                last_error=exc.message[:500],
                failures=pull.failures + 1,
            )
            results.append(PullResult(account.pk, 0, exc.message))
            continue
        CommentPull.objects.filter(pk=pull.pk).update(
            claimed_until=None,
            next_pull_at=now + interval,
            last_pulled_at=now,
            last_error="",
            failures=0,
        )
        results.append(PullResult(account.pk, new))
    return results
