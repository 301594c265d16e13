"""Pulls against the fake platforms over real HTTP: upserts, overlap, errors, deletions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govmedia.monitoring import claims
from govmedia.monitoring.fetch import fetch
from govmedia.monitoring.ingest import write_result, write_results
from govmedia.monitoring.models import Post, PullRun, PullState
from govmedia.monitoring.pulling import _jobs, pull_round
from govmedia.notifications.models import Notification

from .conftest import fake_server, monitored

pytestmark = pytest.mark.django_db


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def posts_of(account):
    return list(Post.objects.filter(account=account).order_by("-published_at"))


def make_due(account, **fields):
    PullState.objects.filter(account=account).update(next_due_at=timezone.now(), **fields)


def dated(n, *, every_hours=20, title="第{i}期"):
    return [
        {"published_at": ago(hours=every_hours * i), "title": title.format(i=i), "text": f"正文{i}"}
        for i in range(n)
    ]


@pytest.mark.parametrize("code", ["wechat-mp", "weibo", "douyin", "kuaishou"])
def test_a_pull_stores_every_post_and_records_the_run(world, fakes, code):
    posts = dated(120, every_hours=5)  # more than a page on every platform (Weibo's is 50)
    account = monitored(world, fakes, world.tian, code, f"tz_{code}", posts=posts)
    stats = pull_round(worker="w1", threads=2)
    assert (stats.accounts, stats.failed, stats.posts_new) == (1, 0, 120)
    assert len(posts_of(account)) == 120
    run = PullRun.objects.get(account=account)
    assert run.outcome == "ok" and run.posts_new == 120 and run.pages >= 3 and run.full_relist
    state = PullState.objects.get(account=account)
    assert state.claimed_by == "" and state.claimed_until is None
    assert state.last_post_at == max(p.published_at for p in posts_of(account))
    assert state.next_due_at > timezone.now() + timedelta(minutes=50)


def test_repeated_and_overlapping_pulls_never_duplicate_a_post(world, fakes):
    account = monitored(world, fakes, world.tian, "weibo", "tz_weibo", posts=dated(30))
    pull_round(worker="w1")
    fake_server(fakes, "weibo").state.add_post("tz_weibo", title="新发布", text="新内容")
    make_due(account, last_relist_at=None)  # a full re-list overlaps everything stored
    pull_round(worker="w1")
    # Two pulls of the same account written one over the other, as after a lost lease.
    claims.claim_due(worker="w2", limit=10, now=timezone.now() + timedelta(days=1))
    (job,) = _jobs([account.pk])
    first = fetch(fake_server_client(job), job.plan)
    second = fetch(fake_server_client(job), job.plan)
    write_result(result=first, state=job.state, worker="w2")
    write_result(result=second, state=job.state, worker="w2")
    duplicates = (
        Post.objects.values("account", "platform_post_id").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert not duplicates.exists()
    assert Post.objects.filter(account=account).count() == 31
    assert PullRun.objects.filter(account=account).count() == 4


def fake_server_client(job):
    from govmedia.monitoring.clients import client_for

    return client_for(job.plan.platform)


def test_a_later_pull_stops_at_what_it_has_seen(world, fakes):
    account = monitored(world, fakes, world.tian, "douyin", "tz_dy", posts=dated(60))
    pull_round(worker="w1")
    server = fake_server(fakes, "douyin")
    server.state.add_post("tz_dy", title="今天的新视频", text="新视频")
    before = server.request_count()
    make_due(account)
    stats = pull_round(worker="w1")
    assert stats.posts_new == 1 and server.request_count() - before == 1  # one page, not all
    assert PullRun.objects.filter(account=account).latest("started_at").full_relist is False


def test_edited_post_is_counted_and_metrics_refresh(world, fakes):
    account = monitored(world, fakes, world.tian, "kuaishou", "tz_ks", posts=dated(3))
    pull_round(worker="w1")
    state = fake_server(fakes, "kuaishou").state
    newest = state.timeline("tz_ks")[0]
    state.update_post(newest.post_id, likes=77)
    make_due(account, last_relist_at=None)
    pull_round(worker="w1")
    post = Post.objects.get(account=account, platform_post_id=newest.post_id)
    assert post.metrics.get("likes") == 77
    assert Post.objects.filter(account=account).count() == 3


def test_posts_deleted_on_the_platform_are_noticed(world, fakes):
    account = monitored(world, fakes, world.tian, "weibo", "tz_wb", posts=dated(5))
    pull_round(worker="w1")
    state = fake_server(fakes, "weibo").state
    gone = state.timeline("tz_wb")[2]
    state.delete_post(gone.post_id)
    make_due(account)  # an ordinary pull within the day does not re-list: nothing concluded
    pull_round(worker="w1")
    assert not Post.objects.filter(deleted_at__isnull=False).exists()
    make_due(account, last_relist_at=ago(days=2))
    stats = pull_round(worker="w1")
    assert stats.posts_deleted == 1
    deleted = Post.objects.get(deleted_at__isnull=False)
    assert deleted.platform_post_id == gone.post_id
    assert PullRun.objects.filter(account=account).latest("started_at").posts_deleted == 1


def test_a_group_is_written_in_the_same_queries_whatever_its_size(world, fakes):
    """Queries per group of results, not per account: re-lists that find deleted posts too."""
    accounts = [
        monitored(world, fakes, world.tian, "weibo", f"tz_q{i}", posts=dated(3)) for i in range(6)
    ]
    pull_round(worker="w1")
    state = fake_server(fakes, "weibo").state
    for i in range(6):
        state.delete_post(state.timeline(f"tz_q{i}")[0].post_id)  # the newest
        make_due(accounts[i], last_relist_at=ago(days=2))
    claims.claim_due(worker="w1", limit=10)
    jobs = _jobs([account.pk for account in accounts])
    pairs = [(job.state, fetch(fake_server_client(job), job.plan)) for job in jobs]
    counted = []
    for group in (pairs[:1], pairs[1:]):
        with CaptureQueriesContext(connection) as queries:
            written = write_results(group, worker="w1")
        assert [w.deleted for w in written] == [1] * len(group)
        counted.append(len(queries))
    assert counted[0] == counted[1]
    assert Post.objects.filter(deleted_at__isnull=False).count() == 6
    # The newest post left is each account's last update.
    for account in accounts:
        newest = Post.objects.filter(account=account, deleted_at__isnull=True).latest(
            "published_at"
        )
        assert PullState.objects.get(account=account).last_post_at == newest.published_at


def test_a_post_seen_again_is_no_longer_deleted(world, fakes):
    account = monitored(world, fakes, world.tian, "weibo", "tz_wb2", posts=dated(2))
    pull_round(worker="w1")
    post = posts_of(account)[0]
    Post.objects.filter(pk=post.pk).update(deleted_at=timezone.now())
    make_due(account, last_relist_at=None)
    pull_round(worker="w1")
    post.refresh_from_db()
    assert post.deleted_at is None


def test_rate_limit_backs_off_as_the_platform_asks(world, fakes):
    account = monitored(world, fakes, world.tian, "weibo", "tz_rl", posts=dated(2))
    fake_server(fakes, "weibo").misbehave("rate_limit", times=None)
    stats = pull_round(worker="w1")
    assert stats.failed == 1
    run = PullRun.objects.get(account=account)
    assert (run.outcome, run.error_kind) == ("failed", "rate_limited")
    state = PullState.objects.get(account=account)
    assert state.consecutive_failures == 1 and state.next_due_at > timezone.now()
    assert state.claimed_until is None
    assert not Post.objects.exists()


def test_platform_down_is_retried_soon_and_nothing_is_lost(world, fakes):
    account = monitored(world, fakes, world.tian, "douyin", "tz_500", posts=dated(3))
    fake_server(fakes, "douyin").misbehave("http_500", times=None)
    pull_round(worker="w1")
    run = PullRun.objects.get(account=account)
    assert run.error_kind == "unavailable" and run.error_message
    due = PullState.objects.get(account=account).next_due_at
    assert due < timezone.now() + timedelta(minutes=60)  # sooner than the 2-hour interval
    fake_server(fakes, "douyin").behave()
    make_due(account)
    pull_round(worker="w1")
    assert Post.objects.filter(account=account).count() == 3
    assert PullState.objects.get(account=account).consecutive_failures == 0


def test_truncated_json_fails_the_pull_not_the_worker(world, fakes):
    broken = monitored(world, fakes, world.tian, "kuaishou", "tz_trunc", posts=dated(2))
    fine = monitored(world, fakes, world.tian, "weibo", "tz_fine", posts=dated(2))
    fake_server(fakes, "kuaishou").misbehave("truncated_json", times=None)
    stats = pull_round(worker="w1")
    assert (stats.accounts, stats.failed) == (2, 1)
    assert PullRun.objects.get(account=broken).error_kind == "unavailable"
    assert Post.objects.filter(account=fine).count() == 2


def test_bad_credentials_keep_failing_and_are_flagged_once(world, fakes, settings):
    account = monitored(world, fakes, world.tian, "wechat-mp", "tz_bad", posts=dated(2))
    fake_server(fakes, "wechat-mp").misbehave("bad_credentials", times=None)
    for _ in range(settings.PULL_FAILURE_LIMIT + 2):
        make_due(account)
        pull_round(worker="w1")
    runs = PullRun.objects.filter(account=account)
    assert runs.count() == settings.PULL_FAILURE_LIMIT + 2
    assert set(runs.values_list("error_kind", flat=True)) == {"bad_credentials"}
    state = PullState.objects.get(account=account)
    assert state.consecutive_failures == settings.PULL_FAILURE_LIMIT + 2
    alerts = Notification.objects.filter(kind="pull_failing")
    assert sorted(alerts.values_list("recipient_org__name", flat=True)) == sorted(
        [world.tian.name, world.district.name]
    )


def test_only_running_accounts_on_supported_platforms_are_pulled(world, fakes):
    monitored(world, fakes, world.tian, "weibo", "tz_stopped", status="suspended")
    from .conftest import register

    register(world.tian, "toutiao", "tz_toutiao")
    assert pull_round(worker="w1").accounts == 0
    assert not PullState.objects.exists()


def test_unreadable_credentials_fail_that_pull_only(world, fakes, settings):
    import base64

    broken = monitored(world, fakes, world.tian, "weibo", "tz_key", posts=dated(2))
    settings.CREDENTIALS_KEYS = [base64.urlsafe_b64encode(b"Z" * 32).decode()]  # not the one used
    stats = pull_round(worker="w1")
    assert (stats.accounts, stats.failed) == (1, 1)
    run = PullRun.objects.get(account=broken)
    assert run.error_kind == "bad_credentials" and "无法读取该账号的接口凭据" in run.error_message
    assert PullState.objects.get(account=broken).claimed_until is None


def test_a_refused_parameter_says_what_to_check_and_is_not_retried_as_platform_down(world, fakes):
    account = monitored(world, fakes, world.tian, "douyin", "tz_param", posts=dated(2))
    server = fake_server(fakes, "douyin")
    # The open_id stored with the account is no longer the authorised user's: Douyin answers
    # 2100005 参数不合法 to every call.
    server.state.accounts["tz_param"].credentials["open_id"] = "an-open-id-of-someone-else"
    asked = server.request_count("/api/douyin/v1/video/video_list/")
    stats = pull_round(worker="w1")
    assert stats.failed == 1
    assert server.request_count("/api/douyin/v1/video/video_list/") == asked + 1  # asked once
    run = PullRun.objects.get(account=account)
    assert (run.outcome, run.error_kind, run.error_code) == ("failed", "bad_parameters", "2100005")
    assert "open_id" in run.error_message and "请核对" in run.error_message
    # A person must act: the full interval, not the quick retries of a platform that is down.
    assert PullState.objects.get(account=account).next_due_at > timezone.now() + timedelta(
        minutes=100
    )
