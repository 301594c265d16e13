"""A citizen checks an account on the public page and reports an impostor; the district office
verifies the case and asks the platform to close it, in a real browser."""

import os
import re

import pyotp
import pytest
from playwright.sync_api import expect

from govmedia.counterfeit.models import SuspectAccount
from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.counterfeit.conftest import MOBILE, register

from .conftest import SHOTS
from .test_login_and_orgs import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"counterfeit-{name}.png"), full_page=True)


def test_public_check_report_and_takedown(page, world):
    ensure_default_platforms(Platform)
    wechat = Platform.objects.get(code="wechat-mp")
    genuine = register(world.tian, wechat, "天中发布", "dt_tianzhong001")

    page.goto("/login/")
    page.get_by_role("link", name="公众查验政务新媒体真伪").click()
    page.get_by_label("账号名称或账号").fill("天中发布")
    page.get_by_role("button", name="查验").click()
    expect(page.get_by_role("row", name=re.compile("天中发布"))).to_contain_text(genuine.filing_no)
    expect(page.locator("body")).not_to_contain_text(MOBILE)
    shot(page, "verify-found")

    page.get_by_label("账号名称或账号").fill("田中发布")
    page.get_by_role("button", name="查验").click()
    expect(page.get_by_role("heading", name="未在本平台备案")).to_be_visible()
    shot(page, "verify-not-found")
    page.get_by_role("link", name="举报此账号").click()
    expect(page.get_by_label("账号名称")).to_have_value("田中发布")
    page.get_by_label("平台", exact=True).select_option(label="抖音")
    page.get_by_label("账号（ID）").fill("tz_fake_01")
    page.get_by_label("情况说明").fill("冒充天中街道发布招聘通知")
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = re.search(r"(\d) 加 (\d)", question).groups()
    page.get_by_label(question).fill(str(int(a) + int(b)))
    shot(page, "public-report")
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_role("heading", name="举报已收到")).to_be_visible()
    suspect = SuspectAccount.objects.get()
    assert suspect.matched_account == genuine

    log_in(page, "alice", PASSWORD)
    page.get_by_label("动态验证码").fill(pyotp.TOTP(TOTP_SECRET).now())
    page.get_by_role("button", name="验证").click()
    page.get_by_role("link", name="假冒账号").click()
    expect(page.get_by_role("heading", name="假冒账号")).to_be_visible()
    shot(page, "list")
    page.get_by_role("link", name="田中发布").click()
    expect(page.get_by_role("table", name="对照")).to_contain_text(genuine.filing_no)
    page.get_by_label("核实意见").fill("已在抖音查看，冒用天中发布名称发布招聘信息")
    page.get_by_role("button", name="确认核实").click()
    expect(page.get_by_role("status")).to_contain_text("已核实")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="生成关停函并要求平台关停").click()
    expect(page.get_by_role("link", name="下载关停函（Word）")).to_be_visible()
    shot(page, "detail")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载关停函（Word）").click()
    assert download.value.suggested_filename.endswith(".docx")
