"""Background work of monitoring, run by django-q2 (see schedules.py).

Every minute the schedule runs `pull_due`: one claim-and-pull loop with a time budget under the
minute, so rounds do not pile up. New and edited posts are screened by `screen_posts`, queued
after a round that stored some and scheduled every minute too. More `qcluster` processes on more machines pull in parallel:
the claims (SKIP LOCKED and a lease) keep them off each other's accounts. PULL_TASKS_PER_TICK
above 1 queues further loops each minute, for a cluster with several workers.
"""

import os

from .pulling import pull_round
from .rectify import SCREEN_BUDGET_SECONDS, screen_pending

BUDGET_SECONDS = 50


def pull_due() -> str:
    for _ in range(int(os.environ.get("PULL_TASKS_PER_TICK", "1")) - 1):
        from django_q.tasks import async_task

        async_task(
            "govmedia.monitoring.tasks.pull_loop",
            q_options={"task_name": "账号更新采集（并行）", "group": "monitoring"},
        )
    return pull_loop()


def pull_loop() -> str:
    return str(pull_round(budget_seconds=BUDGET_SECONDS))


def screen_posts() -> str:
    """Screen the posts pulls stored (queued after each round, and every minute)."""
    return str(screen_pending(budget_seconds=SCREEN_BUDGET_SECONDS))


def refresh_figures() -> str:
    """The dormant report's figures of every account not yet refreshed today (a level moves
    with the date alone); hourly, so a sweep cut short is resumed within the hour."""
    from .figures import refresh_all

    return f"更新僵尸账号指标 {refresh_all()} 个账号"
