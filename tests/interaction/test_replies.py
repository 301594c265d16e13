"""Replies: screened, reviewed when the unit's flow for 答复 says so, sent once through the fake
Weibo's comments/reply, or recorded as sent elsewhere."""

import pytest

from govmedia.core.errors import Conflict, ServiceError
from govmedia.interaction import services
from govmedia.interaction.models import Message, MessageState, Reply, ReplyState
from govmedia.interaction.services.replies import review_standing
from tests.interaction.helpers import assign, draft, fresh, pulled
from tests.interaction.helpers import letter as entered_letter
from tests.publishing.helpers import active_step, decide


def test_a_reply_is_sent_once_after_a_double_submit(desk):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    reply = draft(desk, message)
    version = fresh(reply).version
    sent = services.reply_send(
        actor=desk.tian_editor, reply_id=reply.pk, version=version, user_ip="10.1.1.1"
    )
    with pytest.raises(Conflict):  # the same form posted again
        services.reply_send(
            actor=desk.tian_editor, reply_id=reply.pk, version=version, user_ip="10.1.1.1"
        )
    assert sent.state == ReplyState.SENT and sent.platform_reply_id
    on_weibo = [c for c in desk.fakes.weibo.state.comments_of(desk.weibo.handle) if c.by_account]
    assert len(on_weibo) == 1 and on_weibo[0].reply_to == message.platform_comment_id
    assert desk.fakes.weibo.request_count("/2/comments/reply.json") == 1
    message = fresh(message)
    assert message.state == MessageState.ANSWERED and message.answered_at == sent.sent_at


def test_a_second_reply_of_an_answered_message_is_refused(desk):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    reply = draft(desk, message)
    services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=fresh(reply).version)
    with pytest.raises(Conflict):
        draft(desk, fresh(message), text="再补充一句")
    assert Reply.objects.filter(message=message).count() == 1


def test_a_reply_needing_review_cannot_be_sent_before_approval(desk, reply_flow):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    reply = draft(desk, message)
    assert reply.needs_review
    with pytest.raises(Conflict, match="审核通过"):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    reply = services.reply_submit(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    assert fresh(message).state == MessageState.REVIEWING
    with pytest.raises(Conflict, match="审核中"):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    with pytest.raises(Conflict):  # nor recorded as sent elsewhere
        services.reply_record_elsewhere(
            actor=desk.tian_editor, reply_id=reply.pk, version=reply.version, how="电话答复"
        )
    assert desk.fakes.weibo.request_count("/2/comments/reply.json") == 0
    decide(desk.tian_reviewer, active_step(reply.article))
    assert review_standing(fresh(reply)) == "approved"
    sent = services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    assert sent.state == ReplyState.SENT
    assert fresh(message).state == MessageState.ANSWERED


def test_an_edit_after_approval_needs_a_new_approval(desk, reply_flow):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    reply = draft(desk, message)
    reply = services.reply_submit(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    decide(desk.tian_reviewer, active_step(reply.article))
    reply = services.reply_draft(
        actor=desk.tian_editor,
        message_id=message.pk,
        text="改过的答复",
        reply_id=reply.pk,
        version=fresh(reply).version,
    )
    assert review_standing(fresh(reply)) == "pending"
    with pytest.raises(Conflict):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)


def test_an_empty_reply_is_refused_naming_the_field(desk):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    with pytest.raises(ServiceError) as refused:
        draft(desk, message, text="")
    assert refused.value.field == "text"


def test_a_letter_is_answered_elsewhere_with_proof(desk):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    letter = entered_letter(
        desk,
        received_at=timezone.now(),
        attachments=[SimpleUploadedFile("信件.pdf", b"%PDF-1.4 letter")],
    )
    assert letter.attachments.count() == 1
    letter = assign(desk, letter, "help")
    reply = draft(desk, letter, text="已安排维修，感谢反映。")
    with pytest.raises(ServiceError, match="平台外"):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    recorded = services.reply_record_elsewhere(
        actor=desk.tian_editor,
        reply_id=reply.pk,
        version=reply.version,
        how="电话回复",
        proof=SimpleUploadedFile("通话记录.png", b"\x89PNG proof"),
    )
    assert recorded.state == ReplyState.SENT_ELSEWHERE and recorded.proof
    assert Message.objects.get(pk=letter.pk).state == MessageState.ANSWERED


def test_a_lost_answer_leaves_the_reply_unknown_and_never_resent(desk, settings):
    message = assign(desk, pulled(desk, "请问供暖热线是多少？"))
    reply = draft(desk, message)
    desk.fakes.weibo.misbehave("http_500", path="/2/comments/reply.json")
    unknown = services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=reply.version)
    assert unknown.state == ReplyState.UNKNOWN
    with pytest.raises(Conflict):
        services.reply_send(actor=desk.tian_editor, reply_id=reply.pk, version=unknown.version)
    assert desk.fakes.weibo.request_count("/2/comments/reply.json") == 1
