"""政务新媒体 (MediaAccount) and its 备案 (Filing), field for field the form of the notice's
attachment 《菏泽市定陶区政务新媒体备案表》."""

from django.db import models
from django.db.models import Q

from govmedia.core.scope import RestrictedQuerySet


class Platform(models.Model):
    """运行平台: a managed list (seeded by migration), so a district can add one without code."""

    name = models.CharField("平台名称", max_length=30, unique=True)
    code = models.SlugField("代码", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "运行平台"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class AccountStatus(models.TextChoices):
    RUNNING = "running", "运行中"
    SUSPENDED = "suspended", "已关停"
    CANCELLED = "cancelled", "已注销"


class OperatorKind(models.TextChoices):
    OWN = "own", "本单位运维"
    OUTSOURCED = "outsourced", "委托运维机构"


# The 管理队伍 block: (prefix, label). Each member has name, office phone and mobile.
TEAM_ROLES = (
    ("principal", "单位主要负责人"),
    ("leader_in_charge", "分管负责人"),
    ("person_responsible", "具体负责人"),
)


class AccountFormFields(models.Model):
    """The fields of the 备案表 that describe an account: shared by the registry entry and by
    every filing's snapshot, so a 变更 compares like with like."""

    name = models.CharField("政务新媒体名称", max_length=100)
    handle = models.CharField("账号", max_length=100, help_text="平台上的账号、微信号或 ID")
    platform = models.ForeignKey(Platform, verbose_name="运行平台", on_delete=models.PROTECT)
    registrant = models.CharField("注册单位", max_length=100, help_text="在平台上登记的注册主体")
    registered_on = models.DateField("注册时间", null=True, blank=True)
    positioning = models.TextField("功能定位", max_length=1000)
    verified = models.BooleanField("官方认证", default=False)
    operator_kind = models.CharField(
        "运维方式", max_length=20, choices=OperatorKind.choices, default=OperatorKind.OWN
    )
    operator = models.CharField(
        "运维机构", max_length=100, blank=True, help_text="委托运维时填写机构名称"
    )
    contact_name = models.CharField("联系人", max_length=30)
    contact_phone = models.CharField("联系电话", max_length=30)
    notes = models.TextField("其他需要说明事项", max_length=2000, blank=True)
    principal_name = models.CharField("单位主要负责人", max_length=30)
    principal_office_phone = models.CharField("主要负责人办公电话", max_length=30)
    principal_mobile = models.CharField("主要负责人手机号", max_length=20)
    leader_in_charge_name = models.CharField("分管负责人", max_length=30)
    leader_in_charge_office_phone = models.CharField("分管负责人办公电话", max_length=30)
    leader_in_charge_mobile = models.CharField("分管负责人手机号", max_length=20)
    person_responsible_name = models.CharField("具体负责人", max_length=30)
    person_responsible_office_phone = models.CharField("具体负责人办公电话", max_length=30)
    person_responsible_mobile = models.CharField("具体负责人手机号", max_length=20)

    class Meta:
        abstract = True


FORM_FIELDS = [
    "name",
    "handle",
    "platform",
    "registrant",
    "registered_on",
    "positioning",
    "verified",
    "operator_kind",
    "operator",
    "contact_name",
    "contact_phone",
    "notes",
    *[
        f"{prefix}_{part}"
        for prefix, _ in TEAM_ROLES
        for part in ("name", "office_phone", "mobile")
    ],
]
MOBILE_FIELDS = [f"{prefix}_mobile" for prefix, _ in TEAM_ROLES]
OFFICE_PHONE_FIELDS = [f"{prefix}_office_phone" for prefix, _ in TEAM_ROLES]


class MediaAccountQuerySet(RestrictedQuerySet):
    def active(self):
        return self.exclude(status=AccountStatus.CANCELLED)


class MediaAccount(AccountFormFields):
    """政务新媒体: one account on one platform, hosted by one organization (谁开设、谁主办)."""

    scope_action_prefix = "registry"
    scope_org_field = "host_org"
    scope_industry = True  # 行业指导: visible to view by its 行业主管部门

    host_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="主办单位",
        on_delete=models.PROTECT,
        related_name="media_accounts",
    )
    status = models.CharField(
        "状态", max_length=20, choices=AccountStatus.choices, default=AccountStatus.RUNNING
    )
    filing_no = models.CharField(
        "备案号", max_length=40, null=True, blank=True, unique=True, editable=False
    )
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    # 政府网账号: the district's own accounts, which publish what units ask of them through a
    # 发布申请 (coordination.PublishRequest); marked by the district office alone.
    is_government_site = models.BooleanField(
        "政府网账号",
        default=False,
        help_text="区政府（政府网）自有的政务新媒体：各单位可提交发布申请，经区级审核后由其发布",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MediaAccountQuerySet.as_manager()

    class Meta:
        verbose_name = "政务新媒体"
        verbose_name_plural = "政务新媒体"
        ordering = ["host_org__path", "platform__sort_order", "name"]
        constraints = [
            # One handle is one account on its platform, whoever registers it.
            models.UniqueConstraint(
                fields=["platform", "handle"],
                condition=~Q(status="cancelled"),
                name="account_unique_live_handle",
                violation_error_message="该平台上已登记此账号",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.platform}）"


class FilingKind(models.TextChoices):
    OPEN = "open", "开设"
    CHANGE = "change", "变更"
    SUSPEND = "suspend", "关停"
    CANCEL = "cancel", "注销"


# 备注 1 and 2 of the form: working days allowed after the event.
FILING_DEADLINE_WORKDAYS = {
    FilingKind.OPEN: 7,
    FilingKind.CHANGE: 5,
    FilingKind.SUSPEND: 5,
    FilingKind.CANCEL: 5,
}


class FilingState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    SUPERVISOR_APPROVED = "supervisor_approved", "主管单位已审核"
    FILED = "filed", "已备案"
    RETURNED = "returned", "已退回"


class FilingQuerySet(RestrictedQuerySet):
    def open(self):
        return self.exclude(state=FilingState.FILED)


class Filing(AccountFormFields):
    """备案: a snapshot of the whole form. Editable as a draft or after a 退回; immutable once
    submitted; applied to the registry in the transaction that approves it."""

    scope_action_prefix = "filings"
    scope_org_field = "org"
    scope_industry = True  # 行业指导: visible to view by its 行业主管部门
    # The supervising unit co-signs (主管单位签章), so its reviewers see the filings it supervises.
    scope_extra_org_fields = ("supervisor",)

    kind = models.CharField("备案类型", max_length=20, choices=FilingKind.choices)
    state = models.CharField(
        "状态", max_length=30, choices=FilingState.choices, default=FilingState.DRAFT
    )
    account = models.ForeignKey(
        MediaAccount,
        verbose_name="政务新媒体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filings",
        help_text="开设备案在批准时建立账号；其他备案针对已登记的账号",
    )
    org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="备案单位（主办单位）",
        on_delete=models.PROTECT,
        related_name="filings",
    )
    supervisor = models.ForeignKey(
        "orgs.Organization",
        verbose_name="主管单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="提交时记录；有主管单位的，须先经主管单位审核",
    )
    event_date = models.DateField("开设/变更/关停/注销日期")
    due_on = models.DateField("备案期限", editable=False)
    due_provisional = models.BooleanField("期限为临时推算", default=False, editable=False)
    filing_no = models.CharField("备案号", max_length=40, blank=True, editable=False, db_index=True)
    change_summary = models.TextField("变更事项说明", blank=True)
    created_by = models.ForeignKey("users.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervisor_reviewed_at = models.DateTimeField("主管单位审核时间", null=True, blank=True)
    supervisor_reviewed_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)
    filed_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_reason = models.TextField("退回理由", blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    scanned_copy = models.FileField("签章扫描件", upload_to="filings/%Y/", blank=True)
    # 准予备案 without the signed and stamped form needs a stated reason, kept on the filing.
    no_scan_reason = models.TextField("未上传签章扫描件的理由", blank=True)
    # No silent stall (registry.stalls): the current step's reminder to whoever must act, then to
    # the district office, each claimed once; cleared whenever the filing moves on.
    step_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    step_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = "备案"
        verbose_name_plural = "备案"
        ordering = ["-id"]  # newest first, served by the primary key (created_at has no index)
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            # A live account has at most one filing in progress, so two cannot race to change it.
            models.UniqueConstraint(
                fields=["account"],
                condition=~Q(state="filed") & Q(account__isnull=False),
                name="one_open_filing_per_account",
                violation_error_message="该账号已有未办结的备案",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}备案：{self.name}"

    def audit_label(self) -> str:
        """How the audit log names the filing: by its 备案号 once it has one."""
        return self.filing_no or f"{self}（未编号）"

    @property
    def is_editable(self) -> bool:
        return self.state in (FilingState.DRAFT, FilingState.RETURNED)


class CoSigner(models.Model):
    """A 审核人 whom their unit designates to co-sign (主管单位签章) the filings it supervises,
    besides its 主管单位审核人 and 单位管理员. Set by the unit administrator."""

    scope_action_prefix = "filings"
    scope_org_field = "user__org"

    user = models.OneToOneField(
        "users.User", verbose_name="审核人", on_delete=models.CASCADE, related_name="co_signer"
    )
    designated_by = models.ForeignKey(
        "users.User", verbose_name="指定人", on_delete=models.PROTECT, related_name="+"
    )
    designated_at = models.DateTimeField("指定时间", auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "备案审核指定人"
        verbose_name_plural = "备案审核指定人"
        ordering = ["user__org__path", "user__name"]

    def __str__(self):
        return f"备案审核指定人：{self.user}"


class FilingNumberCounter(models.Model):
    """The yearly sequence behind 一案一号; locked while a number is taken so none repeats."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)
