"""The demo's 留言互动: 天中街道发布's Weibo comments in every state, a follow-up in its thread,
a 12345 transfer and a letter; the fakes' seed has the same comments, so a pull adds nothing.
Idempotent."""

from django.core.management import call_command

from govmedia.interaction.models import Message, MessageState, Reply
from govmedia.interaction.services.replies import review_standing
from govmedia.monitoring.clients import forget_clients
from govmedia.platforms.fakes import DEMO_SEED, FakePlatforms
from govmedia.registry.models import Platform
from govmedia.registry.platforms import ensure_default_platforms


def test_demo_messages_are_in_every_state_and_a_pull_adds_none(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_platforms(Platform)
    call_command("demo_seed")
    count = Message.objects.count()
    call_command("demo_seed")
    # 10 of 留言互动's demo, and the 14 comments under the spike post of 舆情处置's demo.
    assert Message.objects.count() == count == 24
    states = set(Message.objects.values_list("state", flat=True))
    assert states == set(MessageState.values)
    assert Message.objects.filter(message_class="no_reply", state="closed").count() == 1
    assert Message.objects.filter(parent__isnull=False).count() == 1
    ready = [
        r for r in Reply.objects.all() if review_standing(r) == "approved" and r.sent_at is None
    ]
    assert len(ready) == 1  # 审核通过，待发送
    with FakePlatforms(seed=DEMO_SEED) as fakes:
        settings.PLATFORM_API_BASES = fakes.base_urls
        from govmedia.interaction.pulling import pull_due

        results = pull_due(force=True)
        forget_clients()
    assert any(r.error == "" for r in results)
    assert Message.objects.count() == count
