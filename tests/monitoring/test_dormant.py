"""僵尸账号: thresholds in calendar days, 采集失败 never reported as dormant, alerts once per
crossing, and the report page and export (sorted by risk, constant query count)."""

import io
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from govmedia.monitoring import dormancy, figures, selectors, tallies
from govmedia.monitoring.models import Post, PullState
from govmedia.monitoring.pulling import pull_round
from govmedia.notifications.models import Notification
from govmedia.registry.models import MediaAccount
from tests.conftest import logged_in_client

from .conftest import fake_server, monitored, register

pytestmark = pytest.mark.django_db
T = dormancy.Thresholds(risk_days=14, cleanup_days=90)
TODAY = date(2026, 11, 25)


def level(last_update, *, failing=False, pulled=True, reference=date(2026, 1, 5)):
    return dormancy.level(
        last_update=last_update,
        reference=reference,
        today=TODAY,
        failing=failing,
        pulled=pulled,
        thresholds=T,
    )


def test_levels_count_calendar_days():
    assert level(TODAY - timedelta(days=1)) == "ok"
    assert level(TODAY - timedelta(days=14)) == "ok"  # two weeks ago: still inside the window
    assert level(TODAY - timedelta(days=15)) == "risk"
    assert level(TODAY - timedelta(days=90)) == "risk"
    assert level(TODAY - timedelta(days=91)) == "cleanup"
    # Never published: counted from its registration.
    assert level(None, reference=TODAY - timedelta(days=10)) == "ok"
    assert level(None, reference=TODAY - timedelta(days=200)) == "cleanup"
    # Our failure to look is not the account's silence.
    assert level(TODAY - timedelta(days=200), failing=True) == "failing"
    assert level(None, pulled=False) == "unpulled"


def test_longest_gap_and_posts_per_week():
    posts = [TODAY - timedelta(days=d) for d in (1, 2, 30, 31)]
    assert dormancy.longest_gap(posts, today=TODAY) == 59  # from day 90 back to day 31
    assert dormancy.longest_gap([], today=TODAY) == 90
    assert dormancy.longest_gap([TODAY], today=TODAY) == 90
    assert dormancy.posts_per_week(90) == 7.0


def days_ago(days, **extra):
    return {"published_at": timezone.now() - timedelta(days=days), **extra}


@pytest.fixture
def scene(world, fakes):
    """Accounts of 天中街道 last updated yesterday, 15 and 100 days ago, one whose pulls fail,
    and one of 陈集镇 that went quiet 20 days ago."""
    s = type("Scene", (), {})()
    s.fresh = monitored(world, fakes, world.tian, "weibo", "fresh", posts=[days_ago(1)])
    s.quiet = monitored(world, fakes, world.tian, "weibo", "quiet", posts=[days_ago(15)])
    s.zombie = monitored(
        world, fakes, world.tian, "douyin", "zombie", posts=[days_ago(100), days_ago(130)]
    )
    # On the platform, silent for months — but our credentials are wrong, so we cannot know.
    fake_server(fakes, "kuaishou").state.add_account("failing", "采集失败号")
    fake_server(fakes, "kuaishou").state.add_post("failing", **days_ago(120))
    s.failing = register(world.tian, "kuaishou", "failing")
    s.chen = monitored(world, fakes, world.chen, "weibo", "chen_quiet", posts=[days_ago(20)])
    return s


def pull_times(n, settings):
    for _ in range(n):
        PullState.objects.update(next_due_at=timezone.now())
        pull_round(worker="w1")


def levels_by_handle(user):
    rows = selectors.rows_for(selectors.dormant_accounts(user))
    return {row.account.handle: str(row.level) for row in rows}


def test_thresholds_after_real_pulls(world, scene, settings):
    pull_times(settings.PULL_FAILURE_LIMIT, settings)
    assert levels_by_handle(world.alice) == {
        "zombie": "cleanup",
        "chen_quiet": "risk",
        "quiet": "risk",
        "failing": "failing",
        "fresh": "ok",
    }
    # Sorted by risk: clean-up candidates, then the longest silent of the risks.
    assert list(levels_by_handle(world.alice)) == [
        "zombie",
        "chen_quiet",
        "quiet",
        "failing",
        "fresh",
    ]
    counts = selectors.level_counts(world.alice)
    assert (counts["cleanup"], counts["risk"], counts["failing"], counts["ok"]) == (1, 2, 1, 1)


def test_before_three_failures_an_account_is_not_yet_judged(world, scene):
    pull_round(worker="w1")
    assert levels_by_handle(world.alice)["failing"] == "unpulled"


def test_alerts_once_per_crossing_not_every_pull(world, scene, fakes, settings):
    pull_times(1, settings)

    def alerts():
        return sorted(
            Notification.objects.filter(kind="account_dormant").values_list(
                "object_id", "recipient_org__name"
            )
        )

    first = alerts()
    assert (str(scene.quiet.pk), world.tian.name) in first
    assert (str(scene.quiet.pk), world.district.name) in first
    assert (str(scene.zombie.pk), world.tian.name) in first
    assert not [a for a in first if a[0] in (str(scene.fresh.pk), str(scene.failing.pk))]
    pull_times(3, settings)
    assert alerts() == first  # more pulls, no more alerts
    # 采集失败 is alerted as such, once, and never as dormant.
    assert (
        Notification.objects.filter(kind="pull_failing", object_id=str(scene.failing.pk)).count()
        == 2
    )
    # The quiet account publishes: back to normal, silently; then the post is deleted and the
    # account is quiet again: a new crossing, a new alert.
    weibo = fake_server(fakes, "weibo").state
    post = weibo.add_post("quiet", title="恢复更新")
    pull_times(1, settings)
    assert PullState.objects.get(account=scene.quiet).alerted_level == ""
    assert alerts() == first
    weibo.delete_post(post.post_id)
    PullState.objects.filter(account=scene.quiet).update(last_relist_at=None)
    pull_times(1, settings)
    quiet_alerts = [a for a in alerts() if a[0] == str(scene.quiet.pk)]
    assert len(quiet_alerts) == 4


def test_page_shows_thresholds_basis_and_only_own_scope(world, scene, settings):
    pull_times(settings.PULL_FAILURE_LIMIT, settings)
    page = logged_in_client(world.tian_unit_admin).get("/monitoring/").content.decode()
    assert "国办秘函〔2019〕19号" in page and "避免僵尸应用" in page
    assert "超过 <strong>14</strong> 天" in page and "超过 <strong>90</strong> 天" in page
    assert "zombie" in page and "采集失败" in page and "chen_quiet" not in page
    assert page.index("zombie") < page.index("quiet") < page.index("fresh")
    risky = logged_in_client(world.alice).get("/monitoring/?level=risk").content.decode()
    assert "chen_quiet" in risky and "quiet" in risky and "zombie" not in risky


def test_export_sorted_by_risk(world, scene, settings):
    pull_times(settings.PULL_FAILURE_LIMIT, settings)
    response = logged_in_client(world.tian_unit_admin).get("/monitoring/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("风险", "主办单位", "政务新媒体")
    assert [r[0] for r in rows[1:]] == ["清理候选", "单项否决风险", "采集失败", "正常"]
    quiet = next(r for r in rows if r[2] == "quiet")
    assert quiet[7] == 15 and quiet[9] == 1


def bulk_accounts(world, n, *, posts_each=30):
    """Accounts with their pull state and posts written directly (no HTTP): for query counts."""
    now = timezone.now()
    accounts = [register(world.tian, "weibo", f"bulk_{n}_{i}") for i in range(n)]
    PullState.objects.bulk_create(
        PullState(
            account=a,
            next_due_at=now,
            last_success_at=now,
            last_post_at=now - timedelta(days=i % 40),
        )
        for i, a in enumerate(accounts)
    )
    Post.objects.bulk_create(
        Post(
            account=a,
            platform_post_id=f"{a.pk}-{j}",
            published_at=now - timedelta(days=i % 40 + 3 * j),
            content_hash="x",
            first_seen_at=now,
            last_seen_at=now,
        )
        for i, a in enumerate(accounts)
        for j in range(posts_each)
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_report_queries_do_not_grow_with_accounts_or_posts(world, settings):
    settings.PLATFORM_API_BASES = {"weibo": "http://127.0.0.1:9"}  # pulled, never contacted
    client = logged_in_client(world.tian_unit_admin)
    bulk_accounts(world, 5)
    small = queries_for(client, "/monitoring/")
    bulk_accounts(world, 60, posts_each=60)
    assert queries_for(client, "/monitoring/") == small
    assert queries_for(client, "/monitoring/?page=3") == small
    export_small = queries_for(client, "/monitoring/export.xlsx")
    bulk_accounts(world, 40)
    assert queries_for(client, "/monitoring/export.xlsx") == export_small


# ---------------------------------------------------------------- the 90-day gap (issue 14 item 5)


def every_third_day_since(days: int) -> list[date]:
    return [TODAY - timedelta(days=d) for d in range(0, days + 1, 3)]


def test_the_gap_counts_only_what_the_platform_listed_since_the_first_pull():
    posts = every_third_day_since(33)  # the oldest post the pull reached: 33 days ago
    first_pulled = TODAY - timedelta(days=30)
    assert dormancy.longest_gap(posts, today=TODAY, first_pulled=first_pulled) == 3
    # Watched for the whole window, the 57 days before the oldest post were real silence.
    assert dormancy.longest_gap(posts, today=TODAY) == 57
    # Silence since the first pull, before any post, counts; nothing before the first pull.
    assert (
        dormancy.longest_gap([TODAY - timedelta(days=2)], today=TODAY, first_pulled=first_pulled)
        == 28
    )
    assert dormancy.longest_gap([], today=TODAY, first_pulled=TODAY) == 0


def test_an_account_first_pulled_30_days_ago_posting_every_3_days_shows_a_gap_of_3(world, fakes):
    posts = [days_ago(d, title=f"第{d}天") for d in range(1, 34, 3)]
    account = monitored(world, fakes, world.tian, "weibo", "every3", posts=posts)
    pull_round(worker="w1")
    PullState.objects.filter(account=account).update(
        first_success_at=timezone.now() - timedelta(days=30)
    )
    figures.refresh([account.pk])
    (row,) = selectors.rows_for(selectors.dormant_accounts(world.alice).filter(pk=account.pk))
    assert row.longest_gap == 3 and row.posts_90 == 11
    page = logged_in_client(world.alice).get(f"/monitoring/accounts/{account.pk}/")
    html = page.content.decode()
    assert "最长间隔 3 天" in html
    assert "每周发布数（近13周）" in html and "<svg" in html


# ---------------------------------------------------------------- stored figures (issue 19 item 4)

HISTORY = st.lists(
    st.tuples(st.integers(0, 130), st.integers(0, 23), st.booleans()),  # days, hour, deleted
    max_size=20,
)


@given(
    history=HISTORY,
    pulled_days_ago=st.one_of(st.none(), st.integers(0, 150)),
    failures=st.integers(0, 4),
    registered_days_ago=st.integers(0, 400),
)
@hypothesis_settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_stored_figures_equal_the_figures_computed_from_posts(
    world, history, pulled_days_ago, failures, registered_days_ago
):
    now, today = timezone.now(), timezone.localdate()
    account = MediaAccount.objects.filter(handle="history").first() or register(
        world.tian, "weibo", "history"
    )
    MediaAccount.objects.filter(pk=account.pk).update(
        registered_on=today - timedelta(days=registered_days_ago)
    )
    Post.objects.filter(account=account).delete()
    Post.objects.bulk_create(
        Post(
            account=account,
            platform_post_id=f"p{index}",
            published_at=now - timedelta(days=days, hours=hour),
            deleted_at=now if deleted else None,
            content_hash="x",
            first_seen_at=now,
            last_seen_at=now,
        )
        for index, (days, hour, deleted) in enumerate(history)
    )
    live = [now - timedelta(days=d, hours=h) for d, h, deleted in history if not deleted]
    pulled = pulled_days_ago is not None
    PullState.objects.update_or_create(
        account=account,
        defaults={
            "next_due_at": now,
            "last_success_at": now if pulled else None,
            "first_success_at": now - timedelta(days=pulled_days_ago) if pulled else None,
            "consecutive_failures": failures,
            "last_post_at": max(live, default=None),
        },
    )

    figures.refresh([account.pk])

    state = PullState.objects.get(account=account)
    dates = [
        timezone.localdate(p.published_at)
        for p in Post.objects.filter(account=account, deleted_at__isnull=True)
    ]
    expected = dormancy.figures(
        dates,
        today=today,
        last_update=timezone.localdate(max(live)) if live else None,
        reference=today - timedelta(days=registered_days_ago),
        first_pulled=timezone.localdate(state.first_success_at) if pulled else None,
        failing=failures >= django_settings.PULL_FAILURE_LIMIT,
        pulled=pulled,
        thresholds=dormancy.Thresholds(
            risk_days=django_settings.DORMANT_RISK_DAYS,
            cleanup_days=django_settings.DORMANT_CLEANUP_DAYS,
        ),
    )
    assert (state.level, state.longest_gap, state.posts_90) == (
        expected.level,
        expected.longest_gap,
        expected.posts_90,
    )
    assert state.risk_rank == dormancy.LEVEL_ORDER.index(expected.level)
    # The report reads exactly these.
    (row,) = selectors.rows_for(selectors.dormant_accounts(world.alice).filter(pk=account.pk))
    assert (row.level, row.longest_gap, row.posts_90) == (
        expected.level,
        expected.longest_gap,
        expected.posts_90,
    )
    counts = selectors.level_counts(world.alice)
    assert counts[expected.level] == 1 and sum(counts.values()) == 1


# ---------------------------------------------------------------- the report from stored figures


def test_report_order_and_counts_are_the_stored_figures(world, settings):
    """The page's order is the stored rank, then the longest silent (never posted first), then
    the account; the counts of the one grouped query agree with the list; an account with no
    PullState yet counts as 尚未采集, one on a platform without a client as unmonitored."""
    import random

    from govmedia.monitoring.clients import supported_codes
    from govmedia.registry.models import Platform

    settings.PLATFORM_API_BASES = {"weibo": "http://127.0.0.1:9"}  # pulled, never contacted
    rng, now = random.Random(19), timezone.now()
    accounts = [register(world.tian, "weibo", f"stored_{i}") for i in range(30)]
    PullState.objects.bulk_create(
        PullState(
            account=a,
            next_due_at=now,
            risk_rank=rng.randrange(len(dormancy.LEVEL_ORDER)),
            last_post_at=rng.choice([None, now - timedelta(days=rng.randrange(3))]),
        )
        for a in accounts
    )
    for state in PullState.objects.filter(account__in=accounts):
        state.level = dormancy.LEVEL_ORDER[state.risk_rank].value
        state.save(update_fields=["level"])
    tallies.retally(a.pk for a in accounts)  # written directly: counted as refresh counts them
    register(world.tian, "weibo", "no_state_yet")
    other = Platform.objects.exclude(code__in=supported_codes()).first()
    register(world.tian, other.code, "no_client")
    user = world.tian_unit_admin

    listed = list(selectors.dormant_accounts(user))
    states = {s.account_id: s for s in PullState.objects.all()}

    def key(account):
        state = states[account.pk]
        missing = state.last_post_at is None
        return (state.risk_rank, not missing, state.last_post_at or now, account.pk)

    assert [a.pk for a in listed] == [a.pk for a in sorted(accounts, key=key)]
    counts = selectors.report_counts(user)
    assert counts.listed_total() == len(listed) == 30
    for level in dormancy.LEVEL_ORDER:
        at_level = selectors.dormant_accounts(user, level=level.value).count()
        assert counts.listed_total(level.value) == at_level
        no_state = 1 if level == dormancy.Level.UNPULLED else 0
        assert counts.levels[level] == at_level + no_state
    assert counts.unmonitored == 1
