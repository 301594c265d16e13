"""先审后发、授权发布 against the fake platforms: only the approved revision of a finished run,
only by an authorised publisher, only to the article's targets; the background job re-reads all
of it when it runs, so an edit, a deletion or a withdrawal stops a queued or scheduled one."""

from datetime import datetime, timedelta

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core import request_context
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.notifications.models import Notification
from govmedia.publishing import services, tasks
from govmedia.publishing.models import Article, Publication, PublishGrant
from tests.publishing.helpers import (
    BODY,
    CHINA,
    NOW,
    SOURCE,
    active_step,
    add_picture,
    approve_all,
    approved,
    decide,
    fresh,
    publish,
    revise,
    submit,
    target_of,
    write,
)

pytestmark = pytest.mark.django_db

DRAFT_ADD = "/cgi-bin/draft/add"
SUBMIT = "/cgi-bin/freepublish/submit"
SHARE = "/2/statuses/share.json"


def run_job(publication, now=NOW):
    """The background job as django-q would run it, then WeChat's poll."""
    result = tasks.publish(publication.pk, now=now)
    if fresh(publication).state == "publishing" and fresh(publication).ticket:
        tasks.poll_publication(publication.pk, now=now)
    return result


def test_an_approved_article_goes_out_to_the_fake_wechat(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    publication = publish(n, article, n.wechat)
    assert publication.state == "queued" and publication.revision == article.current_revision
    tasks.publish(publication.pk, now=NOW)
    publication = fresh(publication)
    assert publication.state == "publishing" and publication.ticket
    tasks.poll_publication(publication.pk, now=NOW)
    publication = fresh(publication)
    assert publication.state == "published", publication.error
    assert publication.url.startswith("http://mp.") and publication.post_id
    assert fresh(article).state == "published"
    drafted = on_fakes.wechat.app.drafted(publication.post_id)
    assert drafted["title"] == article.current_revision.title
    assert "天中街道冬季供暖服务热线" in drafted["content"]
    assert "mmbiz.qpic.cn" in drafted["content"]  # the body image uploaded and rewritten
    assert drafted["content_source_url"] == SOURCE
    actions = list(
        AuditEvent.objects.filter(
            object_type="publishing.publication", object_id=str(publication.pk)
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["publication.request", "publication.submitted", "publication.published"]
    assert Notification.objects.filter(
        kind="publication_done", recipient_user=n.tian_editor
    ).exists()


def test_a_double_submitted_publish_applies_once(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    publish(n, article, n.wechat)
    with pytest.raises(Conflict, match="已发布或正在发布"):
        publish(n, article, n.wechat)
    assert Publication.objects.count() == 1


def test_publishing_an_unapproved_article_is_refused(newsroom):
    n = newsroom
    article = write(n)
    add_picture(n, article)
    with pytest.raises(Conflict, match="草稿"):
        publish(n, article, n.wechat)
    submit(n, article)
    with pytest.raises(Conflict, match="审核中"):
        publish(n, article, n.wechat)
    decide(n.tian_reviewer, active_step(article))
    with pytest.raises(Conflict):
        publish(n, article, n.wechat)  # one step of two is not a finished run
    assert not Publication.objects.exists()


def test_a_withdrawn_or_returned_article_cannot_be_published(newsroom):
    n = newsroom
    withdrawn = write(n)
    add_picture(n, withdrawn)
    submit(n, withdrawn)
    services.article_withdraw(
        actor=n.tian_editor, article_id=withdrawn.pk, version=fresh(withdrawn).version
    )
    returned = write(n, title="天中街道周末便民集市")
    add_picture(n, returned)
    submit(n, returned)
    decide(n.tian_reviewer, active_step(returned), "return")
    for article in (withdrawn, returned):
        with pytest.raises(Conflict, match="不能发布"):
            publish(n, article, n.wechat)


def test_an_edit_after_approval_restarts_the_flow_and_the_old_approval_does_not_publish_it(
    newsroom, on_fakes
):
    n = newsroom
    article = approved(n)
    old = article.current_revision
    revise(n, article, body=old.body_html + "<p>另：热线电话改为0530-2219999。</p>")
    article = fresh(article)
    assert article.state == "draft" and article.current_revision != old
    with pytest.raises(Conflict):
        publish(n, article, n.wechat)
    # The new text goes through the whole flow again, then (only then) out.
    submit(n, article)
    approve_all(n, article)
    publication = publish(n, article, n.wechat)
    assert publication.revision == fresh(article).current_revision
    run_job(publication)
    drafted = on_fakes.wechat.app.drafted(fresh(publication).post_id)
    assert "0530-2219999" in drafted["content"]


def test_the_job_refuses_a_superseded_revision_and_never_calls_the_platform(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    publication = publish(n, article, n.wechat)
    revise(n, article)  # the edit cancels it …
    assert fresh(publication).state == "cancelled"
    # … and had the job already been taken off the queue, it re-reads and refuses on its own.
    Publication.objects.filter(pk=publication.pk).update(state="queued")
    result = tasks.publish(publication.pk, now=NOW)
    assert "已取消" in result and fresh(publication).state == "cancelled"
    assert "审核" in fresh(publication).cancel_reason
    assert on_fakes.wechat.request_count(DRAFT_ADD) == 0
    assert on_fakes.wechat.request_count(SUBMIT) == 0


def test_the_job_refuses_a_deleted_article(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    publication = publish(n, article, n.wechat)
    Article.objects.filter(pk=article.pk).update(deleted_at=NOW)  # deleted behind the queue
    tasks.publish(publication.pk, now=NOW)
    assert fresh(publication).state == "cancelled"
    assert fresh(publication).cancel_reason == "稿件已删除"
    assert on_fakes.wechat.request_count() == 0


def test_the_job_refuses_when_the_grant_was_revoked_meanwhile(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    publication = publish(n, article, n.wechat)
    PublishGrant.objects.filter(user=n.tian_editor).update(revoked_at=NOW)
    tasks.publish(publication.pk, now=NOW)
    assert fresh(publication).state == "cancelled"
    assert Notification.objects.filter(kind="publication_cancelled").exists()
    assert on_fakes.wechat.request_count() == 0


@pytest.mark.parametrize("change", ["edit", "delete", "withdraw"])
def test_a_scheduled_publish_whose_article_changed_does_not_reach_the_fake_server(
    newsroom, on_fakes, change
):
    n = newsroom
    article = approved(n)
    publication = publish(n, article, n.wechat, at=NOW + timedelta(hours=2))
    assert publication.state == "scheduled"
    if change == "edit":
        revise(n, article)
    elif change == "delete":
        services.article_delete(
            actor=n.tian_editor, article_id=article.pk, version=fresh(article).version
        )
    else:  # withdrawn after the edit and a new submission
        revise(n, article)
        submit(n, article)
        services.article_withdraw(
            actor=n.tian_editor, article_id=article.pk, version=fresh(article).version
        )
    assert fresh(publication).state == "cancelled"
    # Even put back behind the services' back, the scheduled job re-reads and refuses.
    Publication.objects.filter(pk=publication.pk).update(state="scheduled")
    tasks.publish_due(now=NOW + timedelta(hours=3))
    assert fresh(publication).state == "cancelled"
    assert on_fakes.wechat.request_count() == 0


def test_a_scheduled_publish_goes_out_when_due_and_once(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    publication = publish(n, article, n.wechat, at=NOW + timedelta(hours=2))
    assert "0 篇" in tasks.publish_due(now=NOW + timedelta(hours=1))
    assert "1 篇" in tasks.publish_due(now=NOW + timedelta(hours=2))
    assert "0 篇" in tasks.publish_due(now=NOW + timedelta(hours=2))
    assert on_fakes.wechat.request_count(SUBMIT) == 1
    tasks.poll_due(now=NOW + timedelta(hours=2, minutes=1))
    assert fresh(publication).state == "published"


def test_a_scheduled_publish_can_be_cancelled(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    publication = publish(n, article, n.wechat, at=NOW + timedelta(hours=2))
    with pytest.raises(Forbidden):
        services.publication_cancel(
            actor=n.tian_reviewer, publication_id=publication.pk, version=publication.version
        )
    services.publication_cancel(
        actor=n.tian_editor, publication_id=publication.pk, version=publication.version
    )
    assert fresh(publication).state == "cancelled"
    publish(n, article, n.wechat)  # the pair is free again


def test_only_to_the_articles_targets(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    other = approved(n, targets=[n.weibo], title="天中街道周末便民集市")
    with pytest.raises(NotFound):
        services.publication_publish(
            actor=n.tian_editor,
            article_id=article.pk,
            target_id=target_of(other, n.weibo).pk,
            version=fresh(article).version,
            now=NOW,
        )


def test_another_townships_publisher_cannot_publish(newsroom):
    n = newsroom
    article = approved(n)
    with pytest.raises(NotFound):
        publish(n, article, n.wechat, actor=n.chen_editor)
    with pytest.raises(Forbidden):
        publish(n, article, n.wechat, actor=n.tian_reviewer)  # in scope, but not authorised


def test_wechat_needs_a_cover(newsroom):
    n = newsroom
    article = approved(n, picture=False)
    with pytest.raises(ServiceError) as error:
        publish(n, article, n.wechat)
    assert error.value.field == "cover"


def test_a_failed_publication_frees_the_pair_for_another_try(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    on_fakes.wechat.app.fail_next_publish(4)
    publication = publish(n, article, n.wechat)
    run_job(publication)
    publication = fresh(publication)
    assert publication.state == "failed" and "审核不通过" in publication.error
    assert fresh(article).state == "approved"
    assert Notification.objects.filter(kind="publication_failed").exists()
    again = publish(n, article, n.wechat)
    run_job(again)
    assert fresh(again).state == "published"


def test_an_unknown_outcome_is_never_retried_blindly(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    on_fakes.wechat.misbehave("http_500", times=5, path=SUBMIT)
    publication = publish(n, article, n.wechat)
    tasks.publish(publication.pk, now=NOW)
    assert fresh(publication).state == "unknown"
    assert on_fakes.wechat.request_count(SUBMIT) == 1
    with pytest.raises(Conflict):
        publish(n, article, n.wechat)  # a person must look at the account first


def test_weibo_publishes_the_short_text_at_once(newsroom, on_fakes):
    n = newsroom
    article = approved(
        n,
        picture=False,
        targets=[n.weibo],
        title="供暖热线开通",
        body="<p>天中街道冬季供暖服务热线今日开通，详见：</p>",
    )
    with request_context.bound(request_context.RequestContext("req-1", ip="10.8.0.12")):
        publication = publish(n, article, n.weibo)
    tasks.publish(publication.pk, now=NOW)
    publication = fresh(publication)
    assert publication.state == "published", publication.error
    assert publication.url.startswith("https://weibo.com/")
    post = on_fakes.weibo.state.post(publication.post_id)
    assert post.text.startswith("天中街道冬季供暖服务热线今日开通") and SOURCE in post.text


def test_douyin_is_recorded_by_hand_after_approval(newsroom):
    n = newsroom
    article = approved(n, picture=False, targets=[n.douyin])
    with pytest.raises(ServiceError) as error:
        publish(n, article, n.douyin)
    assert error.value.code == "manual_only"
    record = dict(
        actor=n.tian_editor,
        article_id=article.pk,
        target_id=target_of(article, n.douyin).pk,
        url="https://www.douyin.com/video/7300000000000000001",
        now=NOW + timedelta(hours=1),
    )
    with pytest.raises(ServiceError, match="早于审核通过时间"):
        services.publication_record_manual(
            **record, version=fresh(article).version, published_at=NOW - timedelta(hours=1)
        )
    publication = services.publication_record_manual(
        **record, version=fresh(article).version, published_at=NOW + timedelta(minutes=30)
    )
    assert publication.manual and publication.state == "published"
    assert publication.requested_by == n.tian_editor
    assert fresh(article).state == "published"
    with pytest.raises(Conflict):
        services.publication_record_manual(
            **record, version=fresh(article).version, published_at=NOW + timedelta(minutes=30)
        )


def test_a_platform_with_an_api_is_not_recorded_by_hand(newsroom):
    n = newsroom
    article = approved(n)
    with pytest.raises(ServiceError, match="应通过本平台发布"):
        services.publication_record_manual(
            actor=n.tian_editor,
            article_id=article.pk,
            target_id=target_of(article, n.wechat).pk,
            version=fresh(article).version,
            url="https://mp.weixin.qq.com/s/abc",
            published_at=NOW,
            now=NOW,
        )


def test_a_published_article_is_not_deleted(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    run_job(publish(n, article, n.wechat))
    with pytest.raises(Conflict, match="已发布"):
        services.article_delete(
            actor=n.tian_editor, article_id=article.pk, version=fresh(article).version
        )


def test_the_body_as_published_is_the_approved_one(newsroom, on_fakes):
    n = newsroom
    article = approved(n, body=BODY + "<p>第二段。</p>")
    publication = publish(n, article, n.wechat)
    run_job(publication)
    content = on_fakes.wechat.app.drafted(fresh(publication).post_id)["content"]
    assert "第二段" in content
    assert datetime(2026, 11, 24, tzinfo=CHINA) <= fresh(publication).published_at


def test_what_the_platform_would_refuse_is_said_before_queueing(newsroom):
    n = newsroom
    long_title = approved(
        n, title="天中街道关于切实做好二〇二六年冬季城乡居民供暖服务保障工作的通知解读"
    )
    with pytest.raises(ServiceError) as error:
        publish(n, long_title, n.wechat)
    assert error.value.field == "title" and "32" in error.value.message
    long_status = approved(n, picture=False, targets=[n.weibo], body="<p>" + "供暖" * 80 + "</p>")
    with pytest.raises(ServiceError) as error:
        publish(n, long_status, n.weibo)
    assert error.value.field == "body" and "改编" in error.value.message
    assert not Publication.objects.exists()
