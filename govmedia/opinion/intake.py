"""Pulled posts, comments and messages into the subscriptions (监测方案), as they arrive.

monitoring publishes POSTS_INGESTED(post_ids) inside a pull's transaction; `on_posts_ingested`
(subscribed in OpinionConfig.ready) evaluates them once that transaction commits, inline: a
pull's batch is one account's new page of posts (tens, at most a few hundred), and one shared
automaton over all subscriptions' terms evaluates a post in microseconds (bench/opinion.py:
1,000 subscriptions over 100,000 texts), so a background task would cost more in queueing than
the work itself; the automaton is rebuilt only when the subscriptions change. A failure is
logged and never fails the pull; `opinion_scan --days N` evaluates recent posts again (a
signal is stored once per subscription and content, so a second pass adds only what was missed).

interaction publishes MESSAGES_STORED(message_ids) when it stores pulled comments (once each: a
re-pulled comment is not stored again) and messages entered by hand; `on_messages_stored` runs
them through the same `signals_from_texts` after commit, then keeps the comments' tones and
judges their posts for a spike (opinion.spikes).
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from govmedia.interaction.models import Message, Source
from govmedia.monitoring.models import Post
from govmedia.registry.models import MediaAccount

from . import spikes
from .models import CommentTone, Sentiment
from .sentiment import score
from .services.signals import IncomingText, signals_from_texts, store_signals

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


# --- comments and messages (interaction) -------------------------------------------------------


def message_texts(messages: Iterable[Message]) -> list[IncomingText]:
    """Pulled comments are read by subscriptions on comments; messages entered by hand (私信,
    12345 转办, 来信) by those on messages."""
    return [
        IncomingText(
            content_kind="comment" if m.source == Source.COMMENT else "message",
            ref=f"message:{m.pk}",
            org_id=m.org_id,
            org_path=m.org.path,
            text=m.text,
            title=m.post_excerpt[:60] if m.source == Source.COMMENT else "",
            at=m.received_at,
        )
        for m in messages
    ]


def scan_messages(message_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Subscriptions over the messages, then the comments' tones stored and their posts judged
    for a spike. Returns the signals stored."""
    ids = sorted({int(i) for i in message_ids})
    stored = 0
    for start in range(0, len(ids), BATCH):
        messages = list(
            Message.objects.filter(pk__in=ids[start : start + BATCH])
            .select_related("org")
            .only(
                "pk",
                "org_id",
                "org__path",
                "account_id",
                "source",
                "text",
                "post_excerpt",
                "platform_post_id",
                "received_at",
            )
        )
        stored += len(signals_from_texts(message_texts(messages), now=now))
        stored += len(spike_signals(messages, now=now))
    return stored


def spike_signals(messages: list[Message], *, now: datetime | None = None) -> list:
    """The pulled comments' tones kept (once each), and a signal per post that now spikes."""
    comments = [m for m in messages if m.source == Source.COMMENT]
    labels = {m.pk: score(m.text).label == Sentiment.NEGATIVE for m in comments}
    tones = spikes.tones_of(comments, labels)
    if not tones:
        return []
    CommentTone.objects.bulk_create(tones, ignore_conflicts=True, batch_size=500)
    now = now or timezone.now()
    made = []
    for account_id, post_key, at in spikes.candidates(tones):
        with transaction.atomic():
            # One judge at a time per account (its pull is claimed by one worker anyway).
            MediaAccount.objects.select_for_update().filter(pk=account_id).first()
            spike = spikes.judge(account_id, post_key, at)
            if spike is not None:
                made += store_signals([spikes.spike_item(spike, now=now)], now=now)
    return made


def on_messages_stored(*, message_ids) -> None:
    """Subscriber of interaction's MESSAGES_STORED: evaluate once the storing has committed."""
    ids = list(message_ids)
    if ids:
        transaction.on_commit(lambda: _scan_messages_safely(ids), robust=True)


def _scan_messages_safely(message_ids: list[int]) -> None:
    try:
        scan_messages(message_ids)
    except Exception:  # noqa: BLE001 - never fail the pull; opinion_scan catches up
        logger.exception(
            "留言评论舆情匹配失败（%s 条），可运行 opinion_scan 补做", len(message_ids)
        )
