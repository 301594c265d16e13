"""A filing's whole life in a real browser, from 开设 to 注销.

天中街道党政办公室 is supervised by 天中街道, so each filing passes the unit (草稿, 提交), the
supervising unit (主管单位审核) and the district office (备案 or 退回). The printed form is
downloaded through the page and read back with poppler.
"""

import os
import re
import subprocess

import pytest
from django.conf import settings
from playwright.sync_api import expect

from govmedia.registry.models import AccountStatus, MediaAccount, Platform
from govmedia.registry.platforms import ensure_default_platforms
from tests.conftest import logged_in_client

from .conftest import SHOTS, WAIT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENT_DAY = "2026-11-20"


@pytest.fixture
def pages(browser, live_server, world):
    """One browser context per person, each already past the login gate."""
    ensure_default_platforms(Platform)  # transactional tests flush the migration's rows
    world.tian_office.supervisor = world.tian
    world.tian_office.save()
    contexts = []

    def open_as(user):
        cookie = logged_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
        context = browser.new_context(
            locale="zh-CN", base_url=live_server.url, viewport={"width": 1360, "height": 900}
        )
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.on("dialog", lambda dialog: dialog.accept())  # the confirm() of each transition
        return page

    yield {
        "unit": open_as(world.tian_unit_admin),
        "supervisor": open_as(world.tian_supervisor_reviewer),
        "office": open_as(world.alice),
    }
    for context in contexts:
        context.close()


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def flash(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def fill_team(page, mobile_of_principal="13805300001"):
    for role, name, office, mobile in (
        ("主要负责人", "李主任", "0530-2210001", mobile_of_principal),
        ("分管负责人", "王副主任", "0530-2210002", "13805300002"),
        ("具体负责人", "赵科员", "0530-2210003", "13805300003"),
    ):
        label = "单位主要负责人" if role == "主要负责人" else role
        page.get_by_label(label, exact=True).fill(name)
        page.get_by_label(f"{role}办公电话").fill(office)
        page.get_by_label(f"{role}手机号").fill(mobile)


def open_todo(page, name, screenshot=None):
    """From the navigation to 我的待办, then into the filing of `name`."""
    page.goto("/")
    page.get_by_role("link", name="备案管理").click()
    page.get_by_role("link", name=re.compile("我的待办")).click()
    row = page.locator("tr.todo-row", has_text=name)
    expect(row).to_have_count(1)
    if screenshot:
        shot(page, screenshot)
    row.get_by_role("link").first.click()


def co_sign_and_file(pages, name, *, scan=None):
    """主管单位审核 by 天中街道, then 准予备案 by the district office: with the signed scan
    uploaded in the approval form, or without it and a stated reason."""
    supervisor, office = pages["supervisor"], pages["office"]
    open_todo(supervisor, name)
    expect(supervisor.locator(".next-step")).to_contain_text("待 天中街道 主管单位审核")
    expect(supervisor.locator(".next-step")).to_contain_text("待您办理")
    supervisor.get_by_role("button", name="主管单位审核通过").click()
    flash(supervisor, "已审核通过")
    open_todo(office, name)
    expect(office.locator(".next-step")).to_contain_text("待 区政府办公室 备案")
    approval = office.get_by_role("form", name="准予备案")
    if scan is not None:
        approval.get_by_label("签章扫描件").set_input_files(str(scan))
    else:
        approval.get_by_role("button", name="准予备案").click()
        flash(office, "尚未上传经签字盖章的备案表扫描件")  # refused without a reason
        approval = office.get_by_role("form", name="准予备案")
        approval.get_by_label("未上传扫描件的理由").fill("纸质备案表已报送，扫描件后补")
    approval.get_by_role("button", name="准予备案").click()
    flash(office, "已准予备案")
    if scan is None:
        expect(office.locator(".timeline")).to_contain_text("纸质备案表已报送，扫描件后补")


def test_filing_lifecycle_from_open_to_cancel(pages, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the signed scan uploaded at 准予备案
    unit, office = pages["unit"], pages["office"]

    # 开设: a partial draft first, then the whole form; a wrong mobile is refused on submit.
    unit.goto("/")
    unit.get_by_role("link", name="备案管理").click()
    unit.get_by_role("link", name="办理备案").click()
    unit.get_by_role("link", name="填写开设备案表").click()
    unit.get_by_label("主办单位（备案单位）").select_option(str(world.tian_office.pk))
    unit.get_by_label("开设日期").fill(EVENT_DAY)
    expect(unit.locator("#deadline-line")).to_contain_text("2026年12月1日")
    unit.get_by_label("政务新媒体名称").fill("天中党政发布")
    unit.get_by_label("运行平台").select_option(label="微信公众号")
    unit.get_by_role("button", name="保存草稿").click()
    flash(unit, "草稿已保存")
    expect(unit.get_by_role("heading", name=re.compile("开设备案：天中党政发布"))).to_be_visible()

    unit.get_by_role("link", name="编辑备案表").click()
    unit.get_by_label("账号", exact=True).fill("tzdzfb")
    unit.get_by_label("注册单位").fill("菏泽市定陶区天中街道办事处")
    unit.get_by_label("注册时间").fill("2026-11-18")
    unit.get_by_label("已认证").check()
    unit.get_by_label("功能定位").fill("发布街道党政信息")
    unit.get_by_label("联系人", exact=True).fill("张三")
    unit.get_by_label("联系电话").fill("0530-2212021")
    fill_team(unit, mobile_of_principal="1380530")
    shot(unit, "filing-form.png")
    unit.get_by_role("button", name="保存并提交").click()
    expect(unit.get_by_text("主要负责人手机号：手机号应为 11 位数字")).to_be_visible()
    expect(unit.get_by_label("注册单位")).to_have_value("菏泽市定陶区天中街道办事处")
    shot(unit, "filing-form-errors.png")
    unit.get_by_label("主要负责人手机号").fill("13805300001")
    unit.get_by_role("button", name="保存并提交").click()
    flash(unit, "已提交")

    # The supervising unit co-signs; the district office returns it with a reason.
    supervisor = pages["supervisor"]
    open_todo(supervisor, "天中党政发布")
    supervisor.get_by_role("button", name="主管单位审核通过").click()
    flash(supervisor, "已审核通过")
    open_todo(office, "天中党政发布", screenshot="filing-list.png")
    shot(office, "filing-awaiting-office.png")
    office.get_by_label("退回理由").fill("功能定位过于笼统，请写明服务对象")
    office.get_by_role("button", name="退回").click()
    flash(office, "已退回")

    # The unit sees the reason, corrects the form and submits again.
    unit.reload()
    expect(unit.locator(".panel.returned")).to_contain_text("功能定位过于笼统")
    unit.get_by_role("link", name="编辑备案表").click()
    unit.get_by_label("功能定位").fill("面向辖区群众发布街道党政信息、办事指南和便民服务")
    unit.get_by_role("button", name="保存并提交").click()
    flash(unit, "已提交")
    scan = tmp_path / "签章备案表.pdf"
    scan.write_bytes(b"%PDF-1.4\n% signed and stamped\n")
    co_sign_and_file(pages, "天中党政发布", scan=scan)
    expect(office.locator(".summary")).to_contain_text("定陶新媒备〔2026〕第001号")
    expect(office.get_by_role("link", name="下载签章扫描件")).to_be_visible()
    expect(office.locator(".timeline")).to_contain_text("退回理由：功能定位过于笼统")
    shot(office, "filing-detail.png")

    # The printed form, downloaded through the page: three copies, title and account name.
    with office.expect_download() as download_info:
        office.get_by_role("link", name=re.compile("下载备案表 PDF")).click()
    pdf = tmp_path / "form.pdf"
    download_info.value.save_as(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 1000
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "菏泽市定陶区政务新媒体备案表" in text.replace(" ", "") and "天中党政发布" in text

    # 变更: the account is renamed; the page shows the change field by field.
    unit.get_by_role("link", name="政务新媒体", exact=True).click()
    unit.get_by_role("link", name="天中党政发布").click()
    shot(unit, "account-detail.png")
    unit.get_by_role("link", name="变更备案").click()
    expect(unit.get_by_label("政务新媒体名称")).to_have_value("天中党政发布")
    unit.get_by_label("变更日期").fill(EVENT_DAY)
    unit.get_by_label("政务新媒体名称").fill("天中街道党政发布")
    unit.get_by_label("变更事项说明").fill("账号更名")
    unit.get_by_role("button", name="保存并提交").click()
    flash(unit, "已提交")
    expect(unit.locator("table.diff")).to_contain_text("天中街道党政发布")
    shot(unit, "filing-change-detail.png")
    co_sign_and_file(pages, "天中街道党政发布")

    # 注销: the account leaves service; its number stays with it.
    unit.get_by_role("link", name="政务新媒体", exact=True).click()
    unit.get_by_role("link", name="天中街道党政发布").click()
    unit.get_by_role("link", name="注销备案").click()
    unit.get_by_label("注销日期").fill(EVENT_DAY)
    unit.get_by_label("注销原因").fill("机构改革，账号不再使用")
    unit.get_by_role("button", name="保存并提交").click()
    flash(unit, "已提交")
    co_sign_and_file(pages, "天中街道党政发布")

    account = MediaAccount.objects.get()
    assert account.status == AccountStatus.CANCELLED and account.name == "天中街道党政发布"
    assert account.filing_no == "定陶新媒备〔2026〕第001号"
    assert account.filings.count() == 3
    unit.get_by_role("link", name="政务新媒体", exact=True).click()
    unit.get_by_role("link", name="天中街道党政发布").click()
    expect(unit.locator("h1")).to_contain_text("已注销")
