"""The demo's 留言互动: 天中街道发布's Weibo comments in every state, a follow-up in its thread,
a 12345 transfer and a letter; 天中发布's WeChat comments (one approved, ready to send) and
定陶公安's Douyin comments with a reply in a thread; the fakes' seed has the same comments, so
a pull adds nothing. Idempotent."""

from django.core.management import call_command

from govmedia.interaction.models import Message, MessageState, Reply
from govmedia.interaction.services.replies import review_standing
from govmedia.monitoring.clients import forget_clients
from govmedia.platforms.fakes import DEMO_SEED, FakePlatforms
from govmedia.registry.models import MediaAccount, Platform
from govmedia.registry.platforms import ensure_default_platforms


def test_demo_messages_are_in_every_state_and_a_pull_adds_none(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_platforms(Platform)
    call_command("demo_seed")
    count = Message.objects.count()
    call_command("demo_seed")
    # 16 of 留言互动's demo (Weibo, WeChat, Douyin, 12345, a letter) and the 14 comments under
    # the spike post of 舆情处置's demo.
    assert Message.objects.count() == count == 30
    states = set(Message.objects.values_list("state", flat=True))
    assert states == set(MessageState.values)
    assert Message.objects.filter(message_class="no_reply", state="closed").count() == 1
    by_platform = {
        code: set(
            Message.objects.filter(account__platform__code=code).values_list("state", flat=True)
        )
        for code in ("wechat-mp", "douyin")
    }
    assert by_platform == {"wechat-mp": {"new", "handling", "reviewing"}, "douyin": {"new"}}
    follow_ups = Message.objects.filter(parent__isnull=False)
    assert {m.account.platform.code for m in follow_ups} == {"weibo", "douyin"}
    ready = [
        r for r in Reply.objects.all() if review_standing(r) == "approved" and r.sent_at is None
    ]
    # 审核通过，待发送: to the fake Weibo and to the fake WeChat.
    assert {r.message.account.platform.code for r in ready} == {"weibo", "wechat-mp"}
    with FakePlatforms(seed=DEMO_SEED) as fakes:
        settings.PLATFORM_API_BASES = fakes.base_urls
        from govmedia.interaction.pulling import pull_due

        results = pull_due(force=True)
        # The fakes list exactly the comments the demo stored, under the same ids.
        from govmedia.monitoring.clients import client_for
        from govmedia.monitoring.credentials import account_ref

        for code, handle in (("wechat-mp", "dt_tianzhong"), ("douyin", "dt_gongan_dy")):
            account = MediaAccount.objects.get(handle=handle, is_demo=True)
            client, cursor, listed = client_for(code), None, set()
            while True:
                page = client.list_comments(account_ref(account), cursor)
                listed |= {c.comment_id for c in page.comments}
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
            stored = set(account.messages.values_list("platform_comment_id", flat=True))
            assert listed == stored and len(stored) == 3, handle
        forget_clients()
    pulled = {r.account_id: r for r in results}
    for handle in ("dt_tianzhong_wb", "dt_tianzhong", "dt_gongan_dy"):
        account = MediaAccount.objects.get(handle=handle, is_demo=True)
        assert pulled[account.pk].error == "", handle
    assert Message.objects.count() == count
