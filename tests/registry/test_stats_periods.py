"""Issue 14 item 8: statistics by month, quarter or year with the trend of the periods before,
counted in Beijing time; and the units that have no account at all, whom a clerk chases."""

from datetime import UTC, date, datetime

from govmedia.core import periods
from govmedia.registry.models import Filing, FilingKind
from govmedia.registry.selectors.stats import period_figures, units_without_accounts
from tests.conftest import logged_in_client
from tests.registry.filing_steps import file_account

URL = "/registry/stats/"


def test_periods_parse_name_and_step():
    today = date(2026, 12, 3)
    assert periods.parse("", "", today).label == "2026年12月"
    assert periods.parse("quarter", "2026-11", today).label == "2026年第四季度"
    assert periods.parse("quarter", "2026-Q1", today).value == "2026-Q1"
    assert periods.parse("year", "2025", today).label == "2025年"
    assert periods.parse("month", "2026-13", today).label == "2026年12月"  # malformed: now
    trend = periods.trend(periods.parse("month", "2026-02", today))
    assert len(trend) == 12 and trend[0].value == "2025-03" and trend[-1].value == "2026-02"
    assert [p.value for p in periods.trend(periods.parse("quarter", "2026-Q1", today), 3)] == [
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]


def filed_at(account, moment: datetime) -> None:
    Filing.objects.filter(account=account).update(filed_at=moment)


def test_filings_are_counted_in_their_beijing_month_quarter_and_year(world, form_data):
    october = file_account(world, form_data, handle="oct")
    filed_at(october, datetime(2026, 10, 15, 2, 0, tzinfo=UTC))
    # 2026-10-31 17:00 UTC is 1 November 01:00 in Beijing: a November filing.
    november = file_account(world, form_data, handle="nov")
    filed_at(november, datetime(2026, 10, 31, 17, 0, tzinfo=UTC))
    december = file_account(
        world, form_data, org=world.chen, actor=world.chen_unit_admin, handle="dec"
    )
    filed_at(december, datetime(2026, 12, 1, 1, 0, tzinfo=UTC))

    today = date(2026, 12, 3)
    months = period_figures(world.alice, periods.trend(periods.parse("month", "2026-11", today), 2))
    assert [(f.period.value, f.kind(FilingKind.OPEN)) for f in months] == [
        ("2026-10", 1),
        ("2026-11", 1),
    ]
    quarter = period_figures(world.alice, [periods.parse("quarter", "2026-Q4", today)])[0]
    assert quarter.kind(FilingKind.OPEN) == 3 and quarter.filed_total == 3
    year = period_figures(world.tian_editor, [periods.parse("year", "2026", today)])[0]
    assert year.filed_total == 2  # 陈集's filing is outside 天中's scope

    page = logged_in_client(world.alice).get(f"{URL}?period=quarter&at=2026-Q4").content.decode()
    assert "按时段：2026年第四季度" in page and "2026年第三季度" in page
    assert "各季度办结备案数" in page


def test_units_without_accounts_are_listed_for_the_clerk(world, form_data):
    file_account(world, form_data, org=world.tian_office, handle="office")  # 天中 via its office
    assert [u.name for u in units_without_accounts(world.alice)] == ["陈集镇", "区卫生健康局"]
    assert units_without_accounts(world.tian_unit_admin) == []
    page = logged_in_client(world.alice).get(URL).content.decode()
    assert "没有政务新媒体的单位" in page and "区卫生健康局" in page
