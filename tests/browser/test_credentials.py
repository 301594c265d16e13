"""A unit administrator, in a real browser, stores an account's AppSecret, which is then shown
only as "已保存", and reveals it once for a stated reason that the page's history keeps."""

import os

import pytest
from playwright.sync_api import expect

from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms
from tests.conftest import PASSWORD
from tests.credentials.conftest import APP_SECRET, make_account

from .conftest import SHOTS
from .test_login_and_orgs import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_store_then_reveal_once_with_a_reason(page, world):
    ensure_default_platforms(Platform)
    account = make_account(
        world.tian, Platform.objects.get(code="wechat-mp"), "天中发布", "tianzhongfabu"
    )
    log_in(page, "tian_unit_admin", PASSWORD)
    page.goto(f"/registry/accounts/{account.pk}/")
    page.get_by_role("link", name="账号密码保护", exact=True).last.click()
    expect(page.get_by_role("heading", name="天中发布 · 账号密码保护")).to_be_visible()

    page.get_by_role("link", name="填写").click()
    page.screenshot(path=os.path.join(SHOTS, "credentials-form.png"), full_page=True)
    page.get_by_label("AppID（应用编号）").fill("wx1234567890abcdef")
    page.get_by_label("AppSecret（应用密钥）").fill(APP_SECRET)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存“天中发布”的平台接口凭据")
    expect(page.get_by_role("row", name="AppSecret")).to_contain_text("已保存（加密）")
    assert APP_SECRET not in page.content()

    page.get_by_role("link", name="登记").click()
    page.get_by_label("管理员", exact=True).fill("赵管理")
    page.get_by_label("绑定手机号").fill("13905301234")
    page.get_by_label("最近修改密码日期").fill("2026-01-05")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("masked-phone")).to_have_text("139****1234")
    expect(page.get_by_text("请尽快修改密码并更新保管记录")).to_be_visible()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "credentials-detail.png"), full_page=True)

    page.get_by_role("row", name="AppSecret").get_by_role("link", name="查看").click()
    expect(page.get_by_label("AppSecret")).to_be_checked()
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text("请填写查看理由")).to_be_visible()
    page.screenshot(path=os.path.join(SHOTS, "credentials-reveal-form.png"), full_page=True)
    page.get_by_label("查看理由").fill("公众号后台更换服务器配置")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("revealed-value")).to_have_text(APP_SECRET)
    page.screenshot(path=os.path.join(SHOTS, "credentials-revealed.png"), full_page=True)

    page.get_by_role("link", name="返回账号密码保护").click()
    expect(page.get_by_role("row", name="公众号后台更换服务器配置")).to_contain_text(
        "tian_unit_admin"
    )
    assert APP_SECRET not in page.content()
