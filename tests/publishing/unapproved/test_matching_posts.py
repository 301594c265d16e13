"""先审后发: each pulled post is judged against the approved revisions of the articles that
targeted its account; a post matching none is a 未经审核发布 finding."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from govmedia.compliance.models import ComplianceFinding
from govmedia.compliance.services import compliance_refresh
from govmedia.monitoring.events import POSTS_INGESTED
from govmedia.monitoring.ingest import content_hash
from govmedia.publishing.models import MatchState, PostMatch
from govmedia.publishing.unapproved import match_posts
from tests.publishing.helpers import NOW, active_step, approved, decide, submit, write
from tests.publishing.unapproved.helpers import FUNDS, LATER, judged, pulled

pytestmark = pytest.mark.django_db


def test_a_post_equal_to_an_approved_revision_matches_it(newsroom):
    article = approved(newsroom, body=FUNDS, picture=False)
    match = judged(pulled(newsroom.wechat, FUNDS, title=article.title))
    assert match.state == MatchState.MATCHED
    assert match.revision == article.current_revision and match.score == 100


def test_a_lightly_edited_post_still_matches(newsroom):
    article = approved(newsroom, body=FUNDS, picture=False)
    text = "【天中发布】" + FUNDS.replace("，", ",") + "<p>来源：天中街道办事处</p>"
    assert judged(pulled(newsroom.wechat, text)).revision == article.current_revision


def test_a_post_with_a_changed_figure_is_unapproved(newsroom):
    article = approved(newsroom, body=FUNDS, picture=False)
    match = judged(pulled(newsroom.wechat, FUNDS.replace("3000万元", "5000万元")))
    assert match.state == MatchState.UNAPPROVED and match.revision is None
    assert match.nearest == article.current_revision  # shown side by side on the page
    assert "5000万元" in match.reason and match.score < 85


def test_a_post_before_the_cut_off_is_ignored(newsroom, settings):
    approved(newsroom, body=FUNDS, picture=False)
    settings.PUBLISHING_MATCH_SINCE = date(2026, 12, 1)
    post = pulled(newsroom.wechat, "<p>与任何稿件都无关的旧内容。</p>", published_at=LATER)
    match_posts([post.pk])
    assert not PostMatch.objects.filter(post=post).exists()


def test_a_post_of_a_returned_revision_is_unapproved(newsroom):
    n = newsroom
    approved(n, body=FUNDS, picture=False)  # the account has approved work, just not this
    returned = write(
        n, title="天中街道周末便民集市", body="<p>天中街道周末便民集市本周六上午开市。</p>"
    )
    submit(n, returned)
    decide(n.tian_reviewer, active_step(returned), "return")
    match = judged(pulled(n.wechat, "<p>天中街道周末便民集市本周六上午开市。</p>"))
    assert match.state == MatchState.UNAPPROVED and match.revision is None


def test_an_approval_given_after_the_post_went_out_does_not_count(newsroom):
    approved(newsroom, body=FUNDS, picture=False)  # approved at NOW
    match = judged(pulled(newsroom.wechat, FUNDS, published_at=NOW - timedelta(hours=3)))
    assert match.state == MatchState.UNAPPROVED and "先发后审" in match.reason


def test_an_article_for_another_account_does_not_approve_the_post(newsroom):
    approved(newsroom, body=FUNDS, picture=False)  # targets 天中发布 only
    match = judged(pulled(newsroom.weibo, FUNDS))
    assert match.state == MatchState.UNAPPROVED and match.reason == "该账号没有审核通过的稿件"


def test_the_ingest_event_matches_after_commit(newsroom, django_capture_on_commit_callbacks):
    approved(newsroom, body=FUNDS, picture=False)
    post = pulled(newsroom.wechat, FUNDS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        POSTS_INGESTED.publish(post_ids=[post.pk])
        assert not PostMatch.objects.exists()  # not inside the pull's transaction
    for callback in callbacks:
        callback()
    assert PostMatch.objects.get(post=post).state == MatchState.MATCHED


def test_findings_are_counted_in_compliance(newsroom, django_capture_on_commit_callbacks):
    approved(newsroom, body=FUNDS, picture=False)
    with django_capture_on_commit_callbacks(execute=True):
        judged(pulled(newsroom.wechat, FUNDS.replace("3000万元", "5000万元")))
        judged(pulled(newsroom.wechat, "<p>一条从未送审的通知。</p>"))
    finding = ComplianceFinding.objects.open().get(rule="unapproved_posts")
    assert finding.account == newsroom.wechat and finding.org == newsroom.tian
    assert "2 条" in finding.message
    PostMatch.objects.update(state=MatchState.DISMISSED)
    compliance_refresh()
    assert not ComplianceFinding.objects.open().filter(rule="unapproved_posts").exists()


def test_rematch_is_idempotent_and_follows_the_cut_off(newsroom, settings):
    approved(newsroom, body=FUNDS, picture=False)
    early = pulled(newsroom.wechat, FUNDS.replace("3000万元", "5000万元"), published_at=LATER)
    late = pulled(newsroom.wechat, FUNDS, published_at=LATER + timedelta(days=10))
    call_command("publishing_rematch")
    assert PostMatch.objects.get(post=early).state == MatchState.UNAPPROVED
    versions = dict(PostMatch.objects.values_list("pk", "version"))
    call_command("publishing_rematch")
    assert dict(PostMatch.objects.values_list("pk", "version")) == versions  # nothing changed
    settings.PUBLISHING_MATCH_SINCE = (LATER + timedelta(days=2)).date()
    call_command("publishing_rematch")
    assert list(PostMatch.objects.values_list("post_id", flat=True)) == [late.pk]


def test_an_edit_on_the_platform_is_judged_again(newsroom):
    approved(newsroom, body=FUNDS, picture=False)
    post = pulled(newsroom.wechat, FUNDS)
    assert judged(post).state == MatchState.MATCHED
    post.text = FUNDS.replace("12个小区", "15个小区")
    post.content_hash = content_hash(post.title, post.text)
    post.save()
    assert judged(post).state == MatchState.UNAPPROVED


def test_new_findings_notify_the_unit_administrators_once_per_account(newsroom):
    from govmedia.notifications.models import Notification, NotificationKind

    approved(newsroom, body=FUNDS, picture=False)
    posts = [
        pulled(newsroom.wechat, FUNDS.replace("3000万元", "5000万元")),
        pulled(newsroom.wechat, "<p>一条从未送审的通知。</p>"),
        pulled(newsroom.wechat, FUNDS),  # matches: no notification for it
    ]
    match_posts([p.pk for p in posts])
    sent = Notification.objects.filter(kind=NotificationKind.UNAPPROVED_POST)
    assert [n.recipient_user.username for n in sent] == [newsroom.tian_unit_admin.username]
    assert "等 2 条内容" in sent.get().message
    assert sent.get().link.endswith(f"?account={newsroom.wechat.pk}")
    match_posts([p.pk for p in posts], force=True)  # judged again, the same verdicts
    assert sent.count() == 1


def test_a_cut_off_with_a_time_of_day_is_honoured(newsroom, settings):
    approved(newsroom, body=FUNDS, picture=False)
    settings.PUBLISHING_MATCH_SINCE = "2026-12-03T10:00:00+08:00"
    early = pulled(newsroom.wechat, "<p>上线前的内容。</p>", published_at=_at("2026-12-03T09:59"))
    late = pulled(newsroom.wechat, "<p>上线后的内容。</p>", published_at=_at("2026-12-03T10:01"))
    match_posts([early.pk, late.pk])
    assert list(PostMatch.objects.values_list("post_id", flat=True)) == [late.pk]


def _at(moment: str):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo("Asia/Shanghai"))


def test_each_change_of_verdict_is_audited_once_in_the_chain(newsroom):
    from govmedia.audit.models import AuditEvent

    approved(newsroom, body=FUNDS, picture=False)
    posts = [
        pulled(newsroom.wechat, "<p>一条从未送审的通知。</p>", title="停水通知"),
        pulled(newsroom.wechat, FUNDS),  # matches: not a finding, not audited
    ]
    match_posts([p.pk for p in posts])
    match_posts([p.pk for p in posts], force=True)  # the same verdicts: nothing more
    events = AuditEvent.objects.filter(action__startswith="post_match.")
    found = events.get()
    assert found.action == "post_match.unapproved" and found.before is None
    assert found.object_id == str(posts[0].match.pk)
    assert found.object_repr == f"{newsroom.wechat.name}：停水通知"
    assert found.org_id == newsroom.wechat.host_org_id and found.after["state"] == "unapproved"
    call_command("audit_verify", stdout=StringIO())  # raises on a broken chain


def test_a_verdict_written_by_another_worker_at_the_same_moment_stands(newsroom):
    """Two workers judge the same posts: the verdict the other committed first is kept, and
    the rest of the batch is still written."""
    from govmedia.publishing.unapproved import _insert

    mine, theirs = (pulled(newsroom.wechat, f"<p>通知{n}。</p>") for n in (1, 2))
    PostMatch.objects.create(
        post=theirs, account_id=theirs.account_id, published_at=theirs.published_at,
        content_hash=theirs.content_hash, state=MatchState.DISMISSED, matched_at=NOW,
    )  # fmt: skip
    rows = [(p, PostMatch(post=p, account_id=p.account_id, published_at=p.published_at,
                          content_hash=p.content_hash, state=MatchState.UNAPPROVED,
                          matched_at=NOW))
            for p in (mine, theirs)]  # fmt: skip
    with transaction.atomic():
        inserted = _insert(rows)
    assert [post for post, _ in inserted] == [mine]
    states = dict(PostMatch.objects.values_list("post_id", "state"))
    assert states == {mine.pk: MatchState.UNAPPROVED, theirs.pk: MatchState.DISMISSED}
