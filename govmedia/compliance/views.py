from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.numbers import optional_id
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may
from govmedia.core.spreadsheets import xlsx_response
from govmedia.orgs.models import Organization

from . import remedies, rules, selectors, services
from .forms import ExceptionForm
from .models import ComplianceFinding, ComplianceState, RuleException


def _crumbs(*extra):
    return [("合规检查", reverse("compliance:overview")), *extra]


def _filters(request) -> dict:
    """The rule and org filters, ignoring values that are not a rule or not a number."""
    rule = request.GET.get("rule", "")
    org = request.GET.get("org", "")
    return {
        "rule": rule if rule in rules.RULES else "",
        "org": optional_id(org),
    }


def _finding_or_404(user, finding_id) -> ComplianceFinding:
    return get_scoped(
        ComplianceFinding.objects.select_related("org", "account", "account__platform", "filing"),
        user,
        finding_id,
    )


def _last_check():
    return (
        ComplianceState.objects.filter(pk=1).values_list("last_full_refresh_at", flat=True).first()
    )


@login_required
def overview(request):
    if not may(request.user, "registry.view"):
        raise Http404
    rows, totals = selectors.overview(request.user)
    return render(
        request,
        "compliance/overview.html",
        {
            "rows": rows,
            "rules": list(rules.RULES.values()),
            "totals": [(rule, totals.get(code, 0)) for code, rule in rules.RULES.items()],
            "grand_total": sum(totals.values()),
            "last_check": _last_check(),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def findings(request):
    if not may(request.user, "registry.view"):
        raise Http404
    filters = _filters(request)
    found = selectors.open_findings(request.user, rule=filters["rule"], org_id=filters["org"])
    org_ids = ComplianceFinding.objects.restrict(request.user).open().values("org_id")
    return render(
        request,
        "compliance/findings.html",
        {
            "page": paginate(request, found),
            "filters": filters,
            "rules": list(rules.RULES.values()),
            "orgs": Organization.objects.filter(pk__in=org_ids).order_by("path"),
            "selected_rule": rules.RULES.get(filters["rule"]),
            "can_except": may(request.user, "registry.exception"),
            "breadcrumbs": _crumbs(("问题清单", None)),
        },
    )


@login_required
def finding_detail(request, finding_id: int):
    finding = _finding_or_404(request.user, finding_id)
    exceptions = (
        RuleException.objects.restrict(request.user)
        .filter(account_id=finding.account_id)
        .select_related("approved_by")
        .order_by("-approved_at")
        if finding.account_id
        else RuleException.objects.none()
    )
    rule = finding.rule_def
    can_grant = _can_grant(request.user, finding)
    return render(
        request,
        "compliance/finding_detail.html",
        {
            "finding": finding,
            "rule": rule,
            "exceptions": exceptions,
            "remedies": remedies.remedies(request.user, finding),
            "exception_note": remedies.exception_request_note(request.user, finding, can_grant),
            "can_grant": can_grant,
            "can_except": may(request.user, "registry.exception"),
            "breadcrumbs": _crumbs(
                ("问题清单", reverse("compliance:findings")), (f"问题 #{finding.pk}", None)
            ),
        },
    )


def _can_grant(user, finding: ComplianceFinding) -> bool:
    rule = finding.rule_def
    return bool(
        may(user, "registry.exception")
        and rule is not None
        and rule.exceptable
        and finding.account_id
        and finding.resolved_at is None
    )


@login_required
@require_http_methods(["GET", "POST"])
def exception_grant(request, finding_id: int):
    if not may(request.user, "registry.exception"):
        raise Http404
    finding = _finding_or_404(request.user, finding_id)
    if not _can_grant(request.user, finding):
        messages.error(request, "该问题不能批准例外（规则不允许例外，或问题已消除）")
        return redirect("compliance:finding", finding_id=finding.pk)
    form = ExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_exception_grant(
                actor=request.user,
                account_id=finding.account_id,
                rule=finding.rule,
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"已批准“{finding.account.name}”的“{finding.rule_title}”例外，检查结果随即更新",
            )
            return redirect("compliance:finding", finding_id=finding.pk)
    return render(
        request,
        "compliance/exception_form.html",
        {
            "form": form,
            "finding": finding,
            "rule": finding.rule_def,
            "breadcrumbs": _crumbs(
                (f"问题 #{finding.pk}", reverse("compliance:finding", args=[finding.pk])),
                ("批准例外", None),
            ),
        },
    )


@login_required
def exception_list(request):
    if not may(request.user, "registry.view"):
        raise Http404
    exceptions = (
        RuleException.objects.restrict(request.user)
        .select_related("account", "account__host_org", "account__platform", "approved_by")
        .order_by("revoked_at", "-approved_at")
    )
    if request.GET.get("all") != "1":
        exceptions = exceptions.filter(revoked_at__isnull=True)
    return render(
        request,
        "compliance/exceptions.html",
        {
            "page": paginate(request, exceptions),
            "rules": rules.RULES,
            "show_all": request.GET.get("all") == "1",
            "can_except": may(request.user, "registry.exception"),
            "breadcrumbs": _crumbs(("规则例外", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exception_revoke(request, exception_id: int):
    if not may(request.user, "registry.exception"):
        raise Http404
    exception = get_scoped(
        RuleException.objects.select_related("account"), request.user, exception_id, "exception"
    )
    if request.method == "POST":
        try:
            services.rule_exception_revoke(actor=request.user, exception_id=exception.pk)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"已撤销“{exception.account.name}”的规则例外，检查结果随即更新"
            )
        return redirect("compliance:exceptions")
    return render(
        request,
        "compliance/exception_revoke.html",
        {
            "exception": exception,
            "rule": rules.RULES.get(exception.rule),
            "breadcrumbs": _crumbs(("规则例外", reverse("compliance:exceptions")), ("撤销", None)),
        },
    )


@login_required
def export(request):
    if not may(request.user, "registry.view"):
        raise Http404
    filters = _filters(request)
    found = selectors.open_findings(request.user, rule=filters["rule"], org_id=filters["org"])

    def row(f: ComplianceFinding):
        rule = f.rule_def
        return (
            f.org.name,
            f.rule_title,
            f.severity_label,
            f.account.name if f.account else (f.filing.name if f.filing else ""),
            f.account.platform.name if f.account else "",
            (f.account.filing_no or "") if f.account else "",
            f.message,
            rule.basis if rule else "",
            rule.remedy if rule else "",
            f.since.isoformat() if f.since else "",
            f.first_seen_at,
        )

    headers = [
        "单位",
        "问题",
        "严重程度",
        "政务新媒体",
        "运行平台",
        "备案号",
        "情况",
        "依据",
        "整改建议",
        "起始日期",
        "首次发现",
    ]
    return xlsx_response(
        "合规检查", "合规问题", headers, (row(f) for f in found.iterator(chunk_size=1000))
    )
