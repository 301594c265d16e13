"""The django-q2 schedules of 协同转载, created by migration 0002 (idempotent: matched by name,
never doubled, and an administrator's tuning of an existing one is kept)."""

from django.utils import timezone

SCHEDULES = (
    # name, function, every N minutes
    ("转载任务提醒与逾期", "govmedia.coordination.tasks.sweep_repost_deadlines", 5),
)


def ensure_schedules(schedule_model) -> None:
    for name, func, minutes in SCHEDULES:
        if not schedule_model.objects.filter(name=name).exists():
            schedule_model.objects.create(
                name=name,
                func=func,
                schedule_type="I",  # django_q.models.Schedule.MINUTES
                minutes=minutes,
                repeats=-1,
                next_run=timezone.now(),
            )
