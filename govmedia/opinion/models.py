"""舆情处置 (通知第四部分（三）“及时预警、科学研判、妥善处置、有效回应”).

- `Subscription` (监测方案): a unit's boolean keyword expression (opinion.expressions), applied to
  the content of the accounts in the unit's subtree as it arrives (pulled posts now; comments
  and messages through the same intake once the interaction app exists).
- `OpinionItem` (舆情信息): one signal — a subscription's match, a manual report, a vendor's
  item (imported file or pushed through the API) — with its source, link, time, text, the rule
  that matched, its sentiment and its MinHash signature; clustered into an `OpinionCase`.
- `OpinionCase` (舆情事件): the case the signals about one event make, taken through
  opinion.lifecycle (预警 → 研判 → 转办 → 处置 → 回应 → 办结, 重新打开) with a time limit in
  clock hours stored in `due_at`.

A case is visible to its unit's subtree and to the units it is assigned to (`CaseAssignment`
rows: 转办 by the district office or 网信 may leave the subtree); district-wide roles see all.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When

from govmedia.core.scope import RestrictedQuerySet, may, org_subtree_q, sees_whole_district


class SignalKind(models.TextChoices):
    POST_MATCH = "post_match", "监测方案命中（账号发布内容）"
    COMMENT_MATCH = "comment_match", "监测方案命中（评论）"
    MESSAGE_MATCH = "message_match", "监测方案命中（留言）"
    MANUAL = "manual", "人工报送"
    VENDOR_IMPORT = "vendor_import", "服务商导入"
    VENDOR_API = "vendor_api", "服务商接口推送"
    SPIKE = "spike", "负面评论激增"


# The kind of content a subscription reads, and the signal kind a match of it makes.
CONTENT_KINDS = {
    "post": SignalKind.POST_MATCH,
    "comment": SignalKind.COMMENT_MATCH,
    "message": SignalKind.MESSAGE_MATCH,
}


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", "负面"
    NEUTRAL = "neutral", "中性"
    POSITIVE = "positive", "正面"


class Level(models.TextChoices):
    """舆情等级, lowest first (the order `raise` compares)."""

    ORDINARY = "ordinary", "一般"
    LARGE = "large", "较大"
    MAJOR = "major", "重大"
    GRAVE = "grave", "特别重大"


LEVEL_ORDER = {level: rank for rank, level in enumerate(Level.values)}


class CaseState(models.TextChoices):
    WARNING = "warning", "预警"
    ASSESSED = "assessed", "研判"
    ASSIGNED = "assigned", "转办"
    HANDLING = "handling", "处置"
    RESPONDED = "responded", "回应"
    CLOSED = "closed", "办结"


OPEN_STATES = tuple(s for s in CaseState.values if s != CaseState.CLOSED)


def closed_last():
    """The board's first sort key: 0 for an open case, 1 for a closed one. The board orders by
    it, then `due_at`, then newest id; the partial index `opinion_board_order` holds exactly
    this expression, so the first page is read off the index instead of sorting every case."""
    return Case(
        When(state=CaseState.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )


class SubscriptionQuerySet(RestrictedQuerySet):
    pass


class Subscription(models.Model):
    scope_action_prefix = "opinion"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("方案名称", max_length=100)
    expression = models.TextField(
        "监测表达式",
        help_text='AND、OR、NOT、NEAR/n、括号、"引号短语"，如 (停水 OR 停电) NOT 演练',
    )
    active = models.BooleanField("启用", default=True)
    on_posts = models.BooleanField("账号发布内容", default=True)
    on_comments = models.BooleanField("评论", default=True)
    on_messages = models.BooleanField("留言", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "监测方案"
        verbose_name_plural = "监测方案"
        ordering = ["org__path", "name", "id"]
        indexes = [models.Index(fields=["active", "org"])]

    def __str__(self):
        return self.name

    def reads(self, content_kind: str) -> bool:
        return {"post": self.on_posts, "comment": self.on_comments, "message": self.on_messages}[
            content_kind
        ]


class CaseQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The cases of the user's subtree and those assigned to a unit of it (转办 rows)."""
        if not may(user, f"opinion.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()
        assigned = CaseAssignment.objects.filter(org_subtree_q(user, "org"), case=OuterRef("pk"))
        return self.filter(org_subtree_q(user, "org") | Q(Exists(assigned)))

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class OpinionCase(models.Model):
    scope_action_prefix = "opinion"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("事件名称", max_length=200)
    summary = models.TextField("概要", blank=True)
    state = models.CharField(
        "阶段", max_length=10, choices=CaseState.choices, default=CaseState.WARNING
    )
    level = models.CharField("等级", max_length=10, choices=Level.choices, default=Level.ORDINARY)
    level_reason = models.TextField("研判理由", blank=True)
    opened_at = models.DateTimeField("发现时间")
    due_at = models.DateTimeField("回应时限")
    assessed_at = models.DateTimeField("研判时间", null=True, blank=True)
    responded_at = models.DateTimeField("回应时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    response_article = models.ForeignKey(
        "publishing.Article",
        verbose_name="回应稿件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    response_url = models.CharField("回应链接", max_length=1000, blank=True)
    response_note = models.TextField("回应说明", blank=True)
    closing_report = models.TextField("办结报告", blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入事件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signal_count = models.PositiveIntegerField("信息条数", default=0)
    negative_count = models.PositiveIntegerField("负面条数", default=0)
    # Overdue escalation, claimed once each (conditional UPDATE … WHERE … IS NULL).
    escalated_unit_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_district_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_oversight_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "舆情事件"
        verbose_name_plural = "舆情事件"
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["org", "state"]),
            models.Index(fields=["-opened_at"]),
            # The board (selectors.board): its order, over the cases it lists (not merged).
            models.Index(
                closed_last(),
                F("due_at"),
                F("id").desc(),
                name="opinion_board_order",
                condition=Q(merged_into__isnull=True),
            ),
            # The board's counts (one grouped query by stage, with the overdue ones) read from
            # this index alone, not the table; and the board's order within one stage (ties
            # on the deadline, rare, sorted by id on the way). Kept to two columns: with the id
            # as well it is big enough for PostgreSQL to prefer reading the table for counts.
            models.Index(
                fields=["state", "due_at"],
                name="opinion_board_state",
                condition=Q(merged_into__isnull=True),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state != CaseState.CLOSED


class CaseAssignment(models.Model):
    """转办: the case is handed to a unit, which then sees it (CaseQuerySet.restrict)."""

    case = models.ForeignKey(OpinionCase, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("转办要求", blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField("转办时间")

    class Meta:
        verbose_name = "舆情转办"
        constraints = [
            models.UniqueConstraint(fields=["case", "org"], name="one_assignment_per_unit")
        ]
        indexes = [models.Index(fields=["org", "case"])]


class ItemQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A signal is seen where its case is (or, before it has one, in its unit's subtree)."""
        if not may(user, f"opinion.{action}"):
            return self.none()
        if sees_whole_district(user):
            return self.all()
        cases = OpinionCase.objects.restrict(user, action).filter(pk=OuterRef("case_id"))
        return self.filter(org_subtree_q(user, "org") | Q(Exists(cases)))


class OpinionItem(models.Model):
    scope_action_prefix = "opinion"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="涉及单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("来源", max_length=20, choices=SignalKind.choices)
    title = models.CharField("标题", max_length=500, blank=True)
    text = models.TextField("内容")
    url = models.CharField("链接", max_length=1000, blank=True)
    occurred_at = models.DateTimeField("发布时间")
    matched_rule = models.CharField("命中规则", max_length=2000, blank=True)
    subscription = models.ForeignKey(
        Subscription,
        verbose_name="监测方案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    post = models.ForeignKey(
        "monitoring.Post",
        verbose_name="采集内容",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The content a subscription matched ("post:12", "comment:34"): one signal per pair.
    content_ref = models.CharField(max_length=60, blank=True)
    vendor = models.CharField("服务商", max_length=100, blank=True)
    vendor_item_id = models.CharField("服务商编号", max_length=100, blank=True)
    reporter = models.CharField("报送来源", max_length=200, blank=True)
    sentiment = models.CharField(
        "倾向", max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL
    )
    sentiment_score = models.FloatField("倾向分", default=0)
    sentiment_words = models.JSONField("倾向依据", default=list, blank=True)
    signature = models.BinaryField(editable=False)
    case = models.ForeignKey(
        OpinionCase,
        verbose_name="舆情事件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("收录时间")

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "舆情信息"
        verbose_name_plural = "舆情信息"
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "vendor_item_id"],
                condition=~Q(vendor_item_id=""),
                name="one_item_per_vendor_id",
            ),
            models.UniqueConstraint(
                fields=["subscription", "content_ref"],
                condition=~Q(content_ref=""),
                name="one_item_per_subscription_content",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "occurred_at"]),
            models.Index(fields=["case", "occurred_at"]),
        ]

    def __str__(self):
        return self.title or self.text[:40]


class CommentTone(models.Model):
    """The sentiment of a pulled comment, kept for the spike rule (opinion.spikes): a post's
    negative comments in the window and its account's baseline are counted from these stored
    rows, so the same comments give the same answer whenever it is computed."""

    message = models.OneToOneField(
        "interaction.Message", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    account = models.ForeignKey("registry.MediaAccount", on_delete=models.CASCADE, related_name="+")
    post_key = models.CharField("所评内容编号", max_length=64)  # the platform's post id
    received_at = models.DateTimeField("评论时间")
    negative = models.BooleanField("负面", default=False)

    class Meta:
        verbose_name = "评论倾向"
        indexes = [
            models.Index(fields=["account", "received_at"]),
            models.Index(fields=["account", "post_key", "received_at"]),
        ]


class Attachment(models.Model):
    """A file of a manual report (a leader's call note, a 网信 notice) or of a handling action
    (evidence), stored after core.uploads' checks."""

    item = models.ForeignKey(
        OpinionItem, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        "CaseEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("附件", upload_to="opinion/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "舆情附件"


class EventKind(models.TextChoices):
    OPENED = "opened", "预警"
    SIGNAL = "signal", "新增信息"
    ASSESS = "assess", "研判"
    RAISE = "raise", "提升等级"
    ASSIGN = "assign", "转办"
    ACT = "act", "处置"
    RESPOND = "respond", "回应"
    CLOSE = "close", "办结"
    REOPEN = "reopen", "重新打开"
    COMMENT = "comment", "意见"
    ESCALATE = "escalate", "超时督办"
    MERGE = "merge", "合并"


class CaseEvent(models.Model):
    """The case's timeline: every decision, action, comment and escalation, in order."""

    case = models.ForeignKey(OpinionCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("类型", max_length=10, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "舆情事件记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]


class VendorToken(models.Model):
    """A monitoring vendor's token for POST /api/v1/opinion/vendor/items. Only its SHA-256 is
    stored; a vendor is not a person, so it gets no user account (and no other endpoint)."""

    PREFIX = "gmv_"

    vendor = models.CharField("服务商", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField("前缀", max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "舆情服务商令牌"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.vendor}（{self.hint}…）"


class BriefKind(models.TextChoices):
    DAILY = "daily", "日报"
    WEEKLY = "weekly", "周报"


class BriefQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "brief"):
        """A brief covers the whole district: for the district-wide roles only (区政府办公室,
        监督); a unit sees its own cases on the board, never another's in a brief."""
        if not may(user, "opinion.brief") or not sees_whole_district(user):
            return self.none()
        return self.all()


class OpinionBrief(models.Model):
    """舆情简报: a daily or weekly brief of the district's cases as a government document (DOCX
    and PDF, GB/T 9704-2012 via govmedia.officialdoc), numbered 第N期 per kind and year, kept."""

    scope_action_prefix = "opinion"

    kind = models.CharField("类型", max_length=10, choices=BriefKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("期数")
    title = models.CharField("标题", max_length=200)
    period_start = models.DateTimeField("起始时间")
    period_end = models.DateTimeField("截止时间")
    docx = models.BinaryField("DOCX")
    pdf = models.BinaryField("PDF")
    summary = models.JSONField("摘要", default=dict, blank=True)
    generated_at = models.DateTimeField("生成时间")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: the schedule
    is_demo = models.BooleanField(default=False)

    objects = BriefQuerySet.as_manager()

    class Meta:
        verbose_name = "舆情简报"
        verbose_name_plural = "舆情简报"
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "serial"], name="one_brief_per_kind_serial"
            )
        ]
        indexes = [models.Index(fields=["kind", "period_start"])]

    def __str__(self):
        return self.title

    @property
    def doc_no(self) -> str:
        return f"{self.get_kind_display()}〔{self.year}〕第{self.serial}期"
