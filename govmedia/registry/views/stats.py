"""The registry's statistics page: counts with a server-drawn bar chart and the same numbers in
a table underneath (the table is the accessible version of the chart)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from govmedia.core.charts import bar_chart_svg
from govmedia.core.scope import may

from ..selectors.stats import registry_stats


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
            "can_export_filings": may(request.user, "filings.view"),
            "breadcrumbs": [("统计分析", None)],
        },
    )
