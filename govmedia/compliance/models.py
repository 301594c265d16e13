"""Stored findings of the compliance rules (rules.py), so that counts and "since when" are cheap
to read at 10,000 accounts: `services.compliance_refresh` opens and resolves them."""

from django.db import models
from django.db.models import Q

from govmedia.core.scope import RestrictedQuerySet

from .rules import RULES, SEVERITY_LABELS


class FindingQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class ComplianceFinding(models.Model):
    """One rule broken by one account (or by one filing not yet tied to an account)."""

    scope_action_prefix = "registry"
    scope_org_field = "org"
    scope_industry = True  # 行业指导: visible to view by its 行业主管部门

    rule = models.CharField("规则", max_length=40)
    # rule:account:filing — the identity of a finding across refreshes (rules.Finding.key).
    key = models.CharField(max_length=100, editable=False)
    # Derived rows: they go with what they describe rather than block its deletion.
    account = models.ForeignKey(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="compliance_findings",
    )
    filing = models.ForeignKey(
        "registry.Filing",
        verbose_name="备案",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="单位", on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField("情况", max_length=500)
    since = models.DateField("起始日期", null=True, blank=True)
    first_seen_at = models.DateTimeField("首次发现", auto_now_add=True)
    resolved_at = models.DateTimeField("消除时间", null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = "合规问题"
        verbose_name_plural = "合规问题"
        ordering = ["org__path", "rule", "id"]
        indexes = [
            models.Index(fields=["org", "resolved_at"]),
            models.Index(fields=["rule", "resolved_at"]),
        ]
        constraints = [
            # Two refreshes racing cannot open the same finding twice.
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_finding_per_key",
            )
        ]

    def __str__(self):
        return f"{self.rule_title}：{self.message}"

    @property
    def rule_def(self):
        return RULES.get(self.rule)

    @property
    def rule_title(self) -> str:
        return self.rule_def.title if self.rule_def else self.rule

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.rule_def.severity] if self.rule_def else ""


class ComplianceState(models.Model):
    """One row (pk=1): locked by every refresh (each chunk of a full one) so two never
    interleave, when the last full check ran (shown on the page), and where a full check in
    progress has reached (its cursor), so one cut short resumes from its last committed chunk."""

    last_full_refresh_at = models.DateTimeField(null=True, blank=True)
    # The full check in progress: the organizations up to full_cursor (by id) are done; it was
    # started at full_started_at and computes findings as of full_day. All None: none running.
    full_cursor = models.BigIntegerField(null=True, blank=True)
    full_started_at = models.DateTimeField(null=True, blank=True)
    full_day = models.DateField(null=True, blank=True)


class RuleException(models.Model):
    """An approved exception to a compliance rule for one account, with its reason
    (e.g. 特殊工作需要 for a 下属单位's own account, 第二部分（一）)."""

    scope_action_prefix = "registry"
    scope_org_field = "account__host_org"

    account = models.ForeignKey(
        "registry.MediaAccount", on_delete=models.CASCADE, related_name="rule_exceptions"
    )
    rule = models.CharField("规则", max_length=40)
    reason = models.TextField("理由")
    approved_by = models.ForeignKey("users.User", on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "规则例外"
        db_table = "registry_ruleexception"  # created by the registry app, which first held it
        constraints = [
            models.UniqueConstraint(
                fields=["account", "rule"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_exception_per_rule",
            )
        ]
