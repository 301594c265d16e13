"""/api/v1/service-links."""

from govmedia.servicelinks.checking import check_links_now
from tests.conftest import logged_in_client
from tests.servicelinks.conftest import PATIENT


def test_links_and_findings_through_the_api(world, host, accounts):
    tian, chen = accounts
    client = logged_in_client(world.tian_unit_admin)
    body = {
        "account_id": tian.pk,
        "kind": "ishandong",
        "name": "资格认证",
        "url": host.url("/missing/rz"),
        "service_name": "社保待遇资格认证",
    }
    created = client.post("/api/v1/service-links", body, content_type="application/json")
    assert created.status_code == 201
    refused = client.post(
        "/api/v1/service-links", body | {"account_id": chen.pk}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["field"] == "account"
    check_links_now(timeout=PATIENT)
    listed = client.get("/api/v1/service-links", {"health": "broken"}).json()
    assert listed["count"] == 1 and listed["items"][0]["last_outcome"] == "not_found"
    findings = client.get("/api/v1/service-links/findings", {"active": "true"}).json()
    finding = findings["items"][0]
    resolved = client.post(
        f"/api/v1/service-links/findings/{finding['id']}/resolve",
        {"version": finding["version"], "note": "已更换地址"},
        content_type="application/json",
    )
    assert resolved.status_code == 200 and resolved.json()["state"] == "resolved"
    coverage = client.get("/api/v1/service-links/ishandong").json()
    assert coverage["services"][0]["service_name"] == "社保待遇资格认证"
    other = logged_in_client(world.chen_unit_admin)
    assert other.get(f"/api/v1/service-links/{created.json()['id']}").status_code == 404
