"""/api/v1/publishing/unapproved: the findings, read-only, with the pages' scope."""

import pytest

from tests.conftest import logged_in_client
from tests.publishing.helpers import approved
from tests.publishing.unapproved.helpers import FUNDS, judged, pulled

pytestmark = pytest.mark.django_db

API = "/api/v1/publishing/unapproved"


def test_the_findings_are_listed_read_only_in_scope(newsroom):
    approved(newsroom, body=FUNDS, picture=False)
    finding = judged(pulled(newsroom.wechat, FUNDS.replace("3000万元", "5000万元")))
    matched = judged(pulled(newsroom.wechat, FUNDS))
    client = logged_in_client(newsroom.tian_editor)
    body = client.get(API).json()
    assert [row["id"] for row in body["items"]] == [finding.pk]
    row = body["items"][0]
    assert row["state"] == "unapproved" and row["nearest_id"] == finding.nearest_id
    assert "5000万元" in row["reason"] and row["account_id"] == newsroom.wechat.pk
    assert client.get(f"{API}?state=matched").json()["items"][0]["id"] == matched.pk
    assert client.get(f"{API}?all_states=true").json()["count"] == 2
    assert client.post(API, {}, content_type="application/json").status_code == 405
    other = logged_in_client(newsroom.chen_unit_admin).get(f"{API}?all_states=true").json()
    assert other["count"] == 0
