"""Checks of published content: a classified marker in a post opens a 整改 item for the owning
unit (and for no one else to see); the unit corrects, the district office confirms or reopens."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.monitoring import rectify, services, tasks
from govmedia.monitoring.models import Post, PullState, Rectification
from govmedia.monitoring.pulling import pull_round
from govmedia.notifications.models import Notification
from govmedia.workdays.calendar import deadline
from tests.conftest import logged_in_client

from .conftest import fake_server, monitored

pytestmark = pytest.mark.django_db
SECRET = "关于防汛工作的通知（机密★5年），请各村做好准备。"


def post(text, *, title="工作动态", hours=2):
    return {"published_at": timezone.now() - timedelta(hours=hours), "title": title, "text": text}


@pytest.fixture
def item(world, fakes):
    monitored(
        world,
        fakes,
        world.tian,
        "weibo",
        "tz_news",
        name="天中发布",
        posts=[post(SECRET), post("今天天气晴好，欢迎游客来天中。", hours=5)],
    )
    pull_round(worker="w1")
    return Rectification.objects.get()


def test_a_classified_marker_opens_an_item_for_the_owning_unit(world, item):
    assert item.org == world.tian and item.account.handle == "tz_news"
    assert item.state == "open" and item.severity == "block"
    assert "机密★5年" in item.matched
    finding = next(f for f in item.findings if f["category"] == "classified")
    assert finding["where"] == "正文" and finding["basis"]
    # Counted from the day it was found (not from today: the test may run past midnight).
    assert item.due_on == deadline(timezone.localdate(item.created_at), 5).date
    assert item.post.text == SECRET
    note = Notification.objects.get(kind="rectification_open")
    assert note.recipient_org == world.tian and "机密★5年" in note.message
    assert AuditEvent.objects.filter(action="rectification.open", object_id=str(item.pk)).exists()
    # Every post was screened once, in its current content.
    assert not Post.objects.exclude(screened_version__isnull=False).exists()


def test_no_other_unit_sees_it(world, item):
    for user in (world.chen_unit_admin, world.chen_editor):
        client = logged_in_client(user)
        assert client.get(f"/monitoring/rectifications/{item.pk}/").status_code == 404
        assert "机密" not in client.get("/monitoring/rectifications/").content.decode()
        assert client.get(f"/monitoring/posts/{item.post_id}/").status_code == 404
        assert client.get("/api/v1/rectifications").json()["count"] == 0
        assert client.get(f"/api/v1/rectifications/{item.pk}").status_code == 404
        assert client.get("/api/v1/posts").json()["count"] == 0
    assert not Notification.objects.restrict(world.chen_unit_admin).exists()
    tian = logged_in_client(world.tian_editor)
    page = tian.get(f"/monitoring/rectifications/{item.pk}/").content.decode()
    assert "机密★5年" in page and "提交整改" in page
    assert tian.get("/api/v1/rectifications").json()["count"] == 1
    assert (
        "机密★5年"
        in logged_in_client(world.alice).get("/monitoring/rectifications/").content.decode()
    )


def test_pulling_again_or_an_edit_opens_no_second_item(world, fakes, item):
    weibo = fake_server(fakes, "weibo").state
    weibo.update_post(item.post.platform_post_id, text=SECRET + "（更正）")
    PullState.objects.update(next_due_at=timezone.now(), last_relist_at=None)
    pull_round(worker="w1")
    PullState.objects.update(next_due_at=timezone.now(), last_relist_at=None)
    pull_round(worker="w1")
    assert Rectification.objects.count() == 1
    assert Post.objects.get(pk=item.post_id).text.endswith("（更正）")


def test_a_deleted_post_keeps_its_item(world, fakes, item):
    fake_server(fakes, "weibo").state.delete_post(item.post.platform_post_id)
    PullState.objects.update(next_due_at=timezone.now(), last_relist_at=None)
    pull_round(worker="w1")
    item.refresh_from_db()
    assert item.post.deleted_at is not None and item.state == "open"
    page = logged_in_client(world.tian_editor).get(f"/monitoring/rectifications/{item.pk}/")
    assert "在平台上删除" in page.content.decode()


def test_resolve_then_confirm(world, item):
    item = services.rectification_resolve(
        actor=world.tian_editor,
        item_id=item.pk,
        version=item.version,
        note="已删除该条微博并重新发布",
        proof_url="https://weibo.com/tz_news/1",
    )
    assert item.state == "resolved" and item.resolved_by == world.tian_editor
    assert Notification.objects.filter(kind="rectification_resolved", recipient_org=world.district)
    with pytest.raises(Forbidden):  # a unit cannot confirm its own correction
        services.rectification_confirm(
            actor=world.tian_unit_admin, item_id=item.pk, version=item.version
        )
    item = services.rectification_confirm(actor=world.alice, item_id=item.pk, version=item.version)
    assert item.state == "confirmed" and item.confirmed_by == world.alice
    actions = AuditEvent.objects.filter(
        object_id=str(item.pk), object_type="monitoring.rectification"
    )
    assert set(actions.values_list("action", flat=True)) == {
        "rectification.open",
        "rectification.resolve",
        "rectification.confirm",
    }
    assert [s.action for s in item.steps.all()] == ["open", "resolve", "confirm"]


def test_reopen_gives_a_new_due_date_and_the_unit_resolves_again(world, item):
    item = services.rectification_resolve(
        actor=world.tian_unit_admin, item_id=item.pk, version=item.version, note="已处理"
    )
    with pytest.raises(ServiceError) as refused:
        services.rectification_reopen(
            actor=world.alice, item_id=item.pk, version=item.version, reason=" "
        )
    assert refused.value.field == "reopen_reason"
    item = services.rectification_reopen(
        actor=world.alice, item_id=item.pk, version=item.version, reason="原文仍可访问"
    )
    assert item.state == "reopened" and item.reopen_reason == "原文仍可访问"
    assert Notification.objects.filter(kind="rectification_reopened", recipient_org=world.tian)
    item = services.rectification_resolve(
        actor=world.tian_unit_admin, item_id=item.pk, version=item.version, note="已删除原文"
    )
    assert item.state == "resolved"


def test_refusals(world, item):
    stale = item.version
    services.rectification_resolve(
        actor=world.tian_editor, item_id=item.pk, version=stale, note="已处理"
    )
    with pytest.raises(Conflict):  # a double submit, or a page out of date
        services.rectification_resolve(
            actor=world.tian_editor, item_id=item.pk, version=stale, note="再次"
        )
    with pytest.raises(NotFound):  # another township's item does not exist for it
        services.rectification_resolve(
            actor=world.chen_unit_admin, item_id=item.pk, version=stale + 1, note="x"
        )
    with pytest.raises(Forbidden):
        services.rectification_confirm(actor=world.oversight, item_id=item.pk, version=stale + 1)
    with pytest.raises(ServiceError) as bad_link:
        services.rectification_set_screenshot(
            actor=world.alice,
            item_id=item.pk,
            version=stale + 1,
            screenshot_url="javascript:alert(1)",
        )
    assert bad_link.value.field == "screenshot_url"
    assert Rectification.objects.get(pk=item.pk).state == "resolved"


def test_pages_resolve_and_confirm(world, item):
    unit = logged_in_client(world.tian_editor)
    url = f"/monitoring/rectifications/{item.pk}/act/"
    response = unit.post(url, {"action": "resolve", "version": item.version, "note": ""})
    assert response.status_code == 400 and "请填写整改说明" in response.content.decode()
    response = unit.post(
        url,
        {"action": "resolve", "version": item.version, "note": "已删除", "proof_url": "ftp://x"},
    )
    assert response.status_code == 400 and "http://" in response.content.decode()
    assert "已删除" in response.content.decode()  # what was typed is kept
    response = unit.post(url, {"action": "resolve", "version": item.version, "note": "已删除"})
    assert response.status_code == 302
    again = unit.post(url, {"action": "resolve", "version": item.version, "note": "已删除"})
    # A double submit is refused, the page re-shown with what was typed; nothing changes.
    assert again.status_code == 409 and "当前页面已过时" in again.content.decode()
    office = logged_in_client(world.alice)
    page = office.get(f"/monitoring/rectifications/{item.pk}/").content.decode()
    assert "确认整改" in page and "退回重新整改" in page and "已删除" in page
    item.refresh_from_db()
    office.post(url, {"action": "confirm", "version": item.version})
    item.refresh_from_db()
    assert item.state == "confirmed"
    assert Rectification.objects.restrict(world.tian_editor).active().count() == 0


def test_api_workflow(world, item):
    from govmedia.users.services import token_create

    _, key = token_create(actor=world.tian_editor, name="测试")
    headers = {"Authorization": f"Bearer {key}"}
    client = logged_in_client(world.tian_editor)
    body = client.get(f"/api/v1/rectifications/{item.pk}", headers=headers).json()
    assert body["state"] == "open" and body["findings"][0]["category"] == "classified"
    answer = client.post(
        f"/api/v1/rectifications/{item.pk}/resolve",
        data={"version": body["version"], "note": "已删除该内容"},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 200 and answer.json()["state"] == "resolved"
    stale = client.post(
        f"/api/v1/rectifications/{item.pk}/resolve",
        data={"version": body["version"], "note": "again"},
        content_type="application/json",
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"


def test_a_pull_whose_screening_task_is_delayed_still_screens_every_post_once(
    world, fakes, settings
):
    """Screening is its own queued task: a pull only stores. Held in the queue (no inline
    run) while the platform edits a post and a second pull stores that, the queued runs then
    screen every post once, in its current content."""
    settings.Q_CLUSTER = settings.Q_CLUSTER | {"sync": False}  # the queue holds the task
    monitored(
        world,
        fakes,
        world.tian,
        "weibo",
        "tz_news",
        posts=[post(SECRET), post("今天天气晴好。", hours=5), post("通知：明日停水。", hours=9)],
    )
    pull_round(worker="w1")
    assert rectify.pending_posts().count() == Post.objects.count() == 3
    assert OrmQ.objects.count() == 1  # the screening run, queued and waiting
    secret = Post.objects.get(text=SECRET)
    fake_server(fakes, "weibo").state.update_post(secret.platform_post_id, text=SECRET + "！")
    PullState.objects.update(next_due_at=timezone.now(), last_relist_at=None)
    pull_round(worker="w1")
    assert rectify.pending_posts().count() == 3 and not Rectification.objects.exists()

    first, second = (tasks.screen_posts() for _ in range(OrmQ.objects.count()))
    assert "审查已发布内容 3 条" in first and "审查已发布内容 0 条" in second
    assert not rectify.pending_posts().exists()
    item = Rectification.objects.get()
    assert item.post_id == secret.pk and item.findings[0]["matched"] == "机密★5年"
    assert (
        Post.objects.get(pk=secret.pk).screened_hash == Post.objects.get(pk=secret.pk).content_hash
    )
    assert Notification.objects.filter(kind="rectification_open").count() == 1
