"""/api/v1/suspects: the same scope, services and masking as the pages."""

import datetime

from govmedia.counterfeit import services
from tests.conftest import logged_in_client

from .conftest import remove_account


def new_case(world, platforms, **extra):
    fields = {
        "actor": world.alice,
        "platform": platforms["douyin"],
        "display_name": "田中发布",
        "handle": "tz_fake_01",
        "verified": False,
        "source": "report",
        "reporter_contact": "13812345678",
    }
    return services.suspect_create(**(fields | extra)).suspect


def test_list_and_detail_follow_the_scope_and_mask_the_reporter(world, registry, platforms):
    tian_case = new_case(world, platforms)
    chen_case = new_case(world, platforms, display_name="陈集发布官方", handle="cj_fake")
    tian = logged_in_client(world.tian_unit_admin)
    listing = tian.get("/api/v1/suspects").json()
    assert [row["id"] for row in listing["items"]] == [tian_case.pk]
    assert tian.get(f"/api/v1/suspects/{chen_case.pk}").status_code == 404
    detail = tian.get(f"/api/v1/suspects/{tian_case.pk}").json()
    assert detail["matched_account"]["name"] == "天中发布"
    assert detail["reports"][0]["reporter_contact"] == "138****5678"
    assert detail["reasons"][0]["code"] == "similar_name"
    admin = logged_in_client(world.alice).get(f"/api/v1/suspects/{tian_case.pk}").json()
    assert admin["reports"][0]["reporter_contact"] == "13812345678"
    assert logged_in_client(world.alice).get("/api/v1/suspects?state=open").json()["count"] == 2


def test_report_over_the_api(world, registry, platforms):
    client = logged_in_client(world.tian_editor)
    body = {"platform": "抖音", "display_name": "天中发布官方", "handle": "dy_fake"}
    response = client.post("/api/v1/suspects", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["state"] == "found"
    response = client.post("/api/v1/suspects", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["report_count"] == 2
    # A case about another unit's account is accepted but not shown.
    other = {"platform": "抖音", "display_name": "陈集发布官方", "handle": "cj_fake"}
    response = client.post("/api/v1/suspects", other, content_type="application/json")
    assert response.status_code == 202 and response.json()["code"] == "accepted"
    bad = client.post(
        "/api/v1/suspects",
        {"platform": "火星", "display_name": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "platform"


def test_the_workflow_over_the_api(world, registry, platforms, fakes):
    fakes.douyin.state.add_account("tz_fake_01", "田中发布", verified=False)
    suspect = new_case(world, platforms)
    client = logged_in_client(world.alice)
    base = f"/api/v1/suspects/{suspect.pk}"

    def post(path, body):
        return client.post(base + path, body, content_type="application/json")

    assert post("/verify", {"version": 1, "note": "核实"}).json()["state"] == "verified"
    stale = post("/verify", {"version": 1, "note": "核实"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    taken = post("/request-takedown", {"version": 2}).json()
    assert taken["letter_url"] == f"/counterfeit/{suspect.pk}/letter.docx"
    today = datetime.date.today().isoformat()
    assert (
        post("/report-to-cac", {"version": 3, "reported_on": today}).json()["state"] == "reported"
    )
    refused = post("/confirm-closed", {"version": 4})
    assert refused.status_code == 400 and refused.json()["code"] == "still_exists"
    remove_account(fakes.douyin.state, "tz_fake_01")
    closed = post("/confirm-closed", {"version": 4}).json()
    assert closed["state"] == "closed" and "查不到" in closed["closed_check"]


def test_units_cannot_act_over_the_api(world, registry, platforms):
    suspect = new_case(world, platforms)
    response = logged_in_client(world.tian_unit_admin).post(
        f"/api/v1/suspects/{suspect.pk}/exclude",
        {"version": 1, "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
