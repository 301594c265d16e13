"""/api/v1/publishing: articles, revisions, review runs and decisions, flows, authorised
publishers and publications over JSON (分级审核、先审后发、授权发布).

Thin, as the registry's API: every read starts from restrict()/get_scoped (an object out of the
caller's scope answers 404 whatever the body says), every write calls the publishing services,
which re-check scope, permission, version and the lifecycle's guards inside their transaction.
Errors come back in the project's JSON format `{"code", "message", "field"}`.
"""

from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.core.errors import NotFound
from govmedia.core.idempotency import api_key_param, create_once, fingerprint
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.schemas import Flag, IsoDate, IsoDateTime
from govmedia.core.scope import get_scoped

from . import selectors, services
from .filters import ARTICLE_FILTERS
from .models import (
    Article,
    ArticleState,
    ArticleTarget,
    ContentClass,
    Publication,
    PublicationState,
    PublishGrant,
    ReviewDecision,
    ReviewFlow,
    ReviewRun,
    ReviewRunStep,
    Revision,
)

router = Router(tags=["稿件审核与发布"])


# ---------------------------------------------------------------- output


class UserRef(Schema):
    id: Id
    name: str = Field(description="姓名")


class TargetOut(Schema):
    id: Id = Field(description="发布账号记录编号（发布、人工登记时作为 target_id）")
    account_id: Id
    account_name: str = Field(alias="account.name")
    platform: str = Field(alias="account.platform.name", description="运行平台")


class RevisionOut(Schema):
    id: Id
    number: int = Field(description="修订号（第几版）")
    title: str
    content_class: str
    content_class_label: str = Field(alias="get_content_class_display")
    content_hash: str = Field(description="内容指纹：审核通过绑定到此指纹")
    source_url: str
    targets: list[dict] = Field(description="修订时的发布账号 [{id, name, platform}]")
    author: UserRef = Field(description="修改人")
    created_at: datetime
    findings: list[dict] = Field(description="内容审查发现（保存时）")


class RevisionDetailOut(RevisionOut):
    body_html: str = Field(description="已按白名单清理的正文 HTML")
    body_text: str = Field(description="正文纯文本")
    cover_id: Id | None = Field(None, description="封面图片编号")


class DecisionOut(Schema):
    id: Id
    run_step_id: Id
    reviewer: UserRef = Field(description="审核人（谁审查、谁负责）")
    decision: str
    decision_label: str = Field(alias="get_decision_display")
    reason: str
    checks: dict = Field(description="四关检查：政治关、法律关、保密关、文字关")
    acknowledgements: dict = Field(description="对“提醒”类审查发现的核实说明")
    revision_hash: str = Field(description="所审修订的内容指纹")
    decided_at: datetime


class RunStepOut(Schema):
    id: Id = Field(description="审核环节记录编号（审核、转交时使用）")
    position: int
    stage: str
    stage_label: str = Field(alias="get_stage_display")
    label: str = Field(description="环节名称")
    mode: str
    mode_label: str = Field(alias="get_mode_display")
    source: str = Field(description="unit：单位审核流程；district：区级必经环节")
    state: str
    state_label: str = Field(alias="get_state_display")
    reviewers: list[UserRef] = Field(description="可审核此环节的人")
    activated_at: datetime | None
    due_at: datetime | None = Field(description="审核期限")
    completed_at: datetime | None
    version: int

    @staticmethod
    def resolve_reviewers(obj):
        return list(obj.reviewers.all())


class RunOut(Schema):
    id: Id
    revision_id: Id
    revision_number: int = Field(alias="revision.number")
    revision_hash: str
    flow_name: str
    state: str
    state_label: str = Field(alias="get_state_display")
    submitted_by: UserRef
    started_at: datetime
    finished_at: datetime | None
    findings: list[dict] = Field(description="提交时的内容审查发现")
    steps: list[RunStepOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())

    @staticmethod
    def resolve_decisions(obj):
        return list(obj.decisions.all())


class PublicationOut(Schema):
    id: Id
    article_id: Id
    revision_id: Id
    account_id: Id
    account_name: str = Field(alias="account.name")
    state: str
    state_label: str = Field(alias="get_state_display")
    manual: bool = Field(description="人工登记（抖音、快手等在其应用内发布）")
    requested_by: UserRef = Field(description="发布人")
    requested_at: datetime
    due_at: datetime = Field(description="发布时间：立即发布为申请时间，定时发布为预定时间")
    url: str
    post_id: str
    published_at: datetime | None
    error: str
    cancel_reason: str
    version: int


class ArticleOut(Schema):
    id: Id
    org_id: Id
    org_name: str = Field(alias="org.name")
    adapted_from_id: Id | None = Field(description="同一稿件按平台改编时，该组的第一篇稿件")
    title: str
    content_class: str
    content_class_label: str = Field(alias="get_content_class_display")
    state: str
    state_label: str = Field(alias="get_state_display")
    author: UserRef
    current_revision_id: Id | None
    revision_number: int | None = Field(None, description="当前修订号")
    content_hash: str = Field("", description="当前修订的内容指纹")
    targets: list[TargetOut] = Field(description="发布账号")
    created_at: datetime
    updated_at: datetime
    is_demo: bool
    version: int = Field(description="版本号：写操作须带上读取时的版本号")

    @staticmethod
    def resolve_revision_number(obj):
        return obj.current_revision.number if obj.current_revision else None

    @staticmethod
    def resolve_content_hash(obj):
        return obj.current_revision.content_hash if obj.current_revision else ""

    @staticmethod
    def resolve_targets(obj):
        return list(obj.targets.all())


class ArticleDetailOut(ArticleOut):
    current_revision: RevisionDetailOut | None
    runs: list[RunOut] = Field(description="审核记录，最新的在前")
    publications: list[PublicationOut]

    @staticmethod
    def resolve_runs(obj):
        return list(obj.runs.all())

    @staticmethod
    def resolve_publications(obj):
        return list(obj.publications.all())


class InboxOut(RunStepOut):
    article_id: Id = Field(alias="run.article_id")
    article_title: str = Field(alias="run.article.title")
    org_name: str = Field(alias="run.article.org.name")
    run_id: Id
    revision_hash: str = Field(alias="run.revision_hash", description="审核时须带上此指纹")
    overdue: bool = Field(False, description="已超过审核期限")

    @staticmethod
    def resolve_overdue(obj):
        return selectors.is_overdue(obj)


class FlowStepOut(Schema):
    position: int
    stage: str
    stage_label: str = Field(alias="get_stage_display")
    name: str
    mode: str
    limit_value: int
    limit_unit: str
    reviewer_org_id: Id | None
    reviewer_role: str
    reviewer_user_ids: list[int]

    @staticmethod
    def resolve_reviewer_user_ids(obj):
        return [user.pk for user in obj.reviewer_users.all()]


class FlowOut(Schema):
    id: Id
    org_id: Id
    org_name: str = Field(alias="org.name")
    name: str
    purpose: str
    purpose_label: str = Field(alias="get_purpose_display")
    account_id: Id | None = Field(description="只适用于此账号（为空则适用于单位全部账号）")
    content_class: str = Field(description="只适用于此内容类别（为空则适用于全部类别）")
    is_active: bool
    steps: list[FlowStepOut]
    version: int

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class GrantOut(Schema):
    id: Id
    account_id: Id
    account_name: str = Field(alias="account.name")
    user: UserRef = Field(description="授权发布人")
    valid_from: date
    valid_until: date
    note: str
    granted_by: UserRef
    granted_at: datetime
    revoked_at: datetime | None
    revoke_reason: str
    valid_today: bool = Field(False, description="今天在有效期内且未撤销")
    version: int

    @staticmethod
    def resolve_valid_today(obj):
        return obj.valid_on(timezone.localdate())


# ---------------------------------------------------------------- input


class WriteVersionIn(Schema):
    version: int = Field(description="读取时的版本号，用于发现并发修改、防止重复提交")


class ArticleIn(Schema):
    org_id: Id = Field(description="稿件所属单位")
    content_class: str = Field(description="内容类别：" + "、".join(ContentClass.labels))
    title: str = Field(description="标题（不超过 64 个字）")
    body_html: str = Field(description="正文 HTML，保存时按白名单清理")
    target_ids: list[int] = Field([], description="发布账号（本单位的政务新媒体编号）")
    source_url: str = Field("", description="原文链接")
    adapted_from_id: Id | None = Field(None, description="改编自（同一稿件按平台改编）")


class RevisionIn(WriteVersionIn):
    """A new revision: fields left out keep the current revision's value."""

    title: str = Field(description="标题")
    body_html: str = Field(description="正文 HTML")
    content_class: str | None = None
    target_ids: list[int] | None = Field(None, description="发布账号；不填则不变")
    source_url: str | None = None


class DecideIn(WriteVersionIn):
    decision: str = Field(description="approve：通过；return：退回修改；reject：驳回")
    revision_hash: str = Field(description="所审修订的内容指纹，须与当前审核的修订一致")
    reason: str = Field("", description="意见说明；退回、驳回时必填")
    checks: dict[str, bool] = Field(
        {}, description="四关检查：political 政治关、legal 法律关、secrecy 保密关、wording 文字关"
    )
    acknowledgements: dict[str, str] = Field(
        {}, description="对每条“提醒”类审查发现的核实说明：{发现的 key: 说明}"
    )


class ReassignIn(WriteVersionIn):
    to_user_id: Id = Field(description="转交给（须为该环节可审核的人）")
    note: str = Field(description="转交说明")
    from_user_id: Id | None = Field(None, description="由谁转出（管理员代为转交时填写）")


class FlowStepIn(Schema):
    stage: str = Field(description="first：初审；second：复审；final：终审")
    mode: str = Field("any", description="any：任一审核人通过；all：全部审核人通过")
    limit_value: int = Field(description="时限")
    limit_unit: str = Field("days", description="hours：工作小时；days：工作日")
    name: str = ""
    reviewer_org_id: Id | None = Field(None, description="审核人所在单位（与角色一起使用）")
    reviewer_role: str = Field("", description="审核人角色")
    reviewer_user_ids: list[int] = Field([], description="指定审核人")


class FlowIn(Schema):
    org_id: Id = Field(description="流程所属单位")
    name: str = Field(description="流程名称")
    steps: list[FlowStepIn]
    account_id: Id | None = Field(None, description="只适用于此账号")
    content_class: str = Field("", description="只适用于此内容类别")
    purpose: str = Field("unit", description="unit：单位审核流程；mandatory：区级必经环节")


class FlowPatch(WriteVersionIn):
    name: str | None = None
    steps: list[FlowStepIn] | None = None


class GrantIn(Schema):
    account_id: Id = Field(description="政务新媒体")
    user_id: Id = Field(description="授权发布人")
    valid_from: IsoDate = Field(description="有效期自")
    valid_until: IsoDate = Field(description="有效期至")
    note: str = ""


class ReasonVersionIn(WriteVersionIn):
    reason: str = Field("", description="理由")


class PublishIn(WriteVersionIn):
    target_id: Id = Field(description="发布账号记录编号（稿件详情 targets[].id）")
    at: IsoDateTime | None = Field(None, description="定时发布的时间；不填则立即发布")


class ManualIn(WriteVersionIn):
    target_id: Id = Field(description="发布账号记录编号（稿件详情 targets[].id）")
    url: str = Field(description="发布后的作品链接")
    published_at: IsoDateTime | None = Field(None, description="在平台应用内发布的时间")


# ---------------------------------------------------------------- helpers


def _params(arguments: dict) -> dict:
    return {
        name: value.value if hasattr(value, "value") else value
        for name, value in arguments.items()
        if name != "request"
    }


def _articles():
    return Article.objects.alive().select_related("org", "author", "current_revision")


def _with_targets(queryset):
    return queryset.prefetch_related(
        Prefetch("targets", ArticleTarget.objects.select_related("account__platform"))
    )


def _scoped_article(user, article_id: Id, action: str = "view") -> Article:
    return get_scoped(_articles(), user, article_id, action)


def _article_detail(article_id: Id) -> Article:
    steps = ReviewRunStep.objects.prefetch_related("reviewers")
    runs = ReviewRun.objects.select_related("revision", "submitted_by").prefetch_related(
        Prefetch("steps", steps),
        Prefetch("decisions", ReviewDecision.objects.select_related("reviewer")),
    )
    publications = Publication.objects.select_related("account", "requested_by")
    return (
        _with_targets(_articles().select_related("current_revision__author"))
        .prefetch_related(Prefetch("runs", runs), Prefetch("publications", publications))
        .get(pk=article_id)
    )


def _scoped_step(user, step_id: Id) -> ReviewRunStep:
    """A run step of an article the user may see (a district step's reviewer included)."""
    visible = Article.objects.restrict(user, "view").alive()
    return get_scoped_in(ReviewRunStep.objects.filter(run__article__in=visible), step_id)


def get_scoped_in(queryset, pk: int):
    """One row of an already scoped queryset, or the same 404 as get_scoped."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound("对象不存在或您无权访问") from None


def _steps(steps: list[FlowStepIn] | None) -> list[dict] | None:
    return None if steps is None else [step.dict() for step in steps]


def _flows():
    return ReviewFlow.objects.select_related("org").prefetch_related("steps__reviewer_users")


def _grants():
    return PublishGrant.objects.select_related("account", "user", "granted_by")


def _publications():
    return Publication.objects.select_related("account", "requested_by")


# ---------------------------------------------------------------- articles


@router.get("/articles", response=list[ArticleOut], summary="稿件列表")
@paginate(LimitOffset)
def list_articles(
    request,
    state: ArticleState | None = None,
    content_class: ContentClass | None = None,
    org_id: Id | None = Query(None, description="单位编号（含其下级单位）"),
    org: str = Query("", description="单位名称（包含该文字）"),
    account_id: Id | None = Query(None, description="发布账号编号"),
    q: str = Query("", description="标题或正文包含的文字"),
):
    articles = Article.objects.restrict(request.auth).alive()
    articles = ARTICLE_FILTERS.apply(articles, _params(locals()))
    articles = _with_targets(articles.select_related("org", "author", "current_revision"))
    return articles.order_by("-pk")


IDEMPOTENCY_KEY = api_key_param()


@router.post("/articles", response={201: ArticleDetailOut}, summary="新建稿件（草稿）")
def create_article(request, payload: ArticleIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    pk, _ = create_once(
        actor=request.auth,
        scope="articles.create",
        key=idempotency_key,
        create=lambda: services.article_create(
            actor=request.auth,
            org_id=payload.org_id,
            content_class=payload.content_class,
            title=payload.title,
            body_html=payload.body_html,
            target_ids=payload.target_ids,
            source_url=payload.source_url,
            adapted_from_id=payload.adapted_from_id,
        ),
        content=fingerprint(payload.dict()),
    )
    return Status(201, _article_detail(pk))


@router.get("/articles/{article_id}", response=ArticleDetailOut, summary="稿件详情")
def get_article(request, article_id: Id):
    return _article_detail(_scoped_article(request.auth, article_id).pk)


@router.delete("/articles/{article_id}", response=ArticleOut, summary="删除稿件")
def delete_article(
    request,
    article_id: Id,
    version: int | None = Query(None, description="读取时的版本号（必填）"),
):
    article = _scoped_article(request.auth, article_id)
    services.article_delete(actor=request.auth, article_id=article.pk, version=version)
    return _with_targets(Article.objects.select_related("org", "author", "current_revision")).get(
        pk=article.pk
    )


@router.get(
    "/articles/{article_id}/revisions", response=list[RevisionOut], summary="稿件的修订列表"
)
def list_revisions(request, article_id: Id):
    article = _scoped_article(request.auth, article_id)
    return Revision.objects.filter(article=article).select_related("author").order_by("number")


@router.get(
    "/articles/{article_id}/revisions/{revision_id}",
    response=RevisionDetailOut,
    summary="一个修订",
)
def get_revision(request, article_id: Id, revision_id: Id):
    article = _scoped_article(request.auth, article_id)
    return get_scoped_in(
        Revision.objects.filter(article=article).select_related("author"), revision_id
    )


@router.post(
    "/articles/{article_id}/revisions",
    response={201: ArticleDetailOut},
    summary="修改稿件（保存为新修订，须重新审核）",
)
def revise_article(request, article_id: Id, payload: RevisionIn):
    article = _scoped_article(request.auth, article_id)
    services.article_revise(
        actor=request.auth,
        article_id=article.pk,
        version=payload.version,
        title=payload.title,
        body_html=payload.body_html,
        content_class=payload.content_class,
        target_ids=payload.target_ids,
        source_url=payload.source_url,
    )
    return Status(201, _article_detail(article.pk))


@router.post("/articles/{article_id}/submit", response=ArticleDetailOut, summary="提交审核")
def submit_article(request, article_id: Id, payload: WriteVersionIn):
    article = _scoped_article(request.auth, article_id)
    services.article_submit(actor=request.auth, article_id=article.pk, version=payload.version)
    return _article_detail(article.pk)


@router.post(
    "/articles/{article_id}/withdraw", response=ArticleDetailOut, summary="撤回（首个审核意见前）"
)
def withdraw_article(request, article_id: Id, payload: WriteVersionIn):
    article = _scoped_article(request.auth, article_id)
    services.article_withdraw(actor=request.auth, article_id=article.pk, version=payload.version)
    return _article_detail(article.pk)


@router.post(
    "/articles/{article_id}/publish",
    response={201: PublicationOut},
    summary="发布已审核通过的稿件（授权发布人；可定时）",
)
def publish_article(request, article_id: Id, payload: PublishIn):
    article = _scoped_article(request.auth, article_id)
    publication = services.publication_publish(
        actor=request.auth,
        article_id=article.pk,
        target_id=payload.target_id,
        version=payload.version,
        at=payload.at,
    )
    return Status(201, _publications().get(pk=publication.pk))


@router.post(
    "/articles/{article_id}/manual-publications",
    response={201: PublicationOut},
    summary="登记在平台应用内的发布（抖音、快手等）",
)
def record_manual_publication(request, article_id: Id, payload: ManualIn):
    article = _scoped_article(request.auth, article_id)
    publication = services.publication_record_manual(
        actor=request.auth,
        article_id=article.pk,
        target_id=payload.target_id,
        version=payload.version,
        url=payload.url,
        published_at=payload.published_at,
    )
    return Status(201, _publications().get(pk=publication.pk))


# ---------------------------------------------------------------- review


@router.get("/inbox", response=list[InboxOut], summary="待我审核（逾期的在前）")
@paginate(LimitOffset)
def review_inbox(request):
    return selectors.review_inbox(request.auth).prefetch_related("reviewers")


@router.post(
    "/steps/{step_id}/decide", response=ArticleDetailOut, summary="审核（通过、退回修改或驳回）"
)
def decide_step(request, step_id: Id, payload: DecideIn):
    step = _scoped_step(request.auth, step_id)
    services.review_decide(
        actor=request.auth,
        run_step_id=step.pk,
        version=payload.version,
        decision=payload.decision,
        revision_hash=payload.revision_hash,
        reason=payload.reason,
        checks=payload.checks,
        acknowledgements=payload.acknowledgements,
    )
    return _article_detail(step.run.article_id)


@router.post(
    "/steps/{step_id}/reassign", response=ArticleDetailOut, summary="转交审核环节给其他审核人"
)
def reassign_step(request, step_id: Id, payload: ReassignIn):
    step = _scoped_step(request.auth, step_id)
    services.review_reassign(
        actor=request.auth,
        run_step_id=step.pk,
        version=payload.version,
        to_user_id=payload.to_user_id,
        note=payload.note,
        from_user_id=payload.from_user_id,
    )
    return _article_detail(step.run.article_id)


# ---------------------------------------------------------------- flows


@router.get("/flows", response=list[FlowOut], summary="审核流程列表")
@paginate(LimitOffset)
def list_flows(
    request,
    active: Flag | None = Query(None, description="true：只看启用的"),
    org_id: Id | None = Query(None, description="单位编号"),
):
    flows = _flows().restrict(request.auth)
    if active is not None:
        flows = flows.filter(is_active=active)
    if org_id is not None:
        flows = flows.filter(org_id=org_id)
    return flows


@router.get("/flows/{flow_id}", response=FlowOut, summary="审核流程详情")
def get_flow(request, flow_id: Id):
    return get_scoped(_flows(), request.auth, flow_id)


@router.post("/flows", response={201: FlowOut}, summary="新建审核流程")
def create_flow(request, payload: FlowIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    pk, _ = create_once(
        actor=request.auth,
        scope="flows.create",
        key=idempotency_key,
        create=lambda: services.review_flow_create(
            actor=request.auth,
            org_id=payload.org_id,
            name=payload.name,
            steps=_steps(payload.steps),
            account_id=payload.account_id,
            content_class=payload.content_class,
            purpose=payload.purpose,
        ),
        content=fingerprint(payload.dict()),
    )
    return Status(201, _flows().get(pk=pk))


@router.patch("/flows/{flow_id}", response=FlowOut, summary="修改审核流程（不影响已开始的审核）")
def update_flow(request, flow_id: Id, payload: FlowPatch):
    flow = get_scoped(ReviewFlow.objects.all(), request.auth, flow_id)
    services.review_flow_update(
        actor=request.auth,
        flow_id=flow.pk,
        version=payload.version,
        name=payload.name,
        steps=_steps(payload.steps),
    )
    return _flows().get(pk=flow.pk)


@router.post("/flows/{flow_id}/deactivate", response=FlowOut, summary="停用审核流程")
def deactivate_flow(request, flow_id: Id, payload: WriteVersionIn):
    flow = get_scoped(ReviewFlow.objects.all(), request.auth, flow_id)
    services.review_flow_deactivate(actor=request.auth, flow_id=flow.pk, version=payload.version)
    return _flows().get(pk=flow.pk)


# ---------------------------------------------------------------- grants


@router.get("/grants", response=list[GrantOut], summary="授权发布人列表")
@paginate(LimitOffset)
def list_grants(
    request,
    account_id: Id | None = Query(None, description="政务新媒体编号"),
    valid: bool | None = Query(None, description="true：只看今天有效的"),
):
    grants = _grants().restrict(request.auth)
    if account_id is not None:
        grants = grants.filter(account_id=account_id)
    if valid:
        today = timezone.localdate()
        grants = grants.filter(
            revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today
        )
    return grants.order_by("account__name", "user__name", "-valid_from", "pk")


@router.post("/grants", response={201: GrantOut}, summary="授权发布人")
def create_grant(request, payload: GrantIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    pk, _ = create_once(
        actor=request.auth,
        scope="grants.create",
        key=idempotency_key,
        create=lambda: services.publish_grant_create(
            actor=request.auth,
            account_id=payload.account_id,
            user_id=payload.user_id,
            valid_from=payload.valid_from,
            valid_until=payload.valid_until,
            note=payload.note,
        ),
        content=fingerprint(payload.dict()),
    )
    return Status(201, _grants().get(pk=pk))


@router.post("/grants/{grant_id}/revoke", response=GrantOut, summary="撤销授权")
def revoke_grant(request, grant_id: Id, payload: ReasonVersionIn):
    grant = get_scoped(PublishGrant.objects.all(), request.auth, grant_id)
    services.publish_grant_revoke(
        actor=request.auth, grant_id=grant.pk, version=payload.version, reason=payload.reason
    )
    return _grants().get(pk=grant.pk)


# ---------------------------------------------------------------- publications


@router.get("/publications", response=list[PublicationOut], summary="发布记录列表")
@paginate(LimitOffset)
def list_publications(
    request,
    article_id: Id | None = Query(None, description="稿件编号"),
    account_id: Id | None = Query(None, description="政务新媒体编号"),
    state: PublicationState | None = None,
):
    publications = _publications().restrict(request.auth)
    if article_id is not None:
        publications = publications.filter(article_id=article_id)
    if account_id is not None:
        publications = publications.filter(account_id=account_id)
    if state is not None:
        publications = publications.filter(state=state)
    return publications.order_by("-pk")


@router.get("/publications/{publication_id}", response=PublicationOut, summary="发布记录详情")
def get_publication(request, publication_id: Id):
    return get_scoped(_publications(), request.auth, publication_id)


@router.post(
    "/publications/{publication_id}/cancel",
    response=PublicationOut,
    summary="取消尚未发出的发布（定时待发或排队中）",
)
def cancel_publication(request, publication_id: Id, payload: ReasonVersionIn):
    publication = get_scoped(Publication.objects.all(), request.auth, publication_id)
    services.publication_cancel(
        actor=request.auth,
        publication_id=publication.pk,
        version=payload.version,
        reason=payload.reason,
    )
    return _publications().get(pk=publication.pk)


# ---------------------------------------------------------------- 未经审核发布 (read-only)
# Appended by the 先审后发 work (publishing/unapproved.py); the pages are views/unapproved.py.

from .models import MatchState  # noqa: E402
from .unapproved import post_matches  # noqa: E402


class PostMatchOut(Schema):
    id: Id
    post_id: Id = Field(description="已发布内容编号（/api/v1/monitoring/posts）")
    account_id: Id
    account_name: str = Field(alias="account.name")
    host_org_id: Id = Field(alias="account.host_org_id")
    title: str = Field(alias="post.headline", description="标题（无标题时为正文开头）")
    url: str = Field(alias="post.link")
    published_at: datetime
    state: MatchState = Field(
        description="matched 已匹配审核稿件 / unapproved 未经审核发布 / dismissed 已排除"
    )
    score: int = Field(description="与审核通过（或最相近）的修订的相似度 0–100")
    reason: str = Field(description="判定说明")
    revision_id: Id | None = Field(description="匹配的审核通过修订")
    nearest_id: Id | None = Field(description="最相近的修订")
    publication_id: Id | None
    matched_at: datetime
    dismissed_at: datetime | None
    dismiss_reason: str


@router.get(
    "/unapproved", response=list[PostMatchOut], summary="未经审核发布（已发布内容比对结果）"
)
@paginate(LimitOffset)
def list_post_matches(
    request,
    state: MatchState | None = None,
    all_states: Flag = False,
    org_id: Id | None = Query(None, description="主办单位编号（含下级单位）"),
    account_id: Id | None = Query(None, description="政务新媒体编号"),
):
    """Default: the 未经审核发布 findings; `state` for one conclusion, `all_states` for all."""
    chosen = "" if all_states else (state or MatchState.UNAPPROVED)
    return post_matches(request.auth, state=chosen, org_id=org_id, account_id=account_id)


# ---------------------------------------------------------------- 会签

from govmedia.core.schemas import VersionIn  # noqa: E402

from .models import Countersign, CountersignState  # noqa: E402


class CountersignOut(Schema):
    id: int
    article_id: int
    org_id: int
    org_name: str = Field(alias="org.name", description="会签单位")
    note: str
    state: str
    state_label: str = Field(alias="get_state_display")
    requested_by_id: int
    requested_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None
    revision_id: int | None = Field(description="会签意见针对的修订")
    reason: str
    version: int


class CountersignIn(Schema):
    org_id: int = Field(description="会签单位编号")
    note: str = Field("", description="会签事项")


class CountersignDecisionIn(Schema):
    version: int = Field(description="读取时的版本号")
    decision: CountersignState = Field(description="approved：同意；returned：退回")
    reason: str = Field("", description="会签意见（退回须填写）")


def _countersigns():
    return Countersign.objects.select_related("org")


@router.get(
    "/articles/{article_id}/countersigns",
    response=list[CountersignOut],
    summary="稿件的会签（会签单位的审核人也可查看）",
)
def list_countersigns(request, article_id: Id):
    article = _scoped_article(request.auth, article_id)
    return list(_countersigns().filter(article=article))


@router.post(
    "/articles/{article_id}/countersigns", response={201: CountersignOut}, summary="请其他单位会签"
)
def add_countersign(
    request, article_id: Id, payload: CountersignIn, idempotency_key: str | None = IDEMPOTENCY_KEY
):
    article = get_scoped(Article.objects.alive(), request.auth, article_id, "write")
    pk, _ = create_once(
        actor=request.auth,
        scope="countersigns.create",
        key=idempotency_key,
        create=lambda: services.countersign_add(
            actor=request.auth, article_id=article.pk, org_id=payload.org_id, note=payload.note
        ),
        content=fingerprint({"article": article.pk, **payload.dict()}),
    )
    return Status(201, _countersigns().get(pk=pk))


@router.post(
    "/countersigns/{countersign_id}/decide", response=CountersignOut, summary="会签（同意或退回）"
)
def decide_countersign(request, countersign_id: Id, payload: CountersignDecisionIn):
    countersign = get_scoped(Countersign.objects.all(), request.auth, countersign_id, "review")
    services.countersign_decide(
        actor=request.auth,
        countersign_id=countersign.pk,
        version=payload.version,
        decision=payload.decision.value,
        reason=payload.reason,
    )
    return _countersigns().get(pk=countersign.pk)


@router.post(
    "/countersigns/{countersign_id}/remove",
    response={204: None},
    summary="撤销会签（会签单位不再能查看本稿件）",
)
def remove_countersign(request, countersign_id: Id, payload: VersionIn):
    countersign = get_scoped(Countersign.objects.all(), request.auth, countersign_id, "write")
    services.countersign_remove(
        actor=request.auth, countersign_id=countersign.pk, version=payload.version
    )
    return Status(204, None)
