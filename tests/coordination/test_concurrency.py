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


def test_two_submits_of_one_publish_request_at_once_make_one(site):
    """A double click on 提交发布申请: the article's row lock (and the unique index on the open
    request of an article) make the second find the first's request."""
    from datetime import timedelta

    from govmedia.coordination.models import PublishRequest
    from govmedia.notifications.models import Notification, NotificationKind
    from tests.concurrency import returned
    from tests.publishing.helpers import NOW

    m = site

    def submit():
        return services.publish_request_submit(
            actor=m.tian_editor,
            article_id=m.article.pk,
            account_ids=[m.district_wechat.pk],
            proposed_at=NOW + timedelta(days=1),
            now=NOW,
        ).pk

    first, second = returned(race(submit, submit))
    assert first == second and PublishRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="publish_request.submit").count() == 1
    assert Notification.objects.filter(kind=NotificationKind.PUBLISH_REQUESTED).count() == 1


def test_two_reminders_at_once_send_one(matrix):
    """Two clicks on 催办 (or the issuer and a colleague) at the same moment: the conditional
    UPDATE of the task's 催办 day lets one through."""
    from govmedia.notifications.models import Notification, NotificationKind
    from tests.concurrency import returned
    from tests.publishing.helpers import NOW

    m = matrix
    campaign = issue(m, rule={"account_ids": [m.wechat.pk]})

    def remind():
        result = services.repost_tasks_remind(actor=m.alice, campaign_id=campaign.pk, now=NOW)
        return len(result.reminded)

    assert sorted(returned(race(remind, remind))) == [0, 1]
    assert Notification.objects.filter(kind=NotificationKind.REPOST_REMINDED).count() == 1
    assert AuditEvent.objects.filter(action="repost_task.remind").count() == 1
