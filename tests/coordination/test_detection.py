"""Completion detected from pulled posts: a repost with its own title prefix and a 来源 line,
an abridged one, an unrelated post of the same day (not taken), a late repost (late, never
missing), a post older than the source, and the subscription to monitoring's POSTS_INGESTED."""

from datetime import timedelta

import pytest
from django.db import transaction

from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import Outcome, TaskState
from govmedia.coordination.selectors import campaign_counts
from govmedia.monitoring.events import POSTS_INGESTED
from tests.coordination.helpers import (
    ABRIDGED,
    DUE_4H,
    UNRELATED,
    fresh,
    issue,
    repost,
    source_post,
    task_of,
)
from tests.publishing.helpers import NOW

pytestmark = pytest.mark.django_db


def test_a_repost_with_a_prefix_and_a_source_line_completes_its_task(matrix):
    m = matrix
    campaign = issue(m)
    ours = repost(m.wechat, at=NOW + timedelta(hours=2))
    other = repost(m.chen_wechat, UNRELATED, at=NOW + timedelta(hours=2))
    stats = detect_reposts([ours.pk, other.pk], now=NOW + timedelta(hours=3))
    assert stats.completed == 1
    task = task_of(campaign, m.wechat)
    assert task.state == TaskState.COMPLETED and task.post == ours
    assert task.completed_via == "auto" and not task.late
    assert 70 <= task.score <= 100
    assert task.outcome == Outcome.ON_TIME
    assert task.took == timedelta(hours=2)
    # 陈集's post of the same day is about something else: its task stays open.
    chen = task_of(campaign, m.chen_wechat)
    assert chen.state == TaskState.OPEN and chen.post is None


def test_an_unrelated_post_of_the_same_day_is_not_taken_for_the_repost(matrix):
    m = matrix
    campaign = issue(m)
    unrelated = repost(m.wechat, UNRELATED, at=NOW + timedelta(hours=1))
    detect_reposts([unrelated.pk])
    assert task_of(campaign, m.wechat).state == TaskState.OPEN
    later = repost(m.wechat, at=NOW + timedelta(hours=3))
    detect_reposts([later.pk])
    assert task_of(campaign, m.wechat).post == later


def test_an_abridged_repost_counts(matrix):
    m = matrix
    campaign = issue(m)
    post = repost(m.wechat, ABRIDGED)
    detect_reposts([post.pk])
    task = task_of(campaign, m.wechat)
    assert task.state == TaskState.COMPLETED and task.score >= 70


def test_only_the_first_paragraph_is_not_a_repost(matrix):
    m = matrix
    campaign = issue(m)
    teaser = repost(
        m.wechat, "定陶区2026年冬季清洁取暖补贴政策发布，全区符合条件的农村居民家庭可申请补贴。"
    )
    detect_reposts([teaser.pk])
    assert task_of(campaign, m.wechat).state == TaskState.OPEN


def test_a_repost_after_the_deadline_is_late_not_missing(matrix):
    m = matrix
    campaign = issue(m)
    assert fresh(campaign).due_at == DUE_4H
    post = repost(m.wechat, at=DUE_4H + timedelta(hours=20))
    detect_reposts([post.pk], now=DUE_4H + timedelta(days=1))
    task = task_of(campaign, m.wechat)
    assert task.state == TaskState.COMPLETED and task.late
    assert task.outcome == Outcome.LATE
    counts = campaign_counts([campaign.pk], now=DUE_4H + timedelta(days=1))[campaign.pk]
    assert counts[Outcome.LATE] == 1
    assert counts[Outcome.MISSING] == 1  # 陈集's account, still not reposted
    assert counts[Outcome.ON_TIME] == 0 and counts["total"] == 2


def test_a_post_older_than_the_source_is_no_repost(matrix):
    m = matrix
    campaign = issue(m)
    old = repost(m.wechat, at=NOW - timedelta(days=2))
    detect_reposts([old.pk])
    assert task_of(campaign, m.wechat).state == TaskState.OPEN


def test_one_post_completes_one_task_and_a_task_completes_once(matrix):
    m = matrix
    campaign = issue(m)
    first = repost(m.wechat)
    second = repost(m.wechat, at=NOW + timedelta(hours=2))
    detect_reposts([first.pk, second.pk])
    detect_reposts([first.pk, second.pk])
    task = task_of(campaign, m.wechat)
    assert task.post == first
    from govmedia.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="repost_task.complete").count() == 1


def test_the_subscription_judges_after_the_pull_commits(matrix, django_capture_on_commit_callbacks):
    m = matrix
    campaign = issue(m)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        post = repost(m.wechat)
        POSTS_INGESTED.publish(post_ids=[post.pk])
        assert task_of(campaign, m.wechat).state == TaskState.OPEN  # not before commit
    assert task_of(campaign, m.wechat).post == post


def test_an_approved_article_is_a_source(matrix):
    from tests.publishing.helpers import approved

    m = matrix
    article = approved(m, body="".join(f"<p>{line}</p>" for line in ABRIDGED.split("\n")[2:]))
    campaign = issue(
        m, source=article, source_kind="article", rule={"account_ids": [m.chen_wechat.pk]}
    )
    assert campaign.source_revision_id == fresh(article).current_revision_id
    post = repost(m.chen_wechat, ABRIDGED)
    detect_reposts([post.pk])
    assert task_of(campaign, m.chen_wechat).state == TaskState.COMPLETED


def test_the_same_source_issued_twice_is_two_reposts(matrix):
    m = matrix
    source = source_post(m)
    first, second = issue(m, source=source), issue(m, source=source)
    detect_reposts([repost(m.wechat, at=NOW + timedelta(hours=1)).pk])
    detect_reposts([repost(m.wechat, ABRIDGED, at=NOW + timedelta(hours=2)).pk])
    assert task_of(first, m.wechat).state == TaskState.COMPLETED
    assert task_of(second, m.wechat).state == TaskState.COMPLETED
    assert task_of(first, m.wechat).post != task_of(second, m.wechat).post
