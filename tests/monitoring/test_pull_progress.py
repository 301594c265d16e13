"""Issue 14 item 9: 立即采集 shows its progress and the page updates itself (htmx polling) when
the pull has run, with its counts."""

import re
from datetime import timedelta

from django.utils import timezone

from govmedia.monitoring.models import PullRun
from govmedia.monitoring.pulling import pull_round
from tests.conftest import logged_in_client

from .conftest import monitored


def test_pull_now_shows_progress_then_the_counts(world, fakes):
    now = timezone.now()
    account = monitored(
        world,
        fakes,
        world.tian,
        "douyin",
        "tz_dy",
        name="天中抖音",
        posts=[{"published_at": now - timedelta(days=d), "title": f"视频{d}"} for d in (1, 4)],
    )
    pull_round(worker="w1")  # an earlier pull: not the one the click waits for
    client = logged_in_client(world.tian_unit_admin)

    response = client.post(f"/monitoring/accounts/{account.pk}/pull/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    poll = re.search(r'hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "正在采集“天中抖音”" in page and 'hx-trigger="load delay:2s"' in page

    waiting = client.get(poll)
    assert waiting.status_code == 200 and "HX-Redirect" not in waiting
    assert "正在采集" in waiting.content.decode() and "hx-get" in waiting.content.decode()

    fakes.douyin.state.add_post("tz_dy", published_at=now, title="新视频")
    pull_round(worker="w1")
    run = PullRun.objects.filter(account=account).latest("id")
    done = client.get(poll)
    assert done["HX-Redirect"] == f"/monitoring/accounts/{account.pk}/?pulled={run.pk}"
    result = client.get(done["HX-Redirect"]).content.decode()
    assert f"采集 {run.posts_seen} 条，新增 {run.posts_new} 条" in result
    assert run.posts_new == 1


def test_progress_of_another_township_is_not_found(world, fakes):
    account = monitored(world, fakes, world.chen, "douyin", "cj_dy", name="陈集抖音", posts=[])
    client = logged_in_client(world.tian_unit_admin)
    response = client.get(f"/monitoring/accounts/{account.pk}/pull/status/?after=0&since=1")
    assert response.status_code == 404
