"""/api/v1/qa: the Q&A library over JSON — entries (the published library for everyone, drafts
for their unit), creating and revising (a revision for review), the district office's review,
withdrawing, the suggestions for a message, and recording the clerk's choice.

Thin: reads start from restrict()/get_scoped (out of scope answers 404), writes call the
services, which check scope, permission, version and the lifecycles inside their transaction.
"""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.core.errors import NotFound
from govmedia.core.idempotency import api_key_param, create_once, fingerprint
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.schemas import IsoDate, VersionIn
from govmedia.core.scope import get_scoped, may

from . import selectors, services
from .filters import filter_entries
from .models import EntryState, QAEntry

router = Router(tags=["咨询答问库"])
IDEMPOTENCY_KEY = api_key_param()


def _require(user, action: str) -> None:
    if not may(user, action):
        raise NotFound("对象不存在或您无权访问")


class QARevisionOut(Schema):
    id: int
    number: int
    state: str
    state_label: str = Field(alias="get_state_display")
    question: str
    variants: list[str]
    answer: str
    basis: str
    valid_from: date | None
    valid_to: date | None
    note: str
    author_id: int | None
    created_at: datetime
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    review_note: str


class QAEntryOut(Schema):
    id: int
    question: str
    variants: list[str]
    answer: str
    basis: str = Field(description="政策依据（含文号）")
    valid_from: date | None
    valid_to: date | None = Field(description="失效日期；null 为长期有效")
    owner_org_id: int | None = Field(description="责任单位；null 为全区通用")
    state: EntryState
    state_label: str = Field(alias="get_state_display")
    published_at: datetime | None
    pending_revision_id: int | None = Field(description="待审核的修订（如有）")
    changed_at: datetime
    version: int


class QAEntryDetailOut(QAEntryOut):
    revisions: list[QARevisionOut]

    @staticmethod
    def resolve_revisions(obj):
        return list(obj.revisions.all())


class QAContentIn(Schema):
    question: str = Field(max_length=200)
    variants: list[str] = Field([], max_length=20)
    answer: str = Field(max_length=5000)
    basis: str = Field("", max_length=500)
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None
    note: str = Field("", max_length=200, description="修订说明")


class QAEntryIn(QAContentIn):
    owner_org_id: Id | None = Field(None, description="责任单位；缺省为全区通用（仅区政府办公室）")


class QARevisionIn(QAContentIn):
    version: int = Field(description="读取时的版本号")


class QAReviewIn(Schema):
    note: str = Field("", max_length=500, description="审核意见；退回时必填")


class QAReasonIn(VersionIn):
    reason: str = Field(max_length=500)


class QASuggestionOut(Schema):
    id: int = Field(alias="entry_id")
    question: str
    answer: str
    basis: str
    score: float = Field(description="0–1，越大越相关")


class QASuggestionsOut(Schema):
    suggestions: list[QASuggestionOut]


class QASuggestionRecordIn(Schema):
    entry_id: Id | None = Field(description="采纳的条目；null：推荐均不适用")
    message_ref: str = Field(max_length=100, description="留言的标识，如 message:123")
    rank: int | None = Field(None, ge=1, le=100, description="该条目在推荐中的名次")


class QASuggestionRecordOut(Schema):
    id: int
    entry_id: int | None
    message_ref: str
    rank: int | None
    created_at: datetime


def _content(payload) -> dict:
    data = payload.dict()
    return {
        k: data[k] for k in ("question", "variants", "answer", "basis", "valid_from", "valid_to")
    }


def _entry(user, pk: int) -> QAEntry:
    return get_scoped(QAEntry.objects.all(), user, pk)


@router.get("/entries", response=list[QAEntryOut], summary="答问条目列表")
@paginate(LimitOffset)
def list_entries(
    request,
    q: str = Query("", max_length=100, description="问题或答复中的词"),
    state: str = Query(
        "",
        description="状态：pending、returned、published、withdrawn、expiring、expired、reviewing",
    ),
    org: str = Query("", description="责任单位编号；0 为全区通用"),
):
    _require(request.auth, "qa.view")
    entries = filter_entries(
        QAEntry.objects.restrict(request.auth), {"q": q, "state": state, "org": org}
    )
    return entries.order_by("-changed_at", "-id")


@router.get("/entries/{entry_id}", response=QAEntryDetailOut, summary="答问条目详情（含修订历史）")
def get_entry(request, entry_id: Id):
    _require(request.auth, "qa.view")
    return _entry(request.auth, entry_id)


@router.post("/entries", response={201: QAEntryDetailOut}, summary="新建答问条目（提交审核）")
def create_entry(request, payload: QAEntryIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    pk, _ = create_once(
        actor=request.auth,
        scope="qa.entry_create",
        key=idempotency_key,
        create=lambda: services.entry_create(
            actor=request.auth,
            owner_org_id=payload.owner_org_id,
            content=_content(payload),
            note=payload.note,
        ),
        content=fingerprint(payload.dict()),
    )
    return Status(201, _entry(request.auth, pk))


@router.post(
    "/entries/{entry_id}/revisions", response=QAEntryDetailOut, summary="修订答问条目（提交审核）"
)
def revise_entry(request, entry_id: Id, payload: QARevisionIn):
    services.entry_update(
        actor=request.auth,
        entry_id=entry_id,
        version=payload.version,
        content=_content(payload),
        note=payload.note,
    )
    return _entry(request.auth, entry_id)


@router.post(
    "/revisions/{revision_id}/approve",
    response=QAEntryDetailOut,
    summary="审核通过并发布（区政府办公室）",
)
def approve_revision(request, revision_id: Id, payload: QAReviewIn):
    entry = services.revision_approve(
        actor=request.auth, revision_id=revision_id, note=payload.note
    )
    return _entry(request.auth, entry.pk)


@router.post(
    "/revisions/{revision_id}/reject", response=QARevisionOut, summary="退回修订（区政府办公室）"
)
def reject_revision(request, revision_id: Id, payload: QAReviewIn):
    return services.revision_reject(actor=request.auth, revision_id=revision_id, note=payload.note)


@router.post("/entries/{entry_id}/withdraw", response=QAEntryOut, summary="停用答问条目")
def withdraw_entry(request, entry_id: Id, payload: QAReasonIn):
    return services.entry_withdraw(
        actor=request.auth, entry_id=entry_id, version=payload.version, reason=payload.reason
    )


@router.post("/entries/{entry_id}/restore", response=QAEntryOut, summary="恢复发布答问条目")
def restore_entry(request, entry_id: Id, payload: QAReasonIn):
    return services.entry_restore(
        actor=request.auth, entry_id=entry_id, version=payload.version, reason=payload.reason
    )


@router.get("/suggestions", response=QASuggestionsOut, summary="为一条留言推荐答问条目")
def get_suggestions(
    request,
    text: str = Query(..., min_length=1, max_length=5000, description="留言内容"),
    limit: int = Query(5, ge=1, le=50),
    on: IsoDate | None = Query(None, description="按哪一天的有效期；缺省为今天"),
):
    _require(request.auth, "qa.view")
    return {"suggestions": selectors.suggest(text, limit=limit, on=on)}


@router.post(
    "/suggestion-records",
    response={201: QASuggestionRecordOut},
    summary="记录答复留言时采纳的推荐条目",
)
def record_suggestion(request, payload: QASuggestionRecordIn):
    return Status(
        201,
        services.suggestion_record(
            actor=request.auth,
            entry_id=payload.entry_id,
            message_ref=payload.message_ref,
            rank=payload.rank,
        ),
    )
