"""Background work of the counterfeit domain (django-q2): the platform search."""

from django.conf import settings

from .discovery import discover_counterfeits

TASK = "govmedia.counterfeit.discovery.discover_counterfeits"

__all__ = ["discover_counterfeits", "queue_discovery"]


def queue_discovery(*, started_by=None) -> None:
    """Search now, in a worker (inline where Q_CLUSTER["sync"] is set: tests, one process)."""
    started_by_id = started_by.pk if started_by is not None else None
    if settings.Q_CLUSTER.get("sync"):
        discover_counterfeits(started_by_id=started_by_id)
        return
    from django_q.tasks import async_task

    async_task(
        TASK,
        started_by_id=started_by_id,
        q_options={"task_name": "假冒账号扫描（手动）", "group": "counterfeit"},
    )
