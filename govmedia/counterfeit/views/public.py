"""/verify/: the public verification page (no login). A citizen types an account's name or ID
and sees whether it is a registered government account, or "未在本平台备案" and how to report it.

Only the public facts of an account leave here (name, platform, host organization, 备案号,
status, verification): never a phone number or a person's name. Both the search and the report
are limited per client address (ratelimit.py) and answer 429 with a Chinese page beyond it.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Case, Q, Value, When
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.middleware import client_ip
from govmedia.registry.models import AccountStatus, MediaAccount

from .. import ratelimit, services
from ..forms import PublicReportForm, parse_verified
from ..models import SuspectSource

MIN_QUERY = 2
MAX_QUERY = 50
MAX_RESULTS = 20
# The only fields the public page reads: a template cannot show what the query did not fetch.
PUBLIC_FIELDS = (
    "name",
    "handle",
    "platform__name",
    "host_org__name",
    "filing_no",
    "status",
    "verified",
)
STATUS_LABELS = dict(AccountStatus.choices)
# Running accounts first: they are what a citizen is most likely looking at.
STATUS_ORDER = Case(
    When(status=AccountStatus.RUNNING, then=Value(0)),
    When(status=AccountStatus.SUSPENDED, then=Value(1)),
    default=Value(2),
)


def lookup(query: str) -> list[dict]:
    """Registered accounts whose handle is exactly `query` or whose name contains it."""
    accounts = (
        MediaAccount.objects.filter(Q(handle__iexact=query) | Q(name__icontains=query))
        .order_by(STATUS_ORDER, "platform__sort_order", "name", "pk")
        .values(*PUBLIC_FIELDS)[:MAX_RESULTS]
    )
    return [account | {"status_label": STATUS_LABELS[account["status"]]} for account in accounts]


def _limited(request, what: str, limit: ratelimit.Limit):
    window = "一分钟" if limit.seconds <= 60 else "一小时"
    return render(
        request,
        "counterfeit/public/limited.html",
        {"what": what, "window": window, "count": limit.count, "hide_nav": True},
        status=429,
    )


def _public(request, template: str, context: dict, status: int = 200):
    return render(
        request,
        template,
        context | {"hide_nav": True, "office": f"{settings.DISTRICT_NAME}人民政府办公室"},
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def verify(request):
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    results, error = None, ""
    if "q" in request.GET:
        if not ratelimit.allow(ratelimit.SEARCH_LIMIT, client_ip(request)):
            return _limited(request, "查询", ratelimit.SEARCH_LIMIT)
        if len(query) < MIN_QUERY:
            error = f"请至少输入 {MIN_QUERY} 个字：账号名称的一部分，或完整的账号（ID）"
        else:
            results = lookup(query)
    return _public(
        request,
        "counterfeit/public/verify.html",
        {"query": query, "results": results, "error": error},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def public_report(request):
    data = request.POST if request.method == "POST" else None
    form = PublicReportForm(data, initial={"display_name": request.GET.get("name", "")[:100]})
    if request.method == "POST":
        if not ratelimit.allow(ratelimit.REPORT_LIMIT, client_ip(request)):
            return _limited(request, "举报", ratelimit.REPORT_LIMIT)
        if form.is_bot:
            # Answered as if accepted, so a script learns nothing; nothing is stored.
            return redirect("verify:reported")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.suspect_create(
                    actor=None,
                    platform=data["platform"],
                    display_name=data["display_name"],
                    handle=data["handle"],
                    verified=parse_verified(data["verified"]),
                    verified_reason=data["verified_reason"],
                    description=data["description"],
                    reporter_contact=data["contact"],
                    source=SuspectSource.PUBLIC_REPORT,
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "举报已收到，感谢您的监督！区政府办公室将尽快核实处置。")
                return redirect("verify:reported")
    return _public(
        request,
        "counterfeit/public/report.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
def reported(request):
    return _public(request, "counterfeit/public/reported.html", {})
