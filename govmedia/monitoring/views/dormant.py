"""更新监测: the dormant-account report, its Excel export, and one account's monitoring page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from govmedia.core import progress
from govmedia.core.charts import bar_chart_svg
from govmedia.core.errors import NotFound, ServiceError
from govmedia.core.exports import export_response
from govmedia.core.numbers import optional_id
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may
from govmedia.orgs.models import Organization
from govmedia.registry.models import MediaAccount, Platform

from .. import dormancy, selectors, services
from ..alerts import thresholds
from ..clients import supported_codes
from ..exports import dormant_filters
from ..models import Post, PullRun, Rectification
from .progress import pull_click, pull_progress, run_since, waiting

BASIS = (
    "国办秘函〔2019〕19号（监测时间点前2周内无更新的，单项否决）；通知第二部分（二）“避免僵尸应用”"
)


def crumbs(*extra):
    return [("更新监测", reverse("monitoring:dormant")), *extra]


_int = optional_id


def _filters(request) -> dict:
    return dormant_filters(request.GET)


def _require_view(user) -> None:
    if not may(user, "monitoring.view"):
        raise Http404


@login_required
def dormant(request):
    _require_view(request.user)
    filters = _filters(request)
    accounts = selectors.dormant_accounts(
        request.user,
        level=filters["level"],
        org_id=filters["org"],
        platform_id=filters["platform"],
    )
    counts = selectors.report_counts(request.user)
    # The list's length from the counters, never a COUNT over the accounts.
    if filters["org"] or filters["platform"]:
        known = selectors.listed_count(
            request.user,
            level=filters["level"],
            org_id=filters["org"],
            platform_id=filters["platform"],
        )
    else:
        known = counts.listed_total(filters["level"])
    page = paginate(request, accounts, count=known)
    page.rows = selectors.rows_for(page.object_list)
    return render(
        request,
        "monitoring/dormant.html",
        {
            "page": page,
            "filters": filters,
            "levels": [
                (lv, dormancy.LEVEL_LABELS[lv], counts.levels[lv]) for lv in dormancy.LEVEL_ORDER
            ],
            # A semi-join per org (the host_org index), not a DISTINCT over every account.
            "orgs": Organization.objects.restrict(request.user)
            .filter(Exists(MediaAccount.objects.filter(host_org=OuterRef("pk"))))
            .order_by("path"),
            "platforms": Platform.objects.filter(code__in=supported_codes()),
            "thresholds": thresholds(),
            "failure_limit": settings.PULL_FAILURE_LIMIT,
            "basis": BASIS,
            "unmonitored": counts.unmonitored,
            "tab": "dormant",
            "breadcrumbs": crumbs(),
        },
    )


@login_required
def export(request):
    _require_view(request.user)
    # Immediate when small; a background job with a progress page otherwise (core.exports).
    return export_response(request, "dormant")


def account_or_404(user, account_id) -> MediaAccount:
    _require_view(user)
    return get_scoped(MediaAccount.objects.select_related("platform", "host_org"), user, account_id)


@login_required
def account(request, account_id: int):
    account = account_or_404(request.user, account_id)
    accounts = selectors.monitored_accounts(request.user).select_related("pull_state")
    rows = selectors.rows_for(accounts.filter(pk=account.pk))
    weeks = selectors.weekly_posts(account.pk)
    chart = bar_chart_svg(
        "每周发布数（近13周）",
        [(f"{monday:%m-%d} 起", count) for monday, count in weeks],
        width=420,
        bar=12,
        gap=4,
        size=12,
    )
    return render(
        request,
        "monitoring/account.html",
        {
            "account": account,
            "row": rows[0] if rows else None,
            # Built from dates and integers, escaped by the chart module.
            "weekly_chart": mark_safe(chart),  # noqa: S308
            "weeks": weeks,
            "runs": PullRun.objects.filter(account=account).order_by("-started_at", "-id")[:20],
            "posts": Post.objects.filter(account=account).order_by("-published_at", "-id")[:20],
            "items": Rectification.objects.restrict(request.user)
            .filter(account=account)
            .order_by("-id")[:20],
            "can_pull": may(request.user, "monitoring.pull") and rows,
            **pull_progress(request, account),
            "thresholds": thresholds(),
            "basis": BASIS,
            "breadcrumbs": crumbs((account.name, None)),
        },
    )


@login_required
@require_POST
def pull_now(request, account_id: int):
    account = account_or_404(request.user, account_id)
    click = pull_click(account)
    try:
        services.pull_request_now(actor=request.user, account_id=account.pk)
    except NotFound:
        raise  # not a message: core.middleware.NotFoundMiddleware answers 404
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        url = reverse("monitoring:account", args=[account.pk])
        return redirect(f"{url}?{click.query()}")  # the page follows the pull
    return redirect("monitoring:account", account_id=account.pk)


@login_required
@require_GET
def pull_status(request, account_id: int):
    """The progress line of a requested pull, or (when a pull started after the click has
    finished) the instruction to reload the page with its counts."""
    account = account_or_404(request.user, account_id)
    click = progress.clicked(request)
    if click is None:
        raise Http404
    if run := run_since(account, click):
        url = reverse("monitoring:account", args=[account.pk])
        return progress.finished(f"{url}?pulled={run.pk}")
    return render(request, "includes/progress.html", waiting(account, click))
