"""Issue 14 item 10: on a 390 px phone (citizens come to /verify/ from WeChat) the public
verification page and its report form fit the screen, and internal pages fold the navigation
behind a 菜单 button and scroll wide tables inside their box, never the whole page."""

import os

import pytest
from playwright.sync_api import expect

from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms
from tests.conftest import PASSWORD
from tests.counterfeit.conftest import register

from .conftest import SHOTS
from .test_login_and_orgs import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def document_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def viewport_width(page) -> int:
    return page.evaluate("window.innerWidth")


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"phone-{name}.png"), full_page=True)


def test_verify_page_and_report_form_fit_a_390px_phone(phone, world):
    ensure_default_platforms(Platform)
    wechat = Platform.objects.get(code="wechat-mp")
    genuine = register(
        world.tian, wechat, "天中街道发布政务服务信息平台", "dt_tianzhong_long_handle_001"
    )

    phone.goto("/verify/")
    phone.get_by_label("账号名称或账号").fill("天中街道发布")
    phone.get_by_role("button", name="查验").click()
    expect(phone.get_by_role("status")).to_contain_text("找到 1 个")
    expect(phone.locator(".verify-results")).to_contain_text(genuine.filing_no)
    shot(phone, "verify")
    assert viewport_width(phone) == PHONE["width"]
    assert document_width(phone) == viewport_width(phone)

    phone.goto("/verify/?q=田中发布")
    phone.get_by_role("link", name="举报此账号").click()
    phone.get_by_role("button", name="提交举报").click()  # empty: every error at once
    expect(phone.get_by_role("alert").first).to_contain_text("处需要修改")
    shot(phone, "report")
    assert document_width(phone) == viewport_width(phone)


def test_internal_page_folds_navigation_and_scrolls_tables_in_their_box(phone, world):
    log_in(phone, "tian_unit_admin", PASSWORD)
    phone.goto("/users/")
    expect(phone.get_by_role("heading", name="用户")).to_be_visible()
    navigation = phone.get_by_role("complementary", name="导航")
    expect(navigation).to_be_hidden()
    menu = phone.get_by_role("button", name="菜单")
    menu.click()
    expect(navigation).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    shot(phone, "users")
    assert document_width(phone) == viewport_width(phone)
