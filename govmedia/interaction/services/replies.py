"""Replies (答复): drafted and screened, reviewed when the unit's flow for 答复 says so (the text
goes through publishing's review as an Article of class 答复, bound to the revision submitted),
then sent once through the platform's reply API, or recorded as sent elsewhere with proof.

Sent once: the send is claimed inside a transaction by a conditional UPDATE from a sendable
state to 发送中 (the row count decides a double submit or two workers), and a partial unique
constraint lets at most one reply of a message hold 发送中/已发送/结果不明/已在平台外答复. The
platform call runs after the claim committed; a lost answer leaves the reply 结果不明, never
re-sent automatically (the platform may have it)."""

import hashlib
from html import escape

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.core.uploads import read_at_most
from govmedia.core.versions import check_version
from govmedia.monitoring.clients import client_for
from govmedia.monitoring.credentials import account_ref
from govmedia.platforms.base import OutcomeUnknown, PlatformError
from govmedia.publishing import findings as screening
from govmedia.publishing.models import ArticleState, ContentClass, FlowPurpose, ReviewFlow
from govmedia.publishing.services import (
    approved_run,
    article_create,
    article_revise,
    article_submit,
)

from ..deadlines import response_hours
from ..lifecycle import MESSAGE
from ..models import Message, MessageState, Reply, ReplyState, Source
from .common import locked_message

MAX_REPLY = 2000
MAX_PROOF_BYTES = 10 * 1024 * 1024
SENDABLE = (ReplyState.DRAFT, ReplyState.REVIEWING, ReplyState.FAILED)


def review_required(message: Message) -> bool:
    """Whether the unit's review flows ask for 答复 to be reviewed: an active flow for the
    content class 答复 of the message's unit or a unit above it (or of its account), or a
    district-mandatory flow for 答复."""
    chain = [*message.org.ancestor_ids(), message.org_id]
    account_q = Q(account__isnull=True)
    if message.account_id:
        account_q |= Q(account_id=message.account_id)
    unit = ReviewFlow.objects.filter(
        account_q,
        org_id__in=chain,
        purpose=FlowPurpose.UNIT,
        content_class=ContentClass.REPLY,
        is_active=True,
    )
    mandatory = ReviewFlow.objects.filter(
        purpose=FlowPurpose.DISTRICT_MANDATORY, content_class=ContentClass.REPLY, is_active=True
    )
    return unit.exists() or mandatory.exists()


def review_standing(reply: Reply) -> str:
    """ "none" (no review needed), "pending" (not submitted, or edited since), "in_review",
    "approved", "returned" or "rejected": where the reply's review stands now."""
    if not reply.needs_review:
        return "none"
    article = reply.article
    if article is None or reply.revision_id is None:
        return "pending"
    if article.current_revision_id != reply.revision_id:
        return "pending"
    if article.state in (ArticleState.APPROVED, ArticleState.PUBLISHED):
        run = approved_run(article)
        return "approved" if run is not None and run.revision_id == reply.revision_id else "pending"
    return {
        ArticleState.IN_REVIEW: "in_review",
        ArticleState.RETURNED: "returned",
        ArticleState.REJECTED: "rejected",
    }.get(article.state, "pending")


REVIEW_LABELS = {
    "none": "无需审核",
    "pending": "待送审",
    "in_review": "审核中",
    "approved": "审核通过",
    "returned": "审核退回",
    "rejected": "审核驳回",
}


def _clean_reply(text) -> str:
    return clean_text(text, field="text", label="答复内容", required=True, max_length=MAX_REPLY)


def _screen(message: Message, text: str) -> list[dict]:
    found, _ = screening.screen_revision(org=message.org, title="", body_text=text)
    blocked = screening.blocking(found)
    if blocked:
        error = screening.block_error(blocked)
        raise ServiceError(
            error.message.replace("请修改后再提交审核", "请修改答复"), field="text", code="blocked"
        )
    return found


def _html(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def _title(message: Message) -> str:
    return f"答复：{message.text[:40]}".replace("\n", " ")


def _locked_reply(actor, reply_id) -> Reply:
    if not may(actor, "interaction.handle"):
        raise Forbidden("您无权答复留言")
    return get_scoped(
        Reply.objects.select_for_update(of=("self",)).select_related("article"),
        actor,
        reply_id,
        "handle",
    )


def reply_draft(
    *, actor, message_id: int, text: str, reply_id: int | None = None, version: int | None = None
) -> Reply:
    """A new reply, or the editor's change to one not yet sent. Screened on every save (a
    `block` finding refuses it); a change after submission makes a new revision of its review
    article, so the earlier approval no longer counts."""
    text = _clean_reply(text)
    with transaction.atomic():
        message = locked_message(actor, message_id, "handle")
        if message.state not in (MessageState.HANDLING, MessageState.REVIEWING):
            raise Conflict(
                f"该留言当前为“{message.get_state_display()}”，不能撰写答复（待分办的留言须先分办）"
            )
        _screen(message, text)
        if reply_id is None:
            if message.replies.filter(state__in=SENDABLE).exists():
                raise Conflict("该留言已有未发送的答复，请修改该答复", field="text")
            reply = Reply.objects.create(
                message=message,
                text=text,
                needs_review=review_required(message),
                drafted_by=actor,
                drafted_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action="reply.create",
                obj=reply,
                org=message.org,
                after={"message": message.pk, "text": text, "needs_review": reply.needs_review},
            )
            return reply
        reply = _locked_reply(actor, reply_id)
        if reply.message_id != message.pk:
            raise Conflict("答复与留言不对应")
        check_version(reply, version, noun="答复")
        if reply.state not in SENDABLE:
            raise Conflict(f"答复当前为“{reply.get_state_display()}”，不能修改")
        if text == reply.text:
            raise ServiceError("答复没有任何修改", field="text", code="unchanged")
        before = {"text": reply.text, "state": reply.state}
        if reply.article is not None and reply.article.state != ArticleState.REJECTED:
            article_revise(
                actor=actor,
                article_id=reply.article_id,
                version=reply.article.version,
                title=_title(message),
                body_html=_html(text),
            )
        reply.text = text
        reply.revision = None
        reply.state = ReplyState.DRAFT
        reply.needs_review = review_required(message)
        reply.version += 1
        reply.save()
        if message.state == MessageState.REVIEWING:
            MESSAGE.check(message, "revise", actor)
            message.state = MessageState.HANDLING
            message.version += 1
            message.save(update_fields=["state", "version"])
        audit_record(
            actor=actor,
            action="reply.revise",
            obj=reply,
            org=message.org,
            before=before,
            after={"text": text, "state": reply.state},
        )
    return reply


def reply_submit(*, actor, reply_id: int, version: int) -> Reply:
    """Send the reply to review (as an Article of class 答复 targeting the message's account)."""
    with transaction.atomic():
        reply = _locked_reply(actor, reply_id)
        check_version(reply, version, noun="答复")
        message = locked_message(actor, reply.message_id, "handle")
        if not reply.needs_review:
            raise ServiceError("本单位的答复无需审核，可直接发送", field="text")
        if reply.state != ReplyState.DRAFT:
            raise Conflict(f"答复当前为“{reply.get_state_display()}”，不能送审")
        if message.account_id is None:
            raise ServiceError(
                "该留言未关联政务新媒体，无法按答复审核流程送审：请在平台外答复并登记凭证",
                field="account",
            )
        MESSAGE.check(message, "submit", actor)
        _screen(message, reply.text)
        article = reply.article
        if article is None or article.state == ArticleState.REJECTED:
            article = article_create(
                actor=actor,
                org_id=message.org_id,
                content_class=ContentClass.REPLY,
                title=_title(message),
                body_html=_html(reply.text),
                target_ids=[message.account_id],
                is_demo=message.is_demo,
            )
        article.refresh_from_db()
        article_submit(actor=actor, article_id=article.pk, version=article.version)
        article.refresh_from_db()
        reply.article = article
        reply.revision_id = article.current_revision_id
        reply.state = ReplyState.REVIEWING
        reply.version += 1
        reply.save()
        message.state = MessageState.REVIEWING
        message.version += 1
        message.save(update_fields=["state", "version"])
        audit_record(
            actor=actor,
            action="reply.submit",
            obj=reply,
            org=message.org,
            after={"article": article.pk, "revision": reply.revision_id},
        )
    return reply


def _send_problem(reply: Reply) -> ServiceError | None:
    """Why the reply may not go out now (re-read inside the claim): review not yet approved."""
    standing = review_standing(reply)
    if standing in ("none", "approved"):
        return None
    return Conflict(f"答复须经审核通过后才能发送（当前：{REVIEW_LABELS[standing]}）", field="text")


def _claim(actor, reply_id: int, version: int, *, target: str) -> tuple[Reply, Message]:
    """Claim the reply for sending (or recording): the one winner of a double submit."""
    with transaction.atomic():
        reply = _locked_reply(actor, reply_id)
        check_version(reply, version, noun="答复")
        message = locked_message(actor, reply.message_id, "handle")
        MESSAGE.check(message, "answer", actor)
        problem = _send_problem(reply)
        if problem is not None:
            raise problem
        try:
            with transaction.atomic():
                won = Reply.objects.filter(pk=reply.pk, state__in=SENDABLE).update(
                    state=target, sent_by=actor, version=F("version") + 1
                )
        except IntegrityError:
            raise Conflict("该留言已有答复发送（或正在发送），不能重复答复") from None
        if not won:
            raise Conflict("该答复已发送或正在发送，请刷新")
        reply.refresh_from_db()
        audit_record(
            actor=actor,
            action="reply.claim",
            obj=reply,
            org=message.org,
            after={"state": reply.state},
        )
    return reply, message


def _answered(reply: Reply, *, at) -> None:
    """The message is answered by this reply (called inside the transaction that records it)."""
    message = Message.objects.select_for_update(of=("self",)).get(pk=reply.message_id)
    # The reply is out whatever happened to the message meanwhile (a 退回 during the send):
    # it is answered, unless someone already closed it.
    if message.state != MessageState.CLOSED:
        message.state = MessageState.ANSWERED
    if message.answered_at is None:
        message.answered_at = at
        message.response_hours = response_hours(message.received_at, at)
    message.version += 1
    message.save(update_fields=["state", "answered_at", "response_hours", "version"])


def reply_send(*, actor, reply_id: int, version: int, user_ip: str = "") -> Reply:
    """Send the reply through the platform's reply API (a pulled comment of a platform whose
    open API takes replies); once, whatever happens."""
    with transaction.atomic():
        preview = _locked_reply(actor, reply_id)
        message = preview.message
        if message.source != Source.COMMENT or message.account_id is None:
            raise ServiceError(
                "该留言不是平台评论，请在平台外答复后登记答复方式与凭证", field="text"
            )
        code = message.account.platform.code
        try:
            client = client_for(code)
        except KeyError:
            client = None
        if client is None or not getattr(client, "can_reply_comments", False):
            raise ServiceError(
                f"{message.account.platform.name}的开放接口不支持答复评论：请在平台上答复后登记",
                field="text",
            )
        ref = account_ref(message.account)
        # Screened again as it goes out: a term blocked since the draft was saved (or reviewed)
        # stops it, as it stops an article's publication.
        _screen(message, preview.text)
    reply, message = _claim(actor, reply_id, version, target=ReplyState.SENDING)
    state, error, platform_id = ReplyState.SENT, "", ""
    try:
        result = client.reply_comment(
            ref,
            comment_id=message.platform_comment_id,
            post_id=message.platform_post_id,
            text=reply.text,
            user_ip=user_ip or "127.0.0.1",
        )
        platform_id = result.reply_id
    except OutcomeUnknown as exc:
        state, error = ReplyState.UNKNOWN, exc.message
    except PlatformError as exc:
        state, error = ReplyState.FAILED, exc.message
    now = timezone.now()
    with transaction.atomic():
        reply = Reply.objects.select_for_update(of=("self",)).get(pk=reply.pk)
        reply.state, reply.error = state, error[:500]
        reply.platform_reply_id = platform_id
        if state == ReplyState.SENT:
            reply.sent_at = now
            _answered(reply, at=now)
        reply.version += 1
        reply.save()
        audit_record(
            actor=actor,
            action="reply.send",
            obj=reply,
            org=message.org,
            after={"state": state, "platform_reply_id": platform_id, "error": error},
        )
    if state == ReplyState.FAILED:
        raise ServiceError(f"答复发送失败：{error}", field="text", code="send_failed")
    return reply


def reply_record_elsewhere(*, actor, reply_id: int, version: int, how: str, proof=None) -> Reply:
    """The reply went out another way (by phone, a letter, on the platform by hand): recorded
    with how and a proof file (screenshot, scan), once, and only once reviewed where required."""
    how = clean_text(
        how, field="how", label="答复方式", required=True, max_length=200, multiline=False
    )
    data = None
    if proof is not None:
        data = read_at_most(proof, MAX_PROOF_BYTES)
        if data is None:
            raise ServiceError("答复凭证超过 10 MB", field="proof")
    reply, message = _claim(actor, reply_id, version, target=ReplyState.SENT_ELSEWHERE)
    now = timezone.now()
    with transaction.atomic():
        reply = Reply.objects.select_for_update(of=("self",)).get(pk=reply.pk)
        reply.elsewhere_how = how
        reply.sent_at = now
        if data:
            name = str(getattr(proof, "name", "proof"))[-60:]
            digest = hashlib.sha256(data).hexdigest()[:16]
            reply.proof.save(f"{reply.pk}-{digest}-{name}", ContentFile(data), save=False)
        _answered(reply, at=now)
        reply.version += 1
        reply.save()
        audit_record(
            actor=actor,
            action="reply.record_elsewhere",
            obj=reply,
            org=message.org,
            after={"how": how, "proof": reply.proof.name if reply.proof else ""},
        )
    return reply


def reply_from_suggestion(*, actor, message_id: int, entry_id: int, rank: int | None) -> Reply:
    """答问库's answer taken as the message's draft reply, and the clerk's choice recorded for
    the ranking's figures, in one transaction: a refused draft records no choice."""
    from govmedia.qa.models import QAEntry
    from govmedia.qa.services import suggestion_record

    with transaction.atomic():
        # Only an answer the library would suggest today: published and within its validity.
        entry = get_scoped(QAEntry.objects.valid_on(timezone.localdate()), actor, entry_id)
        reply = reply_draft(actor=actor, message_id=message_id, text=entry.answer)
        suggestion_record(
            actor=actor, entry_id=entry.pk, message_ref=f"message:{message_id}", rank=rank
        )
    return reply
