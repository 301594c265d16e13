"""discover_counterfeits against the four fake platforms over real HTTP."""

from django_q.models import Schedule

from govmedia.counterfeit.discovery import discover, discover_counterfeits
from govmedia.counterfeit.models import DiscoveryRun, SuspectAccount, SuspectSource
from govmedia.counterfeit.schedules import NAME, ensure_schedule


def seed(fakes):
    # The genuine accounts are on the platforms too: never a case.
    fakes.wechat.state.add_account("dt_tianzhong001", "天中发布", verified_reason="天中街道办事处")
    fakes.douyin.state.add_account("dt_tianzhong_dy002", "天中街道发布")
    # Impostors: a homophone on Douyin, the registered name plus 官方 on Kuaishou.
    fakes.douyin.state.add_account("tz_fake_01", "田中发布", verified=False)
    fakes.kuaishou.state.add_account("ks_fake_02", "陈集发布官方", verified=False)
    # A namesake that is no government account at all.
    fakes.weibo.state.add_account("bbq_dt", "天中烧烤", verified=True, verified_reason="天中烧烤店")


def test_discovery_finds_the_seeded_impostors_and_not_the_genuine_accounts(registry, fakes):
    seed(fakes)
    run = discover()
    found = {(s.platform.code, s.handle): s for s in SuspectAccount.objects.all()}
    assert set(found) == {("douyin", "tz_fake_01"), ("kuaishou", "ks_fake_02")}
    homophone = found[("douyin", "tz_fake_01")]
    assert homophone.source == SuspectSource.SEARCH
    assert homophone.matched_account == registry["tian"]
    assert homophone.score >= 80
    assert found[("kuaishou", "ks_fake_02")].matched_account == registry["chen"]
    assert run.cases_created == 2 and run.errors == [] and run.finished_at is not None
    assert run.profiles_seen > 0

    # A second run opens nothing new: the cases are marked as seen again.
    again = discover()
    assert again.cases_created == 0 and again.cases_updated == 2
    assert SuspectAccount.objects.count() == 2


def test_a_failing_platform_is_recorded_and_the_others_still_searched(registry, fakes):
    seed(fakes)
    fakes.douyin.misbehave("http_500", times=1000)
    summary = discover_counterfeits()
    assert "抖音" in summary
    run = DiscoveryRun.objects.get()
    assert any("抖音" in error for error in run.errors)
    assert set(SuspectAccount.objects.values_list("handle", flat=True)) == {"ks_fake_02"}


def test_the_nightly_schedule_exists_once(db):
    assert Schedule.objects.filter(name=NAME).count() == 1  # created by the migration
    ensure_schedule(Schedule)
    assert Schedule.objects.filter(name=NAME).count() == 1
    schedule = Schedule.objects.get(name=NAME)
    assert schedule.func == "govmedia.counterfeit.discovery.discover_counterfeits"
