"""Issue 16's handling gaps: a reply whose text the screening blocks is held and the finding
shown; 办结 of a replied message on its page (and not before); the inbox's 已超期 view lists
exactly the overdue messages of the user's scope; the health page sorts accounts by risk and its
Excel export holds the same figures as interaction_figures."""

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import ServiceError
from govmedia.interaction import selectors, services
from govmedia.interaction.models import Message, MessageState, Reply
from govmedia.interaction.selectors import interaction_figures
from govmedia.screening.services import lexicon_term_create
from tests.conftest import logged_in_client
from tests.interaction.helpers import NOW, assign, draft, fresh, pulled
from tests.publishing.helpers import CHINA

BLOCKED = "内部资料"


def _block_term(world):
    return lexicon_term_create(
        actor=world.alice, term=BLOCKED, category="classified", severity="block", suggestion="删除"
    )


def _audited(action: str, obj) -> list:
    return list(AuditEvent.objects.filter(action=action, object_id=str(obj.pk)))


def _flashes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- (a) a reply the screening blocks ------------------------------------------------------


def test_a_reply_draft_with_a_blocked_term_is_held_and_the_finding_is_shown(desk):
    _block_term(desk)
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    client = logged_in_client(desk.tian_editor)
    page = client.post(
        f"/interaction/{message.pk}/reply/",
        {"text": f"您好，附：{BLOCKED}一份，供参考。"},
        follow=True,
    )
    assert page.status_code == 200
    [shown] = _flashes(page)
    assert f"“{BLOCKED}”" in shown and "禁止发布" in shown and "建议：删除" in shown
    assert shown in page.content.decode()
    assert not Reply.objects.filter(message=message).exists()
    assert fresh(message).state == MessageState.HANDLING
    answer = client.post(
        f"/api/v1/interaction/messages/{message.pk}/replies",
        {"text": f"附：{BLOCKED}一份"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == ("blocked", "text")
    assert f"“{BLOCKED}”" in answer.json()["message"]
    assert not Reply.objects.filter(message=message).exists()


def test_a_reply_cleared_of_the_blocked_term_is_saved_and_sent(desk):
    _block_term(desk)
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    with pytest.raises(ServiceError, match=BLOCKED):
        draft(desk, message, text=f"附：{BLOCKED}一份")
    reply = draft(desk, message, text="您好，供暖热线为0530-2218000。")
    sent = services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    assert sent.state == "sent" and fresh(message).state == MessageState.ANSWERED
    assert desk.fakes.weibo.request_count("/2/comments/reply.json") == 1


def test_a_draft_saved_before_a_block_term_was_added_is_not_sent(desk):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    reply = draft(desk, message, text=f"您好，附：{BLOCKED}一份。")
    _block_term(desk)
    with pytest.raises(ServiceError, match=BLOCKED):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    assert desk.fakes.weibo.request_count("/2/comments/reply.json") == 0
    reply.refresh_from_db()
    assert (reply.state, reply.sent_at) == ("draft", None)  # nothing claimed, nothing sent


# --- (b) 办结 ------------------------------------------------------------------------------


def test_a_replied_message_is_closed_by_the_unit_on_its_page(desk):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    reply = draft(desk, message)
    services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    message = fresh(message)
    assert message.state == MessageState.ANSWERED
    page = logged_in_client(desk.tian_editor).post(
        f"/interaction/{message.pk}/close/", {"version": message.version}, follow=True
    )
    assert _flashes(page) == ["已办结"]
    closed = fresh(message)
    assert closed.state == MessageState.CLOSED and closed.get_state_display() == "已办结"
    assert closed.closed_at is not None and closed.version == message.version + 1
    [event] = _audited("message.close", message)
    assert event.actor == desk.tian_editor and event.org == desk.tian
    assert (event.before["state"], event.after["state"]) == ("answered", "closed")


def test_a_message_not_yet_replied_cannot_be_closed(desk):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    draft(desk, message)  # a draft is not a reply
    page = logged_in_client(desk.tian_editor).post(
        f"/interaction/{message.pk}/close/", {"version": fresh(message).version}, follow=True
    )
    assert _flashes(page) == ["该留言当前为“办理中”，不能办结（可能已被他人处理，请刷新）"]
    assert fresh(message).state == MessageState.HANDLING and fresh(message).closed_at is None
    assert not _audited("message.close", message)
    assert "close" not in page.context["offered"]  # nor is the button offered


# --- (c) the inbox's 已超期 view -----------------------------------------------------------


def _entered(actor, org, text, received_at) -> Message:
    return services.message_create(
        actor=actor, source="private", org_id=org.pk, text=text, received_at=received_at
    )


@pytest.fixture
def overdue_world(world):
    """As of NOW (Tuesday 24 November 2026, 10:00): open messages of 天中 (one in its 党政办公室)
    past their limit and one within it, one past its limit but closed (无需答复), and 陈集's."""
    early = datetime(2026, 11, 2, 9, 0, tzinfo=CHINA)
    w = world
    w.tian_late = _entered(w.tian_editor, w.tian, "天中：路灯不亮（超期）", early)
    w.office_late = _entered(w.tian_editor, w.tian_office, "党政办：来信未复（超期）", early)
    w.tian_fresh = _entered(
        w.tian_editor, w.tian, "天中：井盖松动（未到期）", NOW - timedelta(hours=1)
    )
    closed = _entered(w.tian_editor, w.tian, "天中：广告（已办结）", early)
    w.tian_closed = services.message_assign(
        actor=w.tian_unit_admin,
        message_id=closed.pk,
        version=closed.version,
        message_class="no_reply",
        no_reply_reason="广告",
    )
    w.chen_late = _entered(w.chen_editor, w.chen, "陈集：道路积水（超期）", early)
    return w


def test_the_overdue_view_lists_exactly_the_overdue_messages_of_the_users_scope(overdue_world):
    w = overdue_world
    assert w.tian_fresh.due_at > NOW > w.tian_late.due_at  # the premises
    assert w.tian_closed.due_at < NOW and w.tian_closed.state == MessageState.CLOSED

    def overdue(user):
        return set(selectors.inbox(user, {"view": "overdue"}, now=NOW).values_list("pk", flat=True))

    assert overdue(w.tian_unit_admin) == {w.tian_late.pk, w.office_late.pk}
    assert overdue(w.tian_editor) == {w.tian_late.pk, w.office_late.pk}
    assert overdue(w.chen_unit_admin) == {w.chen_late.pk}
    assert overdue(w.alice) == {w.tian_late.pk, w.office_late.pk, w.chen_late.pk}
    counts = selectors.inbox_counts(w.tian_unit_admin, now=NOW)
    assert counts["overdue"] == 2 and counts["open"] == 3


def test_the_overdue_tab_of_the_inbox_page_shows_only_the_users_overdue_messages(overdue_world):
    w = overdue_world
    page = logged_in_client(w.tian_unit_admin).get("/interaction/", {"view": "overdue"})
    assert page.status_code == 200
    listed = {m.pk for m in page.context["page"].object_list}
    # The page reads the clock (3 December 2026 or later): 天中's open messages are all past due
    # by then; the closed one and 陈集's are never listed.
    assert {w.tian_late.pk, w.office_late.pk} <= listed
    assert w.tian_closed.pk not in listed and w.chen_late.pk not in listed
    assert listed == {pk for pk in listed if Message.objects.get(pk=pk).is_open}
    html = page.content.decode()
    assert "陈集：道路积水" not in html and "天中：广告" not in html


# --- (d) the health page and its export ------------------------------------------------------

NOVEMBER = "2026-11"
START = datetime(2026, 11, 1, tzinfo=CHINA)
END = datetime(2026, 12, 1, tzinfo=CHINA)


@pytest.fixture
def health_world(newsroom):
    """In November 2026: 天中微博 got three private messages and answered one (elsewhere);
    天中抖音 got one and answered none (单项否决 risk); 天中发布 got none; 陈集发布 (another
    township's) got one."""
    n = newsroom

    def received(account, text, day, *, actor=None):
        return services.message_create(
            actor=actor or n.tian_editor,
            source="private",
            account_id=account.pk,
            text=text,
            received_at=datetime(2026, 11, day, 9, 30, tzinfo=CHINA),
        )

    answered = assign(n, received(n.weibo, "请问供暖热线是多少？", 2), "consult")
    reply = draft(n, answered)
    services.reply_record_elsewhere(
        actor=n.tian_editor, reply_id=reply.pk, version=reply.version, how="私信答复"
    )
    received(n.weibo, "暖气不热找谁？", 3)
    received(n.weibo, "路灯坏了请维修", 4)
    received(n.douyin, "小区门口积水严重", 20)
    received(n.chen_wechat, "陈集道路积水", 20, actor=n.chen_editor)
    return n


def test_the_health_page_lists_accounts_by_risk_no_answer_first(health_world):
    n = health_world
    page = logged_in_client(n.tian_unit_admin).get("/interaction/health/", {"month": NOVEMBER})
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r.account for r in rows] == [n.douyin, n.weibo, n.wechat]
    douyin, weibo, wechat = (r.figures for r in rows)
    assert (douyin.received, douyin.answered, douyin.working_interaction) == (1, 0, False)
    assert (weibo.received, weibo.answered, weibo.working_interaction) == (3, 1, True)
    assert wechat.received == 0
    table = page.content.decode().split('id="health"', 1)[1].split("</table>", 1)[0]
    positions = [table.index(name) for name in ("天中抖音", "天中微博", "天中发布")]
    assert positions == sorted(positions) and "陈集发布" not in table
    assert table.count("无有效互动") == 1 and page.context["at_risk"] == 1


def test_the_health_export_holds_the_figures_of_the_page(health_world):
    n = health_world
    client = logged_in_client(n.tian_unit_admin)
    answer = client.get("/interaction/health/export.xlsx", {"month": NOVEMBER})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    header, *lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    column = {name: i for i, name in enumerate(header)}
    name, received, answered, median = (
        column["政务新媒体"],
        column["收到留言"],
        column["已答复"],
        column["答复用时中位数（工作小时）"],
    )
    accounts = {a.name: a for a in (n.douyin, n.weibo, n.wechat)}
    assert [line[name] for line in lines] == ["天中抖音", "天中微博", "天中发布"]  # by risk
    truth = interaction_figures(account_ids=[a.pk for a in accounts.values()], start=START, end=END)
    for line in lines:
        figures = truth[accounts[line[name]].pk]
        assert int(line[received]) == figures.received, line
        assert int(line[answered]) == figures.answered, line
        if figures.median_hours is None:
            assert line[median] in (None, ""), line
        else:
            assert float(line[median]) == pytest.approx(figures.median_hours, abs=1e-4), line
    weibo = next(line for line in lines if line[name] == "天中微博")
    assert weibo[median] not in (None, "")  # one answered: a median to compare
    assert (
        truth[n.weibo.pk].median_hours
        == fresh(Message.objects.get(account=n.weibo, answered_at__isnull=False)).response_hours
    )
