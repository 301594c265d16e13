"""掌上办事入口 (通知第三部分（三）“掌上办、快速办”): each account's service links (menu links,
mini-programs, 爱山东 service items), the outcome of their latest scheduled check, and the
finding (功能无法使用) a broken link opens for the owning unit.

A finding is a 整改 item in everything but its evidence: the same states, the same transition
table and the same roles as monitoring's Rectification (monitoring.lifecycle.TRANSITIONS,
rectification.*), which cannot hold it because its evidence is a published post.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from govmedia.core.scope import RestrictedQuerySet
from govmedia.monitoring.models import ACTIVE_RECTIFICATION_STATES, RectificationState


class LinkKind(models.TextChoices):
    MENU = "menu", "菜单链接"
    MINI_PROGRAM = "mini_program", "小程序"
    ISHANDONG = "ishandong", "爱山东服务事项"
    OTHER = "other", "其他入口"


class Outcome(models.TextChoices):
    OK = "ok", "正常"
    NOT_FOUND = "not_found", "页面不存在（404）"
    SOFT_NOT_FOUND = "soft_not_found", "页面提示不存在"
    HTTP_ERROR = "http_error", "服务器错误"
    TIMEOUT = "timeout", "访问超时"
    TLS_ERROR = "tls_error", "证书错误"
    CONNECT_ERROR = "connect_error", "无法连接"
    TOO_MANY_REDIRECTS = "redirect_loop", "重定向过多"
    UNCHECKABLE = "uncheckable", "无法自动检查"


class ServiceLinkQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(active=True)


class ServiceLink(models.Model):
    """办事入口: one entry an account offers its users, checked on a schedule."""

    scope_action_prefix = "servicelinks"
    scope_org_field = "account__host_org"

    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.CASCADE,
        related_name="service_links",
    )
    kind = models.CharField("入口类型", max_length=20, choices=LinkKind.choices)
    name = models.CharField("入口名称", max_length=100, help_text="菜单或服务事项的名称")
    url = models.CharField(
        "链接地址",
        max_length=1000,
        help_text="http(s) 网址；小程序填写其 URL Link 或网页地址，无网址的不自动检查",
    )
    service_name = models.CharField(
        "爱山东服务事项",
        max_length=100,
        blank=True,
        help_text="爱山东 APP 中的服务事项名称（入口类型为爱山东服务事项时必填）",
    )
    active = models.BooleanField("启用", default=True)
    next_check_at = models.DateTimeField("下次检查", null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_checked_at = models.DateTimeField("最近检查", null=True, blank=True)
    last_outcome = models.CharField("检查结果", max_length=20, choices=Outcome.choices, blank=True)
    last_status = models.PositiveSmallIntegerField("HTTP 状态码", null=True, blank=True)
    last_final_url = models.CharField("最终地址", max_length=1000, blank=True)
    last_detail = models.CharField("说明", max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField("连续失败次数", default=0)
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ServiceLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "办事入口"
        verbose_name_plural = "办事入口"
        ordering = ["account_id", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "url"], name="servicelink_unique_url")
        ]

    def __str__(self):
        return self.name

    @property
    def broken(self) -> bool:
        return self.last_outcome not in ("", Outcome.OK, Outcome.UNCHECKABLE)


class LinkFindingQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE_RECTIFICATION_STATES)


class LinkFinding(models.Model):
    """功能无法使用: a broken link, the unit's correction and the district office's confirmation.
    The fields the 整改 lifecycle reads (state, resolved_by) are named as Rectification's."""

    scope_action_prefix = "rectification"
    scope_org_field = "org"

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="整改单位", on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        on_delete=models.PROTECT,
        related_name="+",
    )
    link = models.ForeignKey(
        ServiceLink, verbose_name="办事入口", on_delete=models.PROTECT, related_name="findings"
    )
    state = models.CharField(
        "状态", max_length=20, choices=RectificationState.choices, default=RectificationState.OPEN
    )
    outcome = models.CharField("检查结果", max_length=20, choices=Outcome.choices)
    detail = models.CharField("问题说明", max_length=300)
    url = models.CharField("链接地址", max_length=1000)
    due_on = models.DateField("整改期限")
    due_provisional = models.BooleanField(default=False)
    resolution_note = models.TextField("整改说明", blank=True)
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

    objects = LinkFindingQuerySet.as_manager()

    class Meta:
        verbose_name = "办事入口问题"
        verbose_name_plural = "办事入口问题"
        ordering = ["-id"]
        indexes = [models.Index(fields=["org", "state"])]
        constraints = [
            # Two checks (two workers) of the same broken link open one finding.
            models.UniqueConstraint(
                fields=["link"],
                condition=Q(state__in=["open", "resolved", "reopened"]),
                name="one_active_finding_per_link",
            )
        ]

    def __str__(self):
        return f"功能无法使用 #{self.pk}：{self.link_id}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_RECTIFICATION_STATES


class LinkFindingStep(models.Model):
    """The history of one finding, shown on its page (the audit log holds the same, chained)."""

    finding = models.ForeignKey(LinkFinding, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
