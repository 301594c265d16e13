"""Checks of published content (通知第四部分（三）“对在政务新媒体上发现的违法有害信息，要果断应对、
及时处理”): every new or changed post is screened with the lexicons that apply to its host unit,
and a post with findings opens one 整改 item for that unit, due in working days.

Screening goes through screening.screen exactly as screen_text does (check_text, then the
unit's screener), taking the screener once per account rather than once per text: each lookup
reads the lexicon version, and a pull of 10,000 accounts screens 200,000 posts.

A post counts as screened when its screened_hash equals its content_hash. Pulls only store
posts; screening is a task of its own (screen_pending, queued after each pull round and run every
minute by the schedule), so it never slows a pull and never misses a post: whatever is pending
when it runs, however late, is screened once. Each chunk is one transaction holding its posts
locked (SKIP LOCKED on PostgreSQL, the IMMEDIATE write lock on SQLite), so two screening workers
never take the same post, and the items opened and the marks commit together. POSTS_INGESTED is
published for the posts of each chunk (publishing and coordination match them after commit).
"""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import ServiceError
from govmedia.notifications.services import notification_send
from govmedia.screening.models import CATEGORY_LABELS
from govmedia.screening.screen import check_text, screener_for
from govmedia.workdays.calendar import deadline

from .events import POSTS_INGESTED
from .models import Post, Rectification, RectificationStep

logger = logging.getLogger(__name__)

NOTIFY_KIND = "rectification_open"
SEVERITY_RANK = {"block": 2, "warn": 1}


@dataclass(frozen=True)
class Screened:
    findings: list[dict]
    lexicon_version: int


def screen_post(post: Post, screener) -> Screened:
    """The findings of a post's title and text, each marked with where it was found.

    `screener` is screening.screen.screener_for(unit): one per account and pull, since each
    lookup reads the lexicon version (a query) and a pull screens up to hundreds of posts.
    """
    findings = []
    for where, text, html in (("标题", post.title, False), ("正文", post.text, post.is_html)):
        text = check_text(text)
        findings += [
            {
                "where": where,
                "category": str(f.category),
                "category_label": CATEGORY_LABELS.get(f.category, str(f.category)),
                "rule": f.rule,
                "severity": str(f.severity),
                "matched": f.matched,
                "suggestion": f.suggestion,
                "basis": f.basis,
                "start": f.start,
                "end": f.end,
            }
            for f in (screener.check(text, html=html) if text.strip() else ())
        ]
    return Screened(findings, screener.version)


SCREEN_CHUNK = 200  # posts locked and screened in one transaction
SCREEN_BUDGET_SECONDS = 50  # a scheduled run stops within its minute


@dataclass
class ScreeningStats:
    posts: int = 0  # screened
    rectifications: int = 0  # opened
    left: int = 0  # taken but not screened (lexicons being rebuilt, text too large)
    seconds: float = 0.0

    def __str__(self):
        return (
            f"审查已发布内容 {self.posts} 条，新开整改 {self.rectifications} 件，"
            f"暂未审查 {self.left} 条，用时 {self.seconds:.1f} 秒"
        )


def pending_posts():
    """Posts whose current content has not been screened (new or edited since)."""
    return Post.objects.exclude(screened_hash=F("content_hash"))


def screening_enqueue() -> None:
    """Queue a screening run now (after a pull round stored new posts); inline when the
    cluster runs tasks synchronously (tests, as compliance does)."""
    if settings.Q_CLUSTER.get("sync"):
        screen_pending()
        return
    from django_q.tasks import async_task

    async_task(
        "govmedia.monitoring.tasks.screen_posts",
        q_options={"task_name": "已发布内容审查", "group": "monitoring"},
    )


def screen_pending(
    *, chunk: int = SCREEN_CHUNK, budget_seconds: float | None = None
) -> ScreeningStats:
    """Screen every pending post (or until the budget is spent), a chunk per transaction.

    Walks the pending posts by id once, so a post that cannot be screened now (it stays
    pending) is not taken again in the same run.
    """
    stats, started, after = ScreeningStats(), time.monotonic(), 0
    while budget_seconds is None or time.monotonic() - started < budget_seconds:
        with transaction.atomic():
            posts = list(
                pending_posts()
                .filter(pk__gt=after)
                .select_related("account__host_org")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:chunk]
            )
            if not posts:
                break
            after = posts[-1].pk
            by_account: dict[int, tuple[object, list[Post]]] = {}
            for post in posts:
                by_account.setdefault(post.account_id, (post.account, []))[1].append(post)
            opened, screened = _screen_batch(list(by_account.values()))
            if screened:
                POSTS_INGESTED.publish(post_ids=screened)
        stats.posts += len(screened)
        stats.rectifications += opened
        stats.left += len(posts) - len(screened)
    stats.seconds = time.monotonic() - started
    return stats


def _screen_batch(batch: list[tuple[object, list[Post]]]) -> tuple[int, list[int]]:
    """Screen the given posts of each account; (items opened, ids of the posts screened).

    Call inside a transaction: the items opened and the marks of what was screened commit
    together, so a failure leaves the posts pending.
    """
    screeners, screened, opened = {}, defaultdict(list), 0
    for account, posts in batch:
        try:
            if account.host_org_id not in screeners:
                screeners[account.host_org_id] = screener_for(account.host_org)
        except ServiceError as exc:  # lexicons being rebuilt: screened when next listed
            logger.warning("账号 %s 的已发布内容暂未审查：%s", account.pk, exc.message)
            continue
        screener = screeners[account.host_org_id]
        for post in posts:
            try:
                result = screen_post(post, screener)
            except ServiceError as exc:  # a text too large to screen
                logger.warning("已发布内容 %s 未能审查：%s", post.pk, exc.message)
                continue
            if result.findings:
                opened += rectification_open(post=post, account=account, screened=result)
            screened[screener.version].append(post)
    for version, posts in screened.items():
        # Marks the content that was screened: a post edited meanwhile has a hash not among
        # these, so it stays to be screened.
        Post.objects.filter(
            pk__in=[p.pk for p in posts], content_hash__in={p.content_hash for p in posts}
        ).update(screened_hash=F("content_hash"), screened_version=version)
    return opened, [post.pk for posts in screened.values() for post in posts]


def _summary(findings: list[dict]) -> str:
    words = []
    for f in findings:
        word = f"{f['matched']}（{f['category_label']}）"
        if word not in words:
            words.append(word)
    return "、".join(words)[:500]


def rectification_open(*, post: Post, account, screened: Screened) -> int:
    """Open an item for the post's unit unless one is already open for it (then 0)."""
    if Rectification.objects.active().filter(post=post).exists():
        return 0
    findings = screened.findings
    severity = max((f["severity"] for f in findings), key=lambda s: SEVERITY_RANK.get(s, 0))
    due = deadline(timezone.localdate(), settings.RECTIFY_WORKDAYS)
    try:
        with transaction.atomic():
            item = Rectification.objects.create(
                org=account.host_org,
                account=account,
                post=post,
                severity=severity,
                findings=findings,
                matched=_summary(findings),
                lexicon_version=screened.lexicon_version,
                due_on=due.date,
                due_provisional=due.provisional,
            )
            RectificationStep.objects.create(item=item, action="open", note=item.matched)
            audit_record(
                actor=None,
                action="rectification.open",
                obj=item,
                org=item.org,
                after={"post": post.pk, "matched": item.matched, "due_on": item.due_on},
            )
            notification_send(
                recipient_org=item.org,
                kind=NOTIFY_KIND,
                obj=item,
                link=reverse("monitoring:rectification", args=[item.pk]),
                message=f"“{account.name}”已发布的内容含有{item.matched}，"
                f"请于 {item.due_on.isoformat()} 前整改（依据：通知第四部分（三））",
            )
    except IntegrityError:  # an item for this post is already open (another pull won)
        return 0
    return 1
