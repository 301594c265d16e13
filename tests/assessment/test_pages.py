"""The 检查考核 pages, walked by the district office and by a unit."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from govmedia.assessment.models import Check, CheckState, ItemResult, Outcome, ScoreSheet
from govmedia.assessment.services import bulletins, rubrics
from govmedia.assessment.services.figures import figures_build
from tests.conftest import logged_in_client

from .conftest import CHECK_AT
from .helpers import assigned_check, fill_manual, finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric(db):
    return rubrics.rubric_default_ensure(year=2026)


def test_the_district_office_runs_a_check_through_the_pages(accounts, rubric):
    w = accounts
    client = logged_in_client(w.alice)
    response = client.post(
        "/assessment/new/",
        {
            "title": "十一月月度抽查",
            "kind": "monthly",
            "rubric": rubric.pk,
            "check_at": "2026-11-24T10:00",
            "period_start": "2026-11-01",
            "strata_by": "platform",
            "ratio": "0.5",
            "once": "k1",
        },
    )
    check = Check.objects.get(title="十一月月度抽查")
    assert response.status_code == 302
    # A double submit makes one check.
    client.post(
        "/assessment/new/",
        {
            "title": "十一月月度抽查",
            "kind": "monthly",
            "rubric": rubric.pk,
            "check_at": "2026-11-24T10:00",
            "period_start": "2026-11-01",
            "ratio": "0.5",
            "strata_by": "platform",
            "once": "k1",
        },
    )
    assert Check.objects.filter(title="十一月月度抽查").count() == 1
    client.post(
        f"/assessment/{check.pk}/step/", {"step": "draw", "version": check.version, "seed": "42"}
    )
    check.refresh_from_db()
    assert (check.state, check.seed) == (CheckState.SAMPLED, 42)
    page = client.get(f"/assessment/{check.pk}/").content.decode()
    assert "随机种子 <code>42</code>" in page
    client.post(
        f"/assessment/{check.pk}/step/",
        {"step": "assign", "version": check.version, "checkers": [w.alice.pk]},
    )
    check.refresh_from_db()
    assert check.state == CheckState.SCORING
    sheet = ScoreSheet.objects.filter(check_run=check).first()
    item = ItemResult.objects.filter(sheet=sheet, indicator__method="manual").first()
    response = client.post(
        f"/assessment/sheets/{sheet.pk}/act/",
        {
            "action": "item",
            "item": item.pk,
            "version": sheet.version,
            "outcome": "hit",
            "occurrences": "1",
            "evidence_label": "首页截图",
            "evidence_url": "https://example.com/a.png",
        },
    )
    item.refresh_from_db()
    assert item.outcome == Outcome.HIT and item.evidence[0]["url"] == "https://example.com/a.png"
    sheet_page = client.get(f"/assessment/sheets/{sheet.pk}/").content.decode()
    assert "首页截图" in sheet_page
    # A stale form is refused with a message, not a server error.
    response = client.post(
        f"/assessment/sheets/{sheet.pk}/act/", {"action": "submit", "version": "1"}, follow=True
    )
    assert "已被他人修改" in response.content.decode()


def test_units_see_published_checks_their_own_sheets_and_the_bulletin(accounts, rubric):
    w = accounts
    check = assigned_check(w, rubric)
    fill_manual(w, check)
    check = finish(w, check)
    unit = logged_in_client(w.tian_unit_admin)
    assert "还没有已通报的检查" in unit.get("/assessment/").content.decode()
    assert unit.get(f"/assessment/{check.pk}/").status_code == 404
    bulletins.bulletin_publish(
        actor=w.alice, check_id=check.pk, version=check.version, now=CHECK_AT + timedelta(days=2)
    )
    page = unit.get(f"/assessment/{check.pk}/").content.decode()
    assert "天中发布" in page and "陈集发布" not in page
    docx = unit.get(f"/assessment/{check.pk}/bulletin.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert unit.get(f"/assessment/{check.pk}/bulletin.pdf").content[:4] == b"%PDF"
    other = ScoreSheet.objects.get(check_run=check, account=w.chen_wechat)
    assert unit.get(f"/assessment/sheets/{other.pk}/").status_code == 404
    assert unit.get("/assessment/rubrics/").status_code == 404


def test_rubric_pages_export_and_import(world, rubric):
    client = logged_in_client(world.alice)
    assert "平台默认" in client.get("/assessment/rubrics/").content.decode()
    assert (
        "监测时间点前2周内无更新"
        in client.get(f"/assessment/rubrics/{rubric.pk}/").content.decode()
    )
    exported = client.get(f"/assessment/rubrics/{rubric.pk}/export.xlsx")
    sheet = load_workbook(BytesIO(exported.content)).active
    assert [c.value for c in sheet[1]] == rubrics.COLUMNS
    upload = BytesIO(exported.content)
    upload.name = "指标.xlsx"
    response = client.post(
        "/assessment/rubrics/import/",
        {"name": rubric.name, "year": 2026, "source_doc": "国办秘函〔2019〕19号", "file": upload},
    )
    assert response.status_code == 302  # the next version of the same name and year


def test_rankings_account_trend_and_annual_pages(accounts, rubric):
    from govmedia.monitoring.models import Post

    w = accounts
    for month in (10, 11):
        Post.objects.create(
            account=w.tian_wechat,
            platform_post_id=f"m{month}",
            title="t",
            published_at=datetime(2026, month, 5, 9, tzinfo=CHECK_AT.tzinfo),
            first_seen_at=CHECK_AT,
            last_seen_at=CHECK_AT,
            content_hash="x",
            metrics={"reads": 100 * month, "likes": 2},
        )
        figures_build(month=date(2026, month, 1))
    client = logged_in_client(w.tian_editor)
    page = client.get(
        f"/assessment/rankings/?month=2026-11&platform={w.tian_wechat.platform_id}"
    ).content.decode()
    assert "天中发布" in page and "陈集发布" not in page and "清博指数" in page
    account = client.get(f"/assessment/accounts/{w.tian_wechat.pk}/").content.decode()
    assert "<svg" in account and "2026-10" in account
    assert client.get(f"/assessment/accounts/{w.chen_wechat.pk}/").status_code == 404
    check = assigned_check(w, rubric)
    fill_manual(w, check)
    finish(w, check)
    admin = logged_in_client(w.alice)
    assert "天中街道" in admin.get("/assessment/annual/?year=2026").content.decode()
    exported = admin.get("/assessment/annual/export.xlsx?year=2026")
    rows = list(load_workbook(BytesIO(exported.content)).active.values)
    assert rows[0][0] == "单位" and {r[0] for r in rows[1:]} >= {"天中街道", "陈集镇"}
