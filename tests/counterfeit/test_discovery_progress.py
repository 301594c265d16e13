"""Issue 14 item 9: 立即扫描各平台 shows its progress and the list updates itself (htmx polling)
when the scan has finished, with the number of new cases."""

import re

from django.utils import timezone

from govmedia.counterfeit.models import DiscoveryRun
from tests.conftest import logged_in_client


def test_scan_shows_progress_then_the_counts(world, registry, platforms, fakes):
    fakes.douyin.state.add_account("tz_fake_01", "田中发布", verified=False)
    client = logged_in_client(world.alice)
    before = DiscoveryRun.objects.order_by("-id").values_list("id", flat=True).first() or 0

    # Asked for but not yet run (a worker takes it): the line asks again in two seconds.
    since = int(timezone.now().timestamp())
    waiting = client.get(f"/counterfeit/discover/status/?after={before}&since={since}")
    assert waiting.status_code == 200 and "HX-Redirect" not in waiting
    assert 'hx-trigger="load delay:2s"' in waiting.content.decode()
    # A click long ago (no worker took it): the line stops asking and says so.
    stale = client.get(f"/counterfeit/discover/status/?after={before}&since=1").content.decode()
    assert "扫描未在预期时间内完成" in stale and "hx-get" not in stale

    response = client.post("/counterfeit/discover/")  # tests run the task inline
    assert response.status_code == 302 and f"after={before}" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert re.search(r"扫描完成：搜索 \d+ 个关键词，查看 \d+ 个账号，新发现 1 条线索", page)
    done = client.get(f"/counterfeit/discover/status/?after={before}&since=1")
    assert done["HX-Redirect"].startswith("/counterfeit/?after=")


def test_scan_progress_is_for_the_district_office(world):
    response = logged_in_client(world.tian_unit_admin).get(
        "/counterfeit/discover/status/?after=0&since=1"
    )
    assert response.status_code == 404
