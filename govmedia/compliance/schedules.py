"""The django-q2 schedules of the compliance domain, created by migration 0002
(core.schedules)."""

from datetime import time

from govmedia.core.schedules import DailyAt, ensure

SCHEDULES = (
    DailyAt(
        "备案期限提醒与逾期通报", "govmedia.compliance.tasks.sweep_filing_deadlines", hourly=True
    ),
    DailyAt("合规检查（每日）", "govmedia.compliance.tasks.refresh_all", time(0, 20)),
)


def ensure_schedules(schedule_model) -> None:
    ensure(schedule_model, SCHEDULES)
