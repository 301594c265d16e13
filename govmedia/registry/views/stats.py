"""The registry's statistics page: counts with a server-drawn bar chart and the same numbers in
a table underneath (the table is the accessible version of the chart)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from govmedia.core import periods
from govmedia.core.charts import bar_chart_svg
from govmedia.core.scope import may

from ..models import FilingKind
from ..selectors.stats import period_figures, registry_stats, units_without_accounts


@login_required
@require_GET
def index(request):
    if not may(request.user, "registry.view"):
        raise Http404
    stats = registry_stats(request.user)
    sections = [
        {
            "breakdown": b,
            # Built from our own labels and integers, escaped by the chart module.
            "chart": mark_safe(bar_chart_svg(b.title, b.rows)),  # noqa: S308
            "rows": [
                (label, n, round(100 * n / b.total, 1) if b.total else 0) for label, n in b.rows
            ],
        }
        for b in stats.breakdowns
    ]
    return render(
        request,
        "registry/stats/index.html",
        {
            "stats": stats,
            "sections": sections,
            **period_context(request),
            "units_without_accounts": units_without_accounts(request.user),
            "can_export_filings": may(request.user, "filings.view"),
            "breadcrumbs": [("统计分析", None)],
        },
    )


def period_context(request) -> dict:
    """The chosen period (month, quarter or year), its figures beside the previous period's,
    and the trend of the periods before it, oldest first."""
    period = periods.parse(
        request.GET.get("period", ""), request.GET.get("at", ""), timezone.localdate()
    )
    trend = period_figures(request.user, periods.trend(period))
    current, previous = trend[-1], trend[-2] if len(trend) > 1 else None
    kinds = [(kind.value, kind.label) for kind in FilingKind]
    rows = [
        (label, current.kind(value), previous.kind(value) if previous else None)
        for value, label in kinds
    ]
    rows.append(
        ("新登记账号（注册时间）", current.registered, previous.registered if previous else None)
    )
    return {
        "period": period,
        "period_kinds": periods.KINDS,
        "period_unit": periods.KINDS[period.kind],
        "period_rows": [
            (label, now, before, None if before is None else now - before)
            for label, now, before in rows
        ],
        "previous_period": previous.period if previous else None,
        "earlier": period.shifted(-1),
        "later": period.shifted(1) if period.end <= timezone.localdate() else None,
        "trend": [
            (f.period, [f.kind(value) for value, _ in kinds], f.filed_total, f.registered)
            for f in trend
        ],
        "trend_kinds": [label for _, label in kinds],
        # Built from our own labels and integers, escaped by the chart module.
        "trend_chart": mark_safe(  # noqa: S308
            bar_chart_svg(
                f"各{periods.KINDS[period.kind]}办结备案数",
                [(f.period.short_label, f.filed_total) for f in trend],
            )
        ),
    }
