"""Creating an app's django-q2 schedules from its migration, so that `migrate` (which every
deployment runs) is all it takes. Idempotent: a schedule is matched by name and never doubled,
and an administrator's tuning of an existing one is kept. Each app's schedules.py lists its own
(`Every` or `DailyAt`) and calls `ensure`."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Every:
    """Every N minutes, from now."""

    name: str
    func: str
    minutes: int


@dataclass(frozen=True)
class DailyAt:
    """Once a day at a local time; `hourly` runs every hour from now instead."""

    name: str
    func: str
    at: time | None = None
    hourly: bool = False


def _next_local(at: time):
    now = timezone.localtime()
    first = timezone.make_aware(datetime.combine(now.date(), at))
    return first if first > now else first + timedelta(days=1)


def _fields(spec: Every | DailyAt) -> dict:
    if isinstance(spec, Every):  # django_q.models.Schedule.MINUTES
        return {"schedule_type": "I", "minutes": spec.minutes, "next_run": timezone.now()}
    if spec.hourly:  # Schedule.HOURLY
        return {"schedule_type": "H", "next_run": timezone.now()}
    return {"schedule_type": "D", "next_run": _next_local(spec.at)}  # Schedule.DAILY


def ensure(schedule_model, schedules) -> None:
    """Create each schedule that is missing; leave the existing ones alone."""
    for spec in schedules:
        if not schedule_model.objects.filter(name=spec.name).exists():
            schedule_model.objects.create(
                name=spec.name, func=spec.func, repeats=-1, **_fields(spec)
            )
