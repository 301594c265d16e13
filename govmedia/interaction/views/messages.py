"""A message's page (its thread, attachments, handling and replies) and the acts on it."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.numbers import optional_id
from govmedia.core.scope import get_scoped, may
from govmedia.orgs.models import Organization
from govmedia.qa.selectors import suggest as qa_suggest
from govmedia.users.models import User

from .. import selectors, services
from ..classify import suggest_class
from ..lifecycle import MESSAGE
from ..models import Attachment, MessageClass, Reply
from ..services.replies import REVIEW_LABELS, SENDABLE, review_standing
from .shared import client_ip, common, crumbs, message_or_404, reply_or_404, version_of


@login_required
def message_detail(request, message_id: int):
    user = request.user
    message = message_or_404(user, message_id)
    replies = list(
        Reply.objects.filter(message=message).select_related("drafted_by", "sent_by", "article")
    )
    for reply in replies:
        reply.review = review_standing(reply)
        reply.review_label = REVIEW_LABELS[reply.review]
        reply.editable = reply.state in SENDABLE and reply.review != "in_review"
    open_reply = next((r for r in replies if r.state in SENDABLE), None)
    offered = MESSAGE.offered(message, user)
    handlers = []
    if "assign" in offered:
        handlers = list(
            User.objects.filter(
                org__path__startswith=message.org.path,
                is_active=True,
                role__in=("editor", "unit_admin"),
            ).order_by("org__path", "name")[:100]
        )
    units = []
    if "transfer" in offered:
        units = list(Organization.objects.active().exclude(pk=message.org_id).order_by("path"))
    suggestion = suggest_class(message.text)
    # 建议答复 from the 答问库, offered while a reply may be drafted.
    answers = qa_suggest(message.text, limit=3) if message.state in ("handling",) else []
    return render(
        request,
        "interaction/message_detail.html",
        {
            "message": message,
            "thread": selectors.thread(message, user),
            "attachments": list(message.attachments.all()),
            "replies": replies,
            "open_reply": open_reply,
            "can_draft": may(user, "interaction.handle")
            and message.state in ("handling", "reviewing")
            and not any(
                r.state not in SENDABLE and r.state not in ("cancelled", "failed") for r in replies
            ),
            "offered": offered,
            "suggestions": answers,
            "classes": MessageClass.choices,
            "suggestion": suggestion,
            "handlers": handlers,
            "units": units,
            "overdue": message.is_open and message.due_at < timezone.now(),
            "breadcrumbs": crumbs((f"留言 #{message.pk}", None)),
            **common(user, "inbox"),
        },
    )


def _act(request, message_id, call, done: str):
    try:
        call()
    except ServiceError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, done)
    return redirect("interaction:message", message_id=message_id)


@login_required
@require_POST
def message_assign(request, message_id: int):
    message = message_or_404(request.user, message_id)
    handler = request.POST.get("handler_id") or None
    return _act(
        request,
        message.pk,
        lambda: services.message_assign(
            actor=request.user,
            message_id=message.pk,
            version=version_of(request),
            message_class=request.POST.get("message_class", ""),
            handler_id=int(handler) if handler and handler.isdigit() else None,
            no_reply_reason=request.POST.get("no_reply_reason", ""),
        ),
        "已分办" if request.POST.get("message_class") != "no_reply" else "已标为无需答复并办结",
    )


@login_required
@require_POST
def message_return(request, message_id: int):
    message = message_or_404(request.user, message_id)
    return _act(
        request,
        message.pk,
        lambda: services.message_return(
            actor=request.user,
            message_id=message.pk,
            version=version_of(request),
            reason=request.POST.get("reason", ""),
        ),
        "已退回区政府办公室",
    )


@login_required
@require_POST
def message_transfer(request, message_id: int):
    message = message_or_404(request.user, message_id)
    org = request.POST.get("org_id", "")
    return _act(
        request,
        message.pk,
        lambda: services.message_transfer(
            actor=request.user,
            message_id=message.pk,
            version=version_of(request),
            org_id=int(org) if org.isdigit() else 0,
            reason=request.POST.get("reason", ""),
        ),
        "已转办",
    )


@login_required
@require_POST
def message_close(request, message_id: int):
    message = message_or_404(request.user, message_id)
    return _act(
        request,
        message.pk,
        lambda: services.message_close(
            actor=request.user, message_id=message.pk, version=version_of(request)
        ),
        "已办结",
    )


@login_required
@require_POST
def reply_save(request, message_id: int):
    message = message_or_404(request.user, message_id)
    reply_id = request.POST.get("reply_id", "")
    return _act(
        request,
        message.pk,
        lambda: services.reply_draft(
            actor=request.user,
            message_id=message.pk,
            text=request.POST.get("text", ""),
            reply_id=int(reply_id) if reply_id.isdigit() else None,
            version=version_of(request) if reply_id else None,
        ),
        "已保存答复",
    )


@login_required
@require_POST
def reply_suggested(request, message_id: int):
    """答问库's answer taken as the draft reply (the editor may then change it)."""
    message = message_or_404(request.user, message_id)
    rank = request.POST.get("rank", "")
    return _act(
        request,
        message.pk,
        lambda: services.reply_from_suggestion(
            actor=request.user,
            message_id=message.pk,
            entry_id=optional_id(request.POST.get("entry_id"))
            or 0,  # 0: not found, like any stale id
            rank=int(rank) if rank.isdigit() and len(rank) < 4 else None,
        ),
        "已采用答问库的答复内容作为答复草稿，请核对后提交",
    )


@login_required
@require_POST
def reply_submit(request, reply_id: int):
    reply = reply_or_404(request.user, reply_id)
    return _act(
        request,
        reply.message_id,
        lambda: services.reply_submit(
            actor=request.user, reply_id=reply.pk, version=version_of(request)
        ),
        "已提交审核",
    )


@login_required
@require_POST
def reply_send(request, reply_id: int):
    reply = reply_or_404(request.user, reply_id)

    def send():
        sent = services.reply_send(
            actor=request.user,
            reply_id=reply.pk,
            version=version_of(request),
            user_ip=client_ip(request),
        )
        if sent.state == "unknown":
            raise ServiceError(
                "答复已发出但未收到平台的有效答复：平台可能已经收到，请先在平台上核对，切勿重复答复"
            )

    return _act(request, reply.message_id, send, "答复已发送")


@login_required
@require_POST
def reply_elsewhere(request, reply_id: int):
    reply = reply_or_404(request.user, reply_id)
    return _act(
        request,
        reply.message_id,
        lambda: services.reply_record_elsewhere(
            actor=request.user,
            reply_id=reply.pk,
            version=version_of(request),
            how=request.POST.get("how", ""),
            proof=request.FILES.get("proof"),
        ),
        "已登记答复",
    )


@login_required
def attachment_download(request, attachment_id: int):
    if not may(request.user, "interaction.view"):
        raise Http404
    attachment = get_scoped(Attachment.objects.all(), request.user, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name)
