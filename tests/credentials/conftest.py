import base64
from datetime import date

import pytest

from govmedia.credentials import services
from govmedia.registry.models import MediaAccount
from tests.registry.conftest import platforms  # noqa: F401 - the fixture, shared

KEY_A = base64.urlsafe_b64encode(b"A" * 32).decode()
KEY_B = base64.urlsafe_b64encode(b"B" * 32).decode()
KEY_C = base64.urlsafe_b64encode(b"C" * 32).decode()

APP_SECRET = "9f3c2b7e51d84a06b2c7e9d1f0a3b5c8"
ACCESS_TOKEN = "act.3f9e0c1b2a7d4e6f8091a2b3c4d5e6f7"
PHONE = "13905301234"


@pytest.fixture(autouse=True)
def _keys(settings):
    settings.CREDENTIALS_KEYS = [KEY_A]


def make_account(org, platform, name, handle) -> MediaAccount:
    return MediaAccount.objects.create(
        host_org=org,
        platform=platform,
        name=name,
        handle=handle,
        registrant=org.name,
        positioning="政务信息发布",
        verified=True,
        registered_on=date(2026, 3, 2),
        filing_no=f"测试备〔2026〕{handle}",
    )


@pytest.fixture
def accounts(world, platforms):  # noqa: F811 - the imported fixture
    """A WeChat account of 天中街道 and a Douyin account of 陈集镇."""
    tian = make_account(world.tian, platforms["微信公众号"], "天中发布", "tianzhongfabu")
    chen = make_account(world.chen, platforms["抖音"], "陈集发布", "chenjifabu")
    return tian, chen


@pytest.fixture
def stored(world, accounts):
    """天中发布 with an AppID, an AppSecret, an access token and a bound phone."""
    tian, _ = accounts
    services.credential_set(
        actor=world.tian_unit_admin,
        account_id=tian.pk,
        version=0,
        app_id="wx1234567890abcdef",
        app_secret=APP_SECRET,
        access_token=ACCESS_TOKEN,
        extra={"open_id": "oT1x2y3z"},
    )
    services.custody_set(
        actor=world.tian_unit_admin,
        account_id=tian.pk,
        version=0,
        administrator="赵管理",
        password_holder="钱保管",
        password_changed_on=date(2026, 9, 1),
        bound_phone=PHONE,
    )
    return tian
