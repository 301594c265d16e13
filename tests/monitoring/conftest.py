"""Monitoring tests run against the fake platform servers over real HTTP on 127.0.0.1.

`fakes` starts the four servers and points settings.PLATFORM_API_BASES at them; `monitored`
registers an account (the registry row, written directly and announced as the import does) whose credentials
are stored through the credential store, so a pull acts for it exactly as in production.
"""

from datetime import date

import pytest

from govmedia.credentials.services import credential_set
from govmedia.monitoring.clients import forget_clients
from govmedia.platforms.fakes import FakePlatforms, default_credentials
from govmedia.registry.events import ACCOUNTS_CHANGED
from govmedia.registry.models import MediaAccount, Platform
from govmedia.registry.platforms import ensure_default_platforms

FAKE_NAMES = {"wechat-mp": "wechat", "weibo": "weibo", "douyin": "douyin", "kuaishou": "kuaishou"}


@pytest.fixture
def fakes(settings):
    with FakePlatforms() as platforms:
        settings.PLATFORM_API_BASES = platforms.base_urls
        yield platforms
    forget_clients()


def fake_server(fakes, code: str):
    return fakes.servers[FAKE_NAMES[code]]


def store_credentials(actor, account: MediaAccount) -> None:
    values = dict(default_credentials(FAKE_NAMES[account.platform.code], account.handle))
    credential_set(
        actor=actor,
        account_id=account.pk,
        version=0,
        app_id=values.pop("app_id", ""),
        app_secret=values.pop("app_secret", None),
        access_token=values.pop("access_token", None),
        extra=values,
    )


def register(org, code: str, handle: str, *, name: str | None = None, **extra) -> MediaAccount:
    ensure_default_platforms(Platform)  # transactional tests flush the migration's rows
    fields = {
        "host_org": org,
        "platform": Platform.objects.get(code=code),
        "name": name or handle,
        "handle": handle,
        "registrant": org.name,
        "positioning": "政务信息发布",
        "verified": True,
        "registered_on": date(2026, 3, 2),
        "filing_no": f"测试备〔2026〕{handle}",
    }
    account = MediaAccount.objects.create(**(fields | extra))
    ACCOUNTS_CHANGED.publish(account_ids=[account.pk], org_ids=[])  # as the import does
    return account


def monitored(world, fakes, org, code: str, handle: str, *, name=None, posts=(), **extra):
    """An account on the fake platform and in the registry, with its credentials stored.

    `posts`: dicts for FakeState.add_post (published_at, title, text …).
    """
    server = fake_server(fakes, code)
    server.state.add_account(handle, name or handle)
    for post in posts:
        server.state.add_post(handle, **post)
    account = register(org, code, handle, name=name, **extra)
    store_credentials(world.alice, account)
    return account
