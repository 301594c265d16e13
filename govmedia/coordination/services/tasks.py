"""A repost task's life after it is issued: reported by link, completed by the pull, exempted.

Completion is written in one place, `complete_tasks`, under the tasks' row locks: the pull's
detection and a unit's report that finds the post already pulled may both reach a task at once,
and the second finds it completed and records nothing (a row lock, and a unique index on the
post, make it one completion).
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import Entry, audit_record_many, snapshot
from govmedia.core import bulksql
from govmedia.core.errors import ServiceError
from govmedia.core.scope import get_scoped
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.monitoring.models import Post
from govmedia.notifications.models import NotificationKind

from ..lifecycle import TASK
from ..models import OPEN_STATES, RepostTask, TaskState
from .common import link, locked_task, notify_unit, save_audited

MAX_REASON = 2000
AUDITED = [
    "state",
    "post",
    "score",
    "match_reason",
    "completed_at",
    "completed_via",
    "late",
    "reported_url",
    "exempt_reason",
]


def url_key(url: str) -> str:
    """A link as compared with a pulled post's: scheme and host in lower case, http as https,
    no fragment, no trailing slash."""
    parts = urlsplit((url or "").strip())
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, parts.netloc.lower(), path, parts.query, ""))


def clean_url(value) -> str:
    url = clean_text(value, field="url", label="转载链接", required=True, max_length=1000)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ServiceError("转载链接应为以 http:// 或 https:// 开头的网址", field="url")
    return url


def _scoped_locked(actor, task_id, action: str) -> RepostTask:
    """The task, checked within the actor's scope first (404 otherwise), then locked."""
    get_scoped(RepostTask.objects.all(), actor, task_id, action)
    return locked_task(task_id)


def repost_task_report(
    *, actor, task_id: int, version, url: str, now: datetime | None = None
) -> RepostTask:
    """The unit reports its repost by link. If the post at that link is already pulled and is
    a repost of the source, the task is completed at once; otherwise the next pull confirms."""
    url = clean_url(url)
    now = now or timezone.now()
    with transaction.atomic():
        task = _scoped_locked(actor, task_id, "complete")
        check_version(task, version, noun="转载任务")
        TASK.check(task, "report", actor)
        before = snapshot(task, AUDITED)
        task.state = TaskState.CLAIMED
        task.reported_url, task.reported_by, task.reported_at = url, actor, now
        task.match_reason = ""
        save_audited(
            task, before, actor=actor, action="repost_task.report", org=task.org, fields=AUDITED
        )
        post = reported_post(task)
    if post is not None:
        from ..detection import confirm_report

        confirm_report(task.pk, post, now=now)
        task.refresh_from_db()
    return task


def reported_post(task: RepostTask) -> Post | None:
    """The pulled post of the task's account at the reported link, if it is pulled yet."""
    key = url_key(task.reported_url)
    if not key:
        return None
    candidates = Post.objects.filter(
        account_id=task.account_id, deleted_at__isnull=True, url__contains=urlsplit(key).netloc
    ).order_by("-published_at")
    for post in candidates.only("pk", "url")[:500]:
        if url_key(post.url) == key:
            return Post.objects.get(pk=post.pk)
    return None


def repost_task_exempt(*, actor, task_id: int, version, reason: str, now=None) -> RepostTask:
    """The issuer exempts a task (the account need not repost), with the reason."""
    reason = clean_text(
        reason, field="reason", label="豁免理由", required=True, max_length=MAX_REASON
    )
    now = now or timezone.now()
    with transaction.atomic():
        task = _scoped_locked(actor, task_id, "issue")
        check_version(task, version, noun="转载任务")
        TASK.check(task, "exempt", actor)
        before = snapshot(task, AUDITED)
        task.state = TaskState.EXEMPTED
        task.exempt_reason, task.exempted_by, task.exempted_at = reason, actor, now
        save_audited(
            task,
            before,
            actor=actor,
            action="repost_task.exempt",
            org=task.campaign.org,
            fields=AUDITED,
        )
        notify_unit(
            task.org,
            kind=NotificationKind.REPOST_EXEMPTED,
            obj=task.campaign,
            url=link("coordination:campaign", campaign_id=task.campaign_id),
            message=f"{task.account.name}的转载任务“{task.campaign.title[:60]}”已豁免：{reason[:100]}",
        )
    return task


@dataclass(frozen=True)
class Found:
    """A pulled post judged the repost of a task's source."""

    task_id: int
    post: Post
    score: int
    via: str


# A completion's values, as the rows of one UPDATE … FROM (core.bulksql): the row's name →
# the task field whose type it takes (the names differ from the task's columns).
COMPLETION_ROW = {
    "task_id": "id",
    "new_state": "state",
    "new_post": "post",
    "new_score": "score",
    "new_completed_at": "completed_at",
    "new_recorded_at": "recorded_at",
    "new_via": "completed_via",
    "new_late": "late",
}
COMPLETION_SET = {
    "state": "v.new_state",
    "post_id": "v.new_post",
    "score": "v.new_score",
    "match_reason": "''",
    "completed_at": "v.new_completed_at",
    "recorded_at": "v.new_recorded_at",
    "completed_via": "v.new_via",
    "late": "v.new_late",
    "version": "version + 1",
}


def complete_tasks(found: list[Found], *, now: datetime | None = None) -> list[int]:
    """Record reposts (the pull's act, never a person's); the ids of the tasks this call
    completed. A task already completed or exempted, or a post already counted for a task,
    records nothing. The tasks are locked in id order in one transaction and re-checked under
    the lock; the completions are written by one UPDATE and their audit events together, so a
    pull that finds a thousand reposts costs a few statements, not one a task."""
    if not found:
        return []
    now = now or timezone.now()
    with transaction.atomic():
        tasks = _locked_tasks({f.task_id for f in found})
        used = set(
            RepostTask.objects.filter(post_id__in=[f.post.pk for f in found]).values_list(
                "post_id", flat=True
            )
        )
        done, entries = [], []
        for f in found:
            task = tasks.get(f.task_id)
            if task is None or task.state not in OPEN_STATES or f.post.pk in used:
                continue
            TASK.check(task, "complete")
            before = snapshot(task, AUDITED)
            task.state = TaskState.COMPLETED
            task.post_id, task.score, task.match_reason = f.post.pk, f.score, ""
            task.completed_at, task.recorded_at = f.post.published_at, now
            task.completed_via = f.via
            task.late = f.post.published_at > task.due_at
            task.version += 1
            used.add(f.post.pk)
            done.append(task)
            entries.append(
                Entry(obj=task, org=task.org, before=before, after=snapshot(task, AUDITED))
            )
        if done:
            _write_completions(done)
            audit_record_many(actor=None, action="repost_task.complete", entries=entries)
    return [task.pk for task in done]


def _locked_tasks(ids: set[int]) -> dict[int, RepostTask]:
    """The tasks, locked in id order (two pulls' overlapping sets cannot deadlock), with what
    their audit events name."""
    rows = (
        RepostTask.objects.select_for_update(of=("self",))
        .select_related("campaign", "account__platform", "org")
        .filter(pk__in=sorted(ids))
        .order_by("pk")
    )
    return {task.pk: task for task in rows}


def _write_completions(tasks: list[RepostTask]) -> None:
    """The completed tasks' new values, one UPDATE … FROM for them all (the rows are locked
    and were checked open; the version moves on in SQL as it did on each instance)."""
    rows = [
        (
            t.pk,
            t.state,
            t.post_id,
            t.score,
            t.completed_at,
            t.recorded_at,
            t.completed_via,
            t.late,
        )
        for t in tasks
    ]
    bulksql.update_from_rows(RepostTask, COMPLETION_ROW, rows, key="id", assignments=COMPLETION_SET)


def complete_task(
    task_id: int, *, post: Post, score: int, via: str, now: datetime | None = None
) -> bool:
    """One repost (a reported link confirmed): whether this call completed the task."""
    return bool(complete_tasks([Found(task_id, post, score, via)], now=now))


def note_unconfirmed(task_id: int, *, reason: str) -> None:
    """The post at the reported link is no repost of the source: the task stays reported,
    with why, for the unit to correct and the issuer to see."""
    message = f"报送链接的内容与原文不一致：{reason}"[:500]
    with transaction.atomic():
        task = locked_task(task_id)
        if task.state != TaskState.CLAIMED or task.match_reason == message:
            return
        task.match_reason = message
        task.version += 1
        task.save(update_fields=["match_reason", "version"])
