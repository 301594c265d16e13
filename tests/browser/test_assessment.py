"""The district office edits a rubric item by item and a checker attaches a screenshot to a score
sheet, in a real browser (the pages' forms, the confirm() of a deletion, the upload)."""

import os
import re
from io import BytesIO

import pyotp
import pytest
from PIL import Image
from playwright.sync_api import expect

from govmedia.assessment.models import Method, ScoreSheet, Screenshot
from govmedia.assessment.services import rubrics
from tests.assessment.conftest import accounts  # noqa: F401  (the fixture)
from tests.assessment.helpers import assigned_check
from tests.conftest import PASSWORD, TOTP_SECRET

from .conftest import SHOTS
from .test_login_and_orgs import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"assessment-{name}.png"), full_page=True)


def rows(page):
    return page.locator("table.table tbody tr")


def test_rubric_editor_and_screenshot_evidence(page, accounts, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    w = accounts
    rubric = rubrics.rubric_create(
        actor=w.alice,
        name="试用指标",
        year=2026,
        items=[
            {"part": "veto", "wording": "安全、泄密事故", "method": "manual"},
            {
                "part": "deduct",
                "wording": "内容更新不及时",
                "points": 5,
                "cap": 20,
                "method": "manual",
            },
            {"part": "bonus", "wording": "创新做法", "points": 2, "cap": 5, "method": "manual"},
        ],
    )
    log_in(page, "alice", PASSWORD)
    page.get_by_label("动态验证码").fill(pyotp.TOTP(TOTP_SECRET).now())
    page.get_by_role("button", name="验证").click()

    page.goto(f"/assessment/rubrics/{rubric.pk}/")
    page.get_by_role("link", name="新增指标项").click()
    page.get_by_label("部分").select_option(label="扣分")
    page.get_by_label("指标内容").fill("发布商业广告信息")
    page.get_by_label("每处分值").fill("3")
    page.get_by_label("单项上限").fill("0")
    page.get_by_label("评价方式").select_option(label="人工")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field .error")).to_contain_text("“单项上限”扣分、加分项应有大于0的上限")
    page.get_by_label("单项上限").fill("9")
    page.get_by_role("button", name="保存").click()
    expect(rows(page).nth(3)).to_contain_text("发布商业广告信息")
    shot(page, "rubric-added")

    page.get_by_role("button", name="上移第4项").click()
    expect(rows(page).nth(2)).to_contain_text("发布商业广告信息")
    page.on("dialog", lambda dialog: dialog.accept())  # the deletion's confirm()
    page.get_by_role("button", name="删除第1项").click()
    expect(rows(page)).to_have_count(3)
    expect(rows(page).nth(0)).to_contain_text("内容更新不及时")
    assert list(rubric.indicators.order_by("position").values_list("wording", flat=True)) == [
        "内容更新不及时",
        "发布商业广告信息",
        "创新做法",
    ]

    check = assigned_check(w, rubrics.rubric_default_ensure(year=2026))
    sheet = ScoreSheet.objects.get(check_run=check, account=w.tian_wechat)
    page.goto(f"/assessment/sheets/{sheet.pk}/")
    manual = (
        sheet.items.filter(indicator__method=Method.MANUAL).order_by("indicator__position").first()
    )
    number = list(sheet.items.order_by("indicator__position")).index(manual) + 1
    buffer = BytesIO()
    Image.new("RGB", (80, 50), (30, 120, 200)).save(buffer, format="PNG")
    page.get_by_label(f"佐证截图（第{number}项）").set_input_files(
        {"name": "截图.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
    )
    form = page.locator("form", has=page.get_by_label(f"佐证截图（第{number}项）"))
    form.get_by_label("截图说明").fill("首页广告")
    form.get_by_role("button", name="上传截图").click()
    expect(page.get_by_role("status")).to_contain_text("截图已上传")
    image = page.get_by_role("img", name=re.compile("首页广告"))
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 80
    shot(page, "sheet-screenshot")
    assert Screenshot.objects.get().item == manual
