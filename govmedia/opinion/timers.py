"""A case's time limit, in clock hours (opinion does not wait for working days).

The limit is the time to 回应 (authoritative information to the public), by level, from
settings.OPINION_RESPONSE_HOURS (国办发〔2016〕61号: 5 hours for 特别重大、重大 emergencies, 48
hours for important opinion about people's interests; 24 hours for 较大 in between).

A new case counts as 一般 from the moment it is found. When its level is set (研判) or raised at
time t, the deadline becomes min(current deadline, t + the new level's limit): a higher level
never gives more time than the case already had, and a lower one never extends it.

Overdue escalation, once each: to the unit at the deadline, to the district office
OPINION_ESCALATE_AFTER_HOURS later, to 网信 (监督 users) twice as late.
"""

from datetime import datetime, timedelta

from django.conf import settings


def limit(level: str) -> timedelta:
    return timedelta(hours=settings.OPINION_RESPONSE_HOURS[level])


def first_due(opened_at: datetime, level: str) -> datetime:
    return opened_at + limit(level)


def due_after_level(current_due: datetime, at: datetime, level: str) -> datetime:
    return min(current_due, at + limit(level))


def escalation_steps() -> tuple[timedelta, timedelta, timedelta]:
    """How long after the deadline the unit, the district office and 网信 are told."""
    step = timedelta(hours=settings.OPINION_ESCALATE_AFTER_HOURS)
    return timedelta(0), step, 2 * step


def time_left(due_at: datetime, now: datetime) -> timedelta:
    return due_at - now
