"""The django-q2 schedules of monitoring, created by migration 0002 (idempotent: matched by name,
never doubled, and an administrator's tuning of an existing one is kept)."""

from django.utils import timezone

SCHEDULES = (
    # name, function, every N minutes
    ("账号更新采集", "govmedia.monitoring.tasks.pull_due", 1),
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
