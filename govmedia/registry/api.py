"""/api/v1/accounts and /api/v1/filings: the registry and the 备案 workflow over JSON.

Thin: every read goes through restrict()/get_scoped, every write through the filing services;
errors come back in the project's JSON error format with the field they concern. Personal
mobiles are masked by registry.masking exactly as on the pages and in the exports.
"""

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.core.errors import ServiceError
from govmedia.core.idempotency import api_key_param, create_once, fingerprint
from govmedia.core.numbers import Id, optional_id
from govmedia.core.pagination import LimitOffset
from govmedia.core.schemas import Flag, IsoDate, VersionIn
from govmedia.core.scope import get_scoped
from govmedia.orgs.models import Organization

from . import form_rules, services
from .display import display_value
from .filters import ACCOUNT_FILTERS, FILING_FILTERS, PENDING_STATES
from .masking import sees_full_phones, shown_phone
from .models import (
    FORM_FIELDS,
    AccountStatus,
    Filing,
    FilingKind,
    FilingState,
    MediaAccount,
    OperatorKind,
    Platform,
)
from .next_step import next_step

accounts_router = Router(tags=["政务新媒体"])
filings_router = Router(tags=["备案"])


# ---------------------------------------------------------------- output


def _viewer(context):
    return context["request"].auth


def _masked(obj, field: str, context):
    org = obj.host_org if isinstance(obj, MediaAccount) else obj.org
    return shown_phone(field, getattr(obj, field), full=sees_full_phones(_viewer(context), org))


class FormOut(Schema):
    """The fields of the 备案表, as registered (account) or as filed (filing)."""

    name: str
    handle: str
    platform_id: Id
    platform_name: str = Field(alias="platform.name")
    registrant: str
    registered_on: date | None
    positioning: str
    verified: bool
    operator_kind: str
    operator: str
    contact_name: str
    contact_phone: str = Field(description="手机号对无权查看者打码")
    notes: str
    principal_name: str
    principal_office_phone: str
    principal_mobile: str = Field(
        description="对监督用户及本单位范围以外的用户打码，如 138****0001"
    )
    leader_in_charge_name: str
    leader_in_charge_office_phone: str
    leader_in_charge_mobile: str
    person_responsible_name: str
    person_responsible_office_phone: str
    person_responsible_mobile: str

    @staticmethod
    def resolve_contact_phone(obj, context):
        return _masked(obj, "contact_phone", context)

    @staticmethod
    def resolve_principal_mobile(obj, context):
        return _masked(obj, "principal_mobile", context)

    @staticmethod
    def resolve_leader_in_charge_mobile(obj, context):
        return _masked(obj, "leader_in_charge_mobile", context)

    @staticmethod
    def resolve_person_responsible_mobile(obj, context):
        return _masked(obj, "person_responsible_mobile", context)


class AccountOut(FormOut):
    id: Id
    host_org_id: Id
    host_org_name: str = Field(alias="host_org.name")
    status: str
    status_label: str = Field(alias="get_status_display")
    filing_no: str | None = Field(description="备案号（一案一号）；导入的、尚未备案的账号为空")
    status_changed_on: date | None
    is_government_site: bool = Field(description="政府网账号（可接受各单位的发布申请）")
    is_demo: bool
    version: int
    created_at: datetime
    updated_at: datetime


class FilingOut(Schema):
    id: Id
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    state: str
    state_label: str = Field(alias="get_state_display")
    org_id: Id
    org_name: str = Field(alias="org.name")
    supervisor_id: Id | None
    account_id: Id | None
    name: str
    handle: str
    platform_id: Id
    platform_name: str = Field(alias="platform.name")
    event_date: date
    due_on: date = Field(description="备案期限：事件日期后第 7（开设）或第 5 个工作日")
    due_provisional: bool
    overdue: bool = Field(False, description="草稿或退回状态且已过备案期限")
    filing_no: str
    change_summary: str
    returned_reason: str
    no_scan_reason: str = Field(description="未上传签章扫描件即准予备案的理由")
    has_scan: bool = Field(False, description="已上传签章扫描件")
    created_at: datetime
    submitted_at: datetime | None
    supervisor_reviewed_at: datetime | None
    filed_at: datetime | None
    version: int
    is_demo: bool

    @staticmethod
    def resolve_overdue(obj):
        return obj.state in PENDING_STATES and obj.due_on < timezone.localdate()

    @staticmethod
    def resolve_has_scan(obj):
        return bool(obj.scanned_copy)


class ChangeOut(Schema):
    field: str
    label: str
    registered: str
    filed: str


class FilingDetailOut(FilingOut, FormOut):
    change_diff: list[ChangeOut] = Field([], description="变更备案：与已登记信息相比的变化")
    next_step: str = Field("", description="待谁办理，如“待 区卫生健康局 主管单位审核”；已备案为空")

    @staticmethod
    def resolve_next_step(obj):
        step = next_step(obj)
        return step.text if step else ""

    @staticmethod
    def resolve_change_diff(obj, context):
        if obj.kind != FilingKind.CHANGE:
            return []
        full = sees_full_phones(_viewer(context), obj.org)
        return [
            {
                "field": change.field,
                "label": change.label,
                "registered": display_value(change.field, change.registered, full_phones=full),
                "filed": display_value(change.field, change.filed, full_phones=full),
            }
            for change in services.change_diff(obj)
        ]


# ---------------------------------------------------------------- input


class FormIn(Schema):
    """备案表 fields; each may be left out (a draft) and is checked in full on submission."""

    name: str | None = None
    handle: str | None = None
    platform: int | str | None = Field(None, description="运行平台：编号或名称（如“微信公众号”）")
    registrant: str | None = None
    registered_on: IsoDate | None = None
    positioning: str | None = None
    verified: Flag | None = None
    operator_kind: OperatorKind | None = None
    operator: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    notes: str | None = None
    principal_name: str | None = None
    principal_office_phone: str | None = None
    principal_mobile: str | None = None
    leader_in_charge_name: str | None = None
    leader_in_charge_office_phone: str | None = None
    leader_in_charge_mobile: str | None = None
    person_responsible_name: str | None = None
    person_responsible_office_phone: str | None = None
    person_responsible_mobile: str | None = None


class FilingIn(FormIn):
    kind: FilingKind
    org_id: Id = Field(description="备案单位（主办单位）")
    account_id: Id | None = Field(None, description="变更、关停、注销备案针对的已登记账号")
    event_date: IsoDate = Field(description="开设/变更/关停/注销日期")
    change_summary: str = ""


class FilingPatch(FormIn):
    version: int = Field(description="读取时的版本号，用于发现并发修改")
    event_date: IsoDate | None = None
    change_summary: str | None = None


class ReturnIn(VersionIn):
    reason: str = Field(description="退回理由：告知备案单位需要修改什么")


class ApproveIn(VersionIn):
    no_scan_reason: str = Field(
        "",
        max_length=1000,
        description="未上传签章扫描件即准予备案的理由；已上传扫描件时不需要",
    )


# Text fields of a draft that was given nothing start empty rather than NULL.
_BLANK_FORM = {field: "" for field in FORM_FIELDS} | {
    "platform": None,
    "registered_on": None,
    "verified": False,
}


_NULLABLE = frozenset({"platform", "registered_on", "verified"})


def _platform(value) -> Platform:
    platform = None
    if (platform_id := optional_id(value)) is not None:
        platform = Platform.objects.filter(pk=platform_id).first()
    elif isinstance(value, str):
        name = value.strip()
        platform = (
            Platform.objects.filter(name=name).first() or Platform.objects.filter(code=name).first()
        )
    if platform is None or not platform.is_active:
        raise ServiceError(
            f"运行平台“{value}”不存在或已停用", field="platform", code="invalid_reference"
        )
    return platform


def _given_fields(payload: FormIn) -> dict:
    given = {k: v for k, v in payload.dict(exclude_unset=True).items() if k in FORM_FIELDS}
    for field, value in given.items():
        if value is None and field not in _NULLABLE:
            given[field] = ""  # null for a text field means "cleared", stored as empty
    if "platform" in given:
        given["platform"] = _platform(given["platform"]) if given["platform"] is not None else None
    return given


def _form_data(base: dict, payload: FormIn) -> dict:
    data = base | _given_fields(payload)
    if data.get("platform") is None:
        raise ServiceError("请选择运行平台", field="platform")
    return data


def _org(user, org_id: Id) -> Organization:
    try:
        return get_scoped(Organization.objects, user, org_id)
    except ServiceError:
        raise ServiceError(
            "所选单位不存在或不在您的管理范围内", field="org_id", code="invalid_reference"
        ) from None


def _account(user, account_id: Id | None) -> MediaAccount | None:
    if account_id is None:
        return None
    try:
        return get_scoped(MediaAccount.objects, user, account_id)
    except ServiceError:
        raise ServiceError(
            "所选政务新媒体不存在或不在您的管理范围内", field="account_id", code="invalid_reference"
        ) from None


def _filing_detail(filing_id: Id) -> Filing:
    return Filing.objects.select_related(
        "org", "platform", "account__host_org", "account__platform"
    ).get(pk=filing_id)


# ---------------------------------------------------------------- accounts


def _params(arguments: dict) -> dict:
    """An endpoint's query parameters, for the list's FilterSet (the request is not one)."""
    return {
        name: value.value if hasattr(value, "value") else value
        for name, value in arguments.items()
        if name != "request"
    }


@accounts_router.get("", response=list[AccountOut], summary="政务新媒体列表")
@paginate(LimitOffset)
def list_accounts(
    request,
    platform: int | None = None,
    status: AccountStatus | None = None,
    host_org_id: Id | None = Query(None, description="主办单位编号（含其下级单位）"),
    verified: Flag | None = None,
    government_site: Flag | None = Query(None, description="是否政府网账号"),
    q: str = Query("", description="名称、账号、备案号或注册单位"),
    org: str = Query("", description="主办单位名称（包含该文字）"),
    numbered: bool | None = Query(None, description="true：有备案号；false：无备案号"),
):
    accounts = MediaAccount.objects.restrict(request.auth).select_related("platform", "host_org")
    accounts = ACCOUNT_FILTERS.apply(accounts, _params(locals()))
    return accounts.order_by("host_org__path", "platform__sort_order", "name", "pk")


@accounts_router.get("/{account_id}", response=AccountOut, summary="政务新媒体详情")
def get_account(request, account_id: Id):
    return get_scoped(
        MediaAccount.objects.select_related("platform", "host_org"), request.auth, account_id
    )


# ---------------------------------------------------------------- filings


@filings_router.get("", response=list[FilingOut], summary="备案列表")
@paginate(LimitOffset)
def list_filings(
    request,
    state: FilingState | None = None,
    kind: FilingKind | None = None,
    org_id: Id | None = Query(None, description="备案单位编号（含其下级单位）"),
    overdue: bool | None = Query(None, description="true：只看草稿或退回且已过备案期限的"),
    q: str = Query("", description="名称、账号或备案号"),
    org: str = Query("", description="备案单位名称（包含该文字）"),
    deadline: str = Query("", description="overdue：逾期未提交；due_soon：2 个工作日内到期"),
    todo: bool | None = Query(None, description="true：只看我的待办"),
):
    filings = Filing.objects.restrict(request.auth).select_related("org", "platform")
    filings = FILING_FILTERS.apply(filings, _params(locals()), user=request.auth)
    # Newest first by id (the order of creation), which the primary key index serves; there is
    # no index on created_at, and sorting 50,000 wide rows for a page costs ~170 ms on PostgreSQL.
    return filings.order_by("-pk")


@filings_router.get("/{filing_id}", response=FilingDetailOut, summary="备案详情")
def get_filing(request, filing_id: Id):
    return get_scoped(
        Filing.objects.select_related("org", "platform", "account__host_org", "account__platform"),
        request.auth,
        filing_id,
    )


IDEMPOTENCY_KEY = api_key_param()


@filings_router.post("", response={201: FilingDetailOut}, summary="新建备案（草稿）")
def create_filing(request, payload: FilingIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    user = request.auth

    def create():
        org = _org(user, payload.org_id)
        account = _account(user, payload.account_id)
        base = _BLANK_FORM | (services.account_values(account) if account else {})
        return services.filing_create(
            actor=user,
            kind=payload.kind,
            org=org,
            account=account,
            event_date=payload.event_date,
            data=_form_data(base, payload),
            change_summary=payload.change_summary,
        )

    pk, _ = create_once(
        actor=user,
        scope="filings.create",
        key=idempotency_key,
        create=create,
        content=fingerprint(payload.dict()),
    )
    return Status(201, _filing_detail(pk))


@filings_router.patch("/{filing_id}", response=FilingDetailOut, summary="修改备案（草稿或退回的）")
def update_filing(request, filing_id: Id, payload: FilingPatch):
    user = request.auth
    # Scope first: a filing out of reach answers 404 whatever the body says.
    filing = get_scoped(Filing.objects.select_related("platform"), user, filing_id, "change")
    filing = services.filing_update(
        actor=user,
        filing_id=filing.pk,
        version=payload.version,
        data=_form_data(services.account_values(filing), payload),
        event_date=payload.event_date,
        change_summary=payload.change_summary,
    )
    return _filing_detail(filing.pk)


@filings_router.post("/{filing_id}/submit", response=FilingDetailOut, summary="提交备案")
def submit_filing(request, filing_id: Id, payload: VersionIn):
    filing = services.filing_submit(
        actor=request.auth, filing_id=filing_id, version=payload.version
    )
    return _filing_detail(filing.pk)


@filings_router.post(
    "/{filing_id}/supervisor-approve", response=FilingDetailOut, summary="主管单位审核通过"
)
def supervisor_approve_filing(request, filing_id: Id, payload: VersionIn):
    filing = services.filing_supervisor_approve(
        actor=request.auth, filing_id=filing_id, version=payload.version
    )
    return _filing_detail(filing.pk)


@filings_router.post(
    "/{filing_id}/approve", response=FilingDetailOut, summary="准予备案（区政府办公室）"
)
def approve_filing(request, filing_id: Id, payload: ApproveIn):
    filing = services.filing_approve(
        actor=request.auth,
        filing_id=filing_id,
        version=payload.version,
        no_scan_reason=payload.no_scan_reason,
    )
    return _filing_detail(filing.pk)


@filings_router.post("/{filing_id}/return", response=FilingDetailOut, summary="退回备案")
def return_filing(request, filing_id: Id, payload: ReturnIn):
    filing = services.filing_return(
        actor=request.auth, filing_id=filing_id, reason=payload.reason, version=payload.version
    )
    return _filing_detail(filing.pk)


assert set(form_rules.LABELS) <= set(FormIn.model_fields)  # the API accepts every form field
