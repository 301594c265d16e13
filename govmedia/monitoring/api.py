"""/api/v1/posts, /pull-runs, /dormant-accounts and /rectifications: monitoring over JSON.

Thin, and scoped like the pages: every read goes through restrict()/get_scoped, every write
through monitoring.services, errors in the project's JSON format.
"""

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from govmedia.core.errors import NotFound
from govmedia.core.numbers import Id
from govmedia.core.pagination import API_MAX_OFFSET, LimitOffset
from govmedia.core.schemas import Flag, IsoDateTime, VersionIn
from govmedia.core.scope import get_scoped, may

from . import dormancy, selectors, services
from .alerts import thresholds
from .models import Post, PullOutcome, PullRun, Rectification, RectificationState
from .views.posts import filter_posts

posts_router = Router(tags=["已发布内容"])
runs_router = Router(tags=["采集记录"])
dormant_router = Router(tags=["僵尸账号监测"])
rectifications_router = Router(tags=["整改事项"])


def _require(user, action: str) -> None:
    if not may(user, action):
        raise NotFound("对象不存在或您无权访问")


# ---------------------------------------------------------------- posts


class PostOut(Schema):
    id: Id
    account_id: Id
    account_name: str = Field(alias="account.name")
    platform_post_id: str
    title: str
    url: str
    published_at: datetime
    metrics: dict = Field(
        description="阅读 reads、点赞 likes、转发 shares、评论 comments（平台提供的）"
    )
    first_seen_at: datetime
    last_seen_at: datetime
    deleted_at: datetime | None = Field(description="发布后在平台上被删除、由采集发现的时间")
    screened_version: int | None = Field(description="审查所用词库版本；为空表示尚未审查")


class PostDetailOut(PostOut):
    text: str
    is_html: bool


@posts_router.get("", response=list[PostOut], summary="已发布内容列表")
@paginate(LimitOffset)
def list_posts(
    request,
    account_id: Id | None = None,
    org_id: Id | None = Query(None, description="主办单位编号（含其下级单位）"),
    deleted: Flag | None = Query(None, description="true：只看发布后已删除的"),
    q: str = Query("", description="标题或正文关键词"),
    since: IsoDateTime | None = None,
):
    """`since`: only posts published at or after this moment."""
    _require(request.auth, "monitoring.view")
    posts = filter_posts(
        Post.objects.restrict(request.auth).select_related("account"),
        account_id=account_id,
        org_id=org_id,
        deleted=deleted,
        q=q,
    )
    if since is not None:
        posts = posts.filter(published_at__gte=since)
    return posts.defer("text").order_by("-published_at", "-id")


@posts_router.get("/{post_id}", response=PostDetailOut, summary="已发布内容详情")
def get_post(request, post_id: Id):
    _require(request.auth, "monitoring.view")
    return get_scoped(Post.objects.select_related("account"), request.auth, post_id)


# ---------------------------------------------------------------- pull runs


class PullRunOut(Schema):
    id: Id
    account_id: Id
    account_name: str = Field(alias="account.name")
    started_at: datetime
    finished_at: datetime
    outcome: str
    error_kind: str = Field(
        description="rate_limited 平台限流、unavailable 暂不可用、bad_credentials 凭据无效、"
        "not_found 账号不存在、bad_parameters 请求参数被拒绝（见 error_message：核对什么）、error 其他"
    )
    error_code: str
    error_message: str
    pages: int
    posts_seen: int
    posts_new: int
    posts_updated: int
    posts_deleted: int
    full_relist: bool
    cursor: str


@runs_router.get("", response=list[PullRunOut], summary="采集记录列表")
@paginate(LimitOffset)
def list_runs(request, account_id: Id | None = None, outcome: PullOutcome | None = None):
    _require(request.auth, "monitoring.view")
    runs = PullRun.objects.restrict(request.auth).select_related("account")
    if account_id:
        runs = runs.filter(account_id=account_id)
    if outcome:
        runs = runs.filter(outcome=outcome)
    return runs.order_by("-started_at", "-id")


class PullRequestIn(Schema):
    account_id: Id


class PullRequestOut(Schema):
    account_id: Id
    next_due_at: datetime


@runs_router.post("/request", response=PullRequestOut, summary="立即采集一个账号")
def request_pull(request, payload: PullRequestIn):
    return services.pull_request_now(actor=request.auth, account_id=payload.account_id)


@runs_router.get("/{run_id}", response=PullRunOut, summary="采集记录详情")
def get_run(request, run_id: Id):
    _require(request.auth, "monitoring.view")
    return get_scoped(PullRun.objects.select_related("account"), request.auth, run_id)


# ---------------------------------------------------------------- dormant report


class DormantOut(Schema):
    account_id: Id
    account_name: str
    handle: str
    platform: str
    host_org_id: Id
    host_org_name: str
    filing_no: str | None
    level: str = Field(
        description="cleanup 清理候选、risk 单项否决风险、failing 采集失败、unpulled 尚未采集、ok 正常"
    )
    level_label: str
    last_update: date | None
    days_since: int | None
    longest_gap_days: int | None = Field(description="近 90 天最长不更新间隔（天）")
    posts_90_days: int
    posts_per_week: float
    consecutive_failures: int
    last_success_at: datetime | None
    last_error: str


class ThresholdsOut(Schema):
    risk_days: int
    cleanup_days: int
    failure_limit: int
    basis: str


class DormantPage(Schema):
    count: int
    thresholds: ThresholdsOut
    items: list[DormantOut]


def _dormant_out(row: selectors.DormantRow) -> dict:
    a, state = row.account, row.state
    return {
        "account_id": a.pk,
        "account_name": a.name,
        "handle": a.handle,
        "platform": a.platform.name,
        "host_org_id": a.host_org_id,
        "host_org_name": a.host_org.name,
        "filing_no": a.filing_no,
        "level": str(row.level),
        "level_label": row.level_label,
        "last_update": row.last_update,
        "days_since": row.days_since,
        "longest_gap_days": row.longest_gap,
        "posts_90_days": row.posts_90,
        "posts_per_week": row.posts_per_week,
        "consecutive_failures": state.consecutive_failures if state else 0,
        "last_success_at": state.last_success_at if state else None,
        "last_error": state.last_error if state else "",
    }


@dormant_router.get("", response=DormantPage, summary="僵尸账号监测（按风险排序）")
def dormant_report(
    request,
    level: str = Query("", description="cleanup、risk、failing、unpulled 或 ok"),
    org_id: Id | None = Query(None, description="主办单位编号（含其下级单位）"),
    platform_id: Id | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=API_MAX_OFFSET),
):
    _require(request.auth, "monitoring.view")
    accounts = selectors.dormant_accounts(
        request.auth,
        level=level if level in dormancy.LEVEL_LABELS else "",
        org_id=org_id,
        platform_id=platform_id,
    )
    t = thresholds()
    return {
        "count": accounts.count(),
        "thresholds": {
            "risk_days": t.risk_days,
            "cleanup_days": t.cleanup_days,
            "failure_limit": settings.PULL_FAILURE_LIMIT,
            "basis": "国办秘函〔2019〕19号；通知第二部分（二）“避免僵尸应用”",
        },
        "items": [_dormant_out(r) for r in selectors.rows_for(accounts[offset : offset + limit])],
    }


# ---------------------------------------------------------------- rectifications


class RectificationFindingOut(Schema):
    where: str
    category: str
    category_label: str
    rule: str
    severity: str
    matched: str
    suggestion: str
    basis: str


class RectificationOut(Schema):
    id: Id
    org_id: Id
    org_name: str = Field(alias="org.name")
    account_id: Id
    account_name: str = Field(alias="account.name")
    post_id: Id
    post_url: str = Field(alias="post.url")
    post_deleted_at: datetime | None = Field(alias="post.deleted_at")
    state: str
    state_label: str = Field(alias="get_state_display")
    severity: str
    matched: str
    findings: list[RectificationFindingOut]
    screenshot_url: str
    due_on: date = Field(description="整改期限：发现（或退回）后第 RECTIFY_WORKDAYS 个工作日")
    due_provisional: bool
    resolution_note: str
    proof_url: str
    resolved_at: datetime | None
    confirmed_at: datetime | None
    reopen_reason: str
    created_at: datetime
    version: int


class ResolveIn(Schema):
    version: int = Field(description="读取时的版本号，防止重复提交")
    note: str = Field(description="整改说明")
    proof_url: str = Field("", description="整改证明链接（http/https）")


class ReopenIn(Schema):
    version: int
    reason: str = Field(description="重新整改理由")


class ScreenshotIn(Schema):
    version: int
    screenshot_url: str = Field(description="存证截图链接（http/https），空串清除")


def _item(item_id: Id) -> Rectification:
    return Rectification.objects.select_related("org", "account", "post").get(pk=item_id)


@rectifications_router.get("", response=list[RectificationOut], summary="整改事项列表")
@paginate(LimitOffset)
def list_items(
    request,
    state: RectificationState | None = None,
    active: Flag | None = Query(None, description="true：只看未办结的"),
    org_id: Id | None = None,
):
    _require(request.auth, "rectification.view")
    items = Rectification.objects.restrict(request.auth).select_related("org", "account", "post")
    if state:
        items = items.filter(state=state)
    if active:
        items = items.active()
    if org_id:
        items = items.filter(org_id=org_id)
    return items.order_by("due_on", "-id")


@rectifications_router.get("/{item_id}", response=RectificationOut, summary="整改事项详情")
def get_item(request, item_id: Id):
    _require(request.auth, "rectification.view")
    return get_scoped(
        Rectification.objects.select_related("org", "account", "post"), request.auth, item_id
    )


@rectifications_router.post("/{item_id}/resolve", response=RectificationOut, summary="提交整改")
def resolve_item(request, item_id: Id, payload: ResolveIn):
    item = services.rectification_resolve(
        actor=request.auth,
        item_id=item_id,
        version=payload.version,
        note=payload.note,
        proof_url=payload.proof_url,
    )
    return _item(item.pk)


@rectifications_router.post(
    "/{item_id}/confirm", response=RectificationOut, summary="确认整改（区政府办公室）"
)
def confirm_item(request, item_id: Id, payload: VersionIn):
    item = services.rectification_confirm(
        actor=request.auth, item_id=item_id, version=payload.version
    )
    return _item(item.pk)


@rectifications_router.post(
    "/{item_id}/reopen", response=RectificationOut, summary="退回重新整改（区政府办公室）"
)
def reopen_item(request, item_id: Id, payload: ReopenIn):
    item = services.rectification_reopen(
        actor=request.auth, item_id=item_id, version=payload.version, reason=payload.reason
    )
    return _item(item.pk)


@rectifications_router.post(
    "/{item_id}/screenshot", response=RectificationOut, summary="补充存证截图链接"
)
def screenshot_item(request, item_id: Id, payload: ScreenshotIn):
    item = services.rectification_set_screenshot(
        actor=request.auth,
        item_id=item_id,
        version=payload.version,
        screenshot_url=payload.screenshot_url,
    )
    return _item(item.pk)
