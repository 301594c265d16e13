"""/api/v1/opinion: 舆情处置 over JSON — the case board and a case's timeline, the lifecycle's
acts, subscriptions (监测方案), signals, manual reports, and the endpoint monitoring vendors post
their items to (a vendor token, not a person's).

Thin, as the other apps' APIs: reads start from restrict()/get_scoped (out of scope: 404),
writes call the services, which check scope, permission, version and the lifecycle's guards.
"""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer

from govmedia.core.errors import ServiceError
from govmedia.core.idempotency import api_key_param, create_once, fingerprint
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.schemas import IsoDateTime
from govmedia.core.scope import get_scoped
from govmedia.core.spreadsheets import ImportRejected

from . import selectors
from .expressions import Expression, ExpressionError
from .filters import ITEM_FILTERS
from .models import CaseState, Level, OpinionCase, OpinionItem, Sentiment, SignalKind, Subscription
from .services import cases as case_services
from .services import subscriptions as subscription_services
from .services.vendors import check_rows, json_rows, vendor_authenticate, vendor_items_store

router = Router(tags=["舆情处置"])


# ---------------------------------------------------------------- output


class CaseAssignmentOut(Schema):
    org_id: int
    org_name: str = Field(alias="org.name")
    note: str
    assigned_at: datetime


class CaseOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name", description="责任单位")
    title: str
    summary: str
    state: CaseState = Field(
        description="warning 预警、assessed 研判、assigned 转办、handling 处置、responded 回应、closed 办结"
    )
    state_label: str = Field(alias="get_state_display")
    level: Level = Field(description="ordinary 一般、large 较大、major 重大、grave 特别重大")
    level_label: str = Field(alias="get_level_display")
    level_reason: str
    opened_at: datetime
    due_at: datetime = Field(description="回应时限（自然小时计算）")
    responded_at: datetime | None
    closed_at: datetime | None
    response_article_id: int | None
    response_url: str
    closing_report: str
    signal_count: int
    negative_count: int
    version: int


class CaseEventOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    actor_id: int | None
    note: str
    data: dict
    at: datetime


class OpinionItemOut(Schema):
    id: int
    org_id: int
    kind: SignalKind
    kind_label: str = Field(alias="get_kind_display")
    title: str
    text: str
    url: str
    occurred_at: datetime
    matched_rule: str
    subscription_id: int | None
    post_id: int | None
    vendor: str
    vendor_item_id: str
    reporter: str
    sentiment: Sentiment
    sentiment_score: float
    sentiment_words: list[str]
    case_id: int | None
    created_at: datetime


class CaseDetailOut(CaseOut):
    assignments: list[CaseAssignmentOut] = Field(alias="assignments_list", description="转办单位")
    events: list[CaseEventOut] = Field(
        alias="events_list", description="研判、转办、处置、回应、意见等记录"
    )
    items: list[OpinionItemOut] = Field(alias="items_list", description="归入该事件的舆情信息")
    actions: list[str] = Field(alias="actions_list", description="您现在可以执行的操作")


class SubscriptionOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name")
    name: str
    expression: str
    active: bool
    on_posts: bool
    on_comments: bool
    on_messages: bool
    version: int


# ---------------------------------------------------------------- input


class CaseLevelIn(Schema):
    version: int = Field(description="读取时的版本号")
    level: Level
    reason: str = Field(description="研判理由")


class CaseAssignIn(Schema):
    version: int
    org_ids: list[Id] = Field(description="承办单位编号（一个或多个）", min_length=1, max_length=50)
    note: str = Field("", description="转办要求")


class CaseNoteIn(Schema):
    version: int
    note: str = Field(description="处置措施")


class CaseRespondIn(Schema):
    version: int
    article_id: Id | None = Field(None, description="审核通过的回应稿件编号（publishing）")
    url: str = Field("", description="已发布回应的链接（无稿件时必填）")
    note: str = Field("", description="回应说明")


class CaseCloseIn(Schema):
    version: int
    report: str = Field(description="办结报告（必填）")


class CaseReasonIn(Schema):
    version: int
    reason: str


class CaseCommentIn(Schema):
    text: str = Field(description="意见")


class SubscriptionIn(Schema):
    org_id: Id
    name: str
    expression: str = Field(description='监测表达式：AND、OR、NOT、NEAR/n、括号、"短语"')
    active: bool = True
    on_posts: bool = True
    on_comments: bool = True
    on_messages: bool = True


class SubscriptionUpdateIn(SubscriptionIn):
    version: int


class OpinionReportIn(Schema):
    org_id: Id = Field(description="涉及单位")
    title: str
    text: str
    url: str = ""
    occurred_at: IsoDateTime | None = None
    reporter: str = Field("", description="报送来源：领导批示、网信通报、12345 转办等")


class VendorItemIn(Schema):
    id: str = Field(
        description="服务商的信息编号（幂等：同一编号只收录一次）", min_length=1, max_length=100
    )
    title: str = Field("", max_length=500)
    text: str = Field(description="内容或摘要", min_length=1, max_length=20000)
    url: str = Field("", description="原文链接（http/https）", max_length=1000)
    published_at: IsoDateTime = Field(description="发布时间（ISO 8601，含时区）")
    unit: str = Field("", description="涉及单位名称（空：区级）", max_length=100)
    rule: str = Field("", description="服务商的监测规则或关键词", max_length=500)


class VendorBatchIn(Schema):
    items: list[VendorItemIn] = Field(min_length=1, max_length=500)


class VendorBatchOut(Schema):
    created: int = Field(description="新收录的条数")
    duplicates: list[str] = Field(description="此前已收录、本次未重复收录的编号")
    case_ids: list[int] = Field(description="新信息归入的舆情事件")


# ---------------------------------------------------------------- cases


def _case_detail(user, case: OpinionCase) -> OpinionCase:
    case.assignments_list = list(case.assignments.select_related("org"))
    case.events_list = list(selectors.case_events(case))
    case.items_list = list(selectors.case_items(case))
    case.actions_list = selectors.offered(case, user)
    return case


def _case(user, case_id) -> OpinionCase:
    return get_scoped(OpinionCase.objects.select_related("org"), user, case_id)


@router.get("/cases", response=list[CaseOut], summary="舆情事件（按阶段、等级、剩余时间）")
@paginate(LimitOffset)
def list_cases(
    request,
    q: str = Query("", description="事件名称或概要包含的文字"),
    state: str = Query("", description="阶段（warning…closed），open 为未办结"),
    level: Level | None = None,
    org_id: Id | None = Query(None, description="责任单位（含下级）"),
    time_left: str = Query("", description="overdue 已超时、6h、24h 内到期"),
):
    params = {
        "q": q,
        "state": state,
        "level": level.value if level else None,
        "org_id": org_id,
        "time_left": time_left,
    }
    return selectors.board(request.auth, params)


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="舆情事件详情与时间线")
def get_case(request, case_id: Id):
    return _case_detail(request.auth, _case(request.auth, case_id))


def _after(request, case_id):
    return _case_detail(request.auth, _case(request.auth, case_id))


@router.post("/cases/{case_id}/assess", response=CaseDetailOut, summary="研判（定级并说明理由）")
def assess_case(request, case_id: Id, payload: CaseLevelIn):
    _case(request.auth, case_id)
    case_services.case_assess(
        actor=request.auth,
        case_id=case_id,
        version=payload.version,
        level=payload.level.value,
        reason=payload.reason,
    )
    return _after(request, case_id)


@router.post(
    "/cases/{case_id}/raise", response=CaseDetailOut, summary="提升等级（回应时限随之缩短）"
)
def raise_case(request, case_id: Id, payload: CaseLevelIn):
    _case(request.auth, case_id)
    case_services.case_raise(
        actor=request.auth,
        case_id=case_id,
        version=payload.version,
        level=payload.level.value,
        reason=payload.reason,
    )
    return _after(request, case_id)


@router.post("/cases/{case_id}/assign", response=CaseDetailOut, summary="转办（一个或多个单位）")
def assign_case(request, case_id: Id, payload: CaseAssignIn):
    _case(request.auth, case_id)
    case_services.case_assign(
        actor=request.auth,
        case_id=case_id,
        version=payload.version,
        org_ids=payload.org_ids,
        note=payload.note,
    )
    return _after(request, case_id)


@router.post("/cases/{case_id}/act", response=CaseDetailOut, summary="记录处置措施")
def act_case(request, case_id: Id, payload: CaseNoteIn):
    _case(request.auth, case_id)
    case_services.case_act(
        actor=request.auth, case_id=case_id, version=payload.version, note=payload.note
    )
    return _after(request, case_id)


@router.post(
    "/cases/{case_id}/respond",
    response=CaseDetailOut,
    summary="回应（审核通过的稿件或已发布回应的链接）",
)
def respond_case(request, case_id: Id, payload: CaseRespondIn):
    _case(request.auth, case_id)
    case_services.case_respond(
        actor=request.auth,
        case_id=case_id,
        version=payload.version,
        article_id=payload.article_id,
        url=payload.url,
        note=payload.note,
    )
    return _after(request, case_id)


@router.post("/cases/{case_id}/close", response=CaseDetailOut, summary="办结（须附办结报告）")
def close_case(request, case_id: Id, payload: CaseCloseIn):
    _case(request.auth, case_id)
    case_services.case_close(
        actor=request.auth, case_id=case_id, version=payload.version, report=payload.report
    )
    return _after(request, case_id)


@router.post("/cases/{case_id}/reopen", response=CaseDetailOut, summary="重新打开")
def reopen_case(request, case_id: Id, payload: CaseReasonIn):
    _case(request.auth, case_id)
    case_services.case_reopen(
        actor=request.auth, case_id=case_id, version=payload.version, reason=payload.reason
    )
    return _after(request, case_id)


@router.post("/cases/{case_id}/comments", response={201: CaseEventOut}, summary="发表意见（监督）")
def comment_case(request, case_id: Id, payload: CaseCommentIn):
    _case(request.auth, case_id)
    return Status(
        201, case_services.case_comment(actor=request.auth, case_id=case_id, text=payload.text)
    )


# ---------------------------------------------------------------- signals


@router.get("/items", response=list[OpinionItemOut], summary="舆情信息")
@paginate(LimitOffset)
def list_items(
    request,
    q: str = "",
    kind: SignalKind | None = None,
    sentiment: Sentiment | None = None,
    org_id: Id | None = None,
    case_id: Id | None = None,
):
    params = {
        "q": q,
        "kind": kind.value if kind else None,
        "sentiment": sentiment.value if sentiment else None,
        "org_id": org_id,
        "case_id": case_id,
    }
    return ITEM_FILTERS.apply(OpinionItem.objects.restrict(request.auth), params).order_by(
        "-occurred_at", "-pk"
    )


@router.get("/items/{item_id}", response=OpinionItemOut, summary="舆情信息详情")
def get_item(request, item_id: Id):
    return get_scoped(OpinionItem.objects.all(), request.auth, item_id)


@router.post(
    "/reports", response={201: OpinionItemOut}, summary="人工报送舆情信息（附件请用页面上传）"
)
def create_report(request, payload: OpinionReportIn, idempotency_key: str | None = api_key_param()):
    pk, _ = create_once(
        actor=request.auth,
        scope="opinion.report",
        key=idempotency_key,
        content=fingerprint(payload.dict()),
        create=lambda: case_services.report_create(actor=request.auth, **payload.dict()),
    )
    return Status(201, get_scoped(OpinionItem.objects.all(), request.auth, pk))


# ---------------------------------------------------------------- subscriptions


@router.get("/subscriptions", response=list[SubscriptionOut], summary="监测方案")
@paginate(LimitOffset)
def list_subscriptions(request):
    return Subscription.objects.restrict(request.auth).select_related("org")


@router.post("/subscriptions", response={201: SubscriptionOut}, summary="新建监测方案")
def create_subscription(
    request, payload: SubscriptionIn, idempotency_key: str | None = api_key_param()
):
    data = payload.dict()
    org_id = data.pop("org_id")
    pk, _ = create_once(
        actor=request.auth,
        scope="opinion.subscription",
        key=idempotency_key,
        content=fingerprint(payload.dict()),
        create=lambda: subscription_services.subscription_create(
            actor=request.auth, org_id=org_id, data=data
        ),
    )
    return Status(201, get_scoped(Subscription.objects.select_related("org"), request.auth, pk))


@router.get("/subscriptions/{subscription_id}", response=SubscriptionOut, summary="监测方案详情")
def get_subscription(request, subscription_id: Id):
    return get_scoped(Subscription.objects.select_related("org"), request.auth, subscription_id)


@router.put("/subscriptions/{subscription_id}", response=SubscriptionOut, summary="修改监测方案")
def update_subscription(request, subscription_id: Id, payload: SubscriptionUpdateIn):
    get_scoped(Subscription.objects.all(), request.auth, subscription_id)
    data = payload.dict()
    version = data.pop("version")
    data.pop("org_id")
    subscription_services.subscription_update(
        actor=request.auth, subscription_id=subscription_id, version=version, data=data
    )
    return get_scoped(Subscription.objects.select_related("org"), request.auth, subscription_id)


class ExpressionMatchIn(Schema):
    expression: str
    text: str = Field(max_length=100000)


class ExpressionMatchOut(Schema):
    match: bool


@router.post("/match", response=ExpressionMatchOut, summary="测试监测表达式是否命中一段文字")
def match_text(request, payload: ExpressionMatchIn):
    try:
        expression = Expression.parse(payload.expression)
    except ExpressionError as exc:
        raise ServiceError(
            f"监测表达式有误：{exc.message}", field="expression", code="invalid_expression"
        ) from None
    return {"match": expression.matches(payload.text)}


# ---------------------------------------------------------------- vendors


class VendorAuth(HttpBearer):
    """A monitoring vendor's token (gmv_…), issued and revoked by the district office."""

    openapi_description = "舆情服务商令牌（区政府办公室签发，gmv_ 开头），请求头 Authorization: Bearer 令牌；吊销后立即失效"

    def authenticate(self, request, token):
        return vendor_authenticate(token)


vendor_router = Router(tags=["舆情服务商接口"])


@vendor_router.post(
    "/items",
    response={200: VendorBatchOut},
    auth=VendorAuth(),
    summary="服务商推送舆情信息",
    description=(
        "舆情监测服务商以服务商令牌推送监测到的信息，一次 1–500 条。"
        "整批校验：任一条有误（缺少必填项、时间格式错误、找不到涉及单位、同批编号重复等）则整批拒绝，"
        "返回 400 及出错的条目序号（从 1 起），不收录任何一条。"
        "按服务商编号幂等：已收录过的编号不重复收录，在 duplicates 中列出。"
        "新信息按内容相似度并入近期的舆情事件，或形成新的预警。"
    ),
)
def vendor_items(request, payload: VendorBatchIn):
    token = request.auth
    document = [
        {
            "vendor_item_id": i.id,
            "title": i.title,
            "text": i.text,
            "url": i.url,
            "occurred_at": i.published_at,
            "unit": i.unit,
            "rule": i.rule,
        }
        for i in payload.items
    ]
    try:
        rows = check_rows(json_rows(document))
    except ImportRejected as exc:
        first = exc.errors[0]
        raise ServiceError(
            f"第 {first.row} 条“{first.column}”：{first.message}（共 {len(exc.errors)} 处问题，未收录任何信息）",
            field=f"items.{first.row - 1}",
            code="invalid_items",
        ) from None
    result = vendor_items_store(vendor=token.vendor, rows=rows, kind=SignalKind.VENDOR_API)
    return {
        "created": len(result.created),
        "duplicates": result.duplicates,
        "case_ids": sorted({i.case_id for i in result.created if i.case_id}),
    }
