"""Checks of published content (通知第四部分（三）“对在政务新媒体上发现的违法有害信息，要果断应对、
及时处理”): every new or changed post is screened with the lexicons that apply to its host unit,
and a post with findings opens one 整改 item for that unit, due in working days.

Screening goes through screening.screen exactly as screen_text does (check_text, then the
unit's screener), taking the screener once per account rather than once per text: each lookup
reads the lexicon version, and a pull of 10,000 accounts screens 200,000 posts.

A post counts as screened when its screened_hash equals its content_hash, so a pull that fails
halfway, or a lexicon being rebuilt, leaves the post to be screened on the next pull.
"""

import logging
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


def screen_new_posts(batch: list[tuple[object, list[Post]]]) -> int:
    """Screen the given posts of each account (new, edited, or not screened yet); items opened.

    Call inside a transaction: the items opened and the marks of what was screened commit
    together, so a failure leaves the posts to be screened when next listed.
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
    return opened


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
