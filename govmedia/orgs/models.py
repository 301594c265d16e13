from django.db import models
from django.db.models import Q

from govmedia.core.scope import RestrictedQuerySet


class OrgType(models.TextChoices):
    DISTRICT = "district", "区"
    TOWNSHIP = "township", "镇/街道"
    DEPARTMENT = "department", "部门"
    INTERNAL = "internal", "内设机构"
    SUBORDINATE = "subordinate", "下属单位"
    DIRECT = "direct", "直属单位"
    ENTERPRISE = "enterprise", "企事业单位"


# The notice's structure: the district at the root, 镇街 and 部门 under it, and under those the
# 内设机构/下属单位/直属单位 (and the 企事业单位 a 行业主管部门 guides, 第二部分（三）).
UNIT_LEVEL_TYPES = frozenset({OrgType.TOWNSHIP, OrgType.DEPARTMENT})
SUB_UNIT_TYPES = frozenset(
    {OrgType.INTERNAL, OrgType.SUBORDINATE, OrgType.DIRECT, OrgType.ENTERPRISE}
)
ALLOWED_CHILD_TYPES = {
    OrgType.DISTRICT: UNIT_LEVEL_TYPES,
    OrgType.TOWNSHIP: SUB_UNIT_TYPES,
    OrgType.DEPARTMENT: SUB_UNIT_TYPES,
    **{t: SUB_UNIT_TYPES for t in SUB_UNIT_TYPES},
}


class OrgStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    ABOLISHED = "abolished", "已撤销"
    MERGED = "merged", "已整合"


class OrganizationQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(status=OrgStatus.ACTIVE)


class Organization(models.Model):
    """单位: a node of the district's org tree.

    `path` is a materialized path of ids ("/1/4/17/") so that "this org and everything under it"
    is one indexed prefix filter on both SQLite and PostgreSQL.
    """

    scope_action_prefix = "orgs"
    scope_org_field = ""
    scope_industry = True  # 行业指导: visible to view by its 行业主管部门

    name = models.CharField("单位名称", max_length=100)
    org_type = models.CharField("单位类型", max_length=20, choices=OrgType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    supervisor = models.ForeignKey(
        "self",
        verbose_name="主管单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised",
        help_text="备案表“主管单位签章”栏的单位；留空表示由区政府办公室直接管理",
    )
    status = models.CharField(
        "状态", max_length=20, choices=OrgStatus.choices, default=OrgStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="整合至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    status_changed_on = models.DateField("撤销/整合日期", null=True, blank=True)
    status_reason = models.CharField("撤销/整合依据", max_length=200, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    note = models.TextField("备注", blank=True)
    sort_order = models.PositiveSmallIntegerField(
        "排序",
        default=0,
        help_text="同一上级下同类单位的先后，数字小的在前；相同的按名称排列",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(status="active"),
                name="org_unique_active_sibling_name",
                violation_error_message="同一上级单位下已有同名单位",
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="org_unique_credit_code",
                violation_error_message="该统一社会信用代码已被其他单位使用",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == OrgStatus.ACTIVE

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def is_descendant_of(self, other: "Organization") -> bool:
        return self.pk != other.pk and self.path.startswith(other.path)

    def subtree(self):
        return Organization.objects.filter(path__startswith=self.path)


class IndustrySupervision(models.Model):
    """行业指导 (通知第二部分（三）“行业主管部门指导监督本行业企事业单位政务新媒体”): the
    department `supervisor` is the 行业主管部门 of the 企事业单位 `supervised`. An explicit grant
    row, set by the district office: core.scope reads it to let the department's users *view*
    (never change) the enterprise's accounts, filings, pull state, findings and repost tasks —
    the models that declare `scope_industry = True` — and issue repost tasks to its accounts."""

    supervisor = models.ForeignKey(
        Organization,
        verbose_name="行业主管部门",
        on_delete=models.CASCADE,
        related_name="supervised_industry",
    )
    supervised = models.ForeignKey(
        Organization,
        verbose_name="企事业单位",
        on_delete=models.CASCADE,
        related_name="industry_supervisors",
    )
    granted_by = models.ForeignKey(
        "users.User", verbose_name="设置人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "行业指导关系"
        verbose_name_plural = "行业指导关系"
        ordering = ["supervisor", "supervised"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "supervised"], name="one_industry_supervision"
            )
        ]

    def __str__(self):
        return f"{self.supervisor} → {self.supervised}"
