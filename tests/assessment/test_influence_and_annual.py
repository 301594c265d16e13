"""传播力 (the 清博 WCI as REFERENCE.md defines it), monthly figures and ranks, and the annual
assessment's weighting."""

import math
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from govmedia.assessment import annual, selectors
from govmedia.assessment.influence import Engagement, MonthAccumulator, wci
from govmedia.assessment.models import AccountMonth
from govmedia.assessment.services import annual as annual_services
from govmedia.assessment.services.figures import figures_build
from govmedia.core.errors import ServiceError
from govmedia.monitoring.models import Post

CHINA = ZoneInfo("Asia/Shanghai")


def test_wci_follows_the_published_definition():
    e = Engagement(reads=1000, likes=20, shares=5)
    part = 0.70 * math.log(1001) + 0.06 * math.log(201) + 0.15 * math.log(51)
    assert e.part() == pytest.approx(part)
    assert wci(e, e, e, e) == pytest.approx(part**2 * 1.2 * 10)
    assert wci(Engagement(), Engagement(), Engagement(), Engagement()) == 0


def test_a_month_counts_headlines_once_a_day_and_the_peak_post():
    month = MonthAccumulator()
    month.add(datetime(2026, 11, 2, 8, tzinfo=CHINA), {"reads": 100, "likes": 1})
    month.add(datetime(2026, 11, 2, 18, tzinfo=CHINA), {"reads": 900, "shares": 3})
    month.add(datetime(2026, 11, 3, 8, tzinfo=CHINA), {"reads": "x", "comments": 2})
    assert (month.posts, month.reads, month.comments) == (3, 1000, 2)
    assert month.headline == [100, 1, 0]  # the first post of 2 Nov, and 3 Nov's unreadable reads
    assert month.peak == (900, 0, 3)
    assert month.index() > 0


@pytest.mark.django_db
def test_figures_are_built_per_month_and_ranked_within_the_platform(accounts):
    w = accounts
    Post.objects.all().delete()
    for account, reads in ((w.tian_wechat, 500), (w.chen_wechat, 5000), (w.tian_weibo, 50)):
        for day in (3, 4):
            Post.objects.create(
                account=account,
                platform_post_id=f"{account.pk}-{day}",
                title="t",
                published_at=datetime(2026, 11, day, 9, tzinfo=CHINA),
                first_seen_at=datetime(2026, 11, day, 10, tzinfo=CHINA),
                last_seen_at=datetime(2026, 11, day, 10, tzinfo=CHINA),
                content_hash="x",
                metrics={"reads": reads, "likes": 3, "shares": 1, "comments": 0},
            )
    assert figures_build(month=date(2026, 11, 15)) == 3
    assert figures_build(month=date(2026, 11, 1)) == 3  # rebuilt, not doubled
    wechat = list(
        selectors.rankings(w.alice, month=date(2026, 11, 1), platform_id=w.tian_wechat.platform_id)
    )
    assert [(r.account, r.rank, r.posts, r.reads) for r in wechat] == [
        (w.chen_wechat, 1, 2, 10000),
        (w.tian_wechat, 2, 2, 1000),
    ]
    weibo = AccountMonth.objects.get(account=w.tian_weibo)
    assert weibo.rank == 1  # alone on its platform: never ranked against 公众号
    # A unit sees its own rows, with the district-wide rank.
    own = selectors.rankings(
        w.tian_editor, month=date(2026, 11, 1), platform_id=w.tian_wechat.platform_id
    )
    assert [(r.account, r.rank) for r in own] == [(w.tian_wechat, 2)]
    trend = selectors.trend(w.alice, w.chen_wechat.pk, until=date(2026, 12, 1))
    assert [row.month for row in trend] == [date(2026, 11, 1)]


def test_the_annual_combination_leaves_out_what_was_not_counted():
    weights = {"checks": 40, "bulletins": 20, "rectification": 20, "reposts": 20}
    unit = annual.unit_year(
        org_id=1,
        org_name="天中街道",
        sheets=4,
        passed=3,
        named_failed=1,
        rectifications=0,
        rectified=0,
        repost_rate=0.5,
        weights=weights,
        penalty=Decimal(20),
    )
    assert unit.components == {
        "checks": Decimal("75.0"),
        "bulletins": Decimal(80),
        "rectification": None,
        "reposts": Decimal("50.0"),
    }
    # (40×75 + 20×80 + 20×50) ÷ 80
    assert unit.total == Decimal("70.0")


@pytest.mark.django_db
def test_weights_must_sum_to_100_and_are_audited(world):
    with pytest.raises(ServiceError, match="之和应为100"):
        annual_services.weights_set(
            actor=world.alice,
            year=2026,
            version=None,
            checks=50,
            bulletins=20,
            rectification=20,
            reposts=20,
            bulletin_penalty=20,
        )
    row = annual_services.weights_set(
        actor=world.alice,
        year=2026,
        version=None,
        checks=55,
        bulletins=15,
        rectification=15,
        reposts=15,
        bulletin_penalty=10,
    )
    assert selectors.weights(2026) == row and row.checks == Decimal(55)
    from govmedia.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="assessment.weights_set").count() == 1
