"""A real browser pastes a text into the check page and sees the findings marked inline and
listed by category; pasted HTML with a script is shown as source and never runs."""

import os
import re

import pytest
from playwright.sync_api import expect

from govmedia.screening.seeding import seed_lexicon
from tests.conftest import PASSWORD

from .conftest import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = (
    "【天中街道】近日，山东省省委书记一行到我街道调研乡村振兴工作。\n"
    "据网传，某小区将拆迁，经核实系谣言，请勿轻信。\n"
    "附件文件首页标注“机密★5年”，不得上网发布。\n"
    "联系人：王某，手机13812345678；办公电话：0530-2212021。\n"
    "本店产品全国第一，价格仅99元！工作要按步就班推进。\n"
    "有媒体称台湾总统将出席活动，规范表述应为台湾地区领导人。"
)


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_an_editor_checks_a_pasted_text(page, world):
    seed_lexicon()
    log_in(page, "tian_editor")
    page.get_by_role("link", name="内容审查").click()
    expect(page.get_by_role("heading", name="内容审查")).to_be_visible()
    page.get_by_role("button", name="开始审查").click()
    expect(page.get_by_text("请输入或上传文本").first).to_be_visible()

    page.get_by_label("待审查文本").fill(ARTICLE)
    page.get_by_role("button", name="开始审查").click()
    expect(page.get_by_role("heading", name="审查结果")).to_be_visible()
    marks = page.locator(".textview mark.finding")
    expect(marks.filter(has_text="机密★5年")).to_have_class("finding sev-block")
    expect(marks.filter(has_text="山东省省委")).to_have_attribute(
        "title", "规范表述·提醒核实：省省委（应为省委），建议改为“山东省委”"
    )
    expect(marks.filter(has_text="0530-2212021")).to_have_count(0)
    findings = page.get_by_role("region", name="问题列表")
    for heading in ("规范表述", "涉密标识", "个人信息", "广告与极限词", "非官方来源", "常见差错"):
        expect(findings.get_by_role("heading", name=heading)).to_be_visible()
    expect(findings.get_by_text("台湾地区领导人").first).to_be_visible()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "screening-check.png"), full_page=True)

    # A finding's number in the list jumps to its mark in the text.
    findings.get_by_role("link", name="#1", exact=True).click()
    expect(page).to_have_url(re.compile(r"#f-1$"))


def test_pasted_html_with_a_script_is_shown_and_never_run(page, world):
    seed_lexicon()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, "tian_editor")
    page.goto("/screening/")
    html = '<p>台湾总统</p><script>alert("xss")</script><img src=x onerror="alert(2)">'
    page.get_by_label("待审查文本").fill(html)
    page.get_by_label("按 HTML 解析").check()
    page.get_by_role("button", name="开始审查").click()
    expect(page.locator(".textview")).to_contain_text('<script>alert("xss")</script>')
    expect(page.locator(".textview mark")).to_have_text("台湾总统")
    expect(page.locator(".textview img")).to_have_count(0)
    page.screenshot(path=os.path.join(SHOTS, "screening-html.png"), full_page=True)
    assert dialogs == []


def test_a_unit_administrator_adds_a_term_and_sees_the_district_terms_read_only(page, world):
    seed_lexicon()
    log_in(page, "tian_unit_admin")
    page.goto("/screening/lexicon/")
    page.get_by_role("link", name="添加词条").click()
    page.get_by_label("词条").fill("清风行动")
    page.get_by_label("类别").select_option(label="敏感词")
    page.get_by_label("处理级别").select_option(label="提醒核实")
    page.get_by_label("依据").fill("天中街道宣传工作要求")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已添加词条“清风行动”，立即生效")).to_be_visible()
    page.goto("/screening/lexicon/?q=台湾")
    expect(page.get_by_role("cell", name="只读").first).to_be_visible()
    page.screenshot(path=os.path.join(SHOTS, "screening-lexicon.png"), full_page=True)
    page.goto("/screening/")
    page.get_by_label("待审查文本").fill("开展清风行动")
    page.get_by_role("button", name="开始审查").click()
    expect(page.locator(".textview mark")).to_have_text("清风行动")
