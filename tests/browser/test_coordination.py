"""发布申请 in a real browser, end to end: 天中街道's editor asks the district's 政府网 account
(定陶发布) to publish an article 天中's own flow approved, at a proposed time; the district
office 受理 it, which makes a district article in the district's review flow; the district
reviewer decides; the outcome shows on 天中's request page — published with the link the
district office records, or returned with the reason (by the district's review, or by the
office itself), from where 重新申请 starts a new request filled in from the returned one.

The data (accounts, flows, the unit's approved article) is set up with services; only the
actions under test go through the pages."""

import os
import re
from datetime import datetime

import pyotp
import pytest
from playwright.sync_api import expect

from govmedia.coordination import services
from govmedia.coordination.models import PublishRequest, RequestState
from govmedia.publishing.models import ArticleState
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.coordination.conftest import _published_match_since, matrix, site  # noqa: F401
from tests.publishing.conftest import fakes, newsroom, on_fakes  # noqa: F401 - the fixtures
from tests.publishing.helpers import CHINA, NOW, fresh

from .conftest import SHOTS
from .test_login_and_orgs import log_in
from .test_publishing import as_user, decide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "天中街道老旧小区改造开工"  # the site fixture's approved article
PROPOSED = "2099-01-05T09:00"  # a time the form accepts whenever the test runs
LINK = "https://www.dingtao.gov.cn/art/2099/1/5/1.html"


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"coordination-{name}.png"), full_page=True)


def flash(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def district_office(page):
    """The page of 区政府办公室 (alice, a platform administrator: password and TOTP)."""
    log_in(page, "alice", PASSWORD)
    page.get_by_label("动态验证码").fill(pyotp.TOTP(TOTP_SECRET).now())
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("link", name="稿件审核")).to_be_visible()
    return page


def open_request(page, title=TITLE):
    page.goto("/coordination/requests/")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def state_of(page):
    return page.get_by_role("heading", level=1).locator(".tag").first


def test_request_accepted_reviewed_and_published_with_the_link(
    browser,
    live_server,
    page,
    site,  # noqa: F811 - the imported fixture
):
    m = site
    unit = as_user(browser, live_server, m.tian_editor)

    # 天中's editor asks for 定陶发布, at a proposed time, with a note.
    unit.goto("/coordination/requests/")
    unit.get_by_role("link", name="提交发布申请").click()
    unit.get_by_label("申请发布的稿件").select_option(label=f"天中街道：{TITLE}")
    unit.get_by_role("checkbox", name=re.compile("定陶发布")).check()
    unit.get_by_label("拟发布时间").fill(PROPOSED)
    unit.get_by_label("申请说明").fill("开工仪式当天上午请政府网账号发布")
    unit.get_by_role("button", name="提交发布申请").click()
    flash(unit, "已提交发布申请")
    expect(state_of(unit)).to_have_text("待受理")
    expect(unit.locator(".co-facts")).to_contain_text("2099-01-05 09:00")
    request = PublishRequest.objects.get()
    assert request.org == m.tian and request.revision == m.article.current_revision

    # The district office accepts it: a district article enters the district's review flow.
    office = district_office(page)
    open_request(office)
    office.get_by_role("button", name="受理（提交区级审核）").click()
    flash(office, "已受理")
    expect(state_of(office)).to_have_text("区级审核中")
    expect(office.get_by_role("table")).to_contain_text("终审")
    district_article = fresh(request).district_article
    assert district_article.org == m.district and district_article.state == ArticleState.IN_REVIEW

    # The district reviewer approves it from the inbox, as any article.
    reviewer = as_user(browser, live_server, m.district_reviewer)
    decide(reviewer, TITLE, "通过")
    assert fresh(district_article).state == ArticleState.APPROVED

    # 定陶发布 publishes it (a channel the pull does not reach here); the office records the link.
    office.reload()
    expect(state_of(office)).to_have_text("审核通过待发布")
    office.get_by_label("发布链接").fill(LINK)
    office.get_by_role("button", name="登记发布链接").click()
    flash(office, "已登记发布链接")

    # 天中 sees the outcome on its request page: published, with the link, and the timeline.
    unit.reload()
    expect(state_of(unit)).to_have_text("已发布")
    expect(unit.locator(".co-facts").get_by_role("link", name=LINK)).to_have_attribute("href", LINK)
    timeline = unit.locator("ol.timeline")
    for step in ("提交发布申请", "受理发布申请", "发布申请审核通过", "发布申请已发布"):
        expect(timeline).to_contain_text(step)
    shot(unit, "request-published")
    assert fresh(request).state == RequestState.PUBLISHED
    for p in (unit, reviewer):
        p.context.close()


def test_returned_with_the_reason_then_asked_again(browser, live_server, page, site):  # noqa: F811
    m = site
    # Set up: 天中's request, accepted into the district's review.
    first = services.publish_request_submit(
        actor=m.tian_editor,
        article_id=m.article.pk,
        account_ids=[m.district_wechat.pk],
        proposed_at=datetime(2099, 1, 5, 9, 0, tzinfo=CHINA),
        note="开工仪式当天上午请政府网账号发布",
        now=NOW,
    )
    services.publish_request_accept(
        actor=m.alice, request_id=first.pk, version=first.version, now=NOW
    )

    # The district reviewer returns it with a reason; 天中 sees the reason on its request page.
    reviewer = as_user(browser, live_server, m.district_reviewer)
    decide(reviewer, TITLE, "退回修改", reason="改造总投资数字请与区住建局核实后再报")
    unit = as_user(browser, live_server, m.tian_editor)
    unit.goto(f"/coordination/requests/{first.pk}/")
    expect(state_of(unit)).to_have_text("已退回")
    facts = unit.locator(".co-facts")
    expect(facts).to_contain_text("区级审核退回：改造总投资数字请与区住建局核实后再报")
    expect(unit.locator(".co-renew")).to_contain_text("不再办理")
    shot(unit, "request-returned")

    # 重新申请 fills the new request in from the returned one; 天中 submits it as it is.
    unit.get_by_role("link", name="重新申请").click()
    expect(unit.get_by_role("note")).to_contain_text("改造总投资数字请与区住建局核实后再报")
    expect(unit.get_by_label("申请发布的稿件")).to_have_value(str(m.article.pk))
    expect(unit.get_by_role("checkbox", name=re.compile("定陶发布"))).to_be_checked()
    expect(unit.get_by_label("拟发布时间")).to_have_value(PROPOSED)
    expect(unit.get_by_label("申请说明")).to_have_value("开工仪式当天上午请政府网账号发布")
    unit.get_by_role("button", name="提交发布申请").click()
    flash(unit, "已提交发布申请")
    expect(state_of(unit)).to_have_text("待受理")
    again = PublishRequest.objects.exclude(pk=first.pk).get()
    assert again.state == RequestState.SUBMITTED

    # The district office returns the new request itself, with its reason.
    office = district_office(page)
    office.goto(f"/coordination/requests/{again.pk}/")
    office.get_by_label("退回理由").fill("该信息宜由天中发布自行发布")
    office.get_by_role("button", name="退回").click()
    flash(office, "已退回发布申请")

    # 天中 sees that reason; the first request now leads to the second.
    unit.reload()
    expect(state_of(unit)).to_have_text("已退回")
    expect(facts).to_contain_text("该信息宜由天中发布自行发布")
    unit.goto(f"/coordination/requests/{first.pk}/")
    unit.locator(".co-renew").get_by_role("link", name=TITLE).click()
    expect(unit).to_have_url(re.compile(f"/coordination/requests/{again.pk}/$"))
    for p in (unit, reviewer):
        p.context.close()
