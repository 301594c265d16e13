"""Creating an app's django-q2 schedules from its migration: idempotent (matched by name, never
doubled) and an administrator's tuning of an existing one is kept.

(coordination uses it; the older apps' schedules.py each still hold a copy of this loop.)
"""

from django.utils import timezone


def ensure_interval_schedules(schedule_model, schedules) -> None:
    """`schedules`: (name, dotted function, every N minutes) triples."""
    for name, func, minutes in schedules:
        if not schedule_model.objects.filter(name=name).exists():
            schedule_model.objects.create(
                name=name,
                func=func,
                schedule_type="I",  # django_q.models.Schedule.MINUTES
                minutes=minutes,
                repeats=-1,
                next_run=timezone.now(),
            )
