"""The monitoring pages and /api/v1 endpoints, scoped to the user's units."""

from datetime import timedelta

import pytest
from django.utils import timezone

from govmedia.audit.models import AuditEvent
from govmedia.monitoring.models import PullRun, PullState
from govmedia.monitoring.pulling import pull_round
from govmedia.monitoring.schedules import ensure_schedules
from tests.conftest import logged_in_client

from .conftest import fake_server, monitored

pytestmark = pytest.mark.django_db


@pytest.fixture
def pulled(world, fakes):
    now = timezone.now()
    tian = monitored(
        world,
        fakes,
        world.tian,
        "douyin",
        "tz_dy",
        name="天中抖音",
        posts=[
            {"published_at": now - timedelta(days=d), "title": f"天中视频{d}", "text": "便民服务"}
            for d in (1, 3, 20)
        ],
    )
    chen = monitored(
        world,
        fakes,
        world.chen,
        "weibo",
        "cj_wb",
        name="陈集微博",
        posts=[{"published_at": now - timedelta(days=30), "title": "陈集旧闻", "text": "旧闻"}],
    )
    pull_round(worker="w1")
    return tian, chen


def test_pages_render_for_every_role(world, pulled):
    tian, _ = pulled
    post = tian.posts.first()
    run = PullRun.objects.get(account=tian)
    urls = [
        "/monitoring/",
        "/monitoring/?level=ok&platform=1&org=1",
        f"/monitoring/accounts/{tian.pk}/",
        "/monitoring/posts/",
        "/monitoring/posts/?q=视频&deleted=0",
        f"/monitoring/posts/{post.pk}/",
        "/monitoring/runs/",
        "/monitoring/runs/?outcome=failed",
        "/monitoring/rectifications/",
        "/monitoring/rectifications/?state=all",
    ]
    for user in (world.alice, world.oversight, world.tian_editor, world.tian_unit_admin):
        client = logged_in_client(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
    page = logged_in_client(world.tian_editor).get("/monitoring/runs/").content.decode()
    assert "天中抖音" in page and "陈集" not in page and str(run.posts_new) in page
    nav = logged_in_client(world.tian_editor).get("/").content.decode()
    assert "/monitoring/" in nav and "/monitoring/rectifications/" in nav


def test_lists_show_only_own_scope(world, pulled):
    client = logged_in_client(world.tian_unit_admin)
    for url in ("/monitoring/", "/monitoring/posts/", "/monitoring/runs/"):
        page = client.get(url).content.decode()
        assert "天中" in page and "陈集" not in page, url
    assert client.get(f"/monitoring/accounts/{pulled[1].pk}/").status_code == 404


def test_pull_now_makes_the_account_due_and_is_audited(world, pulled):
    tian, _ = pulled
    assert PullState.objects.get(account=tian).next_due_at > timezone.now()
    client = logged_in_client(world.tian_unit_admin)
    response = client.post(f"/monitoring/accounts/{tian.pk}/pull/")
    assert response.status_code == 302
    assert PullState.objects.get(account=tian).next_due_at <= timezone.now()
    assert AuditEvent.objects.filter(action="monitoring.pull_request").count() == 1
    editor = logged_in_client(world.tian_editor).post(f"/monitoring/accounts/{tian.pk}/pull/")
    assert (
        editor.status_code == 302
        and AuditEvent.objects.filter(action="monitoring.pull_request").count() == 1
    )  # an editor may not: refused with a message
    assert pull_round(worker="w1").accounts == 1


def test_api_posts_runs_and_dormant_report(world, pulled, fakes):
    tian, chen = pulled
    client = logged_in_client(world.tian_editor)
    posts = client.get("/api/v1/posts?limit=10").json()
    assert posts["count"] == 3 and {p["account_id"] for p in posts["items"]} == {tian.pk}
    assert client.get("/api/v1/posts?q=视频20").json()["count"] == 1
    assert client.get("/api/v1/posts?deleted=true").json()["count"] == 0
    detail = client.get(f"/api/v1/posts/{posts['items'][0]['id']}").json()
    assert detail["text"] and "is_html" in detail
    runs = client.get("/api/v1/pull-runs").json()
    assert runs["count"] == 1 and runs["items"][0]["outcome"] == "ok"
    assert client.get(f"/api/v1/pull-runs/{runs['items'][0]['id']}").status_code == 200
    report = logged_in_client(world.alice).get("/api/v1/dormant-accounts").json()
    assert report["thresholds"]["risk_days"] == 14
    assert [(r["account_name"], r["level"]) for r in report["items"]] == [
        ("陈集微博", "risk"),
        ("天中抖音", "ok"),
    ]
    assert report["items"][1]["posts_90_days"] == 3
    # First pulled today: only the gaps between the posts it listed count (day 20 to day 3),
    # not the 70 days from the window's start to the oldest post (issue 14 item 5).
    assert report["items"][1]["longest_gap_days"] == 17
    own = client.get("/api/v1/dormant-accounts?level=risk").json()
    assert own["count"] == 0 and own["items"] == []
    answer = client.post(
        "/api/v1/pull-runs/request",
        data={"account_id": chen.pk},
        content_type="application/json",
    )
    assert answer.status_code in (403, 404)
    fake_server(fakes, "douyin").misbehave("rate_limit", times=None)
    admin = logged_in_client(world.tian_unit_admin)
    answer = admin.post(
        "/api/v1/pull-runs/request", data={"account_id": tian.pk}, content_type="application/json"
    )
    assert answer.status_code == 200
    pull_round(worker="w1")
    failed = admin.get("/api/v1/pull-runs?outcome=failed").json()["items"]
    assert failed[0]["error_kind"] == "rate_limited"


def test_the_schedule_exists_once(db):
    from django_q.models import Schedule

    ensure_schedules(Schedule)
    ensure_schedules(Schedule)
    schedule = Schedule.objects.get(name="账号更新采集")
    assert schedule.func == "govmedia.monitoring.tasks.pull_due" and schedule.minutes == 1
