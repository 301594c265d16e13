"""协同联动 (通知第二部分（三）“整体联动、集体发声”): repost tasks across the account matrix.

- `RepostCampaign` (转载任务): one source — a post pulled from a registered account, or an
  approved article — that an issuer (the district office, or a unit for its own subtree) asks
  the accounts below it to repost, by a deadline in working time, with a priority. The target
  rule (platforms, org types, named units, named accounts) is kept as given, and the accounts it
  chose are frozen when the task is issued: a unit added later is not silently added; the
  accounts it left out (cancelled, suspended, of an abolished or merged unit, the source itself)
  are kept with the reason in `excluded`.
- `RepostTask` (账号转载任务): one row per target account. Completed automatically when a pulled
  post of the account is judged a repost of the source (coordination.detection, the matcher of
  先审后发 in its repost mode), or reported by the unit with the post's link and confirmed by the
  next pull; exempted by the issuer with a reason. A repost published after the deadline is
  completed *late*, never missing. Reminders before the deadline and the overdue flag are claimed
  once each by the sweep (tasks.py).

Every task row reaches its unit through the target account (`org`, frozen at issue time, the
account's host unit), so a unit sees the tasks of its accounts, and the issuer those it issued.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from govmedia.core.scope import (
    RestrictedQuerySet,
    industry_q,
    may,
    org_subtree_q,
    sees_whole_district,
)


class SourceKind(models.TextChoices):
    POST = "post", "已发布内容"
    ARTICLE = "article", "审核通过的稿件"


class Priority(models.TextChoices):
    NORMAL = "normal", "一般"
    HIGH = "high", "重要"
    URGENT = "urgent", "紧急"


class DeadlineUnit(models.TextChoices):
    HOURS = "hours", "工作小时"
    DAYS = "days", "工作日"


class CampaignQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Issued in the user's subtree; and, to read, those with a task of the user's units."""
        if not may(user, f"coordination.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()
        visible = org_subtree_q(user, "org")
        if action == "view":
            units = org_subtree_q(user, "org") | industry_q(user, "org")
            tasks = RepostTask.objects.filter(units, campaign=OuterRef("pk"))
            visible |= Q(Exists(tasks))
        return self.filter(visible)


class RepostCampaign(models.Model):
    scope_action_prefix = "coordination"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="下达单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("任务名称", max_length=200)
    note = models.TextField("转载要求", blank=True)
    priority = models.CharField(
        "优先级", max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    source_kind = models.CharField("来源类型", max_length=10, choices=SourceKind.choices)
    source_post = models.ForeignKey(
        "monitoring.Post",
        verbose_name="来源内容",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_article = models.ForeignKey(
        "publishing.Article",
        verbose_name="来源稿件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_revision = models.ForeignKey(
        "publishing.Revision",
        verbose_name="来源修订",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="来源账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The source as it was when the task was issued: what every repost is judged against.
    source_title = models.CharField("原文标题", max_length=500, blank=True)
    source_text = models.TextField("原文")
    source_html = models.BooleanField(default=False)
    source_url = models.CharField("原文链接", max_length=1000, blank=True)
    source_published_at = models.DateTimeField("原文发布（通过）时间")
    rule = models.JSONField(
        "目标规则",
        default=dict,
        help_text="{platforms: [代码], org_types: [类型], org_ids: [单位], account_ids: [账号]}",
    )
    # 免审转载: the district office may exempt a task's reposts from the units' review (see
    # review.py for the exact rule); otherwise a repost is reviewed like any content.
    review_exempt = models.BooleanField(
        "免于审核",
        default=False,
        help_text="区政府办公室下达时可免于审核：各单位转载原文无需再经本单位审核流程",
    )
    excluded = models.JSONField(
        "排除的账号", default=list, help_text="[{account_id, name, org, reason}]"
    )
    target_count = models.PositiveIntegerField("目标账号数", default=0)
    deadline_value = models.PositiveSmallIntegerField("时限")
    deadline_unit = models.CharField("时限单位", max_length=10, choices=DeadlineUnit.choices)
    issued_at = models.DateTimeField("下达时间")
    due_at = models.DateTimeField("转载期限")
    remind_at = models.DateTimeField("提醒时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下达人", on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "转载任务"
        verbose_name_plural = "转载任务"
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["org", "-issued_at"]),
            # The task list's order (selectors.tasks): campaigns newest first, each one's tasks
            # by campaign (one_task_per_account), so a page stops after its campaigns.
            models.Index(fields=["-issued_at", "id"]),
        ]

    def __str__(self):
        return self.title

    @property
    def source_link(self) -> str:
        url = self.source_url
        return url if url.startswith(("https://", "http://")) else ""


class TaskState(models.TextChoices):
    OPEN = "open", "待转载"
    CLAIMED = "claimed", "已报送待核实"
    COMPLETED = "completed", "已转载"
    EXEMPTED = "exempted", "已豁免"


OPEN_STATES = (TaskState.OPEN, TaskState.CLAIMED)


class Outcome(models.TextChoices):
    """Where a task stands in the completion matrix (derived from its state, deadline and the
    time of its repost)."""

    ON_TIME = "on_time", "按时转载"
    LATE = "late", "逾期转载"
    MISSING = "missing", "逾期未转载"
    PENDING = "pending", "待转载"
    EXEMPTED = "exempted", "已豁免"


class CompletedVia(models.TextChoices):
    AUTO = "auto", "采集自动识别"
    REPORTED = "reported", "单位报送、采集核实"


class RepostTaskQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Reading and reporting: the tasks of the user's units' accounts, and those of the
        campaigns issued in the user's subtree. Exempting (`issue`): the issuer's only.
        Reminding (`remind`): the issuer's, and the enterprises' a 行业主管部门 guides."""
        if not may(user, f"coordination.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()
        issued = org_subtree_q(user, "campaign__org")
        if action == "issue":
            return self.filter(issued)
        if action == "remind":  # 催办: the issuer, and the 行业主管部门 for its enterprises
            guided = industry_q(user, "org") & Q(org__org_type="enterprise")
            return self.filter(issued | guided)
        if action == "view":  # 行业指导: the repost completion of the supervised enterprises
            return self.filter(org_subtree_q(user, "org") | issued | industry_q(user, "org"))
        return self.filter(org_subtree_q(user, "org") | issued)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def with_outcome(self, now=None):
        """Each row annotated with `standing` (an Outcome) as of `now`, so the matrix can
        filter and count by it in SQL."""
        now = now or timezone.now()
        return self.annotate(
            standing=models.Case(
                models.When(state=TaskState.EXEMPTED, then=models.Value(Outcome.EXEMPTED)),
                models.When(state=TaskState.COMPLETED, late=True, then=models.Value(Outcome.LATE)),
                models.When(state=TaskState.COMPLETED, then=models.Value(Outcome.ON_TIME)),
                models.When(due_at__lt=now, then=models.Value(Outcome.MISSING)),
                default=models.Value(Outcome.PENDING),
                output_field=models.CharField(),
            )
        )


class RepostTask(models.Model):
    scope_action_prefix = "coordination"
    scope_org_field = "org"

    campaign = models.ForeignKey(
        RepostCampaign, verbose_name="转载任务", on_delete=models.PROTECT, related_name="tasks"
    )
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.PROTECT,
        related_name="repost_tasks",
    )
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="下达时账号的主办单位",
    )
    state = models.CharField(
        "状态", max_length=10, choices=TaskState.choices, default=TaskState.OPEN
    )
    due_at = models.DateTimeField("转载期限")
    # The repost: found by the pull (auto) or reported by link and confirmed by the pull.
    post = models.ForeignKey(
        "monitoring.Post",
        verbose_name="转载内容",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField("匹配度", null=True, blank=True)
    match_reason = models.CharField("核实说明", max_length=500, blank=True)
    completed_at = models.DateTimeField("转载时间", null=True, blank=True)
    completed_via = models.CharField(
        "完成方式", max_length=10, choices=CompletedVia.choices, blank=True
    )
    late = models.BooleanField("逾期转载", default=False)
    recorded_at = models.DateTimeField("确认时间", null=True, blank=True)
    reported_url = models.CharField("报送链接", max_length=1000, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField("报送时间", null=True, blank=True)
    # The 转载 draft the unit made from this task (its review flow for the 转载 content class).
    article = models.ForeignKey(
        "publishing.Article",
        verbose_name="转载稿件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exempt_reason = models.TextField("豁免理由", blank=True)
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exempted_at = models.DateTimeField("豁免时间", null=True, blank=True)
    # Claimed once each by the sweep (conditional UPDATE … WHERE … IS NULL).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_at = models.DateTimeField(null=True, blank=True, editable=False)
    # 催办 by a person (services.reminders): the working day of the last one, claimed by a
    # conditional UPDATE so a task is reminded at most once a working day.
    urged_on = models.DateField("催办日期", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RepostTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "账号转载任务"
        verbose_name_plural = "账号转载任务"
        ordering = ["campaign", "org__path", "account__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "account"], name="one_task_per_account"),
            # One post is the repost of at most one task of its account's campaigns.
            models.UniqueConstraint(
                fields=["post"], condition=Q(post__isnull=False), name="one_task_per_repost"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "state"]),
            models.Index(fields=["org", "state"]),
            models.Index(fields=["state", "due_at"]),
        ]

    def __str__(self):
        return f"{self.campaign} → {self.account}"

    @property
    def outcome(self) -> str:
        if self.state == TaskState.EXEMPTED:
            return Outcome.EXEMPTED
        if self.state == TaskState.COMPLETED:
            return Outcome.LATE if self.late else Outcome.ON_TIME
        return Outcome.MISSING if self.due_at < timezone.now() else Outcome.PENDING

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def took(self):
        """How long after the task was issued the repost went out."""
        if self.completed_at is None:
            return None
        return max(self.completed_at - self.campaign.issued_at, timedelta(0))


# --- 发布申请: a unit asks the 政府网 accounts to publish its article -------------------------


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    IN_REVIEW = "in_review", "区级审核中"
    APPROVED = "approved", "审核通过待发布"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_REQUEST_STATES = (RequestState.SUBMITTED, RequestState.IN_REVIEW, RequestState.APPROVED)


class PublishedVia(models.TextChoices):
    PULL = "pull", "采集比对确认"
    MARKED = "marked", "区政府办公室登记链接"


class PublishRequest(models.Model):
    """发布申请 (通知第二部分（三）“需要政府网站发布的信息，应协商一致后发布”): a unit asks the
    district's 政府网 accounts (registry.MediaAccount.is_government_site) to publish one of its
    articles at a proposed time. The district office accepts it into the district's own review
    flow — a district article (publishing.Article of the district office, a copy of the
    requested revision, targeting the chosen accounts) submitted like any article, so the
    review is the publishing app's — or returns it with a reason. Its outcome comes back to the
    unit: returned with the reviewer's or the office's reason, or published with the link (the
    pull's post matched to the approved district revision, or a link the office records).

    The requesting unit (and the units above it) sees its requests; the district office all."""

    scope_action_prefix = "coordination"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="申请单位", on_delete=models.PROTECT, related_name="+"
    )
    article = models.ForeignKey(
        "publishing.Article",
        verbose_name="申请发布的稿件",
        on_delete=models.PROTECT,
        related_name="+",
    )
    revision = models.ForeignKey(
        "publishing.Revision",
        verbose_name="申请发布的修订",
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("标题", max_length=200)
    accounts = models.ManyToManyField(
        "registry.MediaAccount", verbose_name="政府网账号", related_name="+"
    )
    proposed_at = models.DateTimeField("拟发布时间")
    note = models.TextField("申请说明", blank=True)
    state = models.CharField(
        "状态", max_length=12, choices=RequestState.choices, default=RequestState.SUBMITTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    # The district's own article the request became (its review is the district's flow).
    district_article = models.ForeignKey(
        "publishing.Article",
        verbose_name="区级审核稿件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="退回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    post = models.ForeignKey(
        "monitoring.Post",
        verbose_name="已发布内容",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_url = models.CharField("发布链接", max_length=1000, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_via = models.CharField(
        "确认方式", max_length=10, choices=PublishedVia.choices, blank=True
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "发布申请"
        verbose_name_plural = "发布申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            # A double submit (or two editors at once) makes one request per article.
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(state__in=["submitted", "in_review", "approved"]),
                name="one_open_publish_request_per_article",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "state"]),
            models.Index(fields=["state", "-requested_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REQUEST_STATES
