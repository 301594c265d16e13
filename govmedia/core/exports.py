"""Excel exports that never hold a request: a list's export over EXPORT_INLINE_ROWS rows is
written by a background task (django-q2) while its page shows the progress, then a download
link. Smaller ones stay immediate. Both write the same file through core.spreadsheets (one
writer: how a cell is written is decided there, for every export).

An app registers each export once (an ExportSpec: the scoped queryset for a user and the list's
filter, and the cells of each row) from its AppConfig.ready(), so the task process knows it
too. The task rebuilds the queryset as that user, so scope applies when the file is written.
One user's export of one list with one filter runs once at a time: a second request while it
runs is shown the running job (a partial unique constraint decides, not a check-then-insert).
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone

from .models import ACTIVE_EXPORT_STATES, ExportJob, ExportState
from .spreadsheets import stamped, xlsx_bytes, xlsx_response

logger = logging.getLogger(__name__)

IGNORED_PARAMETERS = ("page",)  # the list's page is no filter
# A job stores its rows written at most this often (each an UPDATE and a commit, ~4 ms on
# PostgreSQL): its page asks every 2 s, and 10,000 rows take about a second.
PROGRESS_SECONDS = 1.0


@dataclass(frozen=True)
class ExportSpec:
    name: str  # e.g. "dormant"
    title: str  # the file name's start, e.g. 僵尸账号监测
    sheet: str
    headers: list[str]
    queryset: Callable  # (user, filter QueryDict) -> the scoped rows to export
    rows: Callable  # (user, queryset) -> Iterable of cell tuples
    widths: list[int] | None = None


_SPECS: dict[str, ExportSpec] = {}


def export_register(spec: ExportSpec) -> None:
    _SPECS[spec.name] = spec


def export_response(request, name: str) -> HttpResponse:
    """The export of list `name` for the request's filter: the file at once when it is small,
    otherwise a background job and a redirect to its progress page."""
    spec = _SPECS[name]
    params = _params(request.GET)
    queryset = spec.queryset(request.user, _query(params))
    total = queryset.count()
    if total <= settings.EXPORT_INLINE_ROWS:
        rows = spec.rows(request.user, queryset)
        return xlsx_response(spec.title, spec.sheet, spec.headers, rows, widths=spec.widths)
    job, _ = export_start(actor=request.user, spec=spec, params=params, total=total)
    return redirect("core:export_job", job.pk)


def export_start(*, actor, spec: ExportSpec, params: dict, total: int) -> tuple[ExportJob, bool]:
    """Queue the export (True), or the same export of `actor` still queued or running (False)."""
    key = hashlib.sha256(json.dumps([spec.name, params], sort_keys=True).encode()).hexdigest()
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                user_id=actor.pk,
                name=spec.name,
                params=params,
                key=key,
                title=spec.title,
                total_rows=total,
            )
    except IntegrityError:  # already queued or running: show that one
        running = ExportJob.objects.filter(
            user_id=actor.pk, key=key, state__in=ACTIVE_EXPORT_STATES
        ).first()
        if running is None:  # it finished in between: start afresh
            return export_start(actor=actor, spec=spec, params=params, total=total)
        return running, False
    transaction.on_commit(lambda: _enqueue(job.pk, spec.title))
    return job, True


def _enqueue(job_id: int, title: str) -> None:
    if settings.Q_CLUSTER.get("sync"):  # tests: as compliance and monitoring do
        export_run(job_id)
        return
    from django_q.tasks import async_task

    async_task(
        "govmedia.core.exports.export_run",
        job_id,
        q_options={"task_name": f"导出：{title}", "group": "exports"},
    )


def export_run(job_id: int) -> str:
    """The task: claim the queued job (a conditional UPDATE: run once), write the file."""
    if not ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING
    ):
        return "该导出已由其他任务处理"
    job = ExportJob.objects.get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job_id)
    try:
        spec = _SPECS[job.name]
        user = get_user_model().objects.get(pk=job.user_id)
        rows = spec.rows(user, spec.queryset(user, _query(job.params)))
        counted = _Counted(rows)
        content = xlsx_bytes(
            spec.sheet,
            spec.headers,
            counted,
            widths=spec.widths,
            progress=_at_most_every(PROGRESS_SECONDS, lambda n: jobs.update(done_rows=n)),
        )
    except Exception as exc:  # the page says it failed; the log says why
        logger.exception("后台导出 %s 失败", job_id)
        jobs.update(
            state=ExportState.FAILED,
            error=f"{type(exc).__name__}"[:500],
            finished_at=timezone.now(),
        )
        return f"导出失败：{job.title}"
    jobs.update(
        state=ExportState.DONE,
        content=content,
        filename=stamped(spec.title),
        done_rows=counted.count,
        total_rows=counted.count,
        finished_at=timezone.now(),
    )
    return f"已导出 {job.title}：{counted.count} 行"


def _at_most_every(seconds: float, report: Callable[[int], object], clock=time.monotonic):
    """`report`, called only when `seconds` have passed since the last call (or the start)."""
    due = clock() + seconds

    def throttled(rows: int) -> None:
        nonlocal due
        if (now := clock()) >= due:
            report(rows)
            due = now + seconds

    return throttled


class _Counted:
    def __init__(self, rows: Iterable):
        self._rows, self.count = rows, 0

    def __iter__(self):
        for row in self._rows:
            self.count += 1
            yield row


def _params(query: QueryDict) -> dict[str, list[str]]:
    return {key: query.getlist(key) for key in sorted(query) if key not in IGNORED_PARAMETERS}


def _query(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    return query
