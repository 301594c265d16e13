"""The interaction health page (互动回应情况): per account, sorted by risk, with charts over
time and the Excel export."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from govmedia.core.charts import bar_chart_svg
from govmedia.core.spreadsheets import xlsx_response

from ..health import health_rows, monthly_trend, parse_month, previous_month
from .shared import common, crumbs, require_view


def _hours(value) -> str:
    return "" if value is None else f"{value:g}"


@login_required
def health(request):
    user = request.user
    require_view(user)
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), today)
    rows = health_rows(user, month)
    trend = monthly_trend(user, month)
    answered = [r for r in rows if r.figures.median_hours is not None]
    charts = {
        "trend": mark_safe(  # noqa: S308 - bar_chart_svg escapes every text it draws
            bar_chart_svg("各月按时答复率（%）", [(m, t["in_time_rate"]) for m, t in trend])
        ),
        "received": mark_safe(  # noqa: S308
            bar_chart_svg("各月收到留言（条）", [(m, t["received"]) for m, t in trend])
        ),
        "median": mark_safe(  # noqa: S308
            bar_chart_svg(
                "本月答复用时中位数（工作小时）",
                [(r.account.name, round(r.figures.median_hours)) for r in answered[:20]],
                color="#2563eb",
            )
        ),
    }
    return render(
        request,
        "interaction/health.html",
        {
            "rows": rows,
            "month": month,
            "previous": previous_month(month),
            "is_current": month == today.replace(day=1),
            "charts": charts,
            "trend": trend,
            "at_risk": sum(1 for r in rows if not r.figures.working_interaction),
            "breadcrumbs": crumbs(("互动回应情况", None)),
            **common(user, "health"),
        },
    )


@login_required
def health_export(request):
    user = request.user
    require_view(user)
    month = parse_month(request.GET.get("month"), timezone.localdate())
    rows = health_rows(user, month)
    return xlsx_response(
        f"互动回应情况-{month:%Y-%m}",
        "互动回应情况",
        [
            "政务新媒体",
            "平台",
            "主办单位",
            "收到留言",
            "已答复",
            "按时答复",
            "超期未答复",
            "答复用时中位数（工作小时）",
            "答复用时90分位（工作小时）",
            "单项否决风险",
        ],
        (
            (
                r.account.name,
                r.account.platform.name,
                r.account.host_org.name,
                r.figures.received,
                r.figures.answered,
                r.figures.answered_in_time,
                r.figures.unanswered_overdue,
                _hours(r.figures.median_hours),
                _hours(r.figures.p90_hours),
                "无有效互动" if not r.figures.working_interaction else "",
            )
            for r in rows
        ),
    )
