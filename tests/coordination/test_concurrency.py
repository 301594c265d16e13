"""Completion by the pull and by the unit's report at the same moment records one completion.

Real threads with their own connections (tests.concurrency.race). On PostgreSQL the task's row
lock makes the second wait and find the task completed; on SQLite the IMMEDIATE transactions
serialize them. CI runs it on PostgreSQL; with TEST_DATABASE_URL set, a SQLite run fails.
"""

import os
from functools import partial

import pytest
from django.db import connection

from govmedia.audit.models import AuditEvent
from govmedia.coordination import services
from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import RepostTask, TaskState
from tests.concurrency import race
from tests.coordination.helpers import issue, repost, task_of

pytestmark = pytest.mark.django_db(transaction=True)
LINK = "https://mp.weixin.qq.com/s/tianzhong-repost-race"


def test_the_pull_and_a_report_at_once_record_one_completion(matrix):
    if os.environ.get("TEST_DATABASE_URL"):
        assert connection.vendor == "postgresql"
    m = matrix
    task = task_of(issue(m), m.wechat)
    post = repost(m.wechat, url=LINK)

    def report():
        return services.repost_task_report(
            actor=m.tian_editor, task_id=task.pk, version=task.version, url=LINK
        ).state

    def pull():
        return detect_reposts([post.pk]).completed

    outcomes = race(report, pull)
    task = RepostTask.objects.get(pk=task.pk)
    assert task.state == TaskState.COMPLETED and task.post == post
    assert (
        AuditEvent.objects.filter(action="repost_task.complete", object_id=str(task.pk)).count()
        == 1
    )
    # Whichever came first completed it; the other found it done (a conflict for the report).
    report_outcome, pulled = outcomes
    assert pulled in (0, 1)
    if pulled == 1:
        assert getattr(report_outcome, "code", report_outcome) in ("conflict", TaskState.COMPLETED)
    else:
        assert report_outcome == TaskState.COMPLETED


@pytest.mark.parametrize("rounds", range(3))
def test_two_pulls_of_one_post_at_once_complete_once(matrix, rounds):
    m = matrix
    task = task_of(issue(m), m.wechat)
    post = repost(m.wechat)
    results = race(partial(detect_reposts, [post.pk]), partial(detect_reposts, [post.pk]))
    assert sorted(r.completed for r in results) == [0, 1]
    assert (
        AuditEvent.objects.filter(action="repost_task.complete", object_id=str(task.pk)).count()
        == 1
    )
