"""Completion detected from pulled posts: a repost with its own title prefix and a 来源 line,
an abridged one, an unrelated post of the same day (not taken), a late repost (late, never
missing), a post older than the source, and the subscription to monitoring's POSTS_INGESTED."""

from datetime import timedelta

import pytest
from django.db import transaction

from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import Outcome, RepostCampaign, RepostTask, TaskState
from govmedia.coordination.selectors import campaign_counts
from govmedia.core.errors import ServiceError
from govmedia.monitoring.events import POSTS_INGESTED
from govmedia.publishing.models import ArticleState
from tests.conftest import logged_in_client
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
from tests.publishing.helpers import (
    NOW,
    active_step,
    approved,
    decide,
    revise,
    submit,
    write,
)

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


NOT_APPROVED = "该稿件的当前版本尚未审核通过，不能作为转载来源"


def test_an_article_not_approved_is_no_source_and_nothing_is_issued(matrix):
    m = matrix
    draft = write(m, title="天中街道草稿")
    in_review = write(m, title="天中街道审核中的稿件")
    submit(m, in_review)
    decide(m.tian_reviewer, active_step(in_review))  # 初审 passed, 终审 still to come
    revised = approved(m, title="天中街道通过后又修改的稿件")
    revise(m, revised)  # the approved revision is no longer the current one
    states = [fresh(a).state for a in (draft, in_review, revised)]
    assert states == [ArticleState.DRAFT, ArticleState.IN_REVIEW, ArticleState.DRAFT]
    client = logged_in_client(m.alice)
    for article in (draft, in_review, revised):
        with pytest.raises(ServiceError) as caught:
            issue(m, source=article, source_kind="article", rule={"account_ids": [m.wechat.pk]})
        assert (caught.value.message, caught.value.field) == (NOT_APPROVED, "source_id")
        data = {
            "source_kind": "article",
            "source_id": article.pk,
            "rule": {"account_ids": [m.wechat.pk]},
            "deadline_value": 4,
            "deadline_unit": "hours",
        }
        response = client.post(
            "/api/v1/coordination/campaigns", data=data, content_type="application/json"
        )
        assert response.status_code == 400, response.content
        assert response.json()["message"] == NOT_APPROVED
        assert response.json()["field"] == "source_id"
        # The issue page does not offer it, and refuses it when sent anyway.
        assert f"article:{article.pk}" not in client.get("/coordination/new/").content.decode()
        form = {
            "source": f"article:{article.pk}",
            "account_ids": [m.wechat.pk],
            "deadline_value": "4",
            "deadline_unit": "hours",
            "priority": "high",
            "issue": "1",
            "expected_count": "1",
        }
        response = client.post("/coordination/new/", form)
        assert response.status_code == 200
        page = response.content.decode()
        assert "所选转载来源不可用：须为本单位范围内近 30 天的已发布内容" in page
        assert f"article:{article.pk}" not in page  # not the internal value
    assert not RepostCampaign.objects.exists() and not RepostTask.objects.exists()


def test_the_same_source_issued_twice_is_two_reposts(matrix):
    m = matrix
    source = source_post(m)
    first, second = issue(m, source=source), issue(m, source=source)
    detect_reposts([repost(m.wechat, at=NOW + timedelta(hours=1)).pk])
    detect_reposts([repost(m.wechat, ABRIDGED, at=NOW + timedelta(hours=2)).pk])
    assert task_of(first, m.wechat).state == TaskState.COMPLETED
    assert task_of(second, m.wechat).state == TaskState.COMPLETED
    assert task_of(first, m.wechat).post != task_of(second, m.wechat).post


def test_a_repost_completes_its_task_though_the_same_text_was_issued_again_since(matrix):
    m = matrix
    first = issue(m)
    again = NOW + timedelta(days=1)
    issue(m, source=source_post(m, published_at=again - timedelta(hours=1)), now=again)
    post = repost(m.wechat, at=NOW + timedelta(hours=2))  # a repost of the first, on time
    detect_reposts([post.pk], now=again + timedelta(hours=1))  # pulled after the second issue
    assert task_of(first, m.wechat).post == post
