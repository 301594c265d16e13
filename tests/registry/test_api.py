"""/api/v1/accounts and /api/v1/filings over real HTTP: filters, scope, masking and the workflow."""

import pytest

from govmedia.registry.models import MediaAccount
from tests.conftest import logged_in_client
from tests.registry.filing_steps import file_account


def json_body(form_data) -> dict:
    body = {k: v for k, v in form_data.items() if k != "platform"} | {
        "platform": form_data["platform"].name
    }
    body["registered_on"] = form_data["registered_on"].isoformat()
    return body


def post(client, url, data=None):
    return client.post(url, data=data or {}, content_type="application/json")


@pytest.fixture
def registry(world, form_data, platforms):
    """天中 runs a WeChat account and a verified-less Weibo account; 陈集 runs one of its own."""
    tian_wechat = file_account(world, form_data)
    tian_weibo = file_account(
        world,
        form_data,
        org=world.tian_office,
        handle="tzweibo",
        name="天中微博",
        platform=platforms["微博"],
        verified=False,
        contact_phone="13905300009",
    )
    chen = file_account(
        world,
        form_data,
        org=world.chen,
        actor=world.chen_unit_admin,
        handle="chenji",
        name="陈集发布",
    )
    return tian_wechat, tian_weibo, chen


def test_account_list_filters_and_scope(world, registry, platforms):
    tian_wechat, tian_weibo, chen = registry
    admin = logged_in_client(world.alice)
    assert admin.get("/api/v1/accounts").json()["count"] == 3
    by_platform = admin.get(f"/api/v1/accounts?platform={platforms['微博'].pk}").json()
    assert [a["id"] for a in by_platform["items"]] == [tian_weibo.pk]
    assert by_platform["items"][0]["platform_name"] == "微博"
    subtree = admin.get(f"/api/v1/accounts?host_org_id={world.tian.pk}").json()
    assert {a["id"] for a in subtree["items"]} == {tian_wechat.pk, tian_weibo.pk}
    assert admin.get("/api/v1/accounts?verified=false").json()["items"][0]["id"] == tian_weibo.pk
    assert admin.get("/api/v1/accounts?q=陈集").json()["items"][0]["id"] == chen.pk
    assert admin.get("/api/v1/accounts?status=cancelled").json()["count"] == 0
    page = admin.get("/api/v1/accounts?limit=2&offset=2").json()
    assert page["count"] == 3 and len(page["items"]) == 1

    township = logged_in_client(world.tian_editor).get("/api/v1/accounts?limit=100").json()
    assert {a["id"] for a in township["items"]} == {tian_wechat.pk, tian_weibo.pk}
    assert logged_in_client(world.tian_editor).get(f"/api/v1/accounts/{chen.pk}").status_code == 404


def test_mobiles_masked_for_oversight_not_for_the_unit(world, registry):
    _, tian_weibo, _ = registry
    url = f"/api/v1/accounts/{tian_weibo.pk}"
    own = logged_in_client(world.tian_reviewer).get(url).json()
    assert own["principal_mobile"] == "13805300001" and own["contact_phone"] == "13905300009"
    assert logged_in_client(world.alice).get(url).json()["leader_in_charge_mobile"] == "13805300002"
    seen = logged_in_client(world.oversight).get(url).json()
    assert seen["principal_mobile"] == "138****0001"
    assert seen["person_responsible_mobile"] == "138****0003"
    assert seen["contact_phone"] == "139****0009"  # a mobile contact number is personal too
    assert seen["principal_office_phone"] == "0530-2210001"  # office phones are the unit's
    listed = logged_in_client(world.oversight).get("/api/v1/accounts?limit=100").json()["items"]
    assert all("****" in a["principal_mobile"] for a in listed)


def test_filing_workflow_through_the_api(world, form_data):
    unit = logged_in_client(world.tian_unit_admin)
    body = json_body(form_data) | {
        "kind": "open",
        "org_id": world.tian.pk,
        "event_date": "2026-03-02",
    }
    created = post(unit, "/api/v1/filings", body)
    assert created.status_code == 201, created.content
    filing = created.json()
    assert filing["state"] == "draft" and filing["platform_name"] == "微信公众号"
    assert (
        filing["due_on"] == "2026-03-11" and filing["overdue"] is True
    )  # 7 working days, long past

    stale = unit.patch(
        f"/api/v1/filings/{filing['id']}",
        data={"version": 99, "name": "x"},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    bad = unit.patch(
        f"/api/v1/filings/{filing['id']}",
        data={"version": filing["version"], "principal_mobile": "1380"},
        content_type="application/json",
    )
    assert (
        bad.status_code == 200 and bad.json()["principal_mobile"] == "1380"
    )  # a draft may be incomplete
    refused = post(
        unit, f"/api/v1/filings/{filing['id']}/submit", {"version": bad.json()["version"]}
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "principal_mobile" and "手机号" in refused.json()["message"]

    fixed = unit.patch(
        f"/api/v1/filings/{filing['id']}",
        data={"version": bad.json()["version"], "principal_mobile": "13805300001"},
        content_type="application/json",
    ).json()
    assert fixed["name"] == "天中发布"  # a PATCH changes only what it names
    submitted = post(unit, f"/api/v1/filings/{filing['id']}/submit", {"version": fixed["version"]})
    assert submitted.json()["state"] == "submitted" and submitted.json()["overdue"] is False
    again = post(unit, f"/api/v1/filings/{filing['id']}/submit", {"version": fixed["version"]})
    assert again.status_code == 409  # a double submit is refused

    at = {"version": submitted.json()["version"]}
    assert post(unit, f"/api/v1/filings/{filing['id']}/approve", at).status_code == 403
    admin = logged_in_client(world.alice)
    unversioned = post(admin, f"/api/v1/filings/{filing['id']}/approve", {})
    assert unversioned.status_code == 400  # the version read is required
    no_reason = post(admin, f"/api/v1/filings/{filing['id']}/return", at | {"reason": " "})
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    returned = post(
        admin, f"/api/v1/filings/{filing['id']}/return", at | {"reason": "功能定位过于笼统"}
    ).json()
    assert returned["state"] == "returned" and returned["returned_reason"] == "功能定位过于笼统"
    resubmitted = post(
        unit, f"/api/v1/filings/{filing['id']}/submit", {"version": returned["version"]}
    ).json()
    at = {"version": resubmitted["version"]}
    no_scan = post(admin, f"/api/v1/filings/{filing['id']}/approve", at)
    assert no_scan.status_code == 400 and no_scan.json()["field"] == "no_scan_reason"
    at |= {"no_scan_reason": "纸质备案表另行报送"}
    filed = post(admin, f"/api/v1/filings/{filing['id']}/approve", at).json()
    assert filed["no_scan_reason"] == "纸质备案表另行报送" and filed["has_scan"] is False
    assert filed["state"] == "filed" and filed["filing_no"].startswith("定陶新媒备")
    assert post(admin, f"/api/v1/filings/{filing['id']}/approve", at).status_code == 409
    assert MediaAccount.objects.get(pk=filed["account_id"]).filing_no == filed["filing_no"]


def test_supervisor_co_signs_through_the_api(world, form_data):
    world.tian_office.supervisor = world.tian
    world.tian_office.save()
    unit = logged_in_client(world.tian_unit_admin)
    body = json_body(form_data) | {
        "kind": "open",
        "org_id": world.tian_office.pk,
        "event_date": "2026-11-02",
    }
    filing = post(unit, "/api/v1/filings", body).json()
    filing = post(
        unit, f"/api/v1/filings/{filing['id']}/submit", {"version": filing["version"]}
    ).json()
    assert filing["supervisor_id"] == world.tian.pk
    at = {"version": filing["version"]}
    early = post(logged_in_client(world.alice), f"/api/v1/filings/{filing['id']}/approve", at)
    assert early.status_code == 409 and "主管单位" in early.json()["message"]
    own = post(unit, f"/api/v1/filings/{filing['id']}/supervisor-approve", at)
    assert own.status_code == 403  # 谁审查、谁负责: not one's own submission
    signed = post(
        logged_in_client(world.tian_supervisor_reviewer),
        f"/api/v1/filings/{filing['id']}/supervisor-approve",
        at,
    )
    assert signed.json()["state"] == "supervisor_approved"
    approve = f"/api/v1/filings/{filing['id']}/approve"
    assert signed.json()["next_step"] == "待 区政府办公室 备案"
    filed = post(
        logged_in_client(world.alice),
        approve,
        {"version": signed.json()["version"], "no_scan_reason": "纸质备案表另行报送"},
    )
    assert filed.json()["state"] == "filed"


def test_create_refuses_bad_references_naming_the_field(world, form_data):
    unit = logged_in_client(world.tian_unit_admin)
    body = json_body(form_data) | {
        "kind": "open",
        "org_id": world.tian.pk,
        "event_date": "2026-03-02",
    }
    unknown = post(unit, "/api/v1/filings", body | {"platform": "脸书"})
    assert unknown.status_code == 400 and unknown.json()["field"] == "platform"
    other = post(unit, "/api/v1/filings", body | {"org_id": world.chen.pk})
    assert (
        other.status_code == 400
        and other.json()["field"] == "org_id"
        and "陈集" not in other.content.decode()
    )
    future = post(unit, "/api/v1/filings", body | {"event_date": "2099-01-01"})
    assert future.status_code == 400 and future.json()["field"] == "event_date"
    change = post(unit, "/api/v1/filings", body | {"kind": "change"})
    assert change.status_code == 400 and change.json()["field"] == "account"
    assert (
        logged_in_client(world.oversight)
        .post("/api/v1/filings", data=body, content_type="application/json")
        .status_code
        == 403
    )


def test_change_filing_detail_shows_the_diff(world, form_data, registry):
    tian_wechat, _, _ = registry
    unit = logged_in_client(world.tian_unit_admin)
    created = post(
        unit,
        "/api/v1/filings",
        {
            "kind": "change",
            "org_id": world.tian.pk,
            "account_id": tian_wechat.pk,
            "event_date": "2026-11-02",
            "name": "天中街道发布",
            "principal_mobile": "13805300099",
        },
    ).json()
    assert (
        created["name"] == "天中街道发布" and created["handle"] == "tianzhongfabu"
    )  # the rest as registered
    assert [(c["label"], c["registered"], c["filed"]) for c in created["change_diff"]] == [
        ("政务新媒体名称", "天中发布", "天中街道发布"),
        ("主要负责人手机号", "13805300001", "13805300099"),
    ]
    seen = logged_in_client(world.oversight).get(f"/api/v1/filings/{created['id']}").json()
    assert seen["change_diff"][1]["filed"] == "138****0099"


def test_filing_list_filters(world, form_data, registry):
    tian_wechat, _, _ = registry
    unit = logged_in_client(world.tian_unit_admin)
    post(
        unit,
        "/api/v1/filings",
        {
            "kind": "suspend",
            "org_id": world.tian.pk,
            "account_id": tian_wechat.pk,
            "event_date": "2026-03-02",
        },
    )
    admin = logged_in_client(world.alice)
    assert admin.get("/api/v1/filings").json()["count"] == 4
    assert admin.get("/api/v1/filings?state=filed").json()["count"] == 3
    overdue = admin.get("/api/v1/filings?overdue=true").json()
    assert [(f["kind"], f["state"], f["overdue"]) for f in overdue["items"]] == [
        ("suspend", "draft", True)
    ]
    assert admin.get("/api/v1/filings?kind=suspend").json()["count"] == 1
    assert admin.get(f"/api/v1/filings?org_id={world.chen.pk}").json()["count"] == 1
    township = logged_in_client(world.chen_editor).get("/api/v1/filings?limit=100").json()
    assert township["count"] == 1 and township["items"][0]["org_name"] == "陈集镇"


def test_null_clears_a_text_field(world, form_data):
    unit = logged_in_client(world.tian_unit_admin)
    body = json_body(form_data) | {
        "kind": "open",
        "org_id": world.tian.pk,
        "event_date": "2026-03-02",
        "notes": "原说明",
    }
    filing = post(unit, "/api/v1/filings", body).json()
    cleared = unit.patch(
        f"/api/v1/filings/{filing['id']}",
        data={"version": filing["version"], "notes": None},
        content_type="application/json",
    )
    assert cleared.status_code == 200 and cleared.json()["notes"] == ""
