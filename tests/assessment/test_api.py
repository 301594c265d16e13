"""/api/v1/assessment: the same scope rules as the pages; an override through the API."""

import pytest

from govmedia.assessment import rules
from govmedia.assessment.models import ItemResult, ScoreSheet
from govmedia.assessment.services import bulletins, rubrics
from govmedia.audit.models import AuditEvent
from tests.conftest import api_token

from .helpers import assigned_check, fill_manual, finish

pytestmark = pytest.mark.django_db


def test_a_unit_sees_nothing_before_publication_and_its_own_sheets_after(accounts, client):
    w = accounts
    check = assigned_check(w, rubrics.rubric_default_ensure(year=2026))
    fill_manual(w, check)
    check = finish(w, check)
    token = api_token(w.tian_unit_admin)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/assessment/checks", **auth).json()["count"] == 0
    assert client.get(f"/api/v1/assessment/checks/{check.pk}", **auth).status_code == 404
    bulletins.bulletin_publish(actor=w.alice, check_id=check.pk, version=check.version)
    sheets = client.get(f"/api/v1/assessment/checks/{check.pk}/sheets", **auth).json()["items"]
    assert {s["org_name"] for s in sheets} == {"天中街道"}
    other = ScoreSheet.objects.get(check_run=check, account=w.chen_wechat)
    response = client.get(f"/api/v1/assessment/sheets/{other.pk}", **auth)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_override_through_the_api_needs_a_reason(accounts, client):
    w = accounts
    check = assigned_check(w, rubrics.rubric_default_ensure(year=2026))
    sheet = ScoreSheet.objects.get(check_run=check, account=w.tian_wechat)
    item = ItemResult.objects.get(sheet=sheet, indicator__rule=rules.NO_UPDATE)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(w.alice)}"}
    url = f"/api/v1/assessment/sheets/{sheet.pk}/items/{item.pk}"
    body = {"version": sheet.version, "outcome": "hit"}
    response = client.post(url, body, content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["field"] == "reason"
    body["reason"] = "现场核实：近两周内容均已删除"
    response = client.post(url, body, content_type="application/json", **auth)
    assert response.status_code == 200
    data = response.json()
    assert data["vetoed"] is True
    assert any(i["overridden"] and i["auto_outcome"] == "pass" for i in data["items"])
    assert AuditEvent.objects.filter(action="assessment.item_override").exists()
