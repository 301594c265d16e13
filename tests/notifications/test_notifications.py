"""Who sees a notification, the list page, marking read, and the topbar badge."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from govmedia.notifications.models import Notification, NotificationRead
from govmedia.notifications.services import notification_send
from govmedia.notifications.templatetags.notifications import unread_notification_count
from tests.conftest import logged_in_client, make_user


def send(org, message, **extra):
    return notification_send(recipient_org=org, kind="filing_overdue", message=message, **extra)


def visible(user) -> set[str]:
    return set(Notification.objects.restrict(user).values_list("message", flat=True))


def test_unit_notifications_reach_the_unit_and_not_the_district_or_neighbours(world):
    send(world.tian, "天中提醒")
    send(world.tian_office, "党政办提醒")  # a 内设机构 has no users: its 街道 handles it
    send(world.chen, "陈集提醒")
    send(world.district, "区级通报")
    assert visible(world.tian_editor) == {"天中提醒", "党政办提醒"}
    assert visible(world.chen_unit_admin) == {"陈集提醒"}
    assert visible(world.alice) == {"区级通报"}
    assert visible(world.oversight) == set()
    office_admin = make_user("office_admin", world.tian_office, "unit_admin")
    assert visible(office_admin) == {"党政办提醒"}
    # District-level ones reach platform administrators wherever they sit.
    elsewhere = make_user("dept_admin", world.dept, "platform_admin")
    assert visible(elsewhere) == {"区级通报"}


def test_addressed_to_one_user_is_that_users_alone(world):
    send(world.tian, "给编辑", recipient_user=world.tian_editor)
    assert visible(world.tian_editor) == {"给编辑"}
    assert visible(world.tian_unit_admin) == set()


def test_list_unread_first_and_mark_read(world):
    old = send(world.tian, "较早的提醒")
    send(world.tian, "新的提醒", link="/compliance/")
    client = logged_in_client(world.tian_unit_admin)
    client.post(f"/notifications/{old.pk}/read/")
    page = client.get("/notifications/").content.decode()
    assert page.index("新的提醒") < page.index("较早的提醒")  # unread first
    first_read = NotificationRead.objects.get(notification=old, user=world.tian_unit_admin).read_at
    client.post(f"/notifications/{old.pk}/read/")
    reads = NotificationRead.objects.filter(notification=old)
    assert [r.read_at for r in reads] == [first_read]  # a second click keeps the first reading
    # Read state is each person's: the colleague still has it unread.
    assert Notification.objects.restrict(world.tian_editor).unread(world.tian_editor).count() == 2
    response = client.post(
        f"/notifications/{Notification.objects.get(message='新的提醒').pk}/read/", {"follow": "1"}
    )
    assert response.status_code == 302 and response["Location"] == "/compliance/"


def test_mark_all_read_only_touches_own(world):
    send(world.tian, "天中一")
    send(world.tian, "天中二")
    chen = send(world.chen, "陈集一")
    client = logged_in_client(world.tian_unit_admin)
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 2 条通知标为已读" in response.content.decode()
    assert not NotificationRead.objects.filter(notification=chen).exists()
    assert Notification.objects.restrict(world.tian_editor).unread(world.tian_editor).count() == 2


def test_other_township_cannot_read_or_mark(world):
    chen = send(world.chen, "陈集一")
    client = logged_in_client(world.tian_unit_admin)
    assert client.post(f"/notifications/{chen.pk}/read/").status_code == 404
    assert "陈集" not in client.get("/notifications/").content.decode()


def test_badge_in_topbar_with_one_query(world):
    for n in range(3):
        send(world.tian, f"提醒{n}")
    page = logged_in_client(world.tian_editor).get("/orgs/").content.decode()
    assert 'aria-label="3 条未读"' in page
    assert "未读" not in logged_in_client(world.chen_editor).get("/orgs/").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        assert unread_notification_count(world.tian_editor) == 3
    assert len(ctx.captured_queries) == 1


def test_empty_state(world):
    page = logged_in_client(world.tian_editor).get("/notifications/").content.decode()
    assert "暂无通知" in page
