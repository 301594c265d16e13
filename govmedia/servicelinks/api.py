"""/api/v1/service-links: the accounts' service links with their latest check, keeping them,
the 爱山东 coverage, and the 功能无法使用 findings with their 整改 transitions.

Thin, as the other apps' APIs: reads through restrict()/get_scoped, writes through the services.
"""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.core.errors import NotFound
from govmedia.core.idempotency import api_key_param, create_once, fingerprint
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.schemas import Flag, VersionIn
from govmedia.core.scope import get_scoped, may
from govmedia.monitoring.models import RectificationState

from . import services
from .filters import filter_links
from .models import LinkFinding, LinkKind, ServiceLink
from .selectors import ishandong_coverage

router = Router(tags=["掌上办事入口"])
IDEMPOTENCY_KEY = api_key_param()


def _require(user, action: str) -> None:
    if not may(user, action):
        raise NotFound("对象不存在或您无权访问")


class ServiceLinkOut(Schema):
    id: int
    account_id: int
    account_name: str = Field(alias="account.name")
    kind: LinkKind
    name: str
    url: str
    service_name: str = Field(description="爱山东服务事项名称")
    active: bool
    last_checked_at: datetime | None
    last_outcome: str = Field(
        description="ok、not_found、soft_not_found、http_error、timeout、tls_error、connect_error、redirect_loop、uncheckable；空为未检查"
    )
    last_status: int | None
    last_final_url: str
    last_detail: str
    consecutive_failures: int
    next_check_at: datetime | None
    version: int


class ServiceLinkIn(Schema):
    account_id: Id
    kind: LinkKind
    name: str = Field(max_length=100)
    url: str = Field(max_length=1000)
    service_name: str = Field("", max_length=100)


class ServiceLinkPatchIn(VersionIn):
    kind: LinkKind
    name: str = Field(max_length=100)
    url: str = Field(max_length=1000)
    service_name: str = Field("", max_length=100)
    active: bool = True


class LinkFindingOut(Schema):
    id: int
    org_id: int
    account_id: int
    link_id: int
    state: RectificationState
    state_label: str = Field(alias="get_state_display")
    outcome: str
    detail: str
    url: str
    due_on: date
    resolution_note: str
    resolved_at: datetime | None
    confirmed_at: datetime | None
    reopen_reason: str
    created_at: datetime
    version: int


class LinkResolveIn(VersionIn):
    note: str = Field(max_length=2000, description="整改说明")


class LinkReopenIn(VersionIn):
    reason: str = Field(max_length=2000, description="重新整改理由")


class IshandongServiceOut(Schema):
    service_name: str
    links: list[ServiceLinkOut]


class IshandongCoverageOut(Schema):
    services: list[IshandongServiceOut]
    accounts_without: list[int] = Field(description="未提供任何爱山东服务事项的运行中账号")


def _link(user, pk) -> ServiceLink:
    return get_scoped(ServiceLink.objects.select_related("account"), user, pk)


@router.get("", response=list[ServiceLinkOut], summary="办事入口列表")
@paginate(LimitOffset)
def list_links(
    request,
    account: Id | None = None,
    org: Id | None = Query(None, description="主办单位编号"),
    kind: LinkKind | None = None,
    health: str = Query("", description="broken 无法使用、ok 正常、unchecked 未检查"),
    q: str = Query("", max_length=100),
):
    _require(request.auth, "servicelinks.view")
    params = {
        "account": str(account or ""),
        "org": str(org or ""),
        "kind": kind or "",
        "health": health,
        "q": q,
    }
    links = filter_links(
        ServiceLink.objects.restrict(request.auth).select_related("account"), params
    )
    return links.order_by("account_id", "kind", "name", "id")


@router.get("/ishandong", response=IshandongCoverageOut, summary="爱山东服务事项接入情况")
def coverage(request):
    _require(request.auth, "servicelinks.view")
    found = ishandong_coverage(request.auth)
    return {
        "services": [{"service_name": name, "links": links} for name, links in found.services],
        "accounts_without": [account.pk for account in found.without],
    }


@router.post("", response={201: ServiceLinkOut}, summary="登记办事入口")
def create_link(request, payload: ServiceLinkIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    data = payload.dict()
    pk, _ = create_once(
        actor=request.auth,
        scope="servicelinks.create",
        key=idempotency_key,
        create=lambda: services.link_create(
            actor=request.auth, account_id=payload.account_id, data=data
        ),
        content=fingerprint(data),
    )
    return Status(201, _link(request.auth, pk))


@router.get("/findings", response=list[LinkFindingOut], summary="功能无法使用事项列表")
@paginate(LimitOffset)
def list_findings(
    request,
    state: RectificationState | None = None,
    active: Flag | None = Query(None, description="true：只看未办结的"),
):
    _require(request.auth, "rectification.view")
    findings = LinkFinding.objects.restrict(request.auth)
    if state:
        findings = findings.filter(state=state)
    if active:
        findings = findings.active()
    return findings.order_by("due_on", "-id")


@router.get("/findings/{link_finding_id}", response=LinkFindingOut, summary="功能无法使用事项详情")
def get_finding(request, link_finding_id: Id):
    _require(request.auth, "rectification.view")
    return get_scoped(LinkFinding.objects.all(), request.auth, link_finding_id)


@router.post("/findings/{link_finding_id}/resolve", response=LinkFindingOut, summary="提交整改")
def resolve_finding(request, link_finding_id: Id, payload: LinkResolveIn):
    return services.finding_resolve(
        actor=request.auth, finding_id=link_finding_id, version=payload.version, note=payload.note
    )


@router.post(
    "/findings/{link_finding_id}/confirm",
    response=LinkFindingOut,
    summary="确认整改（区政府办公室）",
)
def confirm_finding(request, link_finding_id: Id, payload: VersionIn):
    return services.finding_confirm(
        actor=request.auth, finding_id=link_finding_id, version=payload.version
    )


@router.post(
    "/findings/{link_finding_id}/reopen",
    response=LinkFindingOut,
    summary="退回重新整改（区政府办公室）",
)
def reopen_finding(request, link_finding_id: Id, payload: LinkReopenIn):
    return services.finding_reopen(
        actor=request.auth,
        finding_id=link_finding_id,
        version=payload.version,
        reason=payload.reason,
    )


@router.get("/{link_id}", response=ServiceLinkOut, summary="办事入口详情")
def get_link(request, link_id: Id):
    _require(request.auth, "servicelinks.view")
    return _link(request.auth, link_id)


@router.patch("/{link_id}", response=ServiceLinkOut, summary="修改办事入口")
def update_link(request, link_id: Id, payload: ServiceLinkPatchIn):
    services.link_update(
        actor=request.auth, link_id=link_id, version=payload.version, data=payload.dict()
    )
    return _link(request.auth, link_id)
