"""Helpers of the 留言互动 tests."""

from datetime import timedelta

from govmedia.interaction import services
from govmedia.interaction.models import Message
from govmedia.interaction.pulling import pull_due
from tests.publishing.helpers import NOW, fresh


def comment(desk, text, *, minutes=5, reply_to=None, author="网友甲"):
    return desk.fakes.weibo.state.add_comment(
        desk.status.post_id,
        text,
        author_name=author,
        created_at=NOW + timedelta(minutes=minutes),
        reply_to=reply_to.comment_id if reply_to else "",
    )


def pull(now=NOW + timedelta(hours=1)):
    return pull_due(now=now, force=True)


def pulled(desk, text, **kw) -> Message:
    made = comment(desk, text, **kw)
    pull()
    return Message.objects.get(account=desk.weibo, platform_comment_id=made.comment_id)


def assign(desk, message, message_class="consult", *, actor=None, handler=None):
    return services.message_assign(
        actor=actor or desk.tian_unit_admin,
        message_id=message.pk,
        version=fresh(message).version,
        message_class=message_class,
        handler_id=(handler or desk.tian_editor).pk,
    )


def draft(desk, message, text="您好，供暖热线为0530-2218000，工作日8:30至18:00。", actor=None):
    return services.reply_draft(actor=actor or desk.tian_editor, message_id=message.pk, text=text)


__all__ = ["NOW", "fresh"]


def letter(desk, *, received_at=NOW, **extra) -> Message:
    """A letter (来信) to 天中街道: no platform to answer on, only elsewhere with proof."""
    return services.message_create(
        actor=desk.tian_editor,
        source="letter",
        org_id=desk.tian.pk,
        text="反映小区路灯不亮，请尽快维修。",
        author_name="张先生",
        received_at=received_at,
        **extra,
    )
