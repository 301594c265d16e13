"""The django-q2 schedule of the nightly backup, created by migration 0001 (idempotent: matched
by name, never doubled, and an administrator's change of time is kept)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

NAME = "数据备份（每日）"
FUNC = "govmedia.backup.tasks.nightly"
AT = time(2, 30)


def ensure_schedules(schedule_model) -> None:
    if schedule_model.objects.filter(name=NAME).exists():
        return
    now = timezone.localtime()
    first = timezone.make_aware(datetime.combine(now.date(), AT))
    schedule_model.objects.create(
        name=NAME,
        func=FUNC,
        schedule_type="D",  # django_q.models.Schedule.DAILY
        repeats=-1,
        next_run=first if first > now else first + timedelta(days=1),
    )
