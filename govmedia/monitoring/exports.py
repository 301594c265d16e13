"""The dormant report's Excel export, registered with core.exports (immediate when small, a
background job with progress otherwise). The same filter as the page (dormant_filters)."""

from django.utils import timezone

from govmedia.core.exports import ExportSpec, export_register
from govmedia.core.numbers import optional_id

from . import dormancy, selectors

HEADERS = [
    "风险",
    "主办单位",
    "政务新媒体",
    "运行平台",
    "账号",
    "备案号",
    "最近更新",
    "距今天数",
    "近90天最长间隔（天）",
    "近90天发布条数",
    "周均发布",
    "最近成功采集",
    "连续采集失败",
    "最近错误",
]


def dormant_filters(query) -> dict:
    """The report's filter from a query string (the page and its export)."""
    level = query.get("level", "")
    return {
        "level": level if level in dormancy.LEVEL_LABELS else "",
        "org": optional_id(query.get("org", "")),
        "platform": optional_id(query.get("platform", "")),
    }


def _accounts(user, query):
    filters = dormant_filters(query)
    return selectors.dormant_accounts(
        user, level=filters["level"], org_id=filters["org"], platform_id=filters["platform"]
    )


def _rows(user, accounts):
    for row in selectors.rows_for(accounts.iterator(chunk_size=2000)):
        yield _cells(row)


def _cells(row: selectors.DormantRow):
    a, state = row.account, row.state
    return (
        row.level_label,
        a.host_org.name,
        a.name,
        a.platform.name,
        a.handle,
        a.filing_no or "",
        row.last_update.isoformat() if row.last_update else "从未发布",
        row.days_since if row.days_since is not None else "",
        row.longest_gap if row.longest_gap is not None else "",
        row.posts_90,
        row.posts_per_week,
        timezone.localtime(state.last_success_at).strftime("%Y-%m-%d %H:%M")
        if state and state.last_success_at
        else "",
        state.consecutive_failures if state else 0,
        state.last_error if state else "",
    )


def register() -> None:
    export_register(
        ExportSpec(
            name="dormant",
            title="僵尸账号监测",
            sheet="更新监测",
            headers=HEADERS,
            queryset=_accounts,
            rows=_rows,
        )
    )
