"""Registered accounts to imitate, and the four fake platforms wired in as the API bases."""

from datetime import UTC, date, datetime, timedelta

import pytest

from govmedia.counterfeit import platform_access, ratelimit
from govmedia.platforms.fakes import FakePlatforms, default_credentials
from govmedia.registry.models import MediaAccount, Platform
from govmedia.registry.platforms import ensure_default_platforms

MOBILE = "13905301234"


@pytest.fixture
def platforms(db):
    ensure_default_platforms(Platform)  # transactional tests flush the migration's rows
    return {p.code: p for p in Platform.objects.all()}


def register(org, platform, name, handle, **extra) -> MediaAccount:
    """A registered, filed account with a full 备案表, phones included (never to be shown)."""
    team = {}
    for role in ("principal", "leader_in_charge", "person_responsible"):
        team |= {
            f"{role}_name": f"{role}负责人",
            f"{role}_office_phone": "0530-2212021",
            f"{role}_mobile": MOBILE,
        }
    fields = {
        "host_org": org,
        "platform": platform,
        "name": name,
        "handle": handle,
        "registrant": org.name,
        "registered_on": date(2026, 3, 2),
        "positioning": "发布政务信息",
        "verified": True,
        "contact_name": "王联系",
        "contact_phone": MOBILE,
        "filing_no": f"定陶新媒备〔2026〕第{handle[-3:]}号",
    }
    return MediaAccount.objects.create(**(fields | team | extra))


@pytest.fixture
def registry(world, platforms):
    """天中街道 runs 天中发布 on WeChat and 天中街道发布 on Douyin; 陈集镇 runs 陈集发布."""
    return {
        "tian": register(world.tian, platforms["wechat-mp"], "天中发布", "dt_tianzhong001"),
        "tian_dy": register(world.tian, platforms["douyin"], "天中街道发布", "dt_tianzhong_dy002"),
        "chen": register(world.chen, platforms["wechat-mp"], "陈集发布", "dt_chenji003"),
    }


@pytest.fixture
def fakes(settings):
    """The four fake platforms on 127.0.0.1, with search switched on as in the demo."""
    with FakePlatforms() as running:
        running.weibo.state.add_account("dt_search", "定陶区政务新媒体管理")
        token = default_credentials("weibo", "dt_search")["access_token"]
        settings.PLATFORM_API_BASES = running.base_urls
        settings.PLATFORM_SANDBOX_SEARCH = True
        settings.WEIBO_SEARCH_ACCESS_TOKEN = token
        yield running
        platform_access.forget_clients()


def remove_account(state, handle: str) -> None:
    """The platform closes the account: it is no longer found."""
    remover = getattr(state, "remove_account", None)
    if remover is not None:
        remover(handle)
    else:
        state.accounts.pop(handle)


class FakeClock:
    """A wall clock that stands still until the test moves it."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def rate_clock(monkeypatch) -> FakeClock:
    """The clock of the public pages' rate limits, at the first second of an hour (so of a
    minute too): requests counted together stay in one window however slowly they run."""
    clock = FakeClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    monkeypatch.setattr(ratelimit, "clock", clock)
    return clock
