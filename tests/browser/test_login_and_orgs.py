"""A real browser (Debian's Chromium through Playwright) logs in, changes the forced password,
passes the administrator's TOTP step and creates an organization."""

import os
import re

import pyotp
import pytest
from playwright.sync_api import expect

from govmedia.orgs.models import Organization
from govmedia.users import services
from tests.conftest import PASSWORD, TOTP_SECRET

from .conftest import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username, password):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_first_login_forces_password_change_then_creates_an_org(page, world):
    user, initial = services.user_create(
        actor=world.alice, username="liming", name="李明", org=world.tian, role="unit_admin"
    )
    log_in(page, "liming", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    log_in(page, "liming", initial)
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_text("首次登录")).to_be_visible()
    page.goto("/orgs/")  # any other page leads back to the password change
    expect(page).to_have_url(re.compile(r"/password/$"))
    page.get_by_label("原密码").fill(initial)
    page.get_by_label("新密码", exact=True).fill("Browser#Pass2026")
    page.get_by_label("再次输入新密码").fill("Browser#Pass2026")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_text("密码已修改")).to_be_visible()

    page.get_by_role("link", name="单位管理").click()
    expect(page.get_by_role("link", name="陈集镇")).to_have_count(0)
    page.get_by_role("link", name="新建单位").click()
    page.get_by_label("单位名称").fill("天中街道综合治理中心")
    page.get_by_label("单位类型").select_option(label="内设机构")
    page.get_by_label("上级单位").select_option(label="天中街道")
    page.get_by_label("统一社会信用代码").fill("91110000600037341X")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("校验位错误")).to_be_visible()
    page.get_by_label("统一社会信用代码").fill("91110000600037341L")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已新建单位“天中街道综合治理中心”")).to_be_visible()
    expect(page.get_by_role("heading", name="天中街道综合治理中心")).to_be_visible()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "org-created.png"), full_page=True)
    org = Organization.objects.get(name="天中街道综合治理中心")
    assert org.parent == world.tian and org.credit_code == "91110000600037341L"


def test_administrator_passes_totp_and_sees_the_whole_tree(page, world):
    log_in(page, "alice", PASSWORD)
    expect(page.get_by_role("heading", name="双因素认证")).to_be_visible()
    page.get_by_label("动态验证码").fill(pyotp.TOTP(TOTP_SECRET).now())
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    page.get_by_role("link", name="单位管理").click()
    expect(page.get_by_role("link", name="陈集镇", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="天中街道", exact=True)).to_be_visible()
    page.screenshot(path=os.path.join(SHOTS, "org-tree.png"), full_page=True)
