"""/api/v1/interaction: messages (the inbox with the page's filters, one message with its thread
and replies, entering one, classifying and assigning it, 退回, 转办 and 办结), replies (draft,
submit for review, send once, or record as answered elsewhere with proof) and the interaction
health of accounts.

Thin, as the other apps' APIs: reads start from restrict()/get_scoped (out of scope answers 404),
writes call the services, which check scope, permission, version and the lifecycle inside their
transaction. Errors come back as `{"code", "message", "field"}`.
"""

from datetime import datetime

from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from govmedia.core.errors import Forbidden
from govmedia.core.idempotency import api_key_param, create_once, fingerprint
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.schemas import VersionIn
from govmedia.core.scope import get_scoped, may

from . import selectors, services
from .filters import VIEWS
from .health import health_rows, parse_month
from .models import Message, MessageClass, MessageState, Reply, Source
from .services.replies import review_standing

router = Router(tags=["留言互动"])
IDEMPOTENCY_KEY = api_key_param()
PROOF_FILE = File(None, description="答复凭证（截图、扫描件，不超过 10 MB）")


class MessageOut(Schema):
    id: Id
    org_id: Id
    org_name: str = Field(alias="org.name", description="承办单位")
    account_id: Id | None
    source: str
    source_label: str = Field(alias="get_source_display")
    platform_comment_id: str
    parent_id: Id | None = Field(description="所追问的留言")
    thread_root_id: Id | None
    author_name: str
    text: str
    received_at: datetime
    suggested_class: str
    message_class: str
    state: str
    state_label: str = Field(alias="get_state_display")
    handler_id: Id | None
    due_at: datetime
    answered_at: datetime | None
    response_hours: float | None = Field(description="答复用时（工作小时）")
    transfers: int
    version: int


class ReplyOut(Schema):
    id: Id
    message_id: Id
    text: str
    state: str
    state_label: str = Field(alias="get_state_display")
    needs_review: bool
    review: str = Field("", description="none/pending/in_review/approved/returned/rejected")
    article_id: Id | None = Field(description="送审的稿件（内容类别“答复”）")
    sent_at: datetime | None
    platform_reply_id: str
    version: int

    @staticmethod
    def resolve_review(obj):
        return review_standing(obj)


class MessageDetailOut(MessageOut):
    author_contact: str
    reference: str
    no_reply_reason: str
    thread: list[MessageOut]
    replies: list[ReplyOut]


class InboxCountsOut(Schema):
    open: int
    mine: int
    unit: int
    overdue: int


class MessageIn(Schema):
    source: Source = Field(description="private 私信、hotline 12345转办、letter 来信、other 其他")
    text: str = Field(max_length=5000)
    received_at: datetime
    org_id: Id | None = None
    account_id: Id | None = None
    author_name: str = Field("", max_length=100)
    author_contact: str = Field("", max_length=100)
    reference: str = Field("", max_length=60)


class AssignIn(Schema):
    version: int = Field(ge=0, le=2147483647)
    message_class: MessageClass
    handler_id: Id | None = None
    no_reply_reason: str = Field("", max_length=200)


class MessageReturnIn(Schema):
    version: int = Field(ge=0, le=2147483647, description="读取时的版本号")
    reason: str = Field(max_length=200, description="退回理由（如不属本单位职责）")


class MessageTransferIn(Schema):
    version: int = Field(ge=0, le=2147483647, description="读取时的版本号")
    org_id: Id = Field(description="转办到的承办单位")
    reason: str = Field("", max_length=200, description="转办说明")


class ReplyElsewhereIn(Schema):
    version: int = Field(ge=0, le=2147483647, description="读取时的版本号")
    how: str = Field(
        max_length=200, description="答复方式（如电话答复、书面回复、在平台上手工答复）"
    )


class ReplyIn(Schema):
    text: str = Field(max_length=2000)
    reply_id: Id | None = Field(None, description="修改已有的未发送答复")
    version: int | None = Field(None, ge=0, le=2147483647)


class HealthOut(Schema):
    account_id: Id
    account_name: str
    org_name: str
    received: int
    answered: int
    answered_in_time: int
    unanswered_overdue: int
    median_hours: float | None
    p90_hours: float | None
    working_interaction: bool


def _detail(user, message_id) -> Message:
    message = get_scoped(Message.objects.select_related("org"), user, message_id)
    message.thread_list = selectors.thread(message, user)
    message.reply_list = list(Reply.objects.filter(message=message).select_related("article"))
    return message


class _MessageDetail(MessageDetailOut):
    @staticmethod
    def resolve_thread(obj):
        return obj.thread_list

    @staticmethod
    def resolve_replies(obj):
        return obj.reply_list


@router.get("/messages", response=list[MessageOut], summary="留言列表（默认待办）")
@paginate(LimitOffset)
def list_messages(
    request,
    view: str = Query("open", description="、".join(f"{k} {v}" for k, v in VIEWS.items())),
    state: MessageState | None = None,
    message_class: MessageClass | None = None,
    source: Source | None = None,
    account_id: Id | None = None,
    org_id: Id | None = Query(None, description="承办单位（含下级单位）"),
    q: str = Query("", max_length=100, description="留言内容包含的文字"),
):
    params = {
        "view": view if view in VIEWS else "open",
        "state": state.value if state else None,
        "message_class": message_class.value if message_class else None,
        "source": source.value if source else None,
        "account_id": account_id,
        "org_id": org_id,
        "q": q,
    }
    return selectors.inbox(request.auth, {k: v for k, v in params.items() if v is not None})


@router.get(
    "/messages/counts", response=InboxCountsOut, summary="待办留言数（全部、我的、本单位、超期）"
)
def message_counts(request):
    return selectors.inbox_counts(request.auth)


@router.post(
    "/messages", response={201: _MessageDetail}, summary="登记留言（私信、12345转办、来信）"
)
def create_message(request, payload: MessageIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    pk, _ = create_once(
        actor=request.auth,
        scope="interaction.message",
        key=idempotency_key,
        create=lambda: services.message_create(
            actor=request.auth,
            source=payload.source.value,
            text=payload.text,
            received_at=payload.received_at,
            org_id=payload.org_id or request.auth.org_id,
            account_id=payload.account_id,
            author_name=payload.author_name,
            author_contact=payload.author_contact,
            reference=payload.reference,
        ),
        content=fingerprint(payload.dict()),
    )
    return Status(201, _detail(request.auth, pk))


@router.get("/messages/{message_id}", response=_MessageDetail, summary="留言详情（含追问与答复）")
def get_message(request, message_id: Id):
    return _detail(request.auth, message_id)


@router.post("/messages/{message_id}/assign", response=_MessageDetail, summary="确认分类并分办")
def assign_message(request, message_id: Id, payload: AssignIn):
    services.message_assign(
        actor=request.auth,
        message_id=message_id,
        version=payload.version,
        message_class=payload.message_class.value,
        handler_id=payload.handler_id,
        no_reply_reason=payload.no_reply_reason,
    )
    return _detail(request.auth, message_id)


@router.post(
    "/messages/{message_id}/return",
    response=MessageOut,
    summary="退回区政府办公室（不属本单位办理，须说明理由）",
)
def return_message(request, message_id: Id, payload: MessageReturnIn):
    # The answer is the message as returned: it is now the district office's, which the unit
    # that returned it may no longer see (a re-read through the scope would answer 404).
    return services.message_return(
        actor=request.auth, message_id=message_id, version=payload.version, reason=payload.reason
    )


@router.post(
    "/messages/{message_id}/transfer",
    response=_MessageDetail,
    summary="转办到其他单位（区政府办公室）",
)
def transfer_message(request, message_id: Id, payload: MessageTransferIn):
    services.message_transfer(
        actor=request.auth,
        message_id=message_id,
        version=payload.version,
        org_id=payload.org_id,
        reason=payload.reason,
    )
    return _detail(request.auth, message_id)


@router.post(
    "/messages/{message_id}/close", response=_MessageDetail, summary="办结（已答复的留言）"
)
def close_message(request, message_id: Id, payload: VersionIn):
    services.message_close(actor=request.auth, message_id=message_id, version=payload.version)
    return _detail(request.auth, message_id)


@router.post("/messages/{message_id}/replies", response=ReplyOut, summary="撰写或修改答复")
def save_reply(request, message_id: Id, payload: ReplyIn):
    return services.reply_draft(
        actor=request.auth,
        message_id=message_id,
        text=payload.text,
        reply_id=payload.reply_id,
        version=payload.version,
    )


@router.post("/replies/{reply_id}/submit", response=ReplyOut, summary="答复送审")
def submit_reply(request, reply_id: Id, payload: VersionIn):
    return services.reply_submit(actor=request.auth, reply_id=reply_id, version=payload.version)


@router.post(
    "/replies/{reply_id}/send", response=ReplyOut, summary="通过平台接口发送答复（只发一次）"
)
def send_reply(request, reply_id: Id, payload: VersionIn):
    from govmedia.core import request_context

    return services.reply_send(
        actor=request.auth,
        reply_id=reply_id,
        version=payload.version,
        user_ip=request_context.current().ip or "",
    )


@router.post(
    "/replies/{reply_id}/elsewhere",
    response=ReplyOut,
    summary="登记在平台外的答复（答复方式与凭证文件，multipart/form-data）",
)
def record_reply_elsewhere(
    request,
    reply_id: Id,
    payload: Form[ReplyElsewhereIn],
    proof: UploadedFile | None = PROOF_FILE,
):
    return services.reply_record_elsewhere(
        actor=request.auth,
        reply_id=reply_id,
        version=payload.version,
        how=payload.how,
        proof=proof,
    )


@router.get("/health", response=list[HealthOut], summary="各账号互动回应情况（按风险排序）")
def interaction_health(
    request, month: str = Query("", max_length=7, description="月份 YYYY-MM，默认本月")
):
    if not may(request.auth, "interaction.view"):
        raise Forbidden("您无权查看互动回应情况")
    rows = health_rows(request.auth, parse_month(month, timezone.localdate()))
    return [
        {
            "account_id": r.account.pk,
            "account_name": r.account.name,
            "org_name": r.account.host_org.name,
            "received": r.figures.received,
            "answered": r.figures.answered,
            "answered_in_time": r.figures.answered_in_time,
            "unanswered_overdue": r.figures.unanswered_overdue,
            "median_hours": r.figures.median_hours,
            "p90_hours": r.figures.p90_hours,
            "working_interaction": r.figures.working_interaction,
        }
        for r in rows
    ]
