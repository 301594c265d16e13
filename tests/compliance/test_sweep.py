"""The deadline sweep: reminders two working days ahead, overdue flags to the unit and the
district office, each claimed once however often and however concurrently it runs."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from govmedia.compliance.models import ComplianceFinding
from govmedia.compliance.schedules import ensure_schedules
from govmedia.compliance.tasks import sweep, sweep_filing_deadlines
from govmedia.notifications.models import Notification
from govmedia.registry import services as registry
from govmedia.registry.models import Filing, FilingKind, FilingState
from tests.concurrency import race, returned

MONDAY = date(2026, 11, 23)


def draft(world, form_data, due_on, **overrides):
    filing = registry.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 11, 2),
        data=form_data | overrides,
    )
    Filing.objects.filter(pk=filing.pk).update(due_on=due_on)
    return filing


def notes(filing) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(
            object_type="registry.filing", object_id=str(filing.pk)
        ).values_list("kind", "recipient_org__name")
    )


def test_reminds_within_two_working_days_once(world, form_data):
    soon = draft(world, form_data, MONDAY + timedelta(days=2))  # Wednesday
    later = draft(world, form_data, MONDAY + timedelta(days=3), handle="later")  # Thursday
    result = sweep(today=MONDAY)
    assert (result.reminded, result.flagged) == (1, 0)
    assert notes(soon) == [("filing_due_soon", "天中街道")] and notes(later) == []
    assert sweep(today=MONDAY).reminded == 0
    assert len(notes(soon)) == 1 and Filing.objects.get(pk=soon.pk).reminded_at is not None


def test_reminder_window_counts_working_days(world, form_data):
    friday = date(2026, 11, 27)
    tuesday = draft(world, form_data, date(2026, 12, 1))
    wednesday = draft(world, form_data, date(2026, 12, 2), handle="wednesday")
    assert sweep(today=friday).reminded == 1  # Fri → Mon, Tue: two working days
    assert notes(tuesday) == [("filing_due_soon", "天中街道")] and notes(wednesday) == []
    # Before National Day 2026 (1–7 October off): two working days after 30 September are
    # 8 and 9 October, so a filing due on the 9th is reminded and one due on the 10th is not.
    holiday = draft(world, form_data, date(2026, 10, 9), handle="holiday")
    after = draft(world, form_data, date(2026, 10, 10), handle="after")
    assert sweep(today=date(2026, 9, 30)).reminded == 1
    assert len(notes(holiday)) == 1 and notes(after) == []


def test_overdue_flags_unit_and_district_once(world, form_data):
    late = draft(world, form_data, MONDAY - timedelta(days=1))
    result = sweep(today=MONDAY)
    assert result.flagged == 1
    assert notes(late) == [("filing_overdue", "天中街道"), ("filing_overdue", world.district.name)]
    assert sweep(today=MONDAY).flagged == 0 and len(notes(late)) == 2
    # The finding shows on the compliance page at once.
    assert ComplianceFinding.objects.open().filter(rule="filing_overdue", filing=late).exists()


def test_submitted_in_time_is_not_flagged(world, form_data):
    filing = draft(world, form_data, MONDAY - timedelta(days=3))
    filing = registry.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    registry.filing_return(
        actor=world.alice, filing_id=filing.pk, reason="请补充功能定位", version=filing.version
    )
    Filing.objects.filter(pk=filing.pk).update(
        submitted_at=timezone.make_aware(timezone.datetime(2026, 11, 19, 10, 0))
    )
    assert Filing.objects.get(pk=filing.pk).state == FilingState.RETURNED
    assert sweep(today=MONDAY).flagged == 0
    Filing.objects.filter(pk=filing.pk).update(submitted_at=timezone.now())  # resubmitted late
    assert sweep(today=MONDAY).flagged == 1


def test_task_entry_point_reports_counts(world, form_data):
    draft(world, form_data, MONDAY - timedelta(days=1))
    assert sweep_filing_deadlines(today=MONDAY) == "到期提醒 0 件，逾期通报 1 件"


def test_schedules_are_created_once(db):
    from django_q.models import Schedule

    Schedule.objects.all().delete()
    ensure_schedules(Schedule)
    ensure_schedules(Schedule)
    assert sorted(Schedule.objects.values_list("func", flat=True)) == [
        "govmedia.compliance.tasks.refresh_all",
        "govmedia.compliance.tasks.sweep_filing_deadlines",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_notify_once(world, form_data):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are a PostgreSQL deployment; SQLite serializes writers")
    filings = [
        draft(world, form_data, MONDAY - timedelta(days=1), handle=f"h{i}") for i in range(5)
    ]
    filings += [
        draft(world, form_data, MONDAY + timedelta(days=1), handle=f"s{i}") for i in range(5)
    ]
    results = returned(race(lambda: sweep(today=MONDAY), lambda: sweep(today=MONDAY)))
    assert sum(r.flagged for r in results) == 5 and sum(r.reminded for r in results) == 5
    for filing in filings[:5]:
        assert len(notes(filing)) == 2
    for filing in filings[5:]:
        assert len(notes(filing)) == 1
