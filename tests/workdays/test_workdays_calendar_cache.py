"""The per-process calendar cache: cheap when nothing changed, never stale after a commit."""

import json
from datetime import date

import pytest
from django.db import transaction

from govmedia.workdays import calendar, services
from govmedia.workdays.calendar import current_calendar, deadline

from .conftest import NOTICE

START, DAYS = date(2026, 12, 28), 7  # → 2027-01-07, or 2027-01-08 once 2027-01-04 is a holiday

WRITER = f"""
from datetime import date
from govmedia.users.models import User
from govmedia.workdays.services import calendar_day_set
calendar_day_set(
    actor=User.objects.get(username="alice"),
    day=date(2027, 1, 4),
    is_workday=False,
    name="元旦",
    source_notice="{NOTICE}",
)
"""


@pytest.mark.django_db(transaction=True)
def test_an_override_committed_by_another_process_reaches_this_one(world, shared_db):
    # This process has the calendar cached ...
    assert deadline(START, DAYS).date == date(2027, 1, 7)
    cached = current_calendar()

    # ... another process commits an override through the service ...
    writer = shared_db.run("shell", "-c", WRITER)
    assert writer.returncode == 0, writer.stderr

    # ... and this process's next call uses it, without a restart.
    assert deadline(START, DAYS).date == date(2027, 1, 8)
    assert current_calendar() is not cached

    # A third process (the scripts' command) gives the same answer as this one's API.
    command = shared_db.run("workdays", "deadline", "2026-12-28", "7")
    assert command.returncode == 0, command.stderr
    assert command.stdout == '{"deadline": "2027-01-08", "provisional": true}\n'

    services.year_publish(actor=world.alice, year=2027, source_notice=NOTICE)
    command = shared_db.run("workdays", "deadline", "2026-12-28", "7")
    assert json.loads(command.stdout) == {"deadline": "2027-01-08", "provisional": False}


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_non_zero_with_a_chinese_message(world, shared_db):
    result = shared_db.run("workdays", "deadline", "2026-02-30", "3")
    assert result.returncode != 0 and result.stdout == ""
    assert "实际存在的日期" in result.stderr
    result = shared_db.run("workdays", "deadline", "2026-01-01", "400")
    assert result.returncode != 0 and "1 至 366" in result.stderr


def test_a_warm_cache_costs_one_query(world, django_assert_num_queries):
    calendar._forget_cache()
    first = current_calendar()
    with django_assert_num_queries(1):
        assert current_calendar() is first
    with django_assert_num_queries(1):  # the version check, nothing else
        assert deadline(START, DAYS).date == date(2027, 1, 7)


def test_a_rolled_back_change_does_not_leave_a_stale_cache(world):
    assert deadline(START, DAYS).date == date(2027, 1, 7)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.calendar_day_set(
            actor=world.alice,
            day=date(2027, 1, 4),
            is_workday=False,
            name="元旦",
            source_notice=NOTICE,
        )
        # Built and cached from the uncommitted change, under its new stamp ...
        assert deadline(START, DAYS).date == date(2027, 1, 8)
        raise RuntimeError("roll back")
    # ... which no later commit reuses: a counter alone would be back at the cached number
    # after this next change and serve the rolled-back calendar.
    services.calendar_day_set(
        actor=world.alice,
        day=date(2027, 1, 2),
        is_workday=True,
        name="调休上班",
        source_notice=NOTICE,
    )
    # 12-29, 12-30, 12-31, 1-2 (Saturday, now a working day), 1-4, 1-5, 1-6.
    assert deadline(START, DAYS).date == date(2027, 1, 6)
