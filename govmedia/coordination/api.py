"""/api/v1/coordination: repost tasks (转载任务) over JSON — the target preview, issuing, the
tasks with their standing (the completion matrix's rows, filtered as the page and its export
are), a unit's report by link, the issuer's exemption and reminder (催办), the per-unit
completion rates — and the publishing requests (发布申请) to the 政府网 accounts.

Thin, as the other apps' APIs: every read starts from restrict()/get_scoped (an object out of the
caller's scope answers 404), every write calls the services, which check scope, permission,
version and the lifecycle's guards inside their transaction. Errors come back in the project's
JSON format `{"code", "message", "field"}`.
"""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from govmedia.core.dates import parse_date
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.schemas import VersionIn
from govmedia.core.scope import get_scoped, may

from . import selectors, services
from .filters import CAMPAIGN_FILTERS
from .models import (
    DeadlineUnit,
    Outcome,
    Priority,
    PublishRequest,
    RepostCampaign,
    RepostTask,
    RequestState,
    SourceKind,
)

router = Router(tags=["协同转载"])


# ---------------------------------------------------------------- output


class AccountRef(Schema):
    id: int
    name: str
    platform: str = Field(alias="platform.name", description="运行平台")
    org_name: str = Field(alias="host_org.name", description="主办单位")


class ExcludedOut(Schema):
    account_id: int
    name: str
    platform: str
    org: str
    reason: str = Field(description="不下达的原因")


class PreviewOut(Schema):
    count: int = Field(description="将下达的账号数（下达时以 expected_count 带回）")
    included: list[AccountRef]
    excluded: list[ExcludedOut]


class CountsOut(Schema):
    total: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    exempted: int = 0


class CampaignOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name", description="下达单位")
    title: str
    note: str
    priority: str
    priority_label: str = Field(alias="get_priority_display")
    source_kind: str
    source_post_id: int | None
    source_article_id: int | None
    source_revision_id: int | None
    source_account_id: int | None
    source_title: str
    source_url: str
    source_published_at: datetime
    rule: dict = Field(description="目标规则：platforms、org_types、org_ids、account_ids")
    excluded: list[ExcludedOut] = Field(description="不下达的账号及原因（下达时）")
    target_count: int
    deadline_value: int
    deadline_unit: str
    issued_at: datetime
    due_at: datetime
    remind_at: datetime
    issued_by_id: int
    review_exempt: bool = Field(description="区政府办公室免于审核（转载无需本单位审核）")
    counts: CountsOut | None = Field(None, description="您可见的账号任务的完成情况")
    version: int


class TaskOut(Schema):
    id: int
    campaign_id: int
    campaign_title: str = Field(alias="campaign.title")
    account: AccountRef
    org_id: int
    org_name: str = Field(alias="org.name", description="承办单位")
    state: str
    state_label: str = Field(alias="get_state_display")
    outcome: str = Field(alias="standing", description="按时转载/逾期转载/逾期未转载/待转载/已豁免")
    outcome_label: str = ""
    due_at: datetime
    post_id: int | None
    post_url: str = ""
    score: int | None = Field(description="匹配度（0–100）")
    match_reason: str
    completed_at: datetime | None = Field(description="转载内容的发布时间")
    completed_via: str
    took_seconds: int | None = Field(None, description="自下达至转载的秒数")
    late: bool
    reported_url: str
    reported_at: datetime | None
    exempt_reason: str
    exempted_at: datetime | None
    article_id: int | None = Field(description="转载稿件（按“转载”类别审核后发布）")
    version: int

    @staticmethod
    def resolve_outcome_label(obj):
        return Outcome(obj.standing).label

    @staticmethod
    def resolve_post_url(obj):
        return obj.post.link if obj.post_id and obj.post else ""

    @staticmethod
    def resolve_took_seconds(obj):
        return int(obj.took.total_seconds()) if obj.took is not None else None


class CampaignDetailOut(CampaignOut):
    tasks: list[TaskOut]


class RateOut(Schema):
    org_id: int
    org_name: str
    total: int
    on_time: int
    late: int
    missing: int
    pending: int
    exempted: int
    rate: float | None = Field(description="完成率：（按时+逾期转载）÷（任务数−豁免）")
    on_time_rate: float | None = Field(description="按时率")


# ---------------------------------------------------------------- input


class RuleIn(Schema):
    platforms: list[str] = Field([], description="运行平台代码，如 wechat-mp、weibo")
    org_types: list[str] = Field([], description="单位类型，如 township、department")
    org_ids: list[int] = Field([], description="指定单位（含其下级单位）")
    account_ids: list[int] = Field([], description="指定账号（一并下达）")


class PreviewIn(Schema):
    rule: RuleIn
    source_kind: SourceKind | None = Field(None, description="post 或 article：排除来源账号本身")
    source_id: int | None = None


class CampaignIn(Schema):
    source_kind: SourceKind = Field(description="post：已发布内容；article：审核通过的稿件")
    source_id: int
    rule: RuleIn
    deadline_value: int = Field(description="转载时限")
    deadline_unit: DeadlineUnit = Field(description="hours：工作小时；days：工作日")
    priority: Priority = Priority.NORMAL
    title: str = ""
    note: str = Field("", description="转载要求")
    expected_count: int | None = Field(None, description="预览时的账号数；变化时拒绝下达")
    review_exempt: bool = Field(False, description="免于审核（仅区政府办公室）")


class ReportIn(Schema):
    version: int = Field(description="读取时的版本号")
    url: str = Field(description="转载后的链接")


class ExemptIn(Schema):
    version: int = Field(description="读取时的版本号")
    reason: str = Field(description="豁免理由")


# ---------------------------------------------------------------- helpers


def _campaigns():
    return RepostCampaign.objects.select_related("org")


def _tasks(user):
    return (
        RepostTask.objects.restrict(user)
        .with_outcome()
        .select_related("campaign", "account__platform", "account__host_org", "org", "post")
    )


def _with_counts(user, campaigns: list[RepostCampaign]) -> list[RepostCampaign]:
    counts = selectors.campaign_counts([c.pk for c in campaigns], user=user)
    for campaign in campaigns:
        campaign.counts = counts.get(campaign.pk)
    return campaigns


def _detail(user, campaign: RepostCampaign) -> RepostCampaign:
    campaign.tasks_list = list(_tasks(user).filter(campaign=campaign).order_by("org__path", "pk"))
    _with_counts(user, [campaign])
    return campaign


class _Detail(CampaignDetailOut):
    @staticmethod
    def resolve_tasks(obj):
        return obj.tasks_list


def _task_out(user, task_id: int) -> RepostTask:
    return _tasks(user).get(pk=task_id)


# ---------------------------------------------------------------- routes


@router.get("/campaigns", response=list[CampaignOut], summary="转载任务列表")
@paginate(LimitOffsetPagination)
def list_campaigns(
    request,
    q: str = Query("", description="任务名称或原文标题包含的文字"),
    priority: Priority | None = None,
    issued_from: str = Query("", description="下达日期自（YYYY-MM-DD）"),
    issued_to: str = Query("", description="下达日期至（YYYY-MM-DD）"),
):
    params = {
        "q": q,
        "priority": priority.value if priority else None,
        "issued_from": issued_from,
        "issued_to": issued_to,
    }
    rows = CAMPAIGN_FILTERS.apply(RepostCampaign.objects.restrict(request.auth), params)
    return _CountedList(request.auth, rows.select_related("org").order_by("-issued_at", "-pk"))


class _CountedList:
    """A queryset whose page gets its completion counts in one query."""

    def __init__(self, user, queryset):
        self.user, self.queryset = user, queryset

    def count(self):
        return self.queryset.count()

    def __getitem__(self, item):
        return _with_counts(self.user, list(self.queryset[item]))

    def __len__(self):
        return self.count()


@router.post("/campaigns/preview", response=PreviewOut, summary="预览目标账号（下达前）")
def preview_campaign(request, payload: PreviewIn):
    if not may(request.auth, "coordination.issue"):
        raise Forbidden("您无权下达转载任务")
    account_id = None
    if payload.source_kind and payload.source_id:
        account_id = services.resolve_source(
            request.auth, payload.source_kind.value, payload.source_id
        ).account_id
    preview = selectors.preview_targets(
        request.auth, payload.rule.dict(), source_account_id=account_id
    )
    return {"count": preview.count, "included": preview.included, "excluded": preview.excluded}


@router.post("/campaigns", response={201: _Detail}, summary="下达转载任务")
def issue_campaign(request, payload: CampaignIn):
    campaign = services.repost_campaign_issue(
        actor=request.auth,
        source_kind=payload.source_kind.value,
        source_id=payload.source_id,
        rule=payload.rule.dict(),
        deadline_value=payload.deadline_value,
        deadline_unit=payload.deadline_unit.value,
        priority=payload.priority.value,
        title=payload.title,
        note=payload.note,
        expected_count=payload.expected_count,
        review_exempt=payload.review_exempt,
    )
    return Status(201, _detail(request.auth, _campaigns().get(pk=campaign.pk)))


@router.get("/campaigns/{campaign_id}", response=_Detail, summary="转载任务详情（含各账号情况）")
def get_campaign(request, campaign_id: int):
    campaign = get_scoped(_campaigns(), request.auth, campaign_id)
    return _detail(request.auth, campaign)


@router.get("/tasks", response=list[TaskOut], summary="账号转载任务（完成情况矩阵的数据）")
@paginate(LimitOffsetPagination)
def list_tasks(
    request,
    org_id: int | None = Query(None, description="承办单位编号（含其下级单位）"),
    platform: str = Query("", description="运行平台代码"),
    campaign_id: int | None = None,
    outcome: Outcome | None = None,
    priority: Priority | None = None,
    issued_from: str = Query("", description="下达日期自（YYYY-MM-DD）"),
    issued_to: str = Query("", description="下达日期至（YYYY-MM-DD）"),
):
    params = {
        "org_id": org_id,
        "platform": platform,
        "campaign_id": campaign_id,
        "outcome": outcome.value if outcome else None,
        "priority": priority.value if priority else None,
        "issued_from": issued_from,
        "issued_to": issued_to,
    }
    return selectors.task_pages(request.auth, params)


@router.post("/tasks/{task_id}/report", response=TaskOut, summary="报送转载链接（采集核实）")
def report_task(request, task_id: int, payload: ReportIn):
    task = get_scoped(RepostTask.objects.all(), request.auth, task_id, "complete")
    services.repost_task_report(
        actor=request.auth, task_id=task.pk, version=payload.version, url=payload.url
    )
    return _task_out(request.auth, task.pk)


@router.post(
    "/tasks/{task_id}/draft", response=TaskOut, summary="撰写转载稿（按“转载”类别审核后发布）"
)
def draft_task(request, task_id: int):
    task = get_scoped(RepostTask.objects.all(), request.auth, task_id, "complete")
    services.repost_task_draft(actor=request.auth, task_id=task.pk)
    return _task_out(request.auth, task.pk)


@router.post("/tasks/{task_id}/exempt", response=TaskOut, summary="豁免（下达单位，须说明理由）")
def exempt_task(request, task_id: int, payload: ExemptIn):
    task = get_scoped(RepostTask.objects.all(), request.auth, task_id, "issue")
    services.repost_task_exempt(
        actor=request.auth, task_id=task.pk, version=payload.version, reason=payload.reason
    )
    return _task_out(request.auth, task.pk)


@router.get("/rates", response=list[RateOut], summary="各单位转载完成率（按转载期限统计）")
def completion_rates(
    request,
    start: str = Query(description="期限自（含，YYYY-MM-DD）"),
    end: str = Query(description="期限至（含，YYYY-MM-DD）"),
    org_id: int | None = Query(None, description="单位编号（含其下级单位）"),
):
    return selectors.completion_rates(
        request.auth, start=_date(start, "start"), end=_date(end, "end"), org_id=org_id
    )


def _date(text: str, field: str) -> date:
    try:
        return parse_date(text.strip())
    except ValueError as exc:
        raise ServiceError(str(exc), field=field) from None


# ---------------------------------------------------------------- 催办


class RemindIn(Schema):
    task_ids: list[int] | None = Field(None, description="要催办的账号任务；省略则为全部未完成的")


class RemindOut(Schema):
    reminded: list[int] = Field(description="本次催办的账号任务")
    skipped: list[int] = Field(description="本工作日已催办过的账号任务（每个工作日一次）")


@router.post(
    "/campaigns/{campaign_id}/remind",
    response=RemindOut,
    summary="催办未完成的账号（下达单位；行业主管部门对其企事业单位）",
)
def remind_campaign(request, campaign_id: int, payload: RemindIn):
    campaign = get_scoped(RepostCampaign.objects.all(), request.auth, campaign_id)
    result = services.repost_tasks_remind(
        actor=request.auth, campaign_id=campaign.pk, task_ids=payload.task_ids
    )
    return {"reminded": result.reminded, "skipped": result.skipped}


# ---------------------------------------------------------------- 发布申请


class RequestAccountOut(Schema):
    id: int
    name: str
    platform: str = Field(alias="platform.name", description="运行平台")


class PublishRequestOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name", description="申请单位")
    article_id: int = Field(description="申请发布的稿件（申请单位的）")
    revision_id: int
    title: str
    accounts: list[RequestAccountOut] = Field(description="政府网账号")
    proposed_at: datetime = Field(description="拟发布时间")
    note: str
    state: RequestState
    state_label: str = Field(alias="get_state_display")
    requested_by_id: int
    requested_at: datetime
    accepted_at: datetime | None
    return_reason: str = Field(description="退回理由（区政府办公室或区级审核人）")
    returned_at: datetime | None
    published_url: str = Field(description="发布链接")
    published_at: datetime | None
    published_via: str = Field(description="pull：采集比对确认；marked：区政府办公室登记")
    post_id: int | None
    version: int

    @staticmethod
    def resolve_accounts(obj):
        return list(obj.accounts.select_related("platform"))


class RequestIn(Schema):
    article_id: int = Field(description="本单位审核通过的稿件")
    account_ids: list[int] = Field(description="政府网账号")
    proposed_at: datetime = Field(description="拟发布时间")
    note: str = Field("", description="申请说明")


class RequestReturnIn(VersionIn):
    reason: str = Field(description="退回理由")


class RequestPublishedIn(VersionIn):
    url: str = Field(description="发布链接")


def _request(user, request_id: int) -> PublishRequest:
    return get_scoped(PublishRequest.objects.select_related("org"), user, request_id)


@router.get("/requests", response=list[PublishRequestOut], summary="发布申请列表")
@paginate(LimitOffsetPagination)
def list_requests(
    request,
    q: str = Query("", description="标题包含的文字"),
    state: RequestState | None = None,
    org_id: int | None = Query(None, description="申请单位编号（含其下级单位）"),
    requested_from: str = Query("", description="申请日期自（YYYY-MM-DD）"),
    requested_to: str = Query("", description="申请日期至（YYYY-MM-DD）"),
):
    params = {
        "q": q,
        "state": state.value if state else None,
        "org_id": org_id,
        "requested_from": requested_from,
        "requested_to": requested_to,
    }
    return selectors.publish_requests(request.auth, params).prefetch_related("accounts__platform")


@router.post("/requests", response={201: PublishRequestOut}, summary="提交发布申请")
def submit_request(request, payload: RequestIn):
    created = services.publish_request_submit(
        actor=request.auth,
        article_id=payload.article_id,
        account_ids=payload.account_ids,
        proposed_at=payload.proposed_at,
        note=payload.note,
    )
    return Status(201, _request(request.auth, created.pk))


@router.get("/requests/{request_id}", response=PublishRequestOut, summary="发布申请详情")
def get_request(request, request_id: int):
    return _request(request.auth, request_id)


@router.post(
    "/requests/{request_id}/accept",
    response=PublishRequestOut,
    summary="受理（区政府办公室：进入区级审核流程）",
)
def accept_request(request, request_id: int, payload: VersionIn):
    found = _request(request.auth, request_id)
    services.publish_request_accept(
        actor=request.auth, request_id=found.pk, version=payload.version
    )
    return _request(request.auth, found.pk)


@router.post(
    "/requests/{request_id}/return", response=PublishRequestOut, summary="退回（须说明理由）"
)
def return_request(request, request_id: int, payload: RequestReturnIn):
    found = _request(request.auth, request_id)
    services.publish_request_return(
        actor=request.auth, request_id=found.pk, version=payload.version, reason=payload.reason
    )
    return _request(request.auth, found.pk)


@router.post(
    "/requests/{request_id}/withdraw", response=PublishRequestOut, summary="撤回（受理前）"
)
def withdraw_request(request, request_id: int, payload: VersionIn):
    found = _request(request.auth, request_id)
    services.publish_request_withdraw(
        actor=request.auth, request_id=found.pk, version=payload.version
    )
    return _request(request.auth, found.pk)


@router.post(
    "/requests/{request_id}/published",
    response=PublishRequestOut,
    summary="登记发布链接（区政府办公室）",
)
def published_request(request, request_id: int, payload: RequestPublishedIn):
    found = _request(request.auth, request_id)
    services.publish_request_mark_published(
        actor=request.auth, request_id=found.pk, version=payload.version, url=payload.url
    )
    return _request(request.auth, found.pk)
