"""A message's time limits, counted from when it was received (a 转办 never restarts them).

Due: the class's working days (settings.INTERACTION_DUE_DAYS; the suggested class until a
person confirms one) after the day it arrived, at the close of business. Reminded on the last
day at 14:00; past the limit the unit administrators are told; INTERACTION_ESCALATE_DAYS working
days later, still unanswered, the district office.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from govmedia.publishing.services.reviews import step_due_at
from govmedia.workdays.calendar import current_calendar

from .workhours import working_hours_between

LAST_DAY_NOTICE = timedelta(hours=4)


@dataclass(frozen=True)
class Limits:
    due_at: datetime
    remind_at: datetime
    district_due_at: datetime


def due_days(message_class: str) -> int:
    days = settings.INTERACTION_DUE_DAYS
    return int(days.get(message_class) or days.get("other") or 5)


def limits_for(received_at: datetime, message_class: str) -> Limits:
    due = step_due_at(received_at, due_days(message_class), "days")
    district = step_due_at(due, max(1, settings.INTERACTION_ESCALATE_DAYS), "days")
    return Limits(due, max(received_at, due - LAST_DAY_NOTICE), district)


def response_hours(received_at: datetime, answered_at: datetime) -> float:
    """Working hours the public waited, in local time."""
    from django.utils import timezone

    return working_hours_between(
        timezone.localtime(received_at),
        timezone.localtime(answered_at),
        current_calendar().is_workday,
    )
