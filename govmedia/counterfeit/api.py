"""/api/v1/suspects: 假冒账号 cases over JSON, with the same scope and services as the pages.

A reporter's contact is personal data: masked for everyone but the platform administrators.
"""

from datetime import date, datetime

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.core.errors import ServiceError
from govmedia.core.numbers import Id, optional_id
from govmedia.core.pagination import LimitOffset
from govmedia.core.schemas import Flag, IsoDate, VersionIn
from govmedia.core.scope import get_scoped
from govmedia.registry.models import Platform

from . import display, selectors, services
from .models import SuspectAccount, SuspectSource

router = Router(tags=["假冒账号"])


class ReasonOut(Schema):
    code: str
    points: int
    text: str


class GenuineOut(Schema):
    id: Id
    name: str
    handle: str
    platform_name: str = Field(alias="platform.name")
    host_org_id: Id
    host_org_name: str = Field(alias="host_org.name")
    filing_no: str | None
    status: str


class SuspectOut(Schema):
    id: Id
    platform_id: Id
    platform_name: str = Field(alias="platform.name")
    handle: str
    display_name: str
    verified: bool | None = Field(description="平台认证；null 表示平台未公开")
    verified_reason: str
    source: str
    source_label: str = Field(alias="get_source_display")
    score: int = Field(description="疑似度 0–100")
    state: str
    state_label: str = Field(alias="get_state_display")
    matched_account: GenuineOut | None = Field(description="被假冒的已登记政务新媒体")
    report_count: int
    created_at: datetime
    last_seen_at: datetime
    version: int
    is_demo: bool


class ReportOut(Schema):
    created_at: datetime
    source: str
    reporter_contact: str = Field(description="举报人联系方式：仅平台管理员可见完整内容")
    note: str


class SuspectDetailOut(SuspectOut):
    reasons: list[ReasonOut]
    description: str
    verify_note: str
    verified_at: datetime | None
    letter_url: str | None = Field(None, description="关停函（Word）下载地址")
    letter_generated_at: datetime | None
    cac_reported_on: date | None
    cac_recipient: str
    cac_note: str
    closed_confirmed_at: datetime | None
    closed_check: str
    excluded_reason: str
    reports: list[ReportOut] = []

    @staticmethod
    def resolve_letter_url(obj):
        if not obj.letter:
            return None
        return reverse("counterfeit:letter", kwargs={"suspect_id": obj.pk})

    @staticmethod
    def resolve_reports(obj, context):
        user = context["request"].auth
        return [
            {
                "created_at": report.created_at,
                "source": report.source,
                "reporter_contact": display.shown_contact(user, report.reporter_contact),
                "note": report.note,
            }
            for report in obj.reports.all()
        ]


class SuspectIn(Schema):
    platform: int | str = Field(description="平台：编号、代码或名称（如“抖音”）")
    display_name: str = Field(description="账号名称")
    handle: str = ""
    verified: Flag | None = None
    verified_reason: str = ""
    description: str = ""


class AcceptedOut(Schema):
    code: str
    message: str


class VerifyIn(VersionIn):
    note: str = Field(description="核实意见")
    handle: str | None = None
    matched_account_id: Id | None = Field(None, description="更正被假冒的政务新媒体")


class CacIn(VersionIn):
    reported_on: IsoDate
    recipient: str = "区委网信办"
    note: str = ""


class ReasonIn(VersionIn):
    reason: str


def _platform(value) -> Platform:
    text = str(value).strip()
    found = (
        Platform.objects.filter(pk=optional_id(text)).first()
        if optional_id(text)
        else Platform.objects.filter(name=text).first()
        or Platform.objects.filter(code=text).first()
    )
    if found is None or not found.is_active:
        raise ServiceError(
            f"平台“{value}”不存在或已停用", field="platform", code="invalid_reference"
        )
    return found


def _detail(user, suspect_id: Id) -> SuspectAccount:
    return get_scoped(
        SuspectAccount.objects.select_related(
            "platform", "matched_account__host_org", "matched_account__platform"
        ).prefetch_related("reports"),
        user,
        suspect_id,
    )


@router.get("", response=list[SuspectOut], summary="假冒账号线索列表（按疑似度排序）")
@paginate(LimitOffset)
def list_suspects(
    request,
    state: str = Query("", description="状态；open 表示处置中"),
    source: SuspectSource | None = None,
    platform: int | None = None,
    q: str = "",
):
    params = {
        "state": state,
        "source": source or "",
        "platform": str(platform or ""),
        "q": q,
    }
    suspects, _ = selectors.filter_suspects(SuspectAccount.objects.restrict(request.auth), params)
    return suspects.select_related(
        "platform", "matched_account__host_org", "matched_account__platform"
    ).order_by("-score", "-pk")


@router.get("/{suspect_id}", response=SuspectDetailOut, summary="假冒账号线索详情")
def get_suspect(request, suspect_id: Id):
    return _detail(request.auth, suspect_id)


@router.post(
    "",
    response={201: SuspectDetailOut, 200: SuspectDetailOut, 202: AcceptedOut},
    summary="报告假冒账号",
)
def report_suspect(request, payload: SuspectIn):
    """新建线索（201）；同一平台同一账号已有线索的，报告并入该线索（200）；线索不涉及本单位账号
    的，已受理但无权查看（202）。"""
    result = services.suspect_create(
        actor=request.auth,
        platform=_platform(payload.platform),
        display_name=payload.display_name,
        handle=payload.handle,
        verified=payload.verified,
        verified_reason=payload.verified_reason,
        description=payload.description,
        source=SuspectSource.REPORT,
    )
    suspect = (
        SuspectAccount.objects.restrict(request.auth)
        .select_related("platform", "matched_account__host_org", "matched_account__platform")
        .filter(pk=result.suspect.pk)
        .first()
    )
    if suspect is None:  # not about the reporter's own accounts: accepted, not shown
        message = "已报告，区政府办公室将核实处置（该线索不涉及本单位账号，您无权查看）"
        return Status(202, {"code": "accepted", "message": message})
    return Status(201 if result.created else 200, suspect)


@router.post("/{suspect_id}/verify", response=SuspectDetailOut, summary="核实")
def verify_suspect(request, suspect_id: Id, payload: VerifyIn):
    services.suspect_verify(
        actor=request.auth,
        suspect_id=suspect_id,
        version=payload.version,
        note=payload.note,
        handle=payload.handle,
        matched_account_id=payload.matched_account_id,
    )
    return _detail(request.auth, suspect_id)


@router.post(
    "/{suspect_id}/request-takedown",
    response=SuspectDetailOut,
    summary="要求平台关停（生成关停函）",
)
def request_takedown(request, suspect_id: Id, payload: VersionIn):
    services.suspect_request_takedown(
        actor=request.auth, suspect_id=suspect_id, version=payload.version
    )
    return _detail(request.auth, suspect_id)


@router.post("/{suspect_id}/report-to-cac", response=SuspectDetailOut, summary="通报网信")
def report_to_cac(request, suspect_id: Id, payload: CacIn):
    services.suspect_report_to_cac(
        actor=request.auth,
        suspect_id=suspect_id,
        version=payload.version,
        reported_on=payload.reported_on,
        recipient=payload.recipient,
        note=payload.note,
    )
    return _detail(request.auth, suspect_id)


@router.post(
    "/{suspect_id}/confirm-closed", response=SuspectDetailOut, summary="确认已关停（向平台核查）"
)
def confirm_closed(request, suspect_id: Id, payload: VersionIn):
    services.suspect_confirm_closed(
        actor=request.auth, suspect_id=suspect_id, version=payload.version
    )
    return _detail(request.auth, suspect_id)


@router.post("/{suspect_id}/exclude", response=SuspectDetailOut, summary="排除（不是假冒账号）")
def exclude(request, suspect_id: Id, payload: ReasonIn):
    services.suspect_exclude(
        actor=request.auth, suspect_id=suspect_id, version=payload.version, reason=payload.reason
    )
    return _detail(request.auth, suspect_id)


@router.post("/{suspect_id}/reopen", response=SuspectDetailOut, summary="重新核查")
def reopen(request, suspect_id: Id, payload: ReasonIn):
    services.suspect_reopen(
        actor=request.auth, suspect_id=suspect_id, version=payload.version, reason=payload.reason
    )
    return _detail(request.auth, suspect_id)
