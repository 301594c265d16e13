"""检查考核 (通知第五部分（三）; 国办秘函〔2019〕19号 检查指标).

- `Rubric` (检查指标): a named, yearly, versioned table of `Indicator`s in three parts (单项否决,
  扣分, 加分). Data, never code: the district office imports, edits and exports it. A rubric used
  by a finished check is frozen (`frozen_at`): editing it makes a new version (`previous` points
  back), so old checks keep the rubric they were scored by.
- `Check` (检查/抽查): one inspection at a recorded check time (监测时间点) against one rubric,
  over a sample drawn from a stored population snapshot with a recorded seed (sampling.py), so
  the sample can be re-drawn by anyone.
- `ScoreSheet` (评分表): one sampled account's results, one `ItemResult` per indicator:
  automatic ones filled from the platform's data as it stood at the check time, with the
  evidence, and overridable with a reason (audited); manual ones filled by the checker.
- `CheckRectification` (整改): a failed sheet's unit must rectify by a due date in working days;
  a re-check closes it.

Scope: the rubric is district data (everyone may read it). Checks, sheets and their results are
the district office's until the check's bulletin is published; a unit then sees its own
accounts' sheets, never another unit's (ScoreSheetQuerySet.restrict).
"""

from django.db import models
from django.db.models import Q

from govmedia.core.scope import RestrictedQuerySet, may, org_subtree_q, sees_whole_district

from . import scoring


class Part(models.TextChoices):
    VETO = scoring.VETO, "单项否决"
    DEDUCT = scoring.DEDUCT, "扣分"
    BONUS = scoring.BONUS, "加分"


class Method(models.TextChoices):
    AUTOMATIC = "automatic", "自动"
    MANUAL = "manual", "人工"


class DistrictQuerySet(RestrictedQuerySet):
    """District-wide data: readable by whoever the action allows, everywhere."""

    def restrict(self, user, action: str = "view"):
        return (
            self.all() if may(user, f"{self.model.scope_action_prefix}.{action}") else self.none()
        )


class Rubric(models.Model):
    scope_action_prefix = "assessment_rubric"
    scope_org_field = ""

    name = models.CharField("指标名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    source_doc = models.CharField("依据文号", max_length=200, blank=True)
    number = models.PositiveIntegerField("版本", default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_default = models.BooleanField("平台默认指标", default=False)
    basis = models.TextField("所依据的事实", blank=True)
    bonus_cap = models.DecimalField(
        "加分部分上限", max_digits=6, decimal_places=2, null=True, blank=True
    )
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True, editable=False)
    superseded = models.BooleanField("已有新版本", default=False, editable=False)
    is_demo = models.BooleanField("示例数据", default=False)
    created_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = "检查指标"
        verbose_name_plural = "检查指标"
        ordering = ["-year", "name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year", "number"], name="rubric_unique_version")
        ]

    def __str__(self):
        return f"{self.year}年{self.name}（第{self.number}版）"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class Indicator(models.Model):
    """One item of a rubric. `points` is what one occurrence deducts (扣分) or awards (加分);
    `cap` is the most the item can take off or add (its total: "扣完为止"). A veto item has
    neither. An automatic item names its rule (rules.RULES)."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="indicators")
    part = models.CharField("部分", max_length=10, choices=Part.choices)
    position = models.PositiveSmallIntegerField("序号")
    wording = models.CharField("指标内容", max_length=500)
    points = models.DecimalField("每处分值", max_digits=6, decimal_places=2, default=0)
    cap = models.DecimalField("单项上限", max_digits=6, decimal_places=2, default=0)
    method = models.CharField("评价方式", max_length=10, choices=Method.choices)
    rule = models.CharField("自动规则", max_length=40, blank=True)
    evidence = models.CharField("所需佐证", max_length=500, blank=True)

    class Meta:
        verbose_name = "指标项"
        verbose_name_plural = "指标项"
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "position"], name="indicator_unique_position")
        ]

    def __str__(self):
        return f"{self.get_part_display()}{self.position}：{self.wording}"


class CheckKind(models.TextChoices):
    MONTHLY = "monthly", "月度抽查"
    QUARTERLY = "quarterly", "季度抽查"
    HALF_YEAR = "half_year", "半年检查"
    SPECIAL = "special", "专项检查"


class CheckState(models.TextChoices):
    DRAFT = "draft", "确定范围"
    SAMPLED = "sampled", "已抽样"
    SCORING = "scoring", "评分中"
    CONFIRMED = "confirmed", "已确认"
    PUBLISHED = "published", "已通报"


FINISHED_CHECK_STATES = (CheckState.CONFIRMED, CheckState.PUBLISHED)


class CheckQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The district office's; a unit sees a check once its bulletin is published."""
        if not may(user, f"assessment.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()
        if action != "view":
            return self.none()
        return self.filter(state=CheckState.PUBLISHED)


class Check(models.Model):
    scope_action_prefix = "assessment"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("检查名称", max_length=200)
    kind = models.CharField("检查类型", max_length=20, choices=CheckKind.choices)
    rubric = models.ForeignKey(
        Rubric, verbose_name="检查指标", on_delete=models.PROTECT, related_name="checks"
    )
    check_at = models.DateTimeField("监测时间点")
    period_start = models.DateField("检查期间起")
    state = models.CharField(
        "状态", max_length=20, choices=CheckState.choices, default=CheckState.DRAFT
    )
    # The population as chosen (platforms, org types, not checked in N months) and as it was:
    # the snapshot is [[account id, stratum], …] in id order, what the sample is drawn from.
    population_rule = models.JSONField("抽查范围", default=dict)
    population = models.JSONField("抽查总体", default=list, editable=False)
    strata_by = models.CharField("分层方式", max_length=20, blank=True)
    ratio = models.DecimalField("抽查比例", max_digits=5, decimal_places=4, null=True, blank=True)
    count = models.PositiveIntegerField("抽查数量", null=True, blank=True)
    seed = models.BigIntegerField("随机种子", null=True, blank=True, editable=False)
    sample = models.JSONField("抽中账号", default=list, editable=False)
    created_by = models.ForeignKey("users.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CheckQuerySet.as_manager()

    class Meta:
        verbose_name = "检查"
        verbose_name_plural = "检查"
        ordering = ["-check_at", "-id"]

    def __str__(self):
        return self.title


class SheetState(models.TextChoices):
    SCORING = "scoring", "评分中"
    SUBMITTED = "submitted", "待复核"
    CONFIRMED = "confirmed", "已确认"


class ScoreSheetQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The district office sees every sheet; a checker the sheets assigned to them; a unit
        its own accounts' sheets once the check's bulletin is published — never another unit's,
        never before publication."""
        if not may(user, f"assessment.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()
        if action != "view":
            return self.filter(checker=user)
        return self.filter(
            Q(checker=user)
            | (org_subtree_q(user, "org") & Q(check_run__state=CheckState.PUBLISHED))
        )


class ScoreSheet(models.Model):
    scope_action_prefix = "assessment"
    scope_org_field = "org"

    check_run = models.ForeignKey(
        Check, verbose_name="检查", on_delete=models.CASCADE, related_name="sheets"
    )
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.PROTECT,
        related_name="score_sheets",
    )
    # The host unit at the time of the check: a later transfer does not move the result.
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    stratum = models.CharField("层", max_length=100, blank=True)
    checker = models.ForeignKey(
        "users.User",
        verbose_name="检查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        "状态", max_length=20, choices=SheetState.choices, default=SheetState.SCORING
    )
    verdict = models.CharField("结论", max_length=10, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    vetoed = models.BooleanField("单项否决", default=False)
    undetermined = models.BooleanField("有无法判断的项", default=False)
    evaluated_at = models.DateTimeField("自动评价时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("复核时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"
        ordering = ["check_run", "org__path", "account_id"]
        constraints = [
            # An account is sampled at most once in one check.
            models.UniqueConstraint(fields=["check_run", "account"], name="sheet_unique_account")
        ]

    def __str__(self):
        return f"{self.check_run}：{self.account}"


class Outcome(models.TextChoices):
    PASS = "pass", "未发现问题"
    HIT = "hit", "发现问题"
    UNDETERMINED = "undetermined", "无法判断"
    PENDING = "pending", "待人工评价"


class ItemResult(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(
        "结果", max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    occurrences = models.PositiveIntegerField("发现处数", default=0)
    # What the automatic rule found, kept when a checker overrides it.
    auto_outcome = models.CharField("自动结果", max_length=20, choices=Outcome.choices, blank=True)
    auto_occurrences = models.PositiveIntegerField("自动发现处数", default=0)
    evidence = models.JSONField("佐证", default=list)
    note = models.CharField("说明", max_length=1000, blank=True)
    overridden = models.BooleanField("人工改判", default=False)
    override_reason = models.CharField("改判理由", max_length=1000, blank=True)
    updated_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["sheet", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="item_unique_indicator")
        ]


class RectificationState(models.TextChoices):
    OPEN = "open", "整改中"
    CLOSED = "closed", "复查通过"


class CheckRectificationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A unit sees and answers its own; the district office all of them."""
        if not may(user, f"assessment.{action}"):
            return self.none()
        return self.filter(org_subtree_q(user, "org"))


class CheckRectification(models.Model):
    """A failed sheet's rectification: opened when the check is confirmed, due in working days,
    closed by a re-check that passes."""

    scope_action_prefix = "assessment"
    scope_org_field = "org"

    sheet = models.OneToOneField(ScoreSheet, on_delete=models.CASCADE, related_name="rectification")
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="整改单位", on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey("registry.MediaAccount", on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField("问题")
    due_on = models.DateField("整改期限")
    due_provisional = models.BooleanField(default=False)
    state = models.CharField(
        "状态", max_length=10, choices=RectificationState.choices, default=RectificationState.OPEN
    )
    recheck_at = models.DateTimeField("复查时间", null=True, blank=True)
    recheck_score = models.DecimalField(
        "复查得分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    recheck_note = models.CharField("复查说明", max_length=1000, blank=True)
    closed_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CheckRectificationQuerySet.as_manager()

    class Meta:
        verbose_name = "检查整改"
        verbose_name_plural = "检查整改"
        ordering = ["due_on", "id"]


class BulletinQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A bulletin exists once published, and a published bulletin is every unit's to read
        (通知第五部分（三）“定期通报”); writing it is the district office's."""
        if not may(user, f"assessment.{action}"):
            return self.none()
        return self.all() if action == "view" or sees_whole_district(user) else self.none()


class Bulletin(models.Model):
    """通报: the check's published result as a government document, kept with the check."""

    scope_action_prefix = "assessment"
    scope_org_field = "check_run__org"

    check_run = models.OneToOneField(Check, on_delete=models.PROTECT, related_name="bulletin")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    doc_no = models.CharField("发文字号", max_length=60, unique=True)
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("成文日期")
    rectify_due_on = models.DateField("整改期限", null=True, blank=True)
    docx = models.BinaryField("DOCX")
    pdf = models.BinaryField("PDF")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey("users.User", on_delete=models.PROTECT, related_name="+")

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = "检查通报"
        verbose_name_plural = "检查通报"
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="bulletin_unique_serial")
        ]


class BulletinCounter(models.Model):
    """The last 文号 serial of a year: 〔2026〕N号 counts per year."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)


class AccountMonthQuerySet(RestrictedQuerySet):
    pass


class AccountMonth(models.Model):
    """传播力: one account's figures for one month from its pulled posts, with the index
    (influence.py). Rebuilt per month by `assessment_figures`; kept apart from the compliance
    scores of checks."""

    scope_action_prefix = "monitoring"
    scope_org_field = "org"

    account = models.ForeignKey(
        "registry.MediaAccount", on_delete=models.CASCADE, related_name="months"
    )
    month = models.DateField("月份")  # the first day
    platform = models.ForeignKey("registry.Platform", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    org_type = models.CharField("单位类型", max_length=20)
    posts = models.PositiveIntegerField("发文数", default=0)
    reads = models.BigIntegerField("阅读数", default=0)
    likes = models.BigIntegerField("点赞数", default=0)
    shares = models.BigIntegerField("转发数", default=0)
    comments = models.BigIntegerField("评论数", default=0)
    wci = models.DecimalField("传播力指数", max_digits=10, decimal_places=2, default=0)
    # Place among the accounts of the same platform that month (1 = highest), set when built.
    rank = models.PositiveIntegerField("平台内排名", default=0)

    objects = AccountMonthQuerySet.as_manager()

    class Meta:
        verbose_name = "月度传播数据"
        verbose_name_plural = "月度传播数据"
        ordering = ["-month", "-wci", "account_id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="account_month_unique")
        ]
        indexes = [
            models.Index(fields=["month", "platform", "-wci", "account"]),
            models.Index(fields=["month", "platform", "org_type", "-wci"]),
        ]


class AnnualWeights(models.Model):
    """年度考核: how the district office weighs a unit's year (percentages summing to 100)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    checks = models.DecimalField("检查合格率权重", max_digits=5, decimal_places=2, default=40)
    bulletins = models.DecimalField("通报情况权重", max_digits=5, decimal_places=2, default=20)
    rectification = models.DecimalField(
        "整改完成率权重", max_digits=5, decimal_places=2, default=20
    )
    reposts = models.DecimalField("转载完成率权重", max_digits=5, decimal_places=2, default=20)
    # 通报情况 starts at 100 and loses this much for each account of the unit named as failed.
    bulletin_penalty = models.DecimalField(
        "每个被通报不合格账号扣分", max_digits=5, decimal_places=2, default=20
    )
    updated_by = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "年度考核权重"
        verbose_name_plural = "年度考核权重"


class Screenshot(models.Model):
    """A screenshot a checker keeps as evidence of one item of a score sheet (the notice's
    "manual items with evidence"): a JPG, PNG or GIF checked from its bytes, stored under our own
    name and served only through the sheet's scope, never from a public media URL."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="screenshots")
    item = models.ForeignKey(ItemResult, on_delete=models.CASCADE, related_name="screenshots")
    file = models.FileField("截图", upload_to="assessment/screenshots/%Y/%m/", max_length=200)
    label = models.CharField("截图说明", max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey("users.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证截图"
        verbose_name_plural = "佐证截图"
        ordering = ["item", "uploaded_at", "pk"]
