"""No silent stall: a filing waiting longer than FILING_STALL_WORKDAYS working days at one step
reminds whoever must act, then the district office, once each (issue 14 item 3)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from govmedia.notifications.models import Notification
from govmedia.registry import services, stalls
from govmedia.registry.models import Filing
from govmedia.workdays.calendar import current_calendar

from .conftest import hospital_filing


@pytest.fixture(autouse=True)
def _three_workdays(settings):
    settings.FILING_STALL_WORKDAYS = 3


def at_step(filing, field: str, day) -> None:
    """The filing reached its step at 10:00 on `day` (no wall clock in the test)."""
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))
    Filing.objects.filter(pk=filing.pk).update(**{field: moment})


def stalled(**where) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(kind="filing_stalled", **where)
        .order_by("pk")
        .values_list("recipient_org__name", "message")
    )


def test_a_stalled_co_sign_reminds_the_supervisor_then_the_district_once_each(
    world, health, form_data
):
    filing = hospital_filing(health, form_data)
    start = current_calendar().add_workdays(timezone.localdate() - timedelta(days=60), 1).date
    at_step(filing, "submitted_at", start)
    limit = current_calendar().add_workdays(start, 3).date
    twice = current_calendar().add_workdays(start, 6).date

    assert stalls.sweep(today=limit) == stalls.StallResult(0, 0)  # not longer than 3 yet
    assert stalls.sweep(today=limit + timedelta(days=1)) == stalls.StallResult(1, 0)
    assert stalls.sweep(today=limit + timedelta(days=1)) == stalls.StallResult(0, 0)
    assert stalls.sweep(today=twice) == stalls.StallResult(0, 0)
    reminder = stalled()
    assert [org for org, _ in reminder] == ["区卫生健康局"]
    assert "待 区卫生健康局 主管单位审核" in reminder[0][1] and "3 个工作日" in reminder[0][1]

    assert stalls.sweep(today=twice + timedelta(days=1)) == stalls.StallResult(0, 1)
    assert stalls.sweep(today=twice + timedelta(days=30)) == stalls.StallResult(0, 0)
    assert [org for org, _ in stalled()] == ["区卫生健康局", world.district.name]
    assert "请区政府办公室督办" in stalled()[1][1]


def test_the_next_step_starts_its_own_reminders_and_the_district_step_reminds_once(
    world, health, form_data
):
    filing = hospital_filing(health, form_data)
    start = current_calendar().add_workdays(timezone.localdate() - timedelta(days=60), 1).date
    at_step(filing, "submitted_at", start)
    late = current_calendar().add_workdays(start, 3).date + timedelta(days=1)
    stalls.sweep(today=late)
    filing.refresh_from_db()
    filing = services.filing_supervisor_approve(
        actor=health.dept_supervisor, filing_id=filing.pk, version=filing.version
    )
    assert filing.step_reminded_at is None and filing.step_escalated_at is None
    at_step(filing, "supervisor_reviewed_at", late)
    district_late = current_calendar().add_workdays(late, 3).date + timedelta(days=1)
    assert stalls.sweep(today=district_late) == stalls.StallResult(1, 0)
    # The district office itself must act: its reminder was the last one.
    assert stalls.sweep(today=district_late + timedelta(days=60)) == stalls.StallResult(0, 0)
    office = stalled(recipient_org=world.district)
    assert len(office) == 1 and "待 区政府办公室 备案" in office[0][1]


def test_two_sweepers_remind_once(world, health, form_data):
    """The claim is a conditional UPDATE: the second sweep of the same moment finds it taken."""
    filing = hospital_filing(health, form_data)
    start = current_calendar().add_workdays(timezone.localdate() - timedelta(days=60), 1).date
    at_step(filing, "submitted_at", start)
    late = current_calendar().add_workdays(start, 3).date + timedelta(days=1)
    assert stalls._remind(filing.pk, filing.state, start) == 1
    assert stalls._remind(filing.pk, filing.state, start) == 0
    assert len(stalled()) == 1
    assert stalls.sweep(today=late) == stalls.StallResult(0, 0)


def test_drafts_and_filed_filings_never_stall(world, health, form_data):
    draft = hospital_filing(health, form_data, submit=False)
    assert draft.state == "draft"
    assert stalls.sweep(today=timezone.localdate() + timedelta(days=365)) == stalls.StallResult(
        0, 0
    )
