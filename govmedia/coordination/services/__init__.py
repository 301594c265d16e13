"""Writes of 协同转载: issuing a repost task (campaigns.py), a task's report, exemption and
completion (tasks.py), manual reminders (reminders.py), and 发布申请 (requests.py). Each is
`<noun>_<verb>(*, actor, …)` (completion is the pull's), atomic, audited in the same
transaction; notifications are rows written in that transaction."""

from .campaigns import repost_campaign_issue, resolve_source
from .drafts import repost_task_draft
from .reminders import repost_tasks_remind
from .requests import (
    publish_request_accept,
    publish_request_mark_published,
    publish_request_return,
    publish_request_submit,
    publish_request_withdraw,
)
from .tasks import (
    Found,
    complete_task,
    complete_tasks,
    note_unconfirmed,
    repost_task_exempt,
    repost_task_report,
    url_key,
)

__all__ = [
    "Found",
    "complete_task",
    "complete_tasks",
    "note_unconfirmed",
    "publish_request_accept",
    "publish_request_mark_published",
    "publish_request_return",
    "publish_request_submit",
    "publish_request_withdraw",
    "repost_campaign_issue",
    "repost_task_draft",
    "repost_task_exempt",
    "repost_task_report",
    "repost_tasks_remind",
    "resolve_source",
    "url_key",
]
