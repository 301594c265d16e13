"""传播力排行 (kept apart from the compliance scores), an account's page (its checks and its
24-month trend), and the annual assessment with its Excel export."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from govmedia.core.charts import line_chart_svg
from govmedia.core.scope import get_scoped
from govmedia.core.spreadsheets import xlsx_response
from govmedia.orgs.models import OrgType
from govmedia.registry.models import MediaAccount, Platform

from .. import annual, selectors
from ..influence import FORMULA_NAME
from ..services.annual import annual_rows
from ..services.figures import month_start
from .shared import context, require


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        today = timezone.localdate()
        return month_start(date.fromordinal(month_start(today).toordinal() - 1))


@login_required
@require_GET
def rankings(request):
    user = request.user
    require(user, "monitoring.view")
    platforms = list(Platform.objects.filter(is_active=True).order_by("sort_order"))
    month = _month(request.GET.get("month", ""))
    try:
        platform_id = int(request.GET.get("platform", ""))
    except ValueError:
        platform_id = platforms[0].pk if platforms else 0
    org_type = request.GET.get("org_type", "")
    if org_type not in OrgType.values:
        org_type = ""
    page = paginate_rankings(request, user, month, platform_id, org_type)
    return render(
        request,
        "assessment/rankings.html",
        context(
            user,
            "rankings",
            page=page,
            month=month,
            platforms=platforms,
            platform_id=platform_id,
            org_types=OrgType.choices,
            org_type=org_type,
            formula=FORMULA_NAME,
        ),
    )


def paginate_rankings(request, user, month, platform_id, org_type):
    from govmedia.core.pagination import paginate

    return paginate(
        request, selectors.rankings(user, month=month, platform_id=platform_id, org_type=org_type)
    )


@login_required
@require_GET
def account(request, account_id):
    user = request.user
    require(user, "monitoring.view")
    target = get_scoped(
        MediaAccount.objects.select_related("platform", "host_org"), user, account_id
    )
    months = selectors.trend(user, target.pk, until=timezone.localdate())
    labels = [f"{row.month:%Y-%m}" for row in months]
    charts = {
        "wci": line_chart_svg(f"{target.name}传播力指数", labels, [float(r.wci) for r in months]),
        "posts": line_chart_svg(f"{target.name}发文数", labels, [r.posts for r in months]),
        "reads": line_chart_svg(f"{target.name}阅读数", labels, [r.reads for r in months]),
    }
    return render(
        request,
        "assessment/account.html",
        context(
            user,
            "rankings",
            account=target,
            months=months,
            charts=charts,
            history=selectors.account_history(user, target.pk),
            formula=FORMULA_NAME,
        ),
    )


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
@require_GET
def annual_page(request):
    user = request.user
    require(user, "assessment.view")
    year = _year(request)
    units = selectors.annual_assessment(user, year)
    return render(
        request,
        "assessment/annual.html",
        context(
            user,
            "annual",
            year=year,
            units=units,
            weights=selectors.weights(year),
            components=[(name, annual.LABELS[name]) for name in annual.COMPONENTS],
        ),
    )


@login_required
@require_GET
def annual_export(request):
    user = request.user
    require(user, "assessment.view")
    year = _year(request)
    headers, rows = annual_rows(selectors.annual_assessment(user, year))
    return xlsx_response(f"年度考核-{year}", f"{year}年度考核", headers, rows)
