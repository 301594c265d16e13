"""假冒账号 (SuspectAccount): a platform account suspected of posing as a government account, and
the case that deals with it, after 通知第五部分（二）: 发现 → 核实 → 要求平台关停 → 通报网信 →
已关停, or 排除 with a reason.

Who sees a case: the district office and oversight (district-wide roles) see all; a unit sees the
cases about the accounts it hosts (through `matched_account`). A case that imitates no registered
account has a NULL path, which the scope filter never matches: district-wide roles only.
"""

from django.db import models
from django.db.models import Q

from govmedia.core.scope import RestrictedQuerySet


class SuspectSource(models.TextChoices):
    SEARCH = "search", "平台搜索"
    REPORT = "report", "内部报告"
    IMPORT = "import", "Excel 导入"
    PUBLIC_REPORT = "public_report", "公众举报"


class SuspectState(models.TextChoices):
    FOUND = "found", "发现"
    VERIFIED = "verified", "已核实"
    TAKEDOWN_REQUESTED = "takedown_requested", "已要求平台关停"
    REPORTED = "reported", "已通报网信"
    CLOSED = "closed", "已关停"
    EXCLUDED = "excluded", "已排除"


# The states in which a case is still being dealt with.
OPEN_STATES = (
    SuspectState.FOUND,
    SuspectState.VERIFIED,
    SuspectState.TAKEDOWN_REQUESTED,
    SuspectState.REPORTED,
)


class SuspectAccountQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)


class SuspectAccount(models.Model):
    scope_action_prefix = "counterfeit"
    scope_org_field = "matched_account__host_org"

    platform = models.ForeignKey(
        "registry.Platform", verbose_name="平台", on_delete=models.PROTECT, related_name="+"
    )
    handle = models.CharField(
        "账号", max_length=100, blank=True, help_text="平台上的账号、微信号或 ID；举报时可不填"
    )
    display_name = models.CharField("账号名称", max_length=100)
    # None: the platform does not say whether the account is verified (WeChat, Kuaishou).
    verified = models.BooleanField("平台认证", null=True, blank=True)
    verified_reason = models.CharField("认证主体", max_length=200, blank=True)
    source = models.CharField("来源", max_length=20, choices=SuspectSource.choices)
    description = models.TextField("情况说明", blank=True, max_length=2000)
    score = models.PositiveSmallIntegerField("疑似度", default=0)
    reasons = models.JSONField("评分依据", default=list, blank=True)
    matched_account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="被假冒的政务新媒体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suspects",
    )
    state = models.CharField(
        "状态", max_length=30, choices=SuspectState.choices, default=SuspectState.FOUND
    )
    report_count = models.PositiveIntegerField("发现/举报次数", default=1)
    last_seen_at = models.DateTimeField("最近发现时间", auto_now_add=True)
    verify_note = models.TextField("核实意见", blank=True)
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    letter = models.FileField("关停函", upload_to="counterfeit/letters/%Y/", blank=True)
    letter_generated_at = models.DateTimeField("关停函生成时间", null=True, blank=True)
    cac_reported_on = models.DateField("通报网信日期", null=True, blank=True)
    cac_recipient = models.CharField("通报对象", max_length=100, blank=True)
    cac_note = models.TextField("通报说明", blank=True)
    closed_confirmed_at = models.DateTimeField("确认关停时间", null=True, blank=True)
    closed_check = models.CharField("关停核查结果", max_length=300, blank=True)
    excluded_reason = models.TextField("排除理由", blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SuspectAccountQuerySet.as_manager()

    class Meta:
        verbose_name = "假冒账号"
        verbose_name_plural = "假冒账号"
        ordering = ["-score", "-id"]
        indexes = [models.Index(fields=["state", "-score"])]
        constraints = [
            # One case per account on its platform until it is closed: a repeat report adds to it.
            # A closed account that comes back is a new case.
            models.UniqueConstraint(
                fields=["platform", "handle"],
                condition=~Q(state="closed") & ~Q(handle=""),
                name="one_case_per_suspect_handle",
                violation_error_message="该平台上的此账号已有处置中的假冒账号线索",
            ),
        ]

    def __str__(self):
        return f"{self.display_name}（{self.platform}）"


class SuspectReport(models.Model):
    """One sighting or report of a suspect account: who said so, how, and what they said.

    The reporter's contact is personal data: only the platform administrators see it whole.
    """

    suspect = models.ForeignKey(SuspectAccount, on_delete=models.CASCADE, related_name="reports")
    source = models.CharField("来源", max_length=20, choices=SuspectSource.choices)
    reported_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_contact = models.CharField("举报人联系方式", max_length=100, blank=True)
    note = models.TextField("说明", blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "假冒账号举报"
        ordering = ["created_at", "id"]


class DiscoveryRun(models.Model):
    """One run of the platform search (discover_counterfeits): what was searched and found."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    keywords = models.PositiveIntegerField(default=0)
    profiles_seen = models.PositiveIntegerField(default=0)
    cases_created = models.PositiveIntegerField(default=0)
    cases_updated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    started_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "假冒账号扫描"
        ordering = ["-started_at", "-id"]


class RateCounter(models.Model):
    """A fixed-window request counter for the public pages, shared by every web process.

    `key` is a keyed hash of the client address, never the address itself.
    """

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")
        ]
        indexes = [models.Index(fields=["window_start"])]
