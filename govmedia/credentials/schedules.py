"""The django-q2 schedule of 账号密码保护, created by migration 0002 and idempotent: matched by
name, never doubled, and left alone once it exists (an administrator may have tuned it)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

NAME = "账号密码超期提醒（每日）"
FUNC = "govmedia.credentials.tasks.sweep_stale_passwords"
RUN_AT = time(8, 10)  # the start of the working day, when the unit reads its notifications


def _next_run():
    now = timezone.localtime()
    first = timezone.make_aware(datetime.combine(now.date(), RUN_AT))
    return first if first > now else first + timedelta(days=1)


def ensure_schedule(schedule_model) -> None:
    if not schedule_model.objects.filter(name=NAME).exists():
        schedule_model.objects.create(
            name=NAME, func=FUNC, schedule_type="D", repeats=-1, next_run=_next_run()
        )
