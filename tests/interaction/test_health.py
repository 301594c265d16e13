"""Interaction health: the figures per account (working hours, in time, overdue, the 单项否决
risk) and the alerts, raised once per account, kind and month."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from govmedia.interaction import services
from govmedia.interaction.models import HealthAlert
from govmedia.interaction.selectors import EMPTY, interaction_figures
from govmedia.interaction.tasks import raise_health_alerts
from govmedia.interaction.workhours import percentile, working_hours_between
from govmedia.notifications.models import Notification
from tests.interaction.helpers import NOW, assign, draft, fresh, pulled

CHINA = ZoneInfo("Asia/Shanghai")


def weekdays(day):
    return day.weekday() < 5


def test_working_hours_skip_nights_lunch_and_weekends():
    friday = datetime(2026, 11, 27, 17, 0, tzinfo=CHINA)
    monday = datetime(2026, 11, 30, 9, 30, tzinfo=CHINA)
    assert working_hours_between(friday, monday, weekdays) == 2.0
    noon = datetime(2026, 11, 24, 11, 0, tzinfo=CHINA)
    assert working_hours_between(noon, noon.replace(hour=14), weekdays) == 1.5
    assert working_hours_between(monday, friday, weekdays) == 0.0
    assert percentile([1, 2, 3, 4], 0.5) == 2.5 and percentile([], 0.9) is None


def test_figures_and_the_no_working_interaction_risk(desk):
    answered = assign(desk, pulled(desk, "请问供暖热线是多少？", minutes=1))
    reply = draft(desk, answered)
    services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    pulled(desk, "暖气不热找谁？", minutes=2)  # left unanswered
    spam = pulled(desk, "贷款秒批加微信", minutes=3)
    services.message_assign(
        actor=desk.tian_unit_admin,
        message_id=spam.pk,
        version=spam.version,
        message_class="no_reply",
        no_reply_reason="广告",
    )
    later = fresh(answered).due_at + timedelta(days=30)
    figures = interaction_figures(
        account_ids=[desk.weibo.pk, desk.wechat.pk],
        start=NOW,
        end=NOW + timedelta(days=1),
        now=later,
    )
    weibo = figures[desk.weibo.pk]
    assert (weibo.received, weibo.answered, weibo.unanswered_overdue) == (2, 1, 1)
    assert weibo.working_interaction and weibo.median_hours == fresh(answered).response_hours
    assert figures[desk.wechat.pk] == EMPTY


def test_alerts_are_raised_once_a_month(desk, settings):
    message = fresh(pulled(desk, "请问供暖热线是多少？"))
    past_due = message.due_at + timedelta(hours=1)
    before = Notification.objects.filter(kind="interaction_alert").count()
    first = raise_health_alerts(now=past_due)
    assert [a.kind for a in first] == ["no_interaction"]
    assert raise_health_alerts(now=past_due + timedelta(hours=2)) == []
    assert HealthAlert.objects.count() == 1
    told = Notification.objects.filter(kind="interaction_alert").count() - before
    assert told == 2  # 天中's unit administrator and the district office
