"""Pulled posts into the subscriptions (监测方案), as they arrive.

monitoring publishes POSTS_INGESTED(post_ids) inside a pull's transaction; `on_posts_ingested`
(subscribed in OpinionConfig.ready) evaluates them once that transaction commits, inline: a
pull's batch is one account's new page of posts (tens, at most a few hundred), and one shared
automaton over all subscriptions' terms evaluates a post in microseconds (bench/opinion.py:
1,000 subscriptions over 100,000 texts), so a background task would cost more in queueing than
the work itself; the automaton is rebuilt only when the subscriptions change. A failure is
logged and never fails the pull; `opinion_scan --days N` evaluates recent posts again (a
signal is stored once per subscription and content, so a second pass adds only what was missed).
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from govmedia.monitoring.models import Post

from .services.signals import IncomingText, signals_from_texts

logger = logging.getLogger(__name__)

BATCH = 2000


def post_texts(posts: Iterable[Post]) -> list[IncomingText]:
    return [
        IncomingText(
            content_kind="post",
            ref=f"post:{post.pk}",
            org_id=post.account.host_org_id,
            org_path=post.account.host_org.path,
            text=post.text,
            title=post.title,
            at=post.published_at,
            url=post.url,
            post_id=post.pk,
        )
        for post in posts
    ]


def scan_posts(post_ids: Iterable[int], *, now: datetime | None = None) -> int:
    ids = sorted({int(i) for i in post_ids})
    stored = 0
    for start in range(0, len(ids), BATCH):
        posts = (
            Post.objects.filter(pk__in=ids[start : start + BATCH], deleted_at__isnull=True)
            .select_related("account__host_org")
            .only("pk", "title", "text", "url", "published_at", "account__host_org__path")
        )
        stored += len(signals_from_texts(post_texts(posts), now=now))
    return stored


def on_posts_ingested(*, post_ids) -> None:
    """Subscriber of monitoring's POSTS_INGESTED: evaluate once the pull has committed."""
    ids = list(post_ids)
    if ids:
        transaction.on_commit(lambda: _scan_safely(ids), robust=True)


def _scan_safely(post_ids: list[int]) -> None:
    try:
        scan_posts(post_ids)
    except Exception:  # noqa: BLE001 - never fail the pull; opinion_scan catches up
        logger.exception("监测方案匹配失败（%s 条内容），可运行 opinion_scan 补做", len(post_ids))
