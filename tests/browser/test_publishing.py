"""In a real browser, 分级审核、先审后发、授权发布 end to end: an editor writes an article with an
image, 初审 returns it, the editor edits it, 初审 and 终审 approve, and the authorised publisher
publishes it to the fake WeChat; the article's page then shows the publication and both
reviewers (谁审查、谁负责), the next pull matches the post to the approved revision (先审后发),
and the 审签单 PDF names both reviewers."""

import os
import re

import pytest
from playwright.sync_api import expect

from govmedia.monitoring.pulling import pull_round
from govmedia.publishing import tasks
from govmedia.publishing.models import Article, Publication
from tests.conftest import PASSWORD
from tests.publishing.conftest import fakes, newsroom, on_fakes  # noqa: F401 - the fixtures
from tests.publishing.documents.test_review_sheet import pdf_text
from tests.publishing.helpers import png_bytes

from .conftest import SHOTS, WAIT_MS
from .test_login_and_orgs import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(browser, live_server, user):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    log_in(page, user.username, PASSWORD)
    expect(page.get_by_role("link", name="稿件审核")).to_be_visible()
    return page


def decide(page, title, decision, reason=""):
    page.goto("/publishing/inbox/")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name="审核意见", exact=True)).to_be_visible()
    if decision == "通过":
        for check in ("政治关", "法律关", "保密关", "文字关"):
            page.get_by_role("checkbox", name=check).check()
        for ack in page.locator("input[name^=ack_]").all():
            ack.fill("已核实，表述准确")
        page.screenshot(path=os.path.join(SHOTS, "publishing-review.png"), full_page=True)
    page.get_by_role("radio", name=decision).check()
    if reason:
        page.get_by_label("意见说明").fill(reason)
    page.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_role("heading", name="审核待办")).to_be_visible()


def test_write_review_and_publish(browser, live_server, newsroom, on_fakes, tmp_path):  # noqa: F811
    n = newsroom
    n.tian_reviewer.name = "天中初审"  # a name as the 审签单's narrow column prints it
    n.tian_reviewer.save(update_fields=["name"])
    title = "天中街道冬季供暖热线开通"
    os.makedirs(SHOTS, exist_ok=True)
    editor = as_user(browser, live_server, n.tian_editor)

    # The editor writes a draft, then adds a picture (uploaded by the editor) as body and cover.
    editor.goto("/publishing/new/")
    editor.get_by_label("标题", exact=True).and_(editor.locator("input")).fill(title)
    editor.get_by_label("内容类别").select_option("daily")
    editor.get_by_role("checkbox", name=re.compile("天中发布")).check()
    editor.locator(".ql-editor").click()
    editor.keyboard.type("天中街道冬季供暖服务热线开通，服务时间为每日8:00至20:00。")
    editor.get_by_role("button", name="保存草稿").click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text(title)
    editor.get_by_role("link", name="修改").click()
    with editor.expect_file_chooser() as chooser:
        editor.locator("button.ql-image").click()
    chooser.value.set_files({"name": "map.png", "mimeType": "image/png", "buffer": png_bytes()})
    expect(editor.locator(".ql-editor img")).to_have_attribute("src", re.compile("^/media/"))
    editor.get_by_role("button", name="保存草稿").click()
    expect(editor.locator(".flash.success")).to_contain_text("新的修订")
    editor.get_by_role("link", name="修改").click()
    editor.get_by_label("封面图片").select_option(label="map.png")
    editor.get_by_role("button", name="保存草稿").click()
    expect(editor.locator("img.cover")).to_be_visible()
    editor.get_by_role("button", name="提交审核").click()
    expect(editor.locator(".flash.success")).to_contain_text("已提交审核")

    # 初审 returns it with a reason; the editor sees the reason and edits.
    first = as_user(browser, live_server, n.tian_reviewer)
    decide(first, title, "退回修改", reason="请补充咨询电话")
    editor.reload()
    expect(editor.locator("section.run").first).to_contain_text("请补充咨询电话")
    editor.get_by_role("link", name="修改").click()
    editor.locator(".ql-editor").click()
    editor.keyboard.press("Control+End")
    editor.keyboard.type("咨询电话：0530-2219000。")
    editor.get_by_role("button", name="保存草稿").click()
    editor.get_by_role("button", name="提交审核").click()
    expect(editor.locator(".flash.success")).to_contain_text("已提交审核")

    # 初审 and 终审 approve, ticking the four checks.
    decide(first, title, "通过")
    final = as_user(browser, live_server, n.tian_leader)
    decide(final, title, "通过")

    # The authorised publisher publishes to the fake WeChat.
    editor.reload()
    editor.get_by_role("button", name="发布到天中发布").click()
    expect(editor.locator(".flash.success")).to_contain_text("已提交发布")
    publication = Publication.objects.get(article__title=title)
    tasks.publish(publication.pk)  # the queued django-q task, then WeChat's poll
    tasks.poll_publication(publication.pk)
    editor.reload()
    row = editor.locator("table.publications tr", has_text="天中发布")
    expect(row).to_contain_text("已发布")
    expect(row.get_by_role("link", name="查看")).to_have_attribute("href", re.compile("^http://mp"))
    expect(editor.locator("section.run").first).to_contain_text(n.tian_leader.name)
    expect(editor.locator("section.run").first).to_contain_text(n.tian_reviewer.name)
    article = Article.objects.get(title=title)
    assert article.state == "published" and article.current_revision.cover_id

    # The next pull brings the post back from the platform; it matches the approved revision.
    pull_round(worker="browser")
    editor.reload()
    number = article.current_revision.number
    expect(row.locator(".post-check")).to_contain_text(f"与第{number}版一致")
    editor.screenshot(path=os.path.join(SHOTS, "publishing-article.png"), full_page=True)

    # The 审签单 PDF, fetched with the editor's session, names both reviewers.
    href = editor.get_by_role("link", name="审签单 PDF").get_attribute("href")
    answer = editor.context.request.get(href)
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    sheet = pdf_text(answer.body(), tmp_path)
    assert n.tian_reviewer.name in sheet and n.tian_leader.name in sheet
    assert title in sheet
    for p in (editor, first, final):
        p.context.close()
