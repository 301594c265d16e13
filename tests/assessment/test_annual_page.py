"""年度考核 pages: the district office sets the year's weighting (validated, audited), sees each
unit's result combined by it, and exports it to Excel; a unit cannot set it."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from govmedia.assessment.models import AnnualWeights
from govmedia.assessment.services import rubrics
from govmedia.audit.models import AuditEvent
from tests.conftest import logged_in_client

from .helpers import assigned_check, fill_manual, finish

pytestmark = pytest.mark.django_db

WEIGHTS = {
    "checks": "70",
    "bulletins": "10",
    "rectification": "10",
    "reposts": "10",
    "bulletin_penalty": "25",
}


def test_weights_set_on_the_page_weigh_each_units_year_and_its_export(accounts):
    w = accounts
    rubric = rubrics.rubric_default_ensure(year=2026)
    check = assigned_check(w, rubric)
    # 天中's WeChat account fails a veto item, its Weibo account passes: 50 % passed.
    fill_manual(
        w, check, hits={("tz_wx", "安全、泄密事故等严重问题（含发布严重错误表述、有害信息）")}
    )
    finish(w, check)
    client = logged_in_client(w.alice)
    page = client.get("/assessment/annual/weights/?year=2026").content.decode()
    assert "之和须为100" in page and "尚未设定" in page

    bad = client.post(
        "/assessment/annual/weights/?year=2026", {**WEIGHTS, "checks": "60", "version": 1}
    ).content.decode()
    assert "四项权重之和应为100（现为90" in bad
    negative = client.post(
        "/assessment/annual/weights/?year=2026",
        {**WEIGHTS, "checks": "-10", "bulletins": "90", "version": 1},
    ).content.decode()
    assert "检查合格率权重" in negative
    assert not AnnualWeights.objects.exists()

    response = client.post("/assessment/annual/weights/?year=2026", {**WEIGHTS, "version": 1})
    assert response.status_code == 302 and response.url == "/assessment/annual/?year=2026"
    assert AuditEvent.objects.filter(action="assessment.weights_set").count() == 1

    page = client.get("/assessment/annual/?year=2026").content.decode()
    assert "检查合格率 70.00%" in page and "设置权重" in page
    # 天中: checks 50.0 and bulletins 100 (the check has no bulletin yet), rectification 0 of 1,
    # no repost tasks: (70×50 + 10×100 + 10×0) / 90 = 50.0.
    workbook = load_workbook(
        BytesIO(client.get("/assessment/annual/export.xlsx?year=2026").content)
    )
    rows = {row[0]: row for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    tian = rows[w.tian.name]
    assert (tian[1], tian[2]) == (2, 1)
    assert tian[-1] == 50.0
    assert rows[w.chen.name][-1] == 100.0


def test_a_unit_cannot_set_the_weights(accounts):
    w = accounts
    client = logged_in_client(w.tian_unit_admin)
    assert client.get("/assessment/annual/weights/?year=2026").status_code == 404
    client.post("/assessment/annual/weights/?year=2026", {**WEIGHTS, "version": 1})
    assert not AnnualWeights.objects.exists()
    assert "设置权重" not in client.get("/assessment/annual/?year=2026").content.decode()
