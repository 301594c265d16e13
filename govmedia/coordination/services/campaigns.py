"""Issuing a repost task (转载任务): the source, the frozen targets, the deadline."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.monitoring.models import Post
from govmedia.notifications.models import NotificationKind
from govmedia.publishing.models import Article
from govmedia.publishing.services import approved_run

from ..models import DeadlineUnit, Priority, RepostCampaign, RepostTask, SourceKind
from ..selectors import clean_rule, preview_targets
from .common import LIMITS, due_and_reminder, link, notify_unit

MAX_NOTE = 2000


@dataclass(frozen=True)
class Source:
    kind: str
    title: str
    text: str
    html: bool
    url: str
    published_at: datetime
    post: Post | None = None
    article: Article | None = None
    revision_id: int | None = None
    account_id: int | None = None


def resolve_source(actor, kind: str, source_id) -> Source:
    """The post or approved article the actor may see, as the text reposts are judged against."""
    if kind == SourceKind.POST:
        post = get_scoped(Post.objects.select_related("account"), actor, source_id)
        if not post.text.strip():
            raise ServiceError("该内容没有正文，无法作为转载来源", field="source_id")
        return Source(
            kind=kind,
            title=post.headline,
            text=post.text,
            html=post.is_html,
            url=post.link,
            published_at=post.published_at,
            post=post,
            account_id=post.account_id,
        )
    if kind == SourceKind.ARTICLE:
        articles = Article.objects.alive().select_related("current_revision")
        article = get_scoped(articles, actor, source_id)
        run = approved_run(article)
        if run is None or run.finished_at is None:
            raise ServiceError("该稿件的当前版本尚未审核通过，不能作为转载来源", field="source_id")
        revision = article.current_revision
        return Source(
            kind=kind,
            title=revision.title,
            text=revision.body_html,
            html=True,
            url=revision.source_url,
            published_at=run.finished_at,
            article=article,
            revision_id=revision.pk,
        )
    raise ServiceError("请选择转载来源：已发布内容或审核通过的稿件", field="source_kind")


def clean_deadline(value, unit) -> tuple[int, str]:
    if unit not in DeadlineUnit.values:
        raise ServiceError("请选择时限单位：工作小时或工作日", field="deadline_unit")
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ServiceError("转载时限应为整数", field="deadline_value") from None
    limit = LIMITS[unit]
    if not 1 <= value <= limit:
        label = DeadlineUnit(unit).label
        raise ServiceError(f"转载时限应在 1–{limit} 个{label}之间", field="deadline_value")
    return value, unit


def repost_campaign_issue(
    *,
    actor,
    source_kind: str,
    source_id: int,
    rule: dict,
    deadline_value: int,
    deadline_unit: str,
    priority: str = Priority.NORMAL,
    title: str = "",
    note: str = "",
    expected_count: int | None = None,
    review_exempt: bool = False,
    now: datetime | None = None,
) -> RepostCampaign:
    """Issue the task: one RepostTask per account the rule chooses now (frozen), the accounts
    it leaves out kept with their reasons. `expected_count` is the count the issuer previewed:
    if the accounts changed since, nothing is issued and the issuer previews again."""
    if not may(actor, "coordination.issue") or actor.org_id is None:
        raise Forbidden("您无权下达转载任务")
    if review_exempt and not may(actor, "coordination.exempt_review"):
        raise Forbidden("只有区政府办公室可以免除转载的审核", field="review_exempt")
    if priority not in Priority.values:
        raise ServiceError("请选择优先级", field="priority")
    deadline_value, deadline_unit = clean_deadline(deadline_value, deadline_unit)
    note = clean_text(note, field="note", label="转载要求", max_length=MAX_NOTE)
    now = now or timezone.now()
    with transaction.atomic():
        source = resolve_source(actor, source_kind, source_id)
        title = (
            clean_text(title, field="title", label="任务名称", max_length=200)
            or (f"转载：{source.title}"[:200])
        )
        preview = preview_targets(actor, rule, source_account_id=source.account_id)
        if not preview.included:
            raise ServiceError("按此规则没有可下达的账号，请调整目标条件", field="rule")
        if expected_count is not None and int(expected_count) != preview.count:
            raise Conflict(
                f"目标账号已变化（预览时 {expected_count} 个，现在 {preview.count} 个），"
                "请重新预览后再下达"
            )
        due_at, remind_at = due_and_reminder(now, deadline_value, deadline_unit)
        campaign = RepostCampaign.objects.create(
            org=actor.org,
            title=title,
            note=note,
            priority=priority,
            source_kind=source.kind,
            source_post=source.post,
            source_article=source.article,
            source_revision_id=source.revision_id,
            source_account_id=source.account_id,
            source_title=source.title[:500],
            source_text=source.text,
            source_html=source.html,
            source_url=source.url[:1000],
            source_published_at=source.published_at,
            rule=clean_rule(rule),
            review_exempt=bool(review_exempt),
            excluded=preview.excluded,
            target_count=preview.count,
            deadline_value=deadline_value,
            deadline_unit=deadline_unit,
            issued_at=now,
            due_at=due_at,
            remind_at=remind_at,
            issued_by=actor,
        )
        RepostTask.objects.bulk_create(
            [
                RepostTask(campaign=campaign, account=account, org=account.host_org, due_at=due_at)
                for account in preview.included
            ]
        )
        audit_record(
            actor=actor,
            action="repost_campaign.issue",
            obj=campaign,
            org=campaign.org,
            after={
                "title": campaign.title,
                "source_kind": campaign.source_kind,
                "source_id": int(source_id),
                "rule": campaign.rule,
                "targets": [a.pk for a in preview.included],
                "excluded": preview.excluded,
                "priority": priority,
                "review_exempt": bool(review_exempt),
                "deadline": f"{deadline_value} {deadline_unit}",
                "due_at": due_at,
            },
        )
        _notify_issued(campaign, preview.included)
    return campaign


def _notify_issued(campaign: RepostCampaign, accounts) -> None:
    """Each target unit is told once, however many of its accounts are targets."""
    by_org: dict[int, list] = {}
    for account in accounts:
        by_org.setdefault(account.host_org_id, []).append(account)
    due = timezone.localtime(campaign.due_at)
    url = link("coordination:campaign", campaign_id=campaign.pk)
    for org_accounts in by_org.values():
        names = "、".join(a.name for a in org_accounts[:3]) + (
            f"等 {len(org_accounts)} 个账号" if len(org_accounts) > 3 else ""
        )
        notify_unit(
            org_accounts[0].host_org,
            kind=NotificationKind.REPOST_ISSUED,
            obj=campaign,
            url=url,
            message=f"【{campaign.get_priority_display()}】请于 {due:%Y-%m-%d %H:%M} 前在{names}"
            f"转载“{campaign.source_title[:60]}”（{campaign.org.name}下达）",
        )
