"""Time limits: due in working days per class from the receipt (across a holiday), reminded,
escalated to the unit administrators and then to the district office, once each; a 转办 keeps
the receipt time, so the response time counts the public's whole wait."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from govmedia.interaction import services
from govmedia.interaction.deadlines import limits_for
from govmedia.interaction.models import Message
from govmedia.interaction.selectors import interaction_figures
from govmedia.interaction.tasks import sweep
from govmedia.notifications.models import Notification
from tests.interaction.helpers import assign, draft, fresh, pulled

CHINA = ZoneInfo("Asia/Shanghai")


def test_due_times_count_working_days_across_the_national_day_holiday(db):
    received = datetime(2026, 9, 30, 10, 0, tzinfo=CHINA)  # the day before 国庆
    # 10月1日–7日 off; 8, 9 and Saturday 10 (调休) are working days.
    assert limits_for(received, "consult").due_at == datetime(2026, 10, 10, 18, 0, tzinfo=CHINA)
    assert limits_for(received, "complaint").due_at == datetime(2026, 10, 13, 18, 0, tzinfo=CHINA)
    limits = limits_for(received, "consult")
    assert limits.remind_at == datetime(2026, 10, 10, 14, 0, tzinfo=CHINA)
    # Two working days later the district office: Monday 12 and Tuesday 13.
    assert limits.district_due_at == datetime(2026, 10, 13, 18, 0, tzinfo=CHINA)


def test_reminder_and_escalations_are_sent_once_each(desk):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    message = fresh(message)
    before = Notification.objects.count()
    assert sweep(now=message.remind_at - timedelta(minutes=1)) == (0, 0, 0)
    assert sweep(now=message.remind_at) == (1, 0, 0)
    assert sweep(now=message.remind_at + timedelta(minutes=5)) == (0, 0, 0)
    assert sweep(now=message.due_at) == (0, 1, 0)
    assert sweep(now=message.due_at + timedelta(hours=1)) == (0, 0, 0)
    assert sweep(now=message.district_due_at) == (0, 0, 1)
    assert sweep(now=message.district_due_at + timedelta(days=3)) == (0, 0, 0)
    kinds = list(Notification.objects.order_by("pk")[before:].values_list("kind", "recipient_user"))
    assert kinds == [
        ("message_due_soon", desk.tian_editor.pk),  # the handler
        ("message_overdue", desk.tian_unit_admin.pk),
        ("message_escalated", desk.alice.pk),  # the district office
    ]


def test_a_message_found_far_past_its_limit_is_escalated_not_also_reminded(desk):
    message = fresh(pulled(desk, "请问供暖热线是多少？"))
    assert sweep(now=message.district_due_at) == (0, 0, 1)
    assert sweep(now=message.district_due_at + timedelta(hours=1)) == (0, 0, 0)


def test_an_answered_message_is_never_reminded(desk):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    reply = draft(desk, message)
    services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    assert sweep(now=fresh(message).district_due_at) == (0, 0, 0)


def test_a_transfer_keeps_the_original_receipt_time_for_the_figures(desk):
    message = pulled(desk, "陈集镇的路灯坏了，请维修")
    received = message.received_at
    due = message.due_at
    # 天中 returns it (not its matter); the district office transfers it to 陈集镇.
    message = assign(desk, message)
    message = services.message_return(
        actor=desk.tian_unit_admin,
        message_id=message.pk,
        version=fresh(message).version,
        reason="属陈集镇辖区",
    )
    message = services.message_transfer(
        actor=desk.alice,
        message_id=message.pk,
        version=message.version,
        org_id=desk.chen.pk,
    )
    assert (message.org, message.received_at, message.due_at) == (desk.chen, received, due)
    assert message.transfers == 1
    assert not Message.objects.restrict(desk.tian_editor).filter(pk=message.pk).exists()
    message = assign(desk, message, actor=desk.chen_unit_admin, handler=desk.chen_editor)
    reply = draft(desk, message, actor=desk.chen_editor, text="已安排维修。")
    sent = services.reply_send(actor=desk.chen_editor, reply_id=reply.pk, version=reply.version)
    message = fresh(message)
    assert message.response_hours is not None
    start = received - timedelta(days=1)
    [figures] = interaction_figures(
        account_ids=[desk.weibo.pk], start=start, end=sent.sent_at + timedelta(days=1)
    ).values()
    assert figures.received == 1 and figures.answered == 1
    assert figures.median_hours == message.response_hours
    from govmedia.interaction.deadlines import response_hours

    assert message.response_hours == response_hours(received, sent.sent_at)
