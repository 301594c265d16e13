"""会签 (通知第二部分（三）: information touching another unit's work is agreed with it
beforehand). The author's unit adds the units the article touches; each gets a Countersign and
its designated reviewers (the unit's 审核人, else its unit administrators) a grant row each
(ArticleGrant), which is what lets them see that one article (ArticleQuerySet.restrict), to
read only. One of them approves the current revision or returns it with a reason; the article
may publish only when every countersign approved the approved revision (publish_problem).
Removing a countersign deletes its grants: the article is out of their sight again."""

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.roles import Role
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.notifications.models import NotificationKind
from govmedia.orgs.models import Organization, OrgStatus
from govmedia.users.models import User

from ..models import Article, ArticleGrant, ArticleState, Countersign, CountersignState
from .common import MAX_REASON, locked_article, notify_users

AUDITED = ["state", "decided_by", "revision", "reason"]
CLOSED = (ArticleState.PUBLISHED,)


def designated_reviewers(org: Organization) -> list[User]:
    """Who countersigns for a unit: its own 审核人, else its unit administrators."""
    users = User.objects.filter(org=org, is_active=True).select_related("org")
    reviewers = list(users.filter(role=Role.REVIEWER))
    return reviewers or list(users.filter(role=Role.UNIT_ADMIN))


def countersign_add(*, actor, article_id: int, org_id, note: str = "", now=None) -> Countersign:
    if not may(actor, "publishing.write"):
        raise Forbidden("您无权发起会签")
    note = clean_text(note, field="note", label="会签事项", max_length=500, multiline=False)
    now = now or timezone.now()
    with transaction.atomic():
        get_scoped(Article.objects.alive(), actor, article_id, "write")
        article = locked_article(article_id)
        if article.state in CLOSED:
            raise Conflict("稿件已发布，不能再发起会签")
        org = Organization.objects.filter(pk=_int(org_id), status=OrgStatus.ACTIVE).first()
        if org is None:
            raise ServiceError("请选择正常运行的会签单位", field="org")
        if org.path.startswith(article.org.path):
            raise ServiceError("会签单位应为本单位以外的单位", field="org")
        if Countersign.objects.filter(article=article, org=org).exists():
            raise Conflict(f"已请{org.name}会签", field="org")
        reviewers = designated_reviewers(org)
        if not reviewers:
            raise ServiceError(f"{org.name}没有审核人或单位管理员，无法会签", field="org")
        countersign = Countersign.objects.create(
            article=article, org=org, note=note, requested_by=actor, requested_at=now
        )
        ArticleGrant.objects.bulk_create(
            ArticleGrant(article=article, user=user, countersign=countersign) for user in reviewers
        )
        audit_record(
            actor=actor,
            action="countersign.add",
            obj=countersign,
            org=article.org,
            after={"org": org.pk, "note": note, "grants": [u.pk for u in reviewers]},
        )
        notify_users(
            reviewers,
            kind=NotificationKind.COUNTERSIGN_REQUESTED,
            obj=countersign,
            article_id=article.pk,
            message=f"{article.org.name}请{org.name}会签稿件“{article.title}”"
            + (f"：{note}" if note else ""),
        )
    return countersign


def countersign_remove(*, actor, countersign_id: int, version: int) -> None:
    """The author's unit withdraws the request: the grants go with it."""
    if not may(actor, "publishing.write"):
        raise Forbidden("您无权撤销会签")
    with transaction.atomic():
        countersign = get_scoped(Countersign.objects.all(), actor, countersign_id, "write")
        article = locked_article(countersign.article_id)
        countersign = Countersign.objects.select_for_update().get(pk=countersign.pk)
        check_version(countersign, version, noun="会签")
        if article.state in CLOSED:
            raise Conflict("稿件已发布，会签记录不能撤销")
        before = snapshot(countersign, AUDITED) | {"org": countersign.org_id}
        grants = list(countersign.grants.values_list("user_id", flat=True))
        ArticleGrant.objects.filter(countersign=countersign).delete()
        audit_record(
            actor=actor,
            action="countersign.remove",
            obj=countersign,
            org=article.org,
            before=before | {"grants": grants},
        )
        countersign.delete()


def countersign_decide(
    *, actor, countersign_id: int, version: int, decision: str, reason: str = "", now=None
) -> Countersign:
    """A designated reviewer of the countersigning unit approves the current revision or
    returns it with a reason."""
    if not may(actor, "publishing.review"):
        raise Forbidden("您无权会签")
    if decision not in (CountersignState.APPROVED, CountersignState.RETURNED):
        raise ServiceError("请选择会签意见（同意或退回）", field="decision")
    reason = clean_text(reason, field="reason", label="会签意见", max_length=MAX_REASON)
    if decision == CountersignState.RETURNED and not reason:
        raise ServiceError("退回须说明理由", field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        countersign = get_scoped(Countersign.objects.all(), actor, countersign_id, "review")
        article = locked_article(countersign.article_id)
        countersign = Countersign.objects.select_for_update().get(pk=countersign.pk)
        check_version(countersign, version, noun="会签")
        if not ArticleGrant.objects.filter(countersign=countersign, user=actor).exists():
            raise Forbidden(f"只有{countersign.org.name}指定的会签人可以会签")
        if article.state in CLOSED or article.is_deleted:
            raise Conflict("稿件已发布或已删除，不能会签")
        before = snapshot(countersign, AUDITED)
        countersign.state = decision
        countersign.decided_by, countersign.decided_at = actor, now
        countersign.revision_id = article.current_revision_id
        countersign.reason = reason
        countersign.version += 1
        countersign.save()
        audit_record(
            actor=actor,
            action=f"countersign.{decision}",
            obj=countersign,
            org=article.org,
            before=before,
            after=snapshot(countersign, AUDITED),
        )
        verdict = "同意" if decision == CountersignState.APPROVED else f"退回：{reason}"
        notify_users(
            [article.author],
            kind=NotificationKind.COUNTERSIGN_DECIDED,
            obj=countersign,
            article_id=article.pk,
            message=f"{countersign.org.name}会签稿件“{article.title}”：{verdict}"[:500],
        )
    return countersign


def countersign_problem(article: Article) -> ServiceError | None:
    """Why the article may not publish for its countersigns (None if it may): each must have
    approved the current revision."""
    missing = [
        c.org.name
        for c in Countersign.objects.filter(article=article).select_related("org")
        if c.state != CountersignState.APPROVED or c.revision_id != article.current_revision_id
    ]
    if missing:
        return Conflict(f"尚待{'、'.join(missing)}会签同意当前版本，不能发布", field="target")
    return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
