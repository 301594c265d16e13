"""Compliance findings over the API: the same scope and the same filters as the pages."""

from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from govmedia.core.errors import ServiceError
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.scope import get_scoped

from . import rules, selectors
from .models import ComplianceFinding

router = Router(tags=["合规检查"])


class RuleOut(Schema):
    code: str
    title: str
    basis: str
    severity: str
    remedy: str
    open_count: int


class ComplianceFindingOut(Schema):
    id: Id
    rule: str
    rule_title: str
    basis: str
    org_id: Id
    org_name: str
    account_id: Id | None
    account_name: str | None
    filing_id: Id | None
    message: str
    since: date | None
    first_seen_at: datetime
    resolved_at: datetime | None

    @staticmethod
    def resolve_rule_title(obj):
        return obj.rule_def.title if obj.rule_def else obj.rule

    @staticmethod
    def resolve_basis(obj):
        return obj.rule_def.basis if obj.rule_def else ""

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_account_name(obj):
        return obj.account.name if obj.account_id else None


@router.get("/rules", response=list[RuleOut], summary="合规规则及调用者范围内的现存问题数")
def list_rules(request):
    _, totals = selectors.overview(request.auth)
    return [
        RuleOut(
            code=code,
            title=rule.title,
            basis=rule.basis,
            severity=str(rule.severity),
            remedy=rule.remedy,
            open_count=totals.get(code, 0),
        )
        for code, rule in rules.RULES.items()
    ]


@router.get(
    "/findings", response=list[ComplianceFindingOut], summary="现存合规问题（可按规则、单位筛选）"
)
@paginate(LimitOffset)
def list_findings(request, rule: str = "", org_id: Id | None = None):
    if rule and rule not in rules.RULES:
        raise ServiceError(f"未知的规则：{rule}", field="rule")
    return selectors.open_findings(request.auth, rule=rule, org_id=org_id).order_by("id")


@router.get("/findings/{finding_id}", response=ComplianceFindingOut, summary="合规问题详情")
def get_finding(request, finding_id: Id):
    queryset = ComplianceFinding.objects.select_related("org", "account")
    return get_scoped(queryset, request.auth, finding_id)
