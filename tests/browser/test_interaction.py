"""In a real browser, 留言互动 end to end: a comment pulled from the fake Weibo is classified and
assigned by the unit administrator, answered by the editor with the 答问库 entry the suggestions
panel puts first, the answer is reviewed (天中街道's flow for 答复) and sent to the fake Weibo, and
the health page shows the response time."""

import json
import os

import pytest
from playwright.sync_api import expect

from govmedia.interaction.models import Message
from govmedia.interaction.pulling import pull_due
from govmedia.qa.exchange import read_jsonl
from govmedia.qa.models import SuggestionRecord
from govmedia.qa.selectors import forget_index
from govmedia.qa.services import entries_import
from tests.interaction.conftest import desk, reply_flow  # noqa: F401 - the fixtures
from tests.publishing.conftest import fakes, newsroom, on_fakes  # noqa: F401

from .conftest import SHOTS
from .test_publishing import as_user, decide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "请问供暖热线几点有人接？"
ANSWER = "您好，供暖热线0530-2218000工作日8:30至18:00有人接听。（示例）"
LIBRARY_QUESTION = "供暖服务热线的接听时间是什么？"


def publish_library_entry(office):
    """The district office's library holds the answer (published by its import)."""
    line = {
        "question": LIBRARY_QUESTION,
        "variants": ["供暖热线几点有人接", "暖气热线什么时候能打通"],
        "answer": ANSWER,
        "basis": "《定陶区城市供热管理办法》（示例）",
        "owner_org": "",
        "valid_from": "2026-01-01",
        "valid_to": None,
    }
    rows, errors = read_jsonl(json.dumps(line, ensure_ascii=False))
    assert not errors
    forget_index()
    [entry] = entries_import(actor=office, rows=rows)
    return entry


def test_a_pulled_comment_is_classified_answered_reviewed_and_sent(
    browser,
    live_server,
    desk,  # noqa: F811 - the imported fixture
    reply_flow,  # noqa: F811
):
    os.makedirs(SHOTS, exist_ok=True)
    entry = publish_library_entry(desk.alice)
    desk.fakes.weibo.state.add_comment(desk.status.post_id, QUESTION, author_name="网友甲")
    [result] = [r for r in pull_due(force=True) if r.account_id == desk.weibo.pk]
    assert result.new == 1
    message = Message.objects.get(text=QUESTION)

    # The unit administrator confirms the suggested class and assigns the editor.
    admin = as_user(browser, live_server, desk.tian_unit_admin)
    admin.goto("/interaction/")
    admin.get_by_role("link", name=QUESTION).click()
    expect(admin.locator("#message-class")).to_contain_text("建议：咨询")
    admin.get_by_label("分类").select_option("consult")
    admin.get_by_label("经办人").select_option(label=f"{desk.tian_editor.name}（天中街道）")
    admin.get_by_role("button", name="确认分类并分办").click()
    expect(admin.locator(".flash.success")).to_contain_text("已分办")

    # The editor answers with the library entry the suggestions panel ranks first, and
    # submits it for review.
    editor = as_user(browser, live_server, desk.tian_editor)
    editor.goto("/interaction/?view=mine")
    editor.get_by_role("link", name=QUESTION).click()
    expect(editor.get_by_role("heading", name="建议答复")).to_be_visible()
    first = editor.locator("#suggestions li").first
    expect(first).to_contain_text(LIBRARY_QUESTION)
    first.get_by_role("button", name="采用为答复草稿").click()
    expect(editor.locator(".flash.success")).to_contain_text("已采用答问库的答复内容")
    expect(editor.get_by_label("修改答复")).to_have_value(ANSWER)
    choice = SuggestionRecord.objects.get()
    assert (choice.entry_id, choice.rank) == (entry.pk, 1)
    expect(editor.get_by_role("button", name="发送到微博")).to_have_count(0)  # review first
    editor.get_by_role("button", name="提交审核").click()
    expect(editor.locator(".flash.success")).to_contain_text("已提交审核")

    # The reviewer approves it in the review inbox.
    reviewer = as_user(browser, live_server, desk.tian_reviewer)
    decide(reviewer, f"答复：{QUESTION}", "通过")

    # The editor sends it to the fake Weibo: once.
    editor.reload()
    editor.get_by_role("button", name="发送到微博").click()
    expect(editor.locator(".flash.success")).to_contain_text("答复已发送")
    expect(editor.locator("#answered")).to_contain_text("工作小时")
    replies = [c for c in desk.fakes.weibo.state.comments_of(desk.weibo.handle) if c.by_account]
    assert [(r.text, r.reply_to) for r in replies] == [(ANSWER, message.platform_comment_id)]
    editor.screenshot(path=os.path.join(SHOTS, "interaction-message.png"), full_page=True)

    # The health page shows the account's response time.
    message.refresh_from_db()
    editor.goto("/interaction/health/")
    row = editor.locator("#health tr", has_text=desk.weibo.name)
    expect(row.locator(".median-hours")).to_contain_text(f"{message.response_hours} 小时")
    editor.screenshot(path=os.path.join(SHOTS, "interaction-health.png"), full_page=True)
