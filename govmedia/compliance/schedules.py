"""The django-q2 schedules of the compliance domain, created by migration 0002 (so `migrate`,
which every deployment runs, is all it takes) and idempotent: matched by name, never doubled."""

from datetime import datetime, time, timedelta

from django.utils import timezone

SCHEDULES = (
    # name, function, schedule type (django_q.models.Schedule), first run at local time
    ("备案期限提醒与逾期通报", "govmedia.compliance.tasks.sweep_filing_deadlines", "H", None),
    ("合规检查（每日）", "govmedia.compliance.tasks.refresh_all", "D", time(0, 20)),
)


def _next_local(at: time | None):
    now = timezone.localtime()
    if at is None:
        return now
    first = timezone.make_aware(datetime.combine(now.date(), at))
    return first if first > now else first + timedelta(days=1)


def ensure_schedules(schedule_model) -> None:
    """Create each schedule that is missing; leave existing ones (an admin may have tuned them)."""
    for name, func, schedule_type, at in SCHEDULES:
        if not schedule_model.objects.filter(name=name).exists():
            schedule_model.objects.create(
                name=name,
                func=func,
                schedule_type=schedule_type,
                repeats=-1,
                next_run=_next_local(at),
            )
