"""The fake platforms themselves: seed files, the command line, bulk accounts, misbehaviour."""

import json
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from govmedia.platforms.base import AccountRef, Credentials, PlatformUnavailable
from govmedia.platforms.clients import UnsupportedPlatform, make_client
from govmedia.platforms.fakes import DEMO_SEED, FakePlatforms, default_credentials
from tests.platforms.conftest import START, client_options, read_all

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_seed_loads_the_registry_accounts_with_default_credentials(clock):
    fakes = FakePlatforms(clock=clock, seed=DEMO_SEED)
    wechat = fakes.wechat.state.accounts
    assert wechat["dt_tianzhong"].name == "天中发布"
    assert wechat["dt_tianzhong"].credentials == default_credentials("wechat", "dt_tianzhong")
    assert not wechat["tianzhong_fabu2026"].verified  # the lookalike for the counterfeit page
    assert len(fakes.weibo.state.accounts) == 7 and len(fakes.kuaishou.state.accounts) == 2
    # Dormant on purpose: 区粮食局's account last posted more than 90 days ago.
    [newest, *_] = fakes.wechat.state.timeline("dt_liangshi")
    assert START - newest.published_at > timedelta(days=90)
    assert fakes.wechat.state.timeline("dt_dutang") == []
    fakes.stop()


def test_a_seed_file_with_explicit_times_ids_and_a_deleted_post(tmp_path, clock, sleeps):
    seed = {
        "weibo": {
            "accounts": [
                {
                    "handle": "dt_wenlv_wb",
                    "name": "定陶文旅",
                    "credentials": {"uid": "1234567890", "access_token": "2.00demo"},
                    "posts": [
                        {"id": "5001", "published_at": "2026-11-20T08:00:00+08:00", "text": "A"},
                        {"id": "5002", "published_at": "2026-11-21T08:00:00", "text": "B"},
                        {"id": "5003", "days_ago": 1, "text": "C", "deleted": True},
                    ],
                }
            ]
        }
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    with FakePlatforms(clock=clock, seed=str(path)) as fakes:
        client = make_client("weibo", fakes.base_urls["weibo"], **client_options(clock, sleeps))
        account = AccountRef(
            "dt_wenlv_wb", Credentials({"uid": "1234567890", "access_token": "2.00demo"})
        )
        posts, _ = read_all(client, account)
        assert [p.post_id for p in posts] == ["5002", "5001"]
        assert posts[0].published_at.isoformat() == "2026-11-21T08:00:00+08:00"
        client.close()


def test_an_unknown_platform_in_the_seed_is_refused(clock):
    with pytest.raises(ValueError, match="toutiao"):
        FakePlatforms(clock=clock, seed={"toutiao": {"accounts": []}})


def test_ports_come_four_in_order():
    with pytest.raises(ValueError, match="4 ports"):
        FakePlatforms(ports=[9101, 9102])


def test_the_command_line_serves_the_demo_until_terminated():
    with subprocess.Popen(
        [sys.executable, "-m", "govmedia.platforms.fakes", "--demo", "--ports", "0,0,0,0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        _ask_the_running_fakes(process)


def _ask_the_running_fakes(process) -> None:
    try:
        urls = dict(process.stdout.readline().split() for _ in range(4))
        assert set(urls) == {"wechat-mp", "weibo", "douyin", "kuaishou"}
        creds = default_credentials("wechat", "dt_fabu")
        answer = httpx.get(
            urls["wechat-mp"] + "/cgi-bin/token",
            params={
                "grant_type": "client_credential",
                "appid": creds["app_id"],
                "secret": creds["app_secret"],
            },
        ).json()
        assert answer["expires_in"] == 7200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_bulk_accounts_for_the_benchmark_are_served_per_account(clock, sleeps):
    with FakePlatforms(clock=clock) as fakes:
        made = fakes.douyin.state.generate(2000, 20)
        client = make_client("douyin", fakes.base_urls["douyin"], **client_options(clock, sleeps))
        last = made[-1]
        posts, pages = read_all(client, AccountRef(last.handle, Credentials(last.credentials)))
        assert len(posts) == 20 and pages == 1
        client.close()


def test_misbehaviour_is_checked():
    fakes = FakePlatforms()
    with pytest.raises(ValueError):
        fakes.wechat.misbehave("on_fire")
    with pytest.raises(ValueError):
        fakes.wechat.misbehave("slow")  # without a delay
    with pytest.raises(ValueError):
        fakes.wechat.misbehave("http_500", times=0)
    fakes.stop()


def test_a_wrong_or_stopped_server_is_platform_unavailable_not_a_crash(clock, sleeps):
    with FakePlatforms(clock=clock) as fakes:
        fakes.weibo.state.add_account("dt_fabu_wb", "定陶发布")
        creds = fakes.weibo.state.accounts["dt_fabu_wb"].credentials
        # A WeChat client pointed at the Weibo fake: a 404 page, not JSON.
        wrong = make_client("wechat-mp", fakes.base_urls["weibo"], **client_options(clock, sleeps))
        with pytest.raises(PlatformUnavailable):
            wrong.get_profile(AccountRef("x", Credentials({"app_id": "wx1", "app_secret": "s"})))
        wrong.close()
        url = fakes.base_urls["weibo"]
    client = make_client("weibo", url, **client_options(clock, sleeps))
    with pytest.raises(PlatformUnavailable, match="无法连接"):
        client.list_posts(AccountRef("dt_fabu_wb", Credentials(creds)))
    client.close()


def test_platforms_without_an_api_are_unsupported():
    with pytest.raises(UnsupportedPlatform):
        make_client("bilibili")
