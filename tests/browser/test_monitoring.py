"""In a real browser: a unit reads its 更新监测 page after a pull from the fake platforms, corrects
the post in which a classified marker was found, and the district office confirms it."""

import os
from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govmedia.monitoring.models import Rectification
from govmedia.monitoring.pulling import pull_round
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.monitoring.conftest import fakes, monitored  # noqa: F401 - the fixture, shared

from .conftest import SHOTS
from .test_login_and_orgs import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ago(days):
    return timezone.now() - timedelta(days=days)


def test_dormant_report_and_rectification(page, world, fakes):  # noqa: F811
    monitored(
        world,
        fakes,
        world.tian,
        "weibo",
        "tz_news",
        name="天中发布",
        posts=[
            {"published_at": ago(1), "title": "防汛通知", "text": "防汛工作安排（机密★5年）"},
            {"published_at": ago(4), "title": "便民服务", "text": "社保卡办理指南"},
        ],
    )
    monitored(
        world,
        fakes,
        world.tian,
        "douyin",
        "tz_video",
        name="天中视频",
        posts=[{"published_at": ago(20), "title": "旧视频", "text": "街道风貌"}],
    )
    monitored(
        world,
        fakes,
        world.tian,
        "kuaishou",
        "tz_ks",
        name="天中快手",
        posts=[{"published_at": ago(120), "title": "很久以前", "text": "活动回顾"}],
    )
    pull_round(worker="browser-test")
    os.makedirs(SHOTS, exist_ok=True)

    log_in(page, "tian_editor", PASSWORD)
    page.get_by_role("link", name="更新监测").click()
    expect(page.get_by_role("heading", name="更新监测")).to_be_visible()
    expect(page.get_by_text("国办秘函〔2019〕19号").first).to_be_visible()
    rows = page.locator("table.table tbody tr")
    expect(rows.nth(0)).to_contain_text("清理候选")
    expect(rows.nth(0)).to_contain_text("天中快手")
    expect(rows.nth(1)).to_contain_text("单项否决风险")
    expect(rows.nth(2)).to_contain_text("正常")
    page.screenshot(path=os.path.join(SHOTS, "monitoring-dormant.png"), full_page=True)
    page.get_by_role("link", name="天中发布").click()
    expect(page.get_by_role("heading", name="天中发布")).to_contain_text("正常")
    expect(page.get_by_text("发布 2 条")).to_be_visible()
    page.screenshot(path=os.path.join(SHOTS, "monitoring-account.png"), full_page=True)

    page.get_by_role("link", name="内容整改").click()
    expect(page.get_by_role("heading", name="整改事项")).to_be_visible()
    item = Rectification.objects.get()
    page.get_by_role("link", name=f"#{item.pk}").click()
    expect(page.get_by_text("机密★5年").first).to_be_visible()
    page.get_by_role("button", name="提交整改").click()
    expect(page.get_by_text("请填写整改说明").first).to_be_visible()
    page.get_by_label("整改说明").fill("已删除该条微博，并对编辑人员进行保密教育")
    page.get_by_role("button", name="提交整改").click()
    expect(page.get_by_role("status")).to_contain_text("已提交整改")
    page.screenshot(
        path=os.path.join(SHOTS, "monitoring-rectification-resolved.png"), full_page=True
    )
    page.get_by_role("button", name="退出").click()

    log_in(page, "alice", PASSWORD)
    page.get_by_label("动态验证码").fill(pyotp.TOTP(TOTP_SECRET).now())
    page.get_by_role("button", name="验证").click()
    page.goto(f"/monitoring/rectifications/{item.pk}/")
    expect(page.get_by_text("已删除该条微博").first).to_be_visible()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认整改").click()
    expect(page.get_by_role("status")).to_contain_text("已确认整改")
    expect(page.get_by_role("heading", name=f"整改 #{item.pk}")).to_contain_text("已确认")
    page.screenshot(
        path=os.path.join(SHOTS, "monitoring-rectification-confirmed.png"), full_page=True
    )
