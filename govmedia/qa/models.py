"""咨询答问库 (通知第三部分（二）“依托政府网站集约化平台完善和使用统一、权威、全面的咨询答问库”):
district-wide entries (QAEntry), each edit a numbered revision (QARevision) reviewed by the
district office before it is published, and the record of which suggestion a clerk took
(SuggestionRecord), so the ranking can be measured.

An entry's own fields hold what is published (for an entry never published yet: its first draft,
shown only to those who may edit it). An edit of a published entry waits as a pending revision,
and the published text stays in use (suggestions, public search) until the revision is approved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from govmedia.core.scope import RestrictedQuerySet, may, org_subtree_q, sees_whole_district


class EntryState(models.TextChoices):
    PENDING = "pending", "待审核"
    RETURNED = "returned", "已退回"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已停用"


class RevisionState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已退回"
    SUPERSEDED = "superseded", "已被新修订替代"


class QAEntryQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Published entries are the whole district's (any signed-in user reads them); drafts,
        returned and withdrawn entries only the owner unit's subtree and the district office,
        and a district-wide entry (no owner unit) only the district office."""
        if not may(user, f"qa.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()
        visible = org_subtree_q(user, "owner_org")
        if action == "view":
            visible |= Q(state=EntryState.PUBLISHED)
        return self.filter(visible)

    def published(self):
        return self.filter(state=EntryState.PUBLISHED)

    def valid_on(self, day):
        """Published and within its validity on `day`: what suggestions and the public see."""
        return self.published().filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class QAContent(models.Model):
    """The fields an editor writes, shared by an entry and each of its revisions."""

    question = models.CharField("标准问题", max_length=200)
    variants = models.JSONField(
        "相似问法", default=list, blank=True, help_text="群众常见的其他问法，每行一个"
    )
    answer = models.TextField("答复内容", max_length=5000)
    basis = models.CharField(
        "政策依据",
        max_length=500,
        blank=True,
        help_text="文件名称及文号，如《山东省流动人口服务管理办法》（鲁政发〔2020〕3号）",
    )
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField(
        "失效日期", null=True, blank=True, help_text="留空表示长期有效；到期前提醒责任单位"
    )

    class Meta:
        abstract = True

    CONTENT_FIELDS = ("question", "variants", "answer", "basis", "valid_from", "valid_to")

    def content(self) -> dict:
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    def set_content(self, content: dict) -> None:
        for name, value in content.items():
            setattr(self, name, value)
        if hasattr(self, "search_tokens"):
            from .ranking import entry_terms

            self.search_tokens = entry_terms(self.question, self.variants)


class QAEntry(QAContent):
    """答问条目."""

    scope_action_prefix = "qa"
    scope_org_field = "owner_org"

    owner_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空为全区通用条目，由区政府办公室负责",
    )
    state = models.CharField(
        "状态", max_length=20, choices=EntryState.choices, default=EntryState.PENDING
    )
    # The revision in use (published) and the one waiting for review, if any.
    published_revision = models.ForeignKey(
        "QARevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pending_revision = models.ForeignKey(
        "QARevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Moves with every change of what is published: the suggestion index is rebuilt when the
    # largest value or the count of published entries moves.
    changed_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)
    # The valid_to the owner was reminded of: set once by the sweep's conditional UPDATE, and a
    # new valid_to (an extended entry) is reminded of again.
    expiry_reminded_for = models.DateField(null=True, blank=True, editable=False)
    # The words and characters of the question and variants (ranking.entry_terms), stored by the
    # services when the entry's text changes: every process rebuilds its index without segmenting.
    search_tokens = models.JSONField(default=dict, blank=True, editable=False)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = QAEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "答问条目"
        verbose_name_plural = "答问条目"
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["state", "valid_to"]),
            models.Index(fields=["owner_org", "state"]),
        ]

    def __str__(self):
        return self.question

    @property
    def is_published(self) -> bool:
        return self.state == EntryState.PUBLISHED


class QARevision(QAContent):
    """One numbered version of an entry, as submitted, and its review (通过 or 退回)."""

    entry = models.ForeignKey(QAEntry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("版本号")
    state = models.CharField(
        "审核状态", max_length=20, choices=RevisionState.choices, default=RevisionState.PENDING
    )
    owner_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("修订说明", max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "答问条目修订"
        verbose_name_plural = "答问条目修订"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="qa_revision_number"),
            # One revision waits for review at a time: a new edit replaces the waiting one.
            models.UniqueConstraint(
                fields=["entry"], condition=Q(state="pending"), name="qa_one_pending_revision"
            ),
        ]

    def __str__(self):
        return f"{self.entry_id} 第{self.number}版"


class SuggestionRecord(models.Model):
    """Which suggested entry a clerk took for a message (entry None: none fitted), and at which
    rank it was shown (None: taken from elsewhere in the library)."""

    scope_action_prefix = "qa"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="单位",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        QAEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_ref = models.CharField("留言", max_length=100)
    rank = models.PositiveSmallIntegerField("推荐名次", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "答问推荐采纳记录"
        verbose_name_plural = "答问推荐采纳记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_at"])]
