"""The district office, in a real browser, reads the compliance overview, drills down to a
内设机构's account, approves its special-need exception, and reads its notifications."""

import os

import pyotp
import pytest
from playwright.sync_api import expect

from govmedia.compliance.models import ComplianceFinding
from govmedia.compliance.services import compliance_refresh
from govmedia.notifications.services import notification_send
from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms
from tests.compliance.conftest import make_account
from tests.conftest import PASSWORD, TOTP_SECRET

from .conftest import SHOTS
from .test_login_and_orgs import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overview_drill_down_and_exception(page, world, settings):
    settings.Q_CLUSTER = settings.Q_CLUSTER | {"sync": True}
    ensure_default_platforms(Platform)
    wechat = Platform.objects.get(code="wechat-mp")
    make_account(world.tian, wechat, "天中发布")
    make_account(world.tian, wechat, "天中之声", verified=False)
    make_account(world.tian_office, wechat, "党政办发布")
    make_account(world.chen, Platform.objects.get(code="douyin"), "陈集抖音", filing_no=None)
    compliance_refresh()
    notification_send(
        recipient_org=world.district,
        kind="filing_overdue",
        link="/compliance/",
        message="天中街道的开设备案“天中之窗”已超过备案期限 2026-11-20，尚未提交",
    )

    log_in(page, "alice", PASSWORD)
    page.get_by_label("动态验证码").fill(pyotp.TOTP(TOTP_SECRET).now())
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_label("1 条未读")).to_be_visible()
    page.get_by_role("link", name="合规检查").click()
    expect(page.get_by_role("heading", name="合规检查")).to_be_visible()
    expect(page.get_by_role("row", name="天中街道").first).to_contain_text("3")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "compliance-overview.png"), full_page=True)

    page.get_by_role("row", name="天中街道党政办公室").get_by_role("link", name="1").first.click()
    expect(page.get_by_role("heading", name="问题清单")).to_be_visible()
    page.get_by_role("link", name="内设机构、下属单位单独开设").click()
    expect(page.get_by_text("依据：通知第二部分（一）")).to_be_visible()
    page.get_by_role("link", name="批准例外").click()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="批准例外").click()
    expect(page.get_by_text("请填写例外理由")).to_be_visible()
    page.get_by_label("例外理由").fill("承担街道党政信息发布，经区政府办公室同意保留")
    page.get_by_role("button", name="批准例外").click()
    expect(page.get_by_role("status")).to_contain_text(
        "已批准“党政办发布”的“内设机构、下属单位单独开设”例外"
    )
    expect(page.get_by_role("heading", name="内设机构、下属单位单独开设 已消除")).to_be_visible()
    page.screenshot(path=os.path.join(SHOTS, "compliance-exception.png"), full_page=True)
    assert not ComplianceFinding.objects.open().filter(rule="sub_unit_host").exists()

    page.get_by_role("link", name="通知").first.click()
    expect(page.get_by_role("heading", name="站内通知")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="天中之窗")).to_contain_text("未读")
    page.screenshot(path=os.path.join(SHOTS, "notifications.png"), full_page=True)
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_role("status")).to_contain_text("已将 1 条通知标为已读")
