"""The django-q2 schedule of the counterfeit search, created by migration (so `migrate` is all a
deployment needs) and idempotent: matched by name, never doubled, never overwritten."""

from datetime import datetime, time, timedelta

from django.utils import timezone

NAME = "假冒账号扫描（每日）"
FUNC = "govmedia.counterfeit.discovery.discover_counterfeits"
AT = time(2, 30)  # at night: the platforms' search limits are per day and the office is closed


def _next_run():
    now = timezone.localtime()
    first = timezone.make_aware(datetime.combine(now.date(), AT))
    return first if first > now else first + timedelta(days=1)


def ensure_schedule(schedule_model) -> None:
    if not schedule_model.objects.filter(name=NAME).exists():
        schedule_model.objects.create(
            name=NAME, func=FUNC, schedule_type="D", repeats=-1, next_run=_next_run()
        )
