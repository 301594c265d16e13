"""The completion matrix (完成情况): tasks × accounts, each cell a task's standing (按时转载 and
how fast, 逾期转载, 逾期未转载, 待转载, 已豁免); filtered by unit, platform, standing and period
(TASK_FILTERS, shared with the export and the API); accounts and tasks paged, so the page costs
the same few queries at any size. The export is the same rows, one per task. The per-unit
completion rate over a period is the assessment's figure."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from govmedia.core.dates import parse_date
from govmedia.core.errors import ServiceError
from govmedia.core.pagination import paginate
from govmedia.core.spreadsheets import xlsx_response
from govmedia.orgs.forms import active_orgs_in_scope
from govmedia.registry.models import Platform

from .. import selectors
from ..filters import TASK_FILTERS
from ..models import Outcome
from .shared import crumbs, require_view, tabs

COLUMNS_PER_PAGE = 10
EXPORT_HEADERS = [
    "转载任务",
    "下达单位",
    "优先级",
    "下达时间",
    "转载期限",
    "承办单位",
    "政务新媒体",
    "运行平台",
    "完成情况",
    "转载时间",
    "用时",
    "匹配度",
    "完成方式",
    "转载链接",
    "说明",
]


def took_text(task) -> str:
    """How long after the task was issued the repost went out: 2小时15分, 1天3小时."""
    took = task.took
    if took is None:
        return ""
    minutes = int(took.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}天{hours}小时"
    return f"{hours}小时{minutes}分" if hours else f"{minutes}分钟"


def _choices(user) -> dict:
    return {
        "orgs": active_orgs_in_scope(user),
        "platforms": Platform.objects.filter(is_active=True).order_by("sort_order"),
        "outcomes": Outcome.choices,
    }


def _outcome_tags() -> dict[str, str]:
    """Each outcome's tag, rendered once a page from the template the campaign page includes
    per row: included in each of the matrix's 200 cells, it cost more than all its queries."""
    return {
        value: render_to_string("coordination/_outcome.html", {"value": value})
        for value in Outcome.values
    }


@login_required
def matrix(request):
    user = request.user
    require_view(user)
    now = timezone.now()
    params = request.GET
    accounts = paginate(request, selectors.matrix_accounts(user, params, now=now))
    # The columns' ids, read once and paged here: counted and then paged by the database,
    # the search for the campaigns having a selected task ran twice.
    column_ids = selectors.matrix_columns(user, params, now=now).values_list("pk", flat=True)
    columns = Paginator(list(column_ids), COLUMNS_PER_PAGE).get_page(params.get("cpage"))
    grid = selectors.matrix(
        user,
        params,
        account_page=list(accounts.object_list),
        columns=selectors.campaigns_in_order(columns.object_list),
        now=now,
    )
    tags = _outcome_tags()
    for _, cells in grid.rows:
        for cell in cells:
            if cell is not None:
                cell.took_text = took_text(cell)
                cell.outcome_tag = tags[cell.standing]
    query = params.copy()
    query.pop("cpage", None)
    return render(
        request,
        "coordination/matrix.html",
        {
            "page": accounts,
            "columns": columns,
            "column_query": query.urlencode(),
            "grid": grid,
            "filters": TASK_FILTERS.echo(params),
            "filtered": bool(TASK_FILTERS.values(params)),
            "breadcrumbs": crumbs(("完成情况", None)),
            **_choices(user),
            **tabs(user, "matrix"),
        },
    )


@login_required
@require_GET
def matrix_export(request):
    user = request.user
    require_view(user)
    rows = (
        (
            task.campaign.title,
            task.campaign.org.name,
            task.campaign.get_priority_display(),
            f"{timezone.localtime(task.campaign.issued_at):%Y-%m-%d %H:%M}",
            f"{timezone.localtime(task.due_at):%Y-%m-%d %H:%M}",
            task.org.name,
            task.account.name,
            task.account.platform.name,
            Outcome(task.standing).label,
            f"{timezone.localtime(task.completed_at):%Y-%m-%d %H:%M}" if task.completed_at else "",
            took_text(task),
            "" if task.score is None else str(task.score),
            task.get_completed_via_display(),
            (task.post.link if task.post else "") or task.reported_url,
            task.exempt_reason or task.match_reason,
        )
        for task in selectors.tasks(user, request.GET).iterator(chunk_size=500)
    )
    return xlsx_response("转载完成情况", "完成情况", EXPORT_HEADERS, rows)  # every cell as text


def _period(params) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        start = parse_date(params.get("start", ""))
    except ValueError:
        start = today.replace(day=1)
    try:
        end = parse_date(params.get("end", ""))
    except ValueError:
        end = today
    return start, end


@login_required
def rates(request):
    user = request.user
    require_view(user)
    start, end = _period(request.GET)
    error = ""
    try:
        rows = selectors.completion_rates(user, start=start, end=end)
    except ServiceError as exc:
        rows, error = [], exc.message
    return render(
        request,
        "coordination/rates.html",
        {
            "rows": rows,
            "start": start,
            "end": end,
            "error": error,
            "last_month": (start - timedelta(days=1)).replace(day=1),
            "breadcrumbs": crumbs(("完成率", None)),
            **tabs(user, "rates"),
        },
    )
