import pyotp
import pytest
from django.test import Client

from govmedia.compliance.services import compliance_refresh
from govmedia.users.services import token_create
from tests.conftest import TOTP_SECRET

from .conftest import make_account


@pytest.fixture
def chen_and_tian_unverified(world, platforms):
    make_account(world.tian, platforms["微信公众号"], "天中未认证", verified=False)
    make_account(world.chen, platforms["微信公众号"], "陈集未认证", verified=False)


def api(user):
    code = pyotp.TOTP(TOTP_SECRET).now() if user.totp_enabled else ""
    _, key = token_create(actor=user, name="t", totp_code=code)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    return lambda url: client.get(url)


def test_findings_api_follows_scope(world, chen_and_tian_unverified):
    compliance_refresh(actor=None)
    tian = api(world.tian_unit_admin)
    findings = tian("/api/v1/compliance/findings?rule=unverified").json()
    assert findings["count"] == 1 and findings["items"][0]["org_name"] == "天中街道"
    assert findings["items"][0]["basis"]
    everyone = api(world.alice)("/api/v1/compliance/findings?rule=unverified").json()
    assert everyone["count"] == 2
    rules = {r["code"]: r["open_count"] for r in tian("/api/v1/compliance/rules").json()}
    assert rules["unverified"] == 1
    other = (
        everyone["items"][0]
        if everyone["items"][0]["org_name"] == "陈集镇"
        else everyone["items"][1]
    )
    assert tian(f"/api/v1/compliance/findings/{other['id']}").status_code == 404
    assert tian("/api/v1/compliance/findings?rule=nonsense").json()["field"] == "rule"
