"""留言互动 (通知第三部分（二）“群众需求迅速捕捉、疑问疑惑限时解答、改进措施及时跟进”).

- `Message` (留言): one netizen's message to one account, from any source: a comment pulled from
  the platform (idempotent by the platform's comment id, a follow-up kept in its thread through
  `parent`), or one entered by hand or imported from Excel (私信, 12345 转办, 来信) with its
  attachments. It has a class (suggested by keyword rules, confirmed by a person), an owner unit
  (`org`), a state (lifecycle.py) and a due time in working days per class, stored on the row and
  counted from `received_at`, which a 转办 never changes (the response time is the public's wait).
- `Reply` (答复): the account's answer to one message, drafted by an editor, screened, reviewed
  (as a publishing Article of class 答复, when the unit's flow for 答复 says so), then sent through
  the platform's reply API or recorded as sent elsewhere with proof. One reply per message is ever
  sent: the send is claimed by a conditional UPDATE and a partial unique constraint.
- `CommentPull`: per account, when its comments are next pulled and who holds the pull (claim).
- `HealthAlert`: an account's interaction-health alert, one per kind and month.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from govmedia.core.scope import RestrictedQuerySet


class Source(models.TextChoices):
    COMMENT = "comment", "平台评论"
    PRIVATE = "private", "私信"
    HOTLINE = "hotline", "12345转办"
    LETTER = "letter", "来信"
    OTHER = "other", "其他"


ENTERED_SOURCES = (Source.PRIVATE, Source.HOTLINE, Source.LETTER, Source.OTHER)


class MessageClass(models.TextChoices):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"
    OTHER = "other", "其他"
    NO_REPLY = "no_reply", "无需答复"  # spam, abuse, chatter: needs a reason


class MessageState(models.TextChoices):
    NEW = "new", "待分办"
    HANDLING = "handling", "办理中"
    REVIEWING = "reviewing", "待审核"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


OPEN_STATES = (MessageState.NEW, MessageState.HANDLING, MessageState.REVIEWING)
_OPEN = Q(state__in=["new", "handling", "reviewing"])


class MessageQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The unit's subtree as everywhere, written as `org_id IN (…)` (a handful of ids) so
        the inbox walks its (org, received) index instead of joining the org tree."""
        from govmedia.core.scope import may, sees_whole_district
        from govmedia.orgs.models import Organization

        if not may(user, f"interaction.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()
        if user.org_id is None:
            return self.none()
        orgs = Organization.objects.filter(path__startswith=user.org.path).values("pk")
        return self.filter(org_id__in=orgs)

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Message(models.Model):
    scope_action_prefix = "interaction"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    # The platform's own ids (comments): the key of idempotent pulls.
    # Douyin's are encrypted strings of about 90 characters.
    platform_comment_id = models.CharField("平台评论编号", max_length=128, blank=True)
    platform_post_id = models.CharField("所评内容编号", max_length=128, blank=True)
    post_excerpt = models.CharField("所评内容", max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="所追问的留言",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    thread_root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_name = models.CharField("留言人", max_length=100, blank=True)
    author_contact = models.CharField("联系方式", max_length=100, blank=True)
    reference = models.CharField("来件编号", max_length=60, blank=True, help_text="如 12345 工单号")
    text = models.TextField("留言内容")
    received_at = models.DateTimeField("收到时间")
    suggested_class = models.CharField(
        "建议分类", max_length=12, choices=MessageClass.choices, blank=True
    )
    message_class = models.CharField(
        "分类", max_length=12, choices=MessageClass.choices, blank=True
    )
    class_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    no_reply_reason = models.CharField("无需答复理由", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=MessageState.choices, default=MessageState.NEW
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.CharField("退回理由", max_length=200, blank=True)
    transfers = models.PositiveSmallIntegerField("转办次数", default=0)
    # Time limits, counted from received_at in working days (settings.INTERACTION_DUE_DAYS).
    due_at = models.DateTimeField("答复期限")
    remind_at = models.DateTimeField("提醒时间")
    district_due_at = models.DateTimeField("督办时间")
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    district_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    response_hours = models.FloatField("答复用时（工作小时）", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "platform_comment_id"],
                condition=~Q(platform_comment_id=""),
                name="one_message_per_platform_comment",
            ),
        ]
        # The inbox reads open messages far more than the rest: partial indexes over them
        # keep its pages and counts (index-only) independent of the closed history.
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="msg_received"),
            models.Index(fields=["org", "-received_at", "-id"], name="msg_org_received"),
            models.Index(fields=["-received_at", "-id"], name="msg_open_received", condition=_OPEN),
            models.Index(
                fields=["org", "-received_at", "-id"], name="msg_open_org", condition=_OPEN
            ),
            models.Index(
                fields=["org", "due_at", "handler"], name="msg_open_counts", condition=_OPEN
            ),
            models.Index(
                fields=["handler", "-received_at"], name="msg_open_handler", condition=_OPEN
            ),
            models.Index(fields=["state", "due_at"], name="msg_state_due"),
            models.Index(fields=["account", "received_at"], name="msg_account_received"),
        ]

    def __str__(self):
        return f"{self.author_name or '网友'}：{self.text[:30]}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def class_label(self) -> str:
        return self.get_message_class_display() if self.message_class else "未分类"


class Attachment(models.Model):
    """A file that came with a message entered by hand (a scanned letter, a 12345 work order)."""

    scope_action_prefix = "interaction"
    scope_org_field = "message__org"

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="interaction/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "留言附件"
        verbose_name_plural = "留言附件"
        ordering = ["id"]


class ReplyState(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEWING = "reviewing", "审核中"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    SENT_ELSEWHERE = "elsewhere", "已在平台外答复"
    FAILED = "failed", "发送失败"
    UNKNOWN = "unknown", "结果不明"  # the platform may have taken it: never re-sent blindly
    CANCELLED = "cancelled", "已作废"


# A reply in one of these states holds the message: no other reply may be sent.
HOLDING_STATES = (
    ReplyState.SENDING,
    ReplyState.SENT,
    ReplyState.SENT_ELSEWHERE,
    ReplyState.UNKNOWN,
)


class Reply(models.Model):
    scope_action_prefix = "interaction"
    scope_org_field = "message__org"

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="replies")
    text = models.TextField("答复内容")
    state = models.CharField(
        "状态", max_length=10, choices=ReplyState.choices, default=ReplyState.DRAFT
    )
    needs_review = models.BooleanField("须经审核", default=False)
    # The review: a publishing Article of class 答复 holding this text, reviewed by the flow.
    article = models.ForeignKey(
        "publishing.Article", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The revision submitted for this text: approval counts only for it (an edit clears it).
    revision = models.ForeignKey(
        "publishing.Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField("撰写时间")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    platform_reply_id = models.CharField("平台答复编号", max_length=128, blank=True)
    elsewhere_how = models.CharField("答复方式", max_length=200, blank=True)
    proof = models.FileField("答复凭证", upload_to="interaction/proof/%Y/%m/", blank=True)
    error = models.CharField("发送失败原因", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["-drafted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message"],
                condition=Q(state__in=["sending", "sent", "elsewhere", "unknown"]),
                name="one_sent_reply_per_message",
            )
        ]

    def __str__(self):
        return self.text[:40]


class CommentPull(models.Model):
    """When an account's comments are next pulled, and the claim on the pull under way."""

    account = models.OneToOneField(
        "registry.MediaAccount", on_delete=models.CASCADE, related_name="comment_pull"
    )
    next_pull_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_pulled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    failures = models.PositiveIntegerField(default=0)


class AlertKind(models.TextChoices):
    NO_WORKING_INTERACTION = "no_interaction", "无有效互动（单项否决风险）"
    OVERDUE = "overdue", "留言超期未答复过多"


class HealthAlert(models.Model):
    """An account crossed a threshold in a month: told once (the unique row is the claim)."""

    scope_action_prefix = "interaction"
    scope_org_field = "account__host_org"

    account = models.ForeignKey("registry.MediaAccount", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    month = models.DateField()
    detail = models.CharField(max_length=300)
    raised_at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "kind", "month"], name="one_alert_a_month")
        ]
