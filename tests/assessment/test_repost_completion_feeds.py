"""The assessment reads the real repost tasks (协同转载): two tasks issued to 天中发布 and 陈集发布
through the coordination services, detected from pulled posts as a pull would; 天中 reposts both
on time, 陈集 the first only. The annual 转载完成率 is coordination's completion rate, and the
rubric's 转载任务未完成 rule finds 陈集's missed task at the check time, and nothing of 天中's."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from govmedia.assessment import rules, selectors
from govmedia.assessment.models import ItemResult, Outcome, ScoreSheet
from govmedia.assessment.services import rubrics
from govmedia.coordination import services
from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import Outcome as Standing
from govmedia.coordination.selectors import completion_rates
from govmedia.registry.models import MediaAccount
from tests.conftest import logged_in_client
from tests.coordination.conftest import matrix  # noqa: F401 - the fixture
from tests.coordination.helpers import issue, repost, source_post, task_of
from tests.publishing.conftest import newsroom  # noqa: F401 - the fixture

from .conftest import CHECK_AT, CHINA, PERIOD_START
from .helpers import assigned_check, fill_manual

pytestmark = pytest.mark.django_db

FIRST_ISSUED = datetime(2026, 11, 16, 10, 0, tzinfo=CHINA)  # Monday, due 15:30
SECOND_ISSUED = datetime(2026, 11, 18, 10, 0, tzinfo=CHINA)  # Wednesday, due 15:30
SECOND_TITLE = "转载：清洁取暖补贴申请指南"


@pytest.fixture
def reposted(matrix):  # noqa: F811 - the imported fixture
    m = matrix
    hour = timedelta(hours=1)
    m.first = issue(
        m,
        source=source_post(m, published_at=FIRST_ISSUED - hour),
        now=FIRST_ISSUED,
        title="转载：冬季清洁取暖补贴政策",
    )
    for account, at in ((m.wechat, FIRST_ISSUED + hour), (m.chen_wechat, FIRST_ISSUED + 2 * hour)):
        detect_reposts([repost(account, at=at).pk], now=at + hour)
    # The same policy posted again two days on and issued again: 天中 reposts it, 陈集 not.
    m.second = issue(
        m,
        source=source_post(m, published_at=SECOND_ISSUED - hour),
        now=SECOND_ISSUED,
        title=SECOND_TITLE,
    )
    detect_reposts([repost(m.wechat, at=SECOND_ISSUED + hour).pk], now=SECOND_ISSUED + 2 * hour)
    standing = {
        (campaign.pk, account.pk): task_of(campaign, account).outcome
        for campaign in (m.first, m.second)
        for account in (m.wechat, m.chen_wechat)
    }
    assert standing == {
        (m.first.pk, m.wechat.pk): Standing.ON_TIME,
        (m.first.pk, m.chen_wechat.pk): Standing.ON_TIME,
        (m.second.pk, m.wechat.pk): Standing.ON_TIME,
        (m.second.pk, m.chen_wechat.pk): Standing.MISSING,
    }
    return m


def missing_found(m, *accounts):
    loaded = MediaAccount.objects.select_related("host_org").filter(pk__in=[a.pk for a in accounts])
    ctx = rules.Context(check_at=CHECK_AT, period_start=PERIOD_START, accounts=list(loaded))
    return rules.evaluate(rules.REPOST_MISSING, ctx)


def test_the_annual_repost_figure_is_each_units_real_completion_rate(reposted):
    m = reposted
    rates = {
        rate.org_id: rate
        for rate in completion_rates(
            m.alice, start=date(2026, 1, 1), end=date(2026, 12, 31), now=CHECK_AT
        )
    }
    assert (rates[m.tian.pk].on_time, rates[m.tian.pk].missing) == (2, 0)
    assert (rates[m.chen.pk].on_time, rates[m.chen.pk].missing) == (1, 1)
    units = {unit.org_id: unit for unit in selectors.annual_assessment(m.alice, 2026)}
    tian, chen = units[m.tian.pk], units[m.chen.pk]
    assert (tian.repost_rate, chen.repost_rate) == (1.0, 0.5)
    assert tian.components["reposts"] == Decimal("100.0")
    assert chen.components["reposts"] == Decimal("50.0")
    # No check counted yet: the repost figure is the whole of the year's result.
    assert (tian.total, chen.total) == (Decimal("100.0"), Decimal("50.0"))
    response = logged_in_client(m.alice).get("/assessment/annual/export.xlsx?year=2026")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (rows["天中街道"][6], rows["陈集镇"][6]) == ("100.0%", "50.0%")


def test_an_exempted_task_leaves_the_rate_and_the_rule(reposted):
    m = reposted
    task = task_of(m.second, m.chen_wechat)
    services.repost_task_exempt(
        actor=m.alice,
        task_id=task.pk,
        version=task.version,
        reason="陈集发布当周停更整改",
        now=CHECK_AT - timedelta(days=1),
    )
    units = {unit.org_id: unit for unit in selectors.annual_assessment(m.alice, 2026)}
    assert units[m.chen.pk].repost_rate == 1.0
    assert missing_found(m, m.chen_wechat)[m.chen_wechat.pk].outcome == Outcome.PASS


def test_the_repost_missing_rule_finds_the_missed_task_and_nothing_of_the_unit_that_reposted(
    reposted,
):
    m = reposted
    found = missing_found(m, m.wechat, m.chen_wechat)
    tian, chen = found[m.wechat.pk], found[m.chen_wechat.pk]
    assert (tian.outcome, tian.occurrences, tian.evidence) == (Outcome.PASS, 0, [])
    assert (chen.outcome, chen.occurrences) == (Outcome.HIT, 1)
    assert chen.evidence == [
        {
            "kind": "repost",
            "label": f"转载任务“{SECOND_TITLE}”未按期完成",
            "date": "2026-11-18 15:30",
        }
    ]


def test_a_check_deducts_two_points_for_the_missed_repost_and_none_for_the_reposted(reposted):
    m = reposted
    check = assigned_check(m, rubrics.rubric_default_ensure(year=2026))
    items = {
        item.sheet.account_id: item
        for item in ItemResult.objects.filter(
            sheet__check_run=check, indicator__rule=rules.REPOST_MISSING
        ).select_related("sheet", "indicator")
    }
    tian, chen = items[m.wechat.pk], items[m.chen_wechat.pk]
    assert (tian.auto_outcome, tian.occurrences) == (Outcome.PASS, 0)
    assert (chen.auto_outcome, chen.outcome, chen.occurrences) == (Outcome.HIT, Outcome.HIT, 1)
    assert f"转载任务“{SECOND_TITLE}”未按期完成" in chen.evidence[0]["label"]
    assert chen.indicator.part == "deduct" and chen.indicator.points == Decimal(2)
    fill_manual(m, check)  # every other item passes
    scores = dict(
        ScoreSheet.objects.filter(
            check_run=check, account__in=[m.wechat, m.chen_wechat]
        ).values_list("account_id", "score")
    )
    assert scores == {m.wechat.pk: Decimal(100), m.chen_wechat.pk: Decimal(98)}
