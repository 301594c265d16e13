"""转载 through the platform: a task's repost is content of the target account, so the unit
writes it as an article of the 转载 content class (its own, shorter review flow, resolved by
content class as every flow is), carrying the source's text, 原文链接 and a 来源 line, for
the task's account; it is reviewed and published like any article, and the pull then finds
the published repost and completes the task (detection.py). A task the district office
exempted from review needs no draft (review rule: govmedia/coordination/review.py)."""

from html import escape

from django.db import transaction

from govmedia.audit.services import audit_record
from govmedia.core.errors import Forbidden
from govmedia.core.scope import get_scoped, may
from govmedia.publishing.models import Article, ContentClass
from govmedia.publishing.services.articles import MAX_TITLE, article_create

from ..lifecycle import TASK
from ..models import RepostTask


def repost_body(task: RepostTask) -> str:
    """The source as the draft's body: its HTML as issued (publishing sanitises it), or its
    lines as paragraphs; then the 来源 line naming where it was first published."""
    campaign = task.campaign
    if campaign.source_html:
        body = campaign.source_text
    else:
        body = "".join(
            f"<p>{escape(line.strip())}</p>"
            for line in campaign.source_text.splitlines()
            if line.strip()
        )
    origin = campaign.source_account.name if campaign.source_account else campaign.org.name
    return f"{body}<p>来源：{escape(origin)}</p>"


def repost_task_draft(*, actor, task_id: int) -> Article:
    """The task's 转载 draft (草稿, for the task's account), made once: asked again (a double
    submit, a second editor), the draft already made is returned while it is not deleted."""
    if not may(actor, "coordination.complete") or not may(actor, "publishing.write"):
        raise Forbidden("您无权撰写转载稿")
    with transaction.atomic():
        get_scoped(RepostTask.objects.all(), actor, task_id, "complete")
        task = (
            RepostTask.objects.select_for_update(of=("self",))
            .select_related("campaign__source_account", "campaign__org", "org", "account")
            .get(pk=task_id)
        )
        if task.article_id is not None:
            existing = Article.objects.alive().filter(pk=task.article_id).first()
            if existing is not None:
                return existing
        TASK.check(task, "draft", actor)
        campaign = task.campaign
        title = (campaign.source_title or campaign.title).strip()[:MAX_TITLE]
        article = article_create(
            actor=actor,
            org_id=task.org_id,
            content_class=ContentClass.REPOST,
            title=title,
            body_html=repost_body(task),
            target_ids=[task.account_id],
            source_url=campaign.source_link,
            is_demo=campaign.is_demo,
        )
        task.article = article
        task.version += 1
        task.save(update_fields=["article", "version"])
        audit_record(
            actor=actor,
            action="repost_task.draft",
            obj=task,
            org=task.org,
            after={"article": article.pk, "content_class": ContentClass.REPOST},
        )
    return article
