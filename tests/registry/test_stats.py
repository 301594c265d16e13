"""The statistics page: counts by platform, unit type, status and verification, filings by state,
within the user's scope, drawn as inline SVG with the numbers in a table too."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govmedia.core.charts import bar_chart_svg
from govmedia.registry import services
from govmedia.registry.models import FilingKind
from govmedia.registry.selectors.stats import registry_stats
from tests.conftest import logged_in_client
from tests.registry.filing_steps import file_account

URL = "/registry/stats/"


@pytest.fixture
def district(world, form_data, platforms):
    """天中: a verified WeChat account, an unverified Weibo one (suspended later) under its office;
    陈集: one WeChat account with an overdue 关停 draft."""
    file_account(world, form_data)
    weibo = file_account(
        world,
        form_data,
        org=world.tian_office,
        handle="tzweibo",
        platform=platforms["微博"],
        verified=False,
    )
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.SUSPEND,
        org=world.tian_office,
        account=weibo,
        event_date=date(2026, 11, 20),
    )
    filing = services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    services.filing_approve(
        no_scan_reason="纸质备案表另行报送",
        actor=world.alice,
        filing_id=filing.pk,
        version=filing.version,
    )
    chen = file_account(
        world, form_data, org=world.chen, actor=world.chen_unit_admin, handle="chenji"
    )
    services.filing_create(
        actor=world.chen_unit_admin,
        kind=FilingKind.SUSPEND,
        org=world.chen,
        account=chen,
        event_date=date(2026, 3, 2),
    )


def rows(stats, key) -> dict:
    return dict(next(b for b in stats.breakdowns if b.key == key).rows)


def test_district_counts(world, district):
    stats = registry_stats(world.alice)
    assert (stats.accounts_total, stats.accounts_live, stats.accounts_unfiled) == (3, 3, 0)
    assert rows(stats, "platform") == {"微信公众号": 2, "微博": 1}
    assert rows(stats, "org_type") == {"镇/街道": 2, "内设机构": 1}
    assert rows(stats, "status") == {"运行中": 2, "已关停": 1, "已注销": 0}
    assert rows(stats, "verified") == {"已认证": 2, "未认证": 1}
    assert rows(stats, "unit") == {"天中街道": 2, "陈集镇": 1}
    assert rows(stats, "filing_state")["已备案"] == 4 and rows(stats, "filing_state")["草稿"] == 1
    assert rows(stats, "filing_kind") == {"开设": 3, "变更": 0, "关停": 2, "注销": 0}
    assert (stats.filings_total, stats.filings_open, stats.filings_overdue) == (5, 1, 1)


def test_township_counts_only_its_own(world, district):
    stats = registry_stats(world.tian_editor)
    assert stats.accounts_total == 2 and stats.filings_overdue == 0
    assert rows(stats, "platform") == {"微信公众号": 1, "微博": 1}
    assert rows(stats, "unit") == {"天中街道": 1, "天中街道党政办公室": 1}
    page = logged_in_client(world.tian_editor).get(URL).content.decode()
    assert "陈集" not in page


def test_page_draws_charts_and_prints_the_numbers(world, district):
    response = logged_in_client(world.oversight).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 9
    )  # 8 breakdowns and the trend
    assert "<title" in page and "<script" not in page.split("</head>")[1]
    assert re.search(r'<th scope="row"[^>]*>微信公众号</th><td>2</td><td>66.7%</td>', page)
    assert "统计分析" in page and 'class="active"' in page


def test_query_count_does_not_grow_with_rows(world, district, form_data):
    client = logged_in_client(world.alice)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(8):
        file_account(world, form_data, handle=f"more{n}")
    with CaptureQueriesContext(connection) as more:
        client.get(URL)
    assert len(more) == len(few)


def test_statistics_link_in_navigation(world):
    page = logged_in_client(world.tian_reviewer).get("/").content.decode()
    assert f'href="{URL}"' in page and "统计分析" in page


def test_bar_chart_escapes_and_scales():
    svg = bar_chart_svg("测试<图>", [("甲&乙", 10), ("丙", 5)], width=400)
    assert "测试&lt;图&gt;" in svg and "甲&amp;乙" in svg
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert bar_chart_svg("空", []) == ""
