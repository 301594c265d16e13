"""Two reviewers deciding one step at the same moment, a publish clicked twice at once, two
sweeps and two scheduled-publishing workers running together: each applies once.

Real threads, each with its own database connection, started together (tests.concurrency). On
PostgreSQL the article's row lock (SELECT … FOR UPDATE) makes the second wait and then find the
step decided (or the unique index, the publication taken); on SQLite the IMMEDIATE transactions
serialize them the same way. CI runs them on PostgreSQL.
"""

from functools import partial

import pytest

from govmedia.publishing import services
from govmedia.publishing.models import Publication, ReviewDecision
from tests.concurrency import codes, race
from tests.publishing.helpers import (
    ALL_CHECKS,
    NOW,
    active_step,
    approved,
    fresh,
    step_spec,
    submit,
    target_of,
    write,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_decisions_on_one_step_apply_once(newsroom):
    n = newsroom
    services.review_flow_update(
        actor=n.tian_unit_admin,
        flow_id=n.flow.pk,
        version=n.flow.version,
        steps=[step_spec("first", [n.tian_reviewer, n.tian_leader])],  # one of them suffices
    )
    article = write(n)
    submit(n, article)
    step = active_step(article)  # both reviewers read the step at the same version

    def approve(actor):
        services.review_decide(
            actor=actor,
            run_step_id=step.pk,
            version=step.version,
            decision="approve",
            revision_hash=step.run.revision_hash,
            checks=ALL_CHECKS,
            now=NOW,
        )
        return "approved"

    outcomes = codes(race(partial(approve, n.tian_reviewer), partial(approve, n.tian_leader)))
    assert sorted(outcomes) == ["approved", "conflict"]
    assert ReviewDecision.objects.count() == 1
    assert fresh(step).state == "approved" and fresh(article).state == "approved"


def test_a_publish_clicked_twice_at_once_applies_once(newsroom):
    n = newsroom
    article = approved(n)
    target = target_of(article, n.wechat)
    version = fresh(article).version

    def click():
        services.publication_publish(
            actor=n.tian_editor,
            article_id=article.pk,
            target_id=target.pk,
            version=version,
            at=NOW.replace(year=2099),  # scheduled: nothing leaves the test
            now=NOW,
        )
        return "queued"

    assert sorted(codes(race(click, click))) == ["conflict", "queued"]
    assert Publication.objects.count() == 1


def test_two_sweeps_at_once_remind_once(newsroom):
    from govmedia.notifications.models import Notification
    from govmedia.publishing.tasks import sweep

    submit(newsroom, write(newsroom))
    late = NOW.replace(hour=17)  # 初审 was due at 15:30
    results = codes(race(partial(sweep, now=late), partial(sweep, now=late)))
    assert sorted(r.reminded for r in results) == [0, 1]
    assert Notification.objects.filter(kind="review_overdue").count() == 1


def test_two_workers_on_one_scheduled_publication_send_it_once(newsroom, on_fakes):
    from datetime import timedelta

    from govmedia.publishing import tasks

    n = newsroom
    article = approved(n)
    services.publication_publish(
        actor=n.tian_editor,
        article_id=article.pk,
        target_id=target_of(article, n.wechat).pk,
        version=fresh(article).version,
        at=NOW + timedelta(hours=1),
        now=NOW,
    )
    due = NOW + timedelta(hours=2)
    codes(race(partial(tasks.publish_due, now=due), partial(tasks.publish_due, now=due)))
    assert on_fakes.wechat.request_count("/cgi-bin/freepublish/submit") == 1
    assert Publication.objects.get().state == "publishing"
