"""The pull's fetching child process: the same results as fetching in the worker, and a child
that dies fails its pulls (recorded, released, pulled again next round) instead of losing them."""

import os
import signal
import threading
import time
from pathlib import Path
from queue import SimpleQueue

import pytest

from govmedia.monitoring import claims
from govmedia.monitoring.clients import client_for
from govmedia.monitoring.fetch import FetchPlan, fetch
from govmedia.monitoring.fetch_process import GONE, FetchChild
from govmedia.monitoring.models import Post, PullRun, PullState
from govmedia.monitoring.pulling import _jobs, pull_round
from govmedia.platforms.base import AccountRef

from .conftest import fake_server, monitored
from .test_pulls import dated, make_due

pytestmark = pytest.mark.django_db

PATIENT = 60  # seconds: how long a loaded machine may take, never reached when all is well
CODES = ["wechat-mp", "weibo", "douyin", "kuaishou"]


def fetch_children() -> list[int]:
    """The fetching children of this process (read from /proc, as `ps` would)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue  # a process that ended while being read
        if parent == os.getpid() and b"govmedia.monitoring.fetch_process" in command:
            pids.append(int(stat.parent.name))
    return pids


def comparable(result):
    return (
        result.plan.account_id,
        result.ok,
        result.pages,
        result.cursor,
        result.exhausted,
        result.oldest,
        result.posts,
    )


def test_the_child_fetches_exactly_what_the_worker_would(world, fakes, settings):
    accounts = [
        monitored(world, fakes, world.tian, code, f"tz_{code}", posts=dated(70, every_hours=5))
        for code in CODES
    ]
    claims.ensure_states()
    claimed = claims.claim_due(worker="w1", limit=10)
    jobs = _jobs(claimed)
    assert len(jobs) == len(accounts)
    here = {job.plan.account_id: fetch(client_for(job.plan.platform), job.plan) for job in jobs}

    results = SimpleQueue()
    child = FetchChild(2, results)
    for job in jobs:
        child.submit(job.plan, settings.PLATFORM_API_BASES[job.plan.platform])
    child.close()
    there = [results.get(timeout=PATIENT) for _ in jobs]
    assert results.empty()
    assert sorted(map(comparable, there)) == sorted(comparable(r) for r in here.values())
    assert all(r.ok and r.pages >= 2 and len(r.posts) == 70 for r in there)


def test_a_child_killed_mid_round_fails_its_pull_and_the_next_round_pulls_again(world, fakes):
    account = monitored(world, fakes, world.tian, "weibo", "tz_weibo", posts=dated(5))
    server = fake_server(fakes, "weibo")
    server.misbehave("slow", times=None, delay=PATIENT)  # held until the child is gone

    def kill_the_child_once_it_fetches():
        deadline = time.monotonic() + PATIENT
        while time.monotonic() < deadline:
            if server.request_count() and (pids := fetch_children()):
                os.kill(pids[0], signal.SIGKILL)
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_the_child_once_it_fetches)
    killer.start()
    stats = pull_round(worker="w1")
    killer.join()

    assert (stats.accounts, stats.failed) == (1, 1)
    run = PullRun.objects.get(account=account)
    assert (run.outcome, run.error_message) == ("failed", GONE)
    state = PullState.objects.get(account=account)
    assert (state.claimed_by, state.consecutive_failures) == ("", 1)
    assert not Post.objects.filter(account=account).exists()
    assert fetch_children() == []

    server.behave()
    make_due(account)
    stats = pull_round(worker="w1")
    assert (stats.accounts, stats.failed, stats.posts_new) == (1, 0, 5)
    assert PullState.objects.get(account=account).consecutive_failures == 0


def test_a_plan_handed_over_after_the_child_died_fails_at_once():
    results = SimpleQueue()
    child = FetchChild(2, results)
    child.kill()
    plan = FetchPlan(account_id=7, platform="weibo", ref=AccountRef(handle="tz"))
    child.submit(plan, "http://127.0.0.1:9")
    result = results.get(timeout=PATIENT)
    assert (result.plan, result.ok, result.unexpected) == (plan, False, GONE)
    assert results.empty()


def test_a_platform_that_is_not_pulled_fails_in_the_child_as_in_the_worker(world, fakes):
    results = SimpleQueue()
    child = FetchChild(2, results)
    plan = FetchPlan(account_id=8, platform="own-app", ref=AccountRef(handle="tz"))
    child.submit(plan, "http://127.0.0.1:9")
    child.close()
    result = results.get(timeout=PATIENT)
    assert not result.ok and result.unexpected.startswith("无法创建平台接口客户端：")


@pytest.mark.parametrize("in_child", [True, False])
def test_both_ways_of_fetching_store_the_same_pulls(world, fakes, settings, in_child):
    settings.PULL_FETCH_PROCESS = in_child
    for code in CODES:
        monitored(world, fakes, world.tian, code, f"tz_{code}", posts=dated(30, every_hours=5))
    stats = pull_round(worker="w1", threads=3)
    assert (stats.accounts, stats.failed, stats.posts_new) == (4, 0, 120)
    assert Post.objects.count() == 120
    assert set(PullRun.objects.values_list("outcome", flat=True)) == {"ok"}
