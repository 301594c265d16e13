"""稿件审核与发布 (通知第四部分（二）“分级审核、先审后发、授权发布”), as data.

Three groups of tables:

- the content: `Article` (稿件) and its append-only `Revision`s (修订), its `ArticleTarget`s (the
  accounts it is meant for) and its uploaded images (`RevisionImage`);
- the review: the definition (`ReviewFlow` and its ordered `ReviewStep`s, edited by the unit
  administrator) and the runtime (`ReviewRun` per submitted revision, its `ReviewRunStep`s copied
  from the definition when the run starts, and the `ReviewDecision`s of the reviewers);
- the publishing: `PublishGrant` (授权发布人, per account and user, with a validity period) and
  `Publication` (one revision to one account, through the platform's API or recorded by hand).

One text, one article. "One story adapted per platform, each adaptation its own text" is modelled
as one Article per adaptation: an Article has exactly one stream of revisions (its text), is
reviewed as one unit (one run per submitted revision) and targets one or more accounts that
publish that same text (two WeChat accounts of a unit, say). The WeChat article and the 140-字
Weibo status of the same story are two Articles; the second is made from the first
(`adapted_from`, always the story's first article), so the adaptations of a story are
`Article.objects.filter(Q(pk=root) | Q(adapted_from=root))`. The alternative — one article, one
revision stream per target — would make a run approve several texts at once and leave "the
revision this decision approved" ambiguous; here a decision approves exactly one revision hash.

Everything that decides what is published and how it is reviewed is part of the revision: its
title and body, the 原文链接, the cover, the content class and the targets. The content class
and the targets are also kept on the Article (for lists and flow resolution), but they change
only through `article_revise`, which makes a new revision and restarts the review; a revision
records them as they were (`content_class`, `targets`), so an old 审签单 stays true.

Immutability: revisions, their images and review decisions are never updated or deleted. Their
`save()` refuses an update, `delete()` refuses, and their querysets refuse `update()` and
`delete()`; the services only ever insert them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from govmedia.core.roles import Role
from govmedia.core.scope import RestrictedQuerySet, may, org_subtree_q, sees_whole_district


class ImmutableRecord(Exception):
    """A service or script tried to change a row that is history (a revision, a decision)."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(f"{self.model.__name__} rows are never updated")

    def delete(self):
        raise ImmutableRecord(f"{self.model.__name__} rows are never deleted")


class AppendOnly(models.Model):
    """Rows that are inserted once and never changed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(f"{type(self).__name__} {self.pk} is immutable")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(f"{type(self).__name__} rows are never deleted")


# --- the content ---------------------------------------------------------------------------


class ContentClass(models.TextChoices):
    DAILY = "daily", "日常信息"
    INTERPRETATION = "interpretation", "政策解读"
    MAJOR_POLICY = "major_policy", "重大政策"
    EMERGENCY = "emergency", "突发事件"
    REPOST = "repost", "转载"
    # 答复 to a netizen's message (govmedia.interaction): reviewed when the unit has a flow for it.
    REPLY = "reply", "答复"


class ArticleState(models.TextChoices):
    """撤回 is not a state: a withdrawn article is a draft again (its run records 已撤回)."""

    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "已退回"
    REJECTED = "rejected", "已驳回"
    APPROVED = "approved", "已通过"
    PUBLISHED = "published", "已发布"  # to at least one of its targets


def _reviewer_of(user) -> Q:
    """Articles the user is (or was) a reviewer of a step of: a district step's reviewers sit
    outside the unit's subtree and still must see what they review."""
    steps = ReviewRunStep.objects.filter(reviewers=user, run__article=OuterRef("pk"))
    return Q(Exists(steps))


def _granted_to(user) -> Q:
    """Articles an explicit grant row opens to the user (会签: a countersigning unit's
    designated reviewer), to read only: never for writing, reviewing or publishing."""
    grants = ArticleGrant.objects.filter(user=user, article=OuterRef("pk"))
    return Q(Exists(grants))


class ArticleQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The unit's subtree (as everywhere), plus the articles the user reviews or reviewed,
        plus, to view, those a grant row opens to the user (会签)."""
        if not may(user, f"publishing.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()  # (an empty Q ORed with another would narrow it to the other)
        visible = org_subtree_q(user, "org")
        if action in ("view", "review"):
            visible |= _reviewer_of(user)
        if action == "view":
            visible |= _granted_to(user)
        return self.filter(visible)

    def alive(self):
        return self.filter(deleted_at__isnull=True)


class Article(models.Model):
    scope_action_prefix = "publishing"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="单位",
        on_delete=models.PROTECT,
        related_name="articles",
    )
    adapted_from = models.ForeignKey(
        "self",
        verbose_name="改编自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adaptations",
        help_text="同一稿件按平台改编的各个版本，指向该组的第一篇稿件",
    )
    content_class = models.CharField("内容类别", max_length=20, choices=ContentClass.choices)
    title = models.CharField("标题", max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作者", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=20, choices=ArticleState.choices, default=ArticleState.DRAFT
    )
    current_revision = models.ForeignKey(
        "Revision",
        verbose_name="当前修订",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["org", "state"]),
            models.Index(fields=["author", "state"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ArticleTarget(models.Model):
    """An account the article is meant for (one row per account). Changed only with a new
    revision (article_create / article_revise), so the approved revision's targets are these."""

    scope_action_prefix = "publishing"
    scope_org_field = "article__org"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="targets")
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="发布账号",
        on_delete=models.PROTECT,
        related_name="article_targets",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "发布账号"
        verbose_name_plural = "发布账号"
        ordering = ["article", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "account"], name="one_target_per_account")
        ]

    def __str__(self):
        return f"{self.article} → {self.account}"


class RevisionImage(AppendOnly):
    """An image uploaded for an article: JPEG, PNG or GIF (read from its bytes), at most 2 MB,
    stored once per content under MEDIA_ROOT/publishing/<article id>/<sha256>.<ext>; revisions
    whose body shows it (or whose cover it is) link to it."""

    scope_action_prefix = "publishing"
    scope_org_field = "article__org"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="images")
    file = models.FileField("图片", max_length=200)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField("大小（字节）")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件图片"
        verbose_name_plural = "稿件图片"
        constraints = [
            models.UniqueConstraint(fields=["article", "sha256"], name="one_image_per_content")
        ]

    def __str__(self):
        return self.file.name


class Revision(AppendOnly):
    """修订: one immutable version of an article's text. Approval binds to it (content_hash)."""

    scope_action_prefix = "publishing"
    scope_org_field = "article__org"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField("修订号")
    title = models.CharField("标题", max_length=64)
    body_html = models.TextField("正文", help_text="已按白名单清理的 HTML")
    body_text = models.TextField("正文文本", help_text="正文的纯文本，供审查、比对与差异显示")
    source_url = models.URLField("原文链接", max_length=1000, blank=True)
    content_class = models.CharField("内容类别", max_length=20, choices=ContentClass.choices)
    targets = models.JSONField(
        "发布账号", default=list, help_text="修订时的发布账号：[{id, name, platform}]"
    )
    cover = models.ForeignKey(
        RevisionImage,
        verbose_name="封面",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    images = models.ManyToManyField(RevisionImage, blank=True, related_name="revisions")
    content_hash = models.CharField("内容指纹", max_length=64, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    findings = models.JSONField("审查发现", default=list)
    lexicon_version = models.PositiveIntegerField("词库版本", default=0)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "修订"
        verbose_name_plural = "修订"
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")
        ]

    def __str__(self):
        return f"{self.title}（第{self.number}版）"


# --- the review: definition ------------------------------------------------------------------


class FlowPurpose(models.TextChoices):
    UNIT = "unit", "单位审核流程"
    # Steps the district office appends to every run of a content class, whatever the unit.
    DISTRICT_MANDATORY = "mandatory", "区级必经环节"


class Stage(models.TextChoices):
    FIRST = "first", "初审"
    SECOND = "second", "复审"
    FINAL = "final", "终审"


class StepMode(models.TextChoices):
    ANY = "any", "任一审核人通过"
    ALL = "all", "全部审核人通过"


class LimitUnit(models.TextChoices):
    HOURS = "hours", "工作小时"
    DAYS = "days", "工作日"


class ReviewFlow(models.Model):
    """审核流程 of a unit (its org), or the district default (the flow of the district's root
    org), optionally narrowed to one account and/or one content class. Resolution for an
    article: most specific wins (see services.flows.resolve_flow). A DISTRICT_MANDATORY flow
    (root org, one content class) is appended to every run of that class.

    Editing a flow replaces its steps and bumps `version`; runs already started keep the copy
    they made of the steps (ReviewRunStep), so they never change."""

    scope_action_prefix = "publishing"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("流程名称", max_length=60)
    purpose = models.CharField(
        "类型", max_length=20, choices=FlowPurpose.choices, default=FlowPurpose.UNIT
    )
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="适用账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_class = models.CharField(
        "适用内容类别", max_length=20, choices=ContentClass.choices, blank=True
    )
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "审核流程"
        verbose_name_plural = "审核流程"
        ordering = ["org__path", "purpose", "account", "content_class", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "purpose", "content_class"],
                condition=Q(is_active=True, account__isnull=True),
                name="one_active_flow_per_scope",
                violation_error_message="该范围已有启用的审核流程",
            ),
            models.UniqueConstraint(
                fields=["org", "purpose", "account", "content_class"],
                condition=Q(is_active=True, account__isnull=False),
                name="one_active_account_flow_per_scope",
                violation_error_message="该账号已有启用的审核流程",
            ),
        ]

    def __str__(self):
        return self.name


class ReviewStep(models.Model):
    """审核环节 of a flow: who may act (a role in an org, and/or named users), how many of
    them must approve (one or all), and within how long."""

    flow = models.ForeignKey(ReviewFlow, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("顺序")
    stage = models.CharField("审级", max_length=10, choices=Stage.choices)
    name = models.CharField("环节名称", max_length=60, blank=True, help_text="留空时显示审级")
    mode = models.CharField("通过方式", max_length=10, choices=StepMode.choices)
    limit_value = models.PositiveSmallIntegerField("时限")
    limit_unit = models.CharField("时限单位", max_length=10, choices=LimitUnit.choices)
    reviewer_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="审核人所在单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer_role = models.CharField("审核人角色", max_length=30, choices=Role.choices, blank=True)
    reviewer_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="指定审核人", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "审核环节"
        verbose_name_plural = "审核环节"
        ordering = ["flow", "position"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "position"], name="step_position_unique")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name or self.get_stage_display()


# --- the review: runtime ---------------------------------------------------------------------


class RunState(models.TextChoices):
    IN_PROGRESS = "in_progress", "审核中"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"
    CANCELLED = "cancelled", "已作废"  # the article was edited or deleted during the run


class StepState(models.TextChoices):
    PENDING = "pending", "待开始"
    ACTIVE = "active", "审核中"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"
    REJECTED = "rejected", "已驳回"
    CANCELLED = "cancelled", "已终止"


class StepSource(models.TextChoices):
    UNIT = "unit", "单位审核流程"
    DISTRICT = "district", "区级必经环节"


class ReviewRun(models.Model):
    """审核记录: one submitted revision going through the flow in force when it was submitted.

    `findings` are the screening findings of the revision with the lexicons of the moment of
    submission: each approving reviewer acknowledges every `warn` among them."""

    scope_action_prefix = "publishing"
    scope_org_field = "article__org"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="runs")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="runs")
    revision_hash = models.CharField("修订指纹", max_length=64)
    flow = models.ForeignKey(
        ReviewFlow, null=True, blank=True, on_delete=models.PROTECT, related_name="runs"
    )
    flow_version = models.PositiveIntegerField(default=0)
    flow_name = models.CharField("审核流程", max_length=60, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=RunState.choices, default=RunState.IN_PROGRESS
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("提交时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    findings = models.JSONField("审查发现", default=list)
    lexicon_version = models.PositiveIntegerField("词库版本", default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(state="in_progress"),
                name="one_run_in_progress_per_article",
                violation_error_message="该稿件已在审核中",
            )
        ]

    def __str__(self):
        return f"{self.article}：{self.get_state_display()}"


class ReviewRunStep(models.Model):
    """One step of one run, copied from the flow when the run started (stage, mode, time limit,
    the eligible reviewers as they were, the author left out), so a later change of the flow
    never changes it. A hand-over (review_reassign) changes `reviewers`, audited."""

    scope_action_prefix = "publishing"
    scope_org_field = "run__article__org"

    run = models.ForeignKey(ReviewRun, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField("顺序")
    stage = models.CharField("审级", max_length=10, choices=Stage.choices)
    name = models.CharField("环节名称", max_length=60, blank=True)
    mode = models.CharField("通过方式", max_length=10, choices=StepMode.choices)
    limit_value = models.PositiveSmallIntegerField("时限")
    limit_unit = models.CharField("时限单位", max_length=10, choices=LimitUnit.choices)
    source = models.CharField(
        "来源", max_length=10, choices=StepSource.choices, default=StepSource.UNIT
    )
    source_step = models.ForeignKey(
        ReviewStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="审核人", related_name="review_run_steps"
    )
    state = models.CharField(
        "状态", max_length=20, choices=StepState.choices, default=StepState.PENDING
    )
    activated_at = models.DateTimeField("开始时间", null=True, blank=True)
    due_at = models.DateTimeField("审核期限", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    # The overdue sweep: reminded once (the reviewers), escalated once (the unit administrators).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalate_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "审核环节记录"
        verbose_name_plural = "审核环节记录"
        ordering = ["run", "position"]
        indexes = [models.Index(fields=["state", "due_at"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="run_step_position_unique")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name or self.get_stage_display()


class Decision(models.TextChoices):
    APPROVE = "approve", "通过"
    RETURN = "return", "退回修改"
    REJECT = "reject", "驳回"


# 国办发〔2018〕123号: the four checks every approving reviewer ticks.
CHECKS = {
    "political": "政治关",
    "legal": "法律关",
    "secrecy": "保密关",
    "wording": "文字关",
}


class ReviewDecision(AppendOnly):
    """审核意见: who decided what about which revision (by hash), with the four checks and the
    acknowledgement of every `warn` finding. 谁审查、谁负责: never changed, never deleted."""

    scope_action_prefix = "publishing"
    scope_org_field = "run__article__org"

    run = models.ForeignKey(ReviewRun, on_delete=models.PROTECT, related_name="decisions")
    run_step = models.ForeignKey(ReviewRunStep, on_delete=models.PROTECT, related_name="decisions")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("审核意见", max_length=10, choices=Decision.choices)
    reason = models.TextField("意见说明", blank=True)
    checks = models.JSONField("四关检查", default=dict)
    acknowledgements = models.JSONField("提醒核实说明", default=dict)
    revision_hash = models.CharField("所审修订指纹", max_length=64)
    decided_at = models.DateTimeField("审核时间")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ["decided_at", "id"]
        constraints = [
            # Nobody approves the same revision twice in one run (初审 and 终审 by one person).
            models.UniqueConstraint(
                fields=["run", "reviewer"],
                condition=Q(decision="approve"),
                name="one_approval_per_reviewer_per_run",
            ),
            models.UniqueConstraint(
                fields=["run_step", "reviewer"], name="one_decision_per_reviewer_per_step"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer}：{self.get_decision_display()}"


# --- publishing ----------------------------------------------------------------------------


class InboxEntry(models.Model):
    """A step under way that waits for one reviewer's decision: the review inbox as rows, so
    that counting a reviewer's waiting and overdue steps is one index range scan however many
    steps and decisions there are. Derived data, never written directly: publishing.inbox.sync
    recomputes an article's entries in the transaction of every service that changes its
    steps, their reviewers or decisions, or deletes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(ReviewRunStep, on_delete=models.CASCADE, related_name="inbox")
    article_id = models.BigIntegerField(db_index=True)  # what sync() replaces, without a join
    due_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="inbox_entry_unique")]
        indexes = [models.Index(fields=["user", "due_at", "step"], name="inbox_user_due")]


class PublishGrant(models.Model):
    """授权发布人: this user may publish approved articles to this account from `valid_from` to
    `valid_until` (both included), until revoked."""

    scope_action_prefix = "publishing"
    scope_org_field = "account__host_org"

    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.PROTECT,
        related_name="publish_grants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="授权发布人",
        on_delete=models.PROTECT,
        related_name="publish_grants",
    )
    valid_from = models.DateField("有效期自")
    valid_until = models.DateField("有效期至")
    note = models.CharField("说明", max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="授权人", on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField("撤销理由", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "授权发布人"
        verbose_name_plural = "授权发布人"
        ordering = ["account", "user", "-valid_from"]
        indexes = [models.Index(fields=["account", "user", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="grant_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.account}"

    def valid_on(self, day) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until


class PublicationState(models.TextChoices):
    SCHEDULED = "scheduled", "定时待发"
    QUEUED = "queued", "排队中"
    PUBLISHING = "publishing", "发布中"
    PUBLISHED = "published", "已发布"
    FAILED = "failed", "发布失败"
    # The request may have reached the platform with no usable answer: never retried blindly.
    UNKNOWN = "unknown", "结果不明"
    CANCELLED = "cancelled", "已取消"


# A publication in one of these states does not hold its (revision, account) pair.
RELEASED_STATES = (PublicationState.FAILED, PublicationState.CANCELLED)
PENDING_STATES = (PublicationState.SCHEDULED, PublicationState.QUEUED)


class Publication(models.Model):
    """One revision to one account: through the platform's API (a background task re-reads, when
    it runs, that the revision is still the approved one), or recorded by hand (`manual`) for
    platforms whose API cannot publish (抖音, 快手)."""

    scope_action_prefix = "publishing"
    scope_org_field = "article__org"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="publications")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="publications")
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.PROTECT,
        related_name="publications",
    )
    state = models.CharField(
        "状态", max_length=20, choices=PublicationState.choices, default=PublicationState.QUEUED
    )
    manual = models.BooleanField("人工登记", default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    due_at = models.DateTimeField("发布时间", help_text="立即发布为申请时间，定时发布为预定时间")
    started_at = models.DateTimeField(null=True, blank=True)
    ticket = models.CharField("平台发布任务号", max_length=100, blank=True)
    post_id = models.CharField("平台内容编号", max_length=100, blank=True)
    url = models.URLField("链接", max_length=1000, blank=True)
    published_at = models.DateTimeField("发布完成时间", null=True, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False)
    polls = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "发布记录"
        verbose_name_plural = "发布记录"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["state", "next_poll_at"]),
        ]
        constraints = [
            # A double submit applies once: one live publication per revision and account.
            models.UniqueConstraint(
                fields=["revision", "account"],
                condition=~Q(state__in=["failed", "cancelled"]),
                name="one_live_publication_per_revision_account",
                violation_error_message="该修订已发布或正在发布到此账号",
            )
        ]

    def __str__(self):
        return f"{self.article} → {self.account}：{self.get_state_display()}"


# --- proof of 先审后发: pulled posts matched to approved revisions ----------------------------


class MatchState(models.TextChoices):
    MATCHED = "matched", "已匹配审核稿件"
    UNAPPROVED = "unapproved", "未经审核发布"
    DISMISSED = "dismissed", "已排除"
    # A repost of a repost task the district office exempted from review (exemptions.py).
    EXEMPT = "exempt", "免审转载"


class PostMatchQuerySet(RestrictedQuerySet):
    def findings(self):
        """未经审核发布: the posts matching no approved revision, not dismissed."""
        return self.filter(state=MatchState.UNAPPROVED)


class PostMatch(models.Model):
    """What a pulled post (monitoring.Post) was judged to publish (unapproved.py): the approved
    revision it matches, or none — a 未经审核发布 finding, which a platform administrator may
    dismiss as a false positive with a reason (audited). `content_hash` is the post's content
    that was judged: an edit on the platform makes the post be judged again."""

    scope_action_prefix = "publishing"
    scope_org_field = "account__host_org"

    post = models.OneToOneField(
        "monitoring.Post", verbose_name="已发布内容", on_delete=models.CASCADE, related_name="match"
    )
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.CASCADE,
        related_name="post_matches",
    )
    published_at = models.DateTimeField("发布时间")  # the post's, for ordering without a join
    content_hash = models.CharField(max_length=64, editable=False)
    state = models.CharField("结论", max_length=20, choices=MatchState.choices)
    revision = models.ForeignKey(
        Revision,
        verbose_name="审核通过的修订",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="post_matches",
    )
    nearest = models.ForeignKey(
        Revision,
        verbose_name="最相近的修订",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    publication = models.ForeignKey(
        Publication,
        verbose_name="发布记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="post_matches",
    )
    score = models.PositiveSmallIntegerField("相似度", default=0)
    reason = models.CharField("判定说明", max_length=500, blank=True)
    candidates = models.PositiveIntegerField("候选修订数", default=0)
    matched_at = models.DateTimeField("判定时间")
    dismissed_at = models.DateTimeField("排除时间", null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="排除人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dismiss_reason = models.CharField("排除理由", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PostMatchQuerySet.as_manager()

    class Meta:
        verbose_name = "发布内容比对"
        verbose_name_plural = "发布内容比对"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["state", "published_at"]),
            models.Index(fields=["account", "state"]),
        ]

    def __str__(self):
        return f"{self.post}：{self.get_state_display()}"


# --- 会签: other units whose work the article touches ------------------------------------------


class CountersignState(models.TextChoices):
    PENDING = "pending", "待会签"
    APPROVED = "approved", "会签同意"
    RETURNED = "returned", "会签退回"


class CountersignQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The article's unit's subtree; and, to view or decide, the countersigns the user is
        a designated reviewer of (by the grant row)."""
        if not may(user, f"publishing.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()
        visible = org_subtree_q(user, "article__org")
        if action in ("view", "review"):
            visible |= Q(Exists(ArticleGrant.objects.filter(user=user, countersign=OuterRef("pk"))))
        return self.filter(visible)


class Countersign(models.Model):
    """会签 (通知第二部分（三）“涉及其他单位工作的，事先征求意见”): the author asks another unit
    whose work the article touches; that unit's designated reviewers (its 审核人, else its unit
    administrators) get a grant row each (ArticleGrant), see that one article, read-only, and
    one of them decides. The article may publish only when every countersign approved the
    revision that was approved (services.publications.publish_problem). Removing the
    countersign deletes the grants."""

    scope_action_prefix = "publishing"
    scope_org_field = "article__org"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="countersigns")
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="会签单位", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("会签事项", max_length=500, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=CountersignState.choices, default=CountersignState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("发起时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="会签人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("会签时间", null=True, blank=True)
    # The revision the decision is about: a later revision needs the countersign again.
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("会签意见", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CountersignQuerySet.as_manager()

    class Meta:
        verbose_name = "会签"
        verbose_name_plural = "会签"
        ordering = ["article", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "org"], name="one_countersign_per_unit")
        ]

    def __str__(self):
        return f"{self.article} · {self.org}会签"


class ArticleGrant(models.Model):
    """An explicit grant: this user may view this article although it lies outside their
    subtree (ArticleQuerySet.restrict). Made and removed only with its countersign."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_grants"
    )
    countersign = models.ForeignKey(Countersign, on_delete=models.CASCADE, related_name="grants")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "稿件查看授权"
        verbose_name_plural = "稿件查看授权"
        constraints = [
            models.UniqueConstraint(fields=["countersign", "user"], name="one_grant_per_user")
        ]
        indexes = [models.Index(fields=["user", "article"])]
