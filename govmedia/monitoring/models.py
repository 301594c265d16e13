"""What the platforms show as published (Post), each pull of an account (PullRun), the pull
schedule and lease of each account (PullState), and the 整改 items opened when published content
breaks a rule (Rectification, with its history of steps).

Every row reaches its organization through the account (or, for a rectification, the unit that
must correct it), so `restrict(user, action)` scopes them like the registry.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.html import strip_tags

from govmedia.core.scope import RestrictedQuerySet


class Post(models.Model):
    """已发布内容: one post as its platform lists it, upserted by the platform's own id."""

    scope_action_prefix = "monitoring"
    scope_org_field = "account__host_org"
    scope_industry = True  # 行业指导: visible to view by its 行业主管部门

    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.CASCADE,
        related_name="posts",
        db_index=False,  # the composite index below leads with the account
    )
    platform_post_id = models.CharField("平台内容编号", max_length=128)
    title = models.CharField("标题", max_length=500, blank=True)
    text = models.TextField("正文", blank=True)
    is_html = models.BooleanField(default=False)
    url = models.CharField("链接", max_length=1000, blank=True)
    published_at = models.DateTimeField("发布时间")
    metrics = models.JSONField("数据", default=dict, blank=True)
    # sha256 of title and text: a changed hash means the post was edited on the platform.
    content_hash = models.CharField(max_length=64, editable=False)
    first_seen_at = models.DateTimeField("首次采集")
    last_seen_at = models.DateTimeField("最近采集")
    deleted_at = models.DateTimeField(
        "发现删除时间", null=True, blank=True, help_text="发布后在平台上被删除，由采集发现"
    )
    # What was screened: the content hash and the lexicon version of that screening.
    screened_hash = models.CharField(max_length=64, blank=True, editable=False)
    screened_version = models.PositiveIntegerField("审查词库版本", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "已发布内容"
        verbose_name_plural = "已发布内容"
        ordering = ["-published_at", "-id"]
        constraints = [
            # The key of the idempotent upsert: a repeated or overlapping pull never duplicates.
            models.UniqueConstraint(
                fields=["account", "platform_post_id"], name="post_unique_platform_id"
            )
        ]
        indexes = [
            models.Index(fields=["account", "published_at"]),
            # The screening task's queue (rectify.pending_posts): small, whatever the table.
            models.Index(
                fields=["id"],
                condition=~Q(screened_hash=F("content_hash")),
                name="post_unscreened",
            ),
        ]

    def __str__(self):
        return self.headline or self.platform_post_id

    @property
    def link(self) -> str:
        """The URL if it is a web address: a platform's answer is not trusted to be one."""
        return self.url if self.url.startswith(("https://", "http://")) else ""

    @property
    def headline(self) -> str:
        """The title, or (Weibo, Douyin and Kuaishou have none) the start of the text."""
        if self.title:
            return self.title
        text = " ".join(strip_tags(self.text[:2000]).split())
        return text[:40] + ("…" if len(text) > 40 else "")


class PullOutcome(models.TextChoices):
    OK = "ok", "成功"
    FAILED = "failed", "失败"


class PullError(models.TextChoices):
    RATE_LIMITED = "rate_limited", "平台限流"
    UNAVAILABLE = "unavailable", "平台暂不可用"
    BAD_CREDENTIALS = "bad_credentials", "凭据无效"
    NOT_FOUND = "not_found", "账号不存在"
    BAD_PARAMETERS = "bad_parameters", "请求参数被拒绝"
    ERROR = "error", "其他错误"


class PullRun(models.Model):
    """One pull of one account: what it found, or why it failed."""

    scope_action_prefix = "monitoring"
    scope_org_field = "account__host_org"

    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.CASCADE,
        related_name="pull_runs",
        db_index=False,  # the composite index below leads with the account
    )
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间")
    outcome = models.CharField("结果", max_length=10, choices=PullOutcome.choices)
    error_kind = models.CharField("错误类型", max_length=20, choices=PullError.choices, blank=True)
    error_code = models.CharField("平台错误码", max_length=40, blank=True)
    error_message = models.CharField("错误说明", max_length=500, blank=True)
    pages = models.PositiveIntegerField("页数", default=0)
    posts_seen = models.PositiveIntegerField("采集条数", default=0)
    posts_new = models.PositiveIntegerField("新增", default=0)
    posts_updated = models.PositiveIntegerField("内容变化", default=0)
    posts_deleted = models.PositiveIntegerField("发现删除", default=0)
    full_relist = models.BooleanField("完整复查", default=False)
    cursor = models.CharField("翻页位置", max_length=500, blank=True)
    worker = models.CharField("采集进程", max_length=100, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "采集记录"
        verbose_name_plural = "采集记录"
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["account", "-started_at"]),
            models.Index(fields=["-started_at"]),
        ]

    def __str__(self):
        return f"{self.account_id} {self.started_at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


class AlertLevel(models.TextChoices):
    NONE = "", "正常"
    RISK = "risk", "单项否决风险"
    CLEANUP = "cleanup", "清理候选"


class PullState(models.Model):
    """When an account is next due, who holds it (a lease), and how its pulls have gone."""

    scope_action_prefix = "monitoring"
    scope_org_field = "account__host_org"
    scope_industry = True  # 行业指导: visible to view by its 行业主管部门

    account = models.OneToOneField(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="pull_state",
    )
    next_due_at = models.DateTimeField("下次采集")
    # The lease: a worker that dies mid-pull loses the account when claimed_until passes.
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField("连续失败次数", default=0)
    last_attempt_at = models.DateTimeField("最近采集", null=True, blank=True)
    last_success_at = models.DateTimeField("最近成功采集", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    last_post_at = models.DateTimeField("最近更新", null=True, blank=True)
    last_relist_at = models.DateTimeField("最近完整复查", null=True, blank=True)
    # The dormancy level last alerted, claimed by a conditional UPDATE: one alert per crossing.
    alerted_level = models.CharField(max_length=10, choices=AlertLevel.choices, blank=True)
    failure_alerted = models.BooleanField(default=False)
    first_success_at = models.DateTimeField("首次成功采集", null=True, blank=True)
    # The dormant report's figures (dormancy.figures), stored by figures.refresh when a pull
    # finishes and by the daily sweep, so the report sorts, counts and pages without reading
    # posts: risk_rank is the level's place in dormancy.LEVEL_ORDER.
    level = models.CharField("僵尸账号等级", max_length=10, default="unpulled")
    risk_rank = models.PositiveSmallIntegerField(default=3)
    longest_gap = models.PositiveIntegerField("近90天最长间隔（天）", null=True, blank=True)
    posts_90 = models.PositiveIntegerField("近90天发布数", default=0)
    figures_on = models.DateField("指标计算日期", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "采集状态"
        verbose_name_plural = "采集状态"
        indexes = [
            models.Index(fields=["next_due_at"]),
            # The dormant report's order, column for column (selectors.RISK_ORDER), so the page
            # reads the index in order and stops after its rows. On PostgreSQL last_post_at is
            # ASC NULLS FIRST, as the order asks (migration 0006; SQLite puts nulls first anyway
            # and refuses the clause in an index, hence plain fields here).
            models.Index(
                fields=["risk_rank", "last_post_at", "account"], name="pullstate_risk_order"
            ),
        ]

    def __str__(self):
        return f"{self.account_id} → {self.next_due_at:%Y-%m-%d %H:%M}"


class DormantTally(models.Model):
    """Where one account is counted in DormantCount: its unit, platform and bucket (its stored
    level, NO_STATE before it has a PullState; no row counted while it is not running).
    Kept so a change is counted as a move from the old key to the new (tallies.py)."""

    account = models.OneToOneField(
        "registry.MediaAccount", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    org = models.ForeignKey(
        "orgs.Organization", null=True, on_delete=models.CASCADE, related_name="+"
    )
    platform = models.ForeignKey(
        "registry.Platform", null=True, on_delete=models.CASCADE, related_name="+"
    )
    bucket = models.CharField(max_length=10, blank=True)  # "": not counted


class DormantCount(models.Model):
    """How many running accounts of a unit on a platform are in each bucket: the dormant
    report's level counts, summed over the user's units (~200) rather than counted over every
    account (tallies.py keeps them in the transaction that changes an account or its level)."""

    scope_action_prefix = "registry"  # exactly the accounts MediaAccount.restrict(user) shows
    scope_org_field = "org"
    scope_industry = True

    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    platform = models.ForeignKey("registry.Platform", on_delete=models.CASCADE, related_name="+")
    bucket = models.CharField(max_length=10)
    n = models.IntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "platform", "bucket"], name="dormantcount_unique_key"
            )
        ]


class RectificationState(models.TextChoices):
    OPEN = "open", "待整改"
    RESOLVED = "resolved", "已整改"
    CONFIRMED = "confirmed", "已确认"
    REOPENED = "reopened", "重新整改"


# The states in which the unit still owes a correction or the district office a confirmation.
ACTIVE_RECTIFICATION_STATES = (
    RectificationState.OPEN,
    RectificationState.RESOLVED,
    RectificationState.REOPENED,
)


class RectificationQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE_RECTIFICATION_STATES)


class Rectification(models.Model):
    """整改: published content that broke a rule, the unit's correction and its confirmation."""

    scope_action_prefix = "rectification"
    scope_org_field = "org"
    scope_industry = True  # 行业指导: visible to view by its 行业主管部门

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="整改单位", on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    # A post deleted on the platform keeps its item: the evidence stays.
    post = models.ForeignKey(
        Post, verbose_name="已发布内容", on_delete=models.PROTECT, related_name="rectifications"
    )
    state = models.CharField(
        "状态",
        max_length=20,
        choices=RectificationState.choices,
        default=RectificationState.OPEN,
    )
    severity = models.CharField("严重程度", max_length=10)
    findings = models.JSONField("审查发现", default=list)
    matched = models.CharField("命中内容", max_length=500)
    lexicon_version = models.PositiveIntegerField("审查词库版本")
    screenshot_url = models.CharField(
        "截图链接", max_length=1000, blank=True, help_text="存证截图的地址"
    )
    due_on = models.DateField("整改期限")
    due_provisional = models.BooleanField(default=False)
    resolution_note = models.TextField("整改说明", blank=True)
    proof_url = models.CharField("整改证明链接", max_length=1000, blank=True)
    resolved_at = models.DateTimeField("整改时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_reason = models.TextField("重新整改理由", blank=True)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["-id"]
        indexes = [models.Index(fields=["org", "state"]), models.Index(fields=["state", "due_on"])]
        constraints = [
            # Screening the same post twice (two workers, a retried pull) opens one item.
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(state__in=["open", "resolved", "reopened"]),
                name="one_active_rectification_per_post",
            )
        ]

    def __str__(self):
        return f"整改 #{self.pk}：{self.matched}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_RECTIFICATION_STATES


class RectificationStep(models.Model):
    """The history of one item, shown on its page (the audit log holds the same, chained)."""

    item = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
