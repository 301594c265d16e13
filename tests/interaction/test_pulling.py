"""Pulled comments: each stored once however the pulls overlap, threads kept, the account's own
replies never taken for messages, a failing platform recorded and retried later."""

import threading
from datetime import timedelta

from django.db import connection

from govmedia.interaction.models import CommentPull, Message, MessageState, Source
from govmedia.interaction.pulling import claim, pull_due
from tests.interaction.helpers import NOW, comment, pull


def test_a_pulled_comment_appears_once_after_overlapping_pulls(desk):
    first = comment(desk, "请问供暖热线几点有人接？", minutes=1)
    pull()
    comment(desk, "暖气不热找谁？", minutes=2)
    pull(NOW + timedelta(hours=2))  # the first comment is on this page again
    pull(NOW + timedelta(hours=3))
    assert Message.objects.filter(platform_comment_id=first.comment_id).count() == 1
    assert Message.objects.count() == 2
    message = Message.objects.get(platform_comment_id=first.comment_id)
    assert message.source == Source.COMMENT and message.state == MessageState.NEW
    assert message.org == desk.tian and message.account == desk.weibo
    assert message.received_at == first.created_at
    assert message.suggested_class == "consult"
    assert message.platform_post_id == desk.status.post_id


def test_the_claim_lets_one_worker_pull_an_account(desk):
    comment(desk, "请问几点开门？")
    pull()
    row = CommentPull.objects.get(account=desk.weibo)
    CommentPull.objects.filter(pk=row.pk).update(next_pull_at=NOW, claimed_until=None)
    assert claim(row.pk, NOW + timedelta(minutes=1)) is True
    assert claim(row.pk, NOW + timedelta(minutes=1)) is False  # held by the first


def test_concurrent_ingest_of_the_same_page_stores_each_comment_once(desk, transactional_db):
    from govmedia.interaction.services import messages_ingest
    from govmedia.monitoring.clients import client_for
    from govmedia.monitoring.credentials import account_ref

    for n in range(5):
        comment(desk, f"第{n}条留言", minutes=n)
    page = client_for("weibo").list_comments(account_ref(desk.weibo))
    errors = []

    def ingest():
        try:
            messages_ingest(account=desk.weibo, comments=page.comments)
        except Exception as exc:  # pragma: no cover - shown by the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ingest) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Message.objects.filter(account=desk.weibo).count() == 5


def test_a_follow_up_joins_its_thread_and_the_accounts_reply_is_no_message(desk):
    first = comment(desk, "供暖什么时候开始？", minutes=1)
    desk.fakes.weibo.state.add_comment(
        desk.status.post_id, "11月15日开始供暖", reply_to=first.comment_id, by_account=True
    )
    follow = comment(desk, "可是我家还不热", minutes=30, reply_to=first)
    pull()
    assert Message.objects.count() == 2
    root = Message.objects.get(platform_comment_id=first.comment_id)
    later = Message.objects.get(platform_comment_id=follow.comment_id)
    assert later.parent == root and later.thread_root == root


def test_a_failing_platform_is_recorded_and_pulled_again_later(desk):
    comment(desk, "请问几点开门？")
    desk.fakes.weibo.misbehave("bad_credentials", path="/2/comments/to_me.json")
    [result] = [r for r in pull() if r.account_id == desk.weibo.pk]
    assert result.error and Message.objects.count() == 0
    row = CommentPull.objects.get(account=desk.weibo)
    assert row.failures == 1 and row.claimed_until is None
    [again] = [r for r in pull_due(now=row.next_pull_at) if r.account_id == desk.weibo.pk]
    assert again.new == 1
