"""Lexicons as data: the terms administrators maintain, and the counter that names their state.

The engine (govmedia/screening/engine) knows nothing of the database; `service.screener_for`
turns the rows that apply to a unit into an engine `Screener`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from govmedia.core.scope import RestrictedQuerySet, may, sees_whole_district

from .engine import COMMERCIAL_CONTEXT, Category, Severity

CATEGORY_LABELS = {
    Category.POLITICAL_EXPRESSION: "规范表述",
    Category.SENSITIVE: "敏感词",
    Category.CLASSIFIED: "涉密标识",
    Category.PERSONAL_DATA: "个人信息",
    Category.ADVERTISING: "广告与极限词",
    Category.UNOFFICIAL_SOURCE: "非官方来源",
    Category.TYPO: "常见差错",
}
SEVERITY_LABELS = {Severity.BLOCK: "禁止发布", Severity.WARN: "提醒核实"}
CONTEXT_LABELS = {"": "不限", COMMERCIAL_CONTEXT: "仅商业语境"}
# A whitelist phrase with no category silences findings of every category it covers.
ALL_CATEGORIES_LABEL = "全部类别"

CATEGORY_CHOICES = [(str(code), label) for code, label in CATEGORY_LABELS.items()]
SEVERITY_CHOICES = [(str(code), label) for code, label in SEVERITY_LABELS.items()]
CONTEXT_CHOICES = list(CONTEXT_LABELS.items())


class LexiconSource(models.TextChoices):
    SEED = "seed", "预置词库"
    MANUAL = "manual", "手工添加"
    IMPORT = "import", "表格导入"


class LexiconTermQuerySet(RestrictedQuerySet):
    """Scope of lexicon rows, which is not a plain subtree.

    view: everyone who may screen sees the district-wide rows and those of their own unit's
    ancestors (they apply to the unit's texts, read-only) plus those of their own subtree.
    manage: platform administrators manage every row; a unit administrator only the rows owned
    by their unit or a unit under it, never the district's (通知 assigns the lexicon to the
    district office; a township adds its own terms but cannot change the district's).
    """

    def restrict(self, user, action: str = "view"):
        if action == "view":
            if not may(user, "screening.check"):
                return self.none()
            if sees_whole_district(user):
                return self
            return self.filter(
                applies_to_q(user.org) | Q(owner_org__path__startswith=user.org.path)
            )
        if action == "manage":
            if not may(user, "screening.manage"):
                return self.none()
            if sees_whole_district(user):
                return self
            return self.filter(owner_org__path__startswith=user.org.path)
        raise ValueError(f"unknown lexicon action {action!r}")

    def active(self):
        return self.filter(is_active=True)


def applies_to_q(org) -> Q:
    """Rows whose terms apply to texts of `org`: district-wide, or owned by it or an ancestor."""
    if org is None:
        return Q(owner_org__isnull=True)
    return Q(owner_org__isnull=True) | Q(owner_org_id__in=[*org.ancestor_ids(), org.pk])


class LexiconTerm(models.Model):
    """One lexicon entry: a term to look for, or a whitelist phrase that silences findings.

    `owner_org` NULL means district-wide (the seed lexicons and the platform administrators'
    additions): the seed is loaded at migrate time, before any org exists, and the district
    root may be created or renamed later without the lexicon moving.
    """

    scope_action_prefix = "screening"
    scope_org_field = "owner_org"

    term = models.CharField("词条", max_length=100)
    category = models.CharField(
        "类别",
        max_length=30,
        choices=CATEGORY_CHOICES,
        blank=True,
        help_text="白名单词条可留空，表示对全部类别生效",
    )
    severity = models.CharField("处理级别", max_length=10, choices=SEVERITY_CHOICES, blank=True)
    suggestion = models.CharField("建议改为", max_length=200, blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    whitelist = models.BooleanField("白名单", default=False)
    context = models.CharField(
        "语境要求", max_length=20, choices=CONTEXT_CHOICES, blank=True, default=""
    )
    is_active = models.BooleanField("启用", default=True)
    owner_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="归属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lexicon_terms",
        help_text="留空表示全区通用词库",
    )
    source = models.CharField(
        "来源", max_length=10, choices=LexiconSource.choices, default=LexiconSource.MANUAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = LexiconTermQuerySet.as_manager()

    class Meta:
        verbose_name = "审查词条"
        verbose_name_plural = "审查词条"
        ordering = ["category", "term", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_org", "category", "term", "whitelist"],
                name="lexicon_unique_term_per_owner",
                violation_error_message="该单位的词库中已有相同类别的同一词条",
            ),
            # NULLs are distinct in a unique index (SQLite and PostgreSQL alike).
            models.UniqueConstraint(
                fields=["category", "term", "whitelist"],
                condition=Q(owner_org__isnull=True),
                name="lexicon_unique_district_term",
                violation_error_message="全区词库中已有相同类别的同一词条",
            ),
        ]
        indexes = [models.Index(fields=["owner_org", "is_active"])]

    def __str__(self):
        return self.term

    @property
    def category_label(self) -> str:
        if not self.category:
            return ALL_CATEGORIES_LABEL
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, "—")

    @property
    def owner_label(self) -> str:
        return self.owner_org.name if self.owner_org_id else "全区通用"


class LexiconVersion(models.Model):
    """One row (pk=1) naming the current state of the lexicon tables.

    Every lexicon service bumps it in its own transaction. `version` is the number reported
    with each screening result; `stamp` is what process caches compare: random, so that a
    transaction that bumps the counter and rolls back cannot leave a cache keyed by a number a
    later, different commit reuses.
    """

    version = models.PositiveBigIntegerField("词库版本", default=0)
    stamp = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "词库版本"
