"""传播力排行 (kept apart from the compliance scores), an account's page (its checks and its
24-month trend), and the annual assessment with its Excel export."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from govmedia.core.charts import line_chart_svg
from govmedia.core.errors import ServiceError
from govmedia.core.forms import Form, add_service_error
from govmedia.core.scope import get_scoped, may
from govmedia.core.spreadsheets import xlsx_response
from govmedia.orgs.models import OrgType
from govmedia.registry.models import MediaAccount, Platform

from .. import annual, selectors
from ..influence import FORMULA_NAME
from ..services.annual import annual_rows, weights_set
from ..services.figures import month_start
from .shared import context, require, version_of


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
            can_set_weights=may(user, "assessment.manage"),
        ),
    )


WEIGHT_HELP = "百分比，0到100，可有两位小数"


def _weight(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label}权重", min_value=0, max_value=100, decimal_places=2, help_text=WEIGHT_HELP
    )


class WeightsForm(Form):
    """The year's weighting. The four weights are entered as they are meant: they must add up
    to 100 (never rescaled silently); a component a unit has nothing to count in is left out of
    its result and the others share its weight in proportion."""

    checks = _weight(annual.LABELS["checks"])
    bulletins = _weight(annual.LABELS["bulletins"])
    rectification = _weight(annual.LABELS["rectification"])
    reposts = _weight(annual.LABELS["reposts"])
    bulletin_penalty = forms.DecimalField(
        label="每个被通报不合格账号扣分",
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="通报情况从100分起，本单位每有一个账号在已发布的通报中被列为不合格，扣此分数，扣完为止",
    )

    def clean(self):
        data = super().clean()
        values = [data.get(name) for name in annual.COMPONENTS]
        if all(value is not None for value in values) and sum(values) != 100:
            self.add_error(
                "checks",
                f"检查合格率、通报情况、整改完成率、转载完成率四项权重之和应为100（现为{sum(values)}）",
            )
        return data


@login_required
@require_http_methods(["GET", "POST"])
def annual_weights(request):
    """The district office sets the year's weighting (audited); the annual page then combines
    every unit's year by it."""
    user = request.user
    require(user, "assessment.manage")
    year = _year(request)
    current = selectors.weights(year)
    initial = {name: getattr(current, name) for name in (*annual.COMPONENTS, "bulletin_penalty")}
    form = WeightsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            weights_set(actor=user, year=year, version=version_of(request), **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{year}年度考核权重已保存")
            return redirect(f"{reverse('assessment:annual')}?year={year}")
    return render(
        request,
        "assessment/annual_weights.html",
        context(user, "annual", year=year, form=form, current=current),
    )


@login_required
@require_GET
def annual_export(request):
    user = request.user
    require(user, "assessment.view")
    year = _year(request)
    headers, rows = annual_rows(selectors.annual_assessment(user, year))
    return xlsx_response(f"年度考核-{year}", f"{year}年度考核", headers, rows)
