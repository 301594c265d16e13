"""站内通知: reminders and flags the platform sends to a unit (and to the district office).

A notification addressed to a unit is one row that its people share; whether it was read is each
person's own (NotificationRead), so one colleague reading it does not hide it from the others.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery

from govmedia.core.scope import RestrictedQuerySet, may


class NotificationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A unit's notifications are for its own people, not for everyone above it.

        Users see the notifications of their org and of the orgs under it (a 镇街's staff handle
        the filings of its 内设机构, which have no users of their own) — except at the district
        root, whose users would otherwise receive every unit's reminders: there only the root's
        own notifications count. Platform administrators also see the district-level ones wherever
        they sit. A notification addressed to one user is that user's alone.
        """
        if not may(user, f"notifications.{action}") or user.org_id is None:
            return self.none()
        org = user.org
        visible = (
            Q(recipient_org=org)
            if org.parent_id is None
            else Q(recipient_org__path__startswith=org.path)
        )
        if user.role == "platform_admin":
            visible |= Q(recipient_org__parent__isnull=True)
        return self.filter(visible).filter(Q(recipient_user__isnull=True) | Q(recipient_user=user))

    def unread(self, user):
        """Not yet read by this user (each person reads for themselves)."""
        return self.exclude(
            Exists(NotificationRead.objects.filter(notification=OuterRef("pk"), user=user))
        )

    def with_read_at(self, user):
        """Each row annotated with `read_at`: when this user read it, or None."""
        reads = NotificationRead.objects.filter(notification=OuterRef("pk"), user=user)
        return self.annotate(read_at=Subquery(reads.values("read_at")[:1]))


class NotificationKind(models.TextChoices):
    FILING_DUE_SOON = "filing_due_soon", "备案即将到期"
    FILING_OVERDUE = "filing_overdue", "备案已逾期"
    PASSWORD_STALE = "password_stale", "密码超期未修改"
    ACCOUNT_DORMANT = "account_dormant", "账号长期未更新"
    PULL_FAILING = "pull_failing", "采集失败"
    RECTIFICATION_OPEN = "rectification_open", "待整改"
    RECTIFICATION_RESOLVED = "rectification_resolved", "已整改待确认"
    RECTIFICATION_CONFIRMED = "rectification_confirmed", "整改已确认"
    RECTIFICATION_REOPENED = "rectification_reopened", "重新整改"
    REVIEW_REQUESTED = "review_requested", "稿件待审核"
    REVIEW_REASSIGNED = "review_reassigned", "稿件审核转交"
    REVIEW_OVERDUE = "review_overdue", "稿件审核超时"
    REVIEW_ESCALATED = "review_escalated", "稿件审核超时督办"
    REVIEW_RETURNED = "review_returned", "稿件被退回"
    REVIEW_REJECTED = "review_rejected", "稿件被驳回"
    REVIEW_APPROVED = "review_approved", "稿件审核通过"
    PUBLISH_READY = "publish_ready", "稿件待发布"
    PUBLICATION_DONE = "publication_done", "稿件已发布"
    PUBLICATION_FAILED = "publication_failed", "稿件发布失败"
    PUBLICATION_CANCELLED = "publication_cancelled", "稿件发布已取消"
    UNAPPROVED_POST = "unapproved_post", "未经审核发布"
    REPOST_ISSUED = "repost_issued", "转载任务"
    REPOST_DUE_SOON = "repost_due_soon", "转载任务即将到期"
    REPOST_OVERDUE = "repost_overdue", "转载任务逾期"
    REPOST_EXEMPTED = "repost_exempted", "转载任务已豁免"
    REPOST_REMINDED = "repost_reminded", "转载任务催办"
    PUBLISH_REQUESTED = "publish_requested", "发布申请待受理"
    PUBLISH_REQUEST_OUTCOME = "publish_request_outcome", "发布申请结果"
    FILING_SUBMITTED = "filing_submitted", "备案待审核"
    FILING_CO_SIGNED = "filing_co_signed", "备案主管单位已审核"
    FILING_RETURNED = "filing_returned", "备案被退回"
    FILING_APPROVED = "filing_approved", "备案已办结"
    FILING_STALLED = "filing_stalled", "备案审核超时"
    COUNTERFEIT_MOVED = "counterfeit_moved", "假冒账号线索进展"
    ASSESSMENT_RECTIFY = "assessment_rectify", "检查不合格待整改"
    ASSESSMENT_RECTIFY_CLOSED = "assessment_rectify_closed", "检查整改复查通过"
    ASSESSMENT_BULLETIN = "assessment_bulletin", "检查通报"
    QA_REVIEW = "qa_review", "答问条目审核"
    QA_EXPIRING = "qa_expiring", "答问条目即将失效"
    SERVICELINK_BROKEN = "servicelink_broken", "办事入口无法使用"
    MESSAGE_ASSIGNED = "message_assigned", "留言待办理"
    MESSAGE_DUE_SOON = "message_due_soon", "留言即将到期"
    MESSAGE_OVERDUE = "message_overdue", "留言超期未答复"
    MESSAGE_ESCALATED = "message_escalated", "留言超期督办"
    MESSAGE_TRANSFERRED = "message_transferred", "留言转办"
    MESSAGE_RETURNED = "message_returned", "留言退回"
    INTERACTION_ALERT = "interaction_alert", "互动回应预警"
    OPINION_ALERT = "opinion_alert", "舆情预警"
    OPINION_ASSIGNED = "opinion_assigned", "舆情转办"
    OPINION_OVERDUE = "opinion_overdue", "舆情处置超时"
    OPINION_ESCALATED = "opinion_escalated", "舆情超时督办"
    OPINION_LEVEL_RAISED = "opinion_level_raised", "舆情等级提升"
    COUNTERSIGN_REQUESTED = "countersign_requested", "稿件待会签"
    COUNTERSIGN_DECIDED = "countersign_decided", "会签意见"


class Notification(models.Model):
    scope_action_prefix = "notifications"
    scope_org_field = "recipient_org"

    recipient_org = models.ForeignKey(
        "orgs.Organization", verbose_name="接收单位", on_delete=models.CASCADE, related_name="+"
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="为空表示单位内有权查看的人员均可见",
    )
    kind = models.CharField("类型", max_length=40, choices=NotificationKind.choices)
    message = models.CharField("内容", max_length=500)
    link = models.CharField("链接", max_length=300, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient_org", "created_at"])]

    def __str__(self):
        return self.message


class NotificationRead(models.Model):
    """One person has read one notification: read state is per user, not per unit."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("已读时间", auto_now_add=True)

    class Meta:
        verbose_name = "通知已读记录"
        verbose_name_plural = "通知已读记录"
        constraints = [
            models.UniqueConstraint(fields=["user", "notification"], name="one_read_per_user")
        ]
