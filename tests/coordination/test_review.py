"""A repost is content (通知第四部分（二）先审后发): reviewed by the unit's 转载 flow unless the
district office exempted the task from review (govmedia/coordination/review.py)."""

from datetime import timedelta

import pytest

from govmedia.coordination import services
from govmedia.coordination.detection import detect_reposts
from govmedia.coordination.models import TaskState
from govmedia.core.errors import Forbidden, NotFound
from govmedia.publishing import services as publishing
from govmedia.publishing.models import ArticleState, ContentClass, MatchState, ReviewRun
from govmedia.publishing.unapproved import match_posts
from tests.coordination.helpers import ISSUED, REPOST, issue, repost, task_of
from tests.publishing.helpers import NOW, active_step, decide, fresh, step_spec, submit
from tests.publishing.unapproved.helpers import judged

pytestmark = pytest.mark.django_db


def pulled_repost(account, text=REPOST, *, at=None):
    post = repost(account, text, at=at)
    detect_reposts([post.pk], now=NOW + timedelta(hours=2))
    return judged(post)


def test_a_repost_published_without_review_completes_the_task_and_is_a_finding(matrix):
    m = matrix
    campaign = issue(m, rule={"account_ids": [m.wechat.pk]})
    match = pulled_repost(m.wechat)
    assert task_of(campaign, m.wechat).state == TaskState.COMPLETED
    assert match.state == MatchState.UNAPPROVED


def test_a_repost_of_a_task_exempted_from_review_is_no_finding(matrix):
    m = matrix
    campaign = issue(m, rule={"account_ids": [m.wechat.pk, m.weibo.pk]}, review_exempt=True)
    assert campaign.review_exempt
    match = pulled_repost(m.wechat)
    assert task_of(campaign, m.wechat).state == TaskState.COMPLETED
    assert match.state == MatchState.EXEMPT and match.revision is None
    assert campaign.title in match.reason
    # Not a target of the task: the same text is reviewed like any post.
    assert pulled_repost(m.chen_wechat).state == MatchState.UNAPPROVED
    # Published before the task was issued: not covered by the exemption.
    assert pulled_repost(m.weibo, at=ISSUED - timedelta(minutes=30)).state == (
        MatchState.UNAPPROVED
    )
    # Another text on an exempted task's account is judged as usual.
    other = repost(m.wechat, "天中街道今天开展冬季消防安全检查。\n请居民注意用火用电安全。")
    assert judged(other).state == MatchState.UNAPPROVED


def test_a_task_exempted_from_reposting_exempts_nothing_from_review(matrix):
    m = matrix
    campaign = issue(m, rule={"account_ids": [m.wechat.pk]}, review_exempt=True)
    task = task_of(campaign, m.wechat)
    services.repost_task_exempt(
        actor=m.alice, task_id=task.pk, version=task.version, reason="账号停更整改中"
    )
    post = repost(m.wechat)
    match_posts([post.pk])
    post.refresh_from_db()
    assert post.match.state == MatchState.UNAPPROVED


def test_only_the_district_office_exempts_reposts_from_review(matrix):
    m = matrix
    with pytest.raises(Forbidden) as refused:
        issue(m, actor=m.tian_unit_admin, review_exempt=True)
    assert refused.value.field == "review_exempt"


def test_the_repost_draft_goes_through_the_units_repost_flow(matrix):
    m = matrix
    # 天中's shorter flow for 转载: one step.
    publishing.review_flow_create(
        actor=m.tian_unit_admin,
        org_id=m.tian.pk,
        name="天中街道转载审核",
        steps=[step_spec("first", [m.tian_reviewer])],
        content_class=ContentClass.REPOST,
    )
    campaign = issue(m, rule={"account_ids": [m.wechat.pk]})
    task = task_of(campaign, m.wechat)
    article = services.repost_task_draft(actor=m.tian_editor, task_id=task.pk)
    assert services.repost_task_draft(actor=m.tian_editor, task_id=task.pk) == article
    assert article.content_class == ContentClass.REPOST and article.org == m.tian
    assert list(article.targets.values_list("account_id", flat=True)) == [m.wechat.pk]
    revision = article.current_revision
    assert "每户每年800元" in revision.body_text and "来源：定陶发布" in revision.body_text
    assert fresh(task).article == article
    run = submit(m, article)
    assert run.flow.name == "天中街道转载审核" and run.steps.count() == 1
    decide(m.tian_reviewer, active_step(article))
    assert fresh(article).state == ArticleState.APPROVED
    assert ReviewRun.objects.get(pk=run.pk).state == "approved"
    # Published as approved: the pull matches it to the revision and completes the task.
    match = pulled_repost(m.wechat, revision.body_text, at=NOW + timedelta(hours=1))
    assert match.state == MatchState.MATCHED and match.revision == revision
    assert task_of(campaign, m.wechat).state == TaskState.COMPLETED


def test_a_task_exempted_from_review_needs_no_draft_and_others_may_not_draft(matrix):
    m = matrix
    exempt = issue(m, rule={"account_ids": [m.wechat.pk]}, review_exempt=True)
    with pytest.raises(Forbidden):
        services.repost_task_draft(actor=m.tian_editor, task_id=task_of(exempt, m.wechat).pk)
    reviewed = issue(m, rule={"account_ids": [m.wechat.pk]})
    with pytest.raises(NotFound):  # 陈集 does not see 天中's task
        services.repost_task_draft(actor=m.chen_editor, task_id=task_of(reviewed, m.wechat).pk)
