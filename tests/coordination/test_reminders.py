"""催办: the issuer of a repost task, and a 行业主管部门 for its enterprises' tasks, remind the
target units of the open tasks — one notification per person per task, at most once per task
per working day, audited. NOW is Tuesday 24 November 2026, 10:00."""

from datetime import timedelta

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.coordination import services
from govmedia.coordination.services.reminders import urging_day
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.notifications.models import Notification, NotificationKind
from govmedia.orgs import services as orgs
from govmedia.orgs.models import OrgType
from tests.conftest import logged_in_client, make_org, make_user
from tests.coordination.helpers import issue, repost, task_of
from tests.monitoring.conftest import register
from tests.publishing.helpers import NOW

pytestmark = pytest.mark.django_db


def reminders(user=None):
    rows = Notification.objects.filter(kind=NotificationKind.REPOST_REMINDED)
    return rows.filter(recipient_user=user) if user is not None else rows


def remind(actor, campaign, *, now=NOW, **kw):
    return services.repost_tasks_remind(actor=actor, campaign_id=campaign.pk, now=now, **kw)


def test_the_issuer_reminds_each_open_task_once_a_working_day(matrix):
    m = matrix
    campaign = issue(m, rule={"platforms": ["wechat-mp"]})
    done = task_of(campaign, m.chen_wechat)
    from govmedia.coordination.detection import detect_reposts

    detect_reposts([repost(m.chen_wechat).pk])  # 陈集 reposted: nothing to remind it of
    result = remind(m.alice, campaign)
    tian = task_of(campaign, m.wechat)
    assert result.reminded == [tian.pk] and done.pk not in result.skipped
    # One notification per person of the target unit (its administrator) per task.
    assert reminders().count() == 1
    told = reminders(m.tian_unit_admin).get()
    assert "催办" in told.message and "天中发布" in told.message
    event = AuditEvent.objects.get(action="repost_task.remind")
    assert event.object_id == str(tian.pk) and event.actor == m.alice
    # Again the same working day (a double click, or later that day): nothing sent.
    again = remind(m.alice, campaign, now=NOW + timedelta(hours=5))
    assert again.reminded == [] and again.skipped == [tian.pk]
    assert reminders().count() == 1
    # The next working day: reminded again.
    assert remind(m.alice, campaign, now=NOW + timedelta(days=1)).reminded == [tian.pk]
    assert reminders().count() == 2
    assert AuditEvent.objects.filter(action="repost_task.remind").count() == 2


def test_a_weekend_reminder_counts_for_the_next_working_day(matrix):
    saturday = (NOW + timedelta(days=4)).date()
    monday = (NOW + timedelta(days=6)).date()
    assert urging_day(saturday) == monday
    m = matrix
    campaign = issue(m, rule={"account_ids": [m.wechat.pk]})
    assert remind(m.alice, campaign, now=NOW + timedelta(days=4)).reminded
    assert remind(m.alice, campaign, now=NOW + timedelta(days=6)).reminded == []


def test_named_tasks_only_and_not_others(matrix):
    m = matrix
    campaign = issue(m, rule={"platforms": ["wechat-mp"]})
    tian = task_of(campaign, m.wechat)
    result = remind(m.alice, campaign, task_ids=[tian.pk])
    assert result.reminded == [tian.pk]
    assert not reminders(m.chen_unit_admin).exists()


def test_only_the_issuer_reminds(matrix):
    m = matrix
    campaign = issue(m, rule={"platforms": ["wechat-mp"]})
    with pytest.raises(Forbidden):  # the target unit does not remind itself
        remind(m.tian_unit_admin, campaign)
    with pytest.raises(Forbidden):  # an editor never reminds
        remind(m.tian_editor, campaign)
    assert not reminders().exists()
    assert not AuditEvent.objects.filter(action="repost_task.remind").exists()


def test_nothing_open_is_said(matrix):
    m = matrix
    campaign = issue(m, rule={"account_ids": [m.wechat.pk]})
    task = task_of(campaign, m.wechat)
    services.repost_task_exempt(
        actor=m.alice, task_id=task.pk, version=task.version, reason="账号迁移中"
    )
    with pytest.raises(ServiceError) as nothing:
        remind(m.alice, campaign)
    assert nothing.value.field == "task_ids"


def test_the_industry_supervisor_reminds_its_enterprises_tasks_only(matrix):
    m = matrix
    clinic = make_org("陈集镇卫生院", OrgType.ENTERPRISE, m.chen)
    clinic_wechat = register(clinic, "wechat-mp", "cj_clinic", name="陈集卫生院")
    health_admin = make_user("health_admin", m.dept, "unit_admin")
    campaign = issue(m, rule={"account_ids": [clinic_wechat.pk, m.chen_wechat.pk]})
    with pytest.raises(Forbidden):  # no grant yet
        remind(health_admin, campaign)
    orgs.industry_supervision_set(
        actor=m.alice, supervisor_id=m.dept.pk, supervised_ids=[clinic.pk]
    )
    result = remind(health_admin, campaign)
    # The enterprise's task, not 陈集镇's own account's.
    assert result.reminded == [task_of(campaign, clinic_wechat).pk]
    # The clinic has no staff of its own: 陈集镇's administrator hears of it.
    assert "陈集卫生院" in reminders(m.chen_unit_admin).get().message


def test_the_page_button(matrix):
    m = matrix
    campaign = issue(m, rule={"account_ids": [m.wechat.pk]})
    client = logged_in_client(m.alice)
    page = client.get(f"/coordination/{campaign.pk}/").content.decode()
    assert "催办未完成的账号" in page
    response = client.post(f"/coordination/{campaign.pk}/remind/", follow=True)
    assert "已催办 1 个账号" in response.content.decode()
    # The target unit sees no button, and another township's user finds no campaign.
    tian = logged_in_client(m.tian_unit_admin)
    assert "催办未完成的账号" not in tian.get(f"/coordination/{campaign.pk}/").content.decode()
    chen = logged_in_client(m.chen_unit_admin)
    assert chen.post(f"/coordination/{campaign.pk}/remind/").status_code == 404
    assert reminders().count() == 1
