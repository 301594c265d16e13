from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from govmedia.core.errors import ServiceError
from govmedia.core.idempotency import api_key_param, create_once, fingerprint
from govmedia.core.numbers import Id
from govmedia.core.pagination import LimitOffset
from govmedia.core.schemas import IsoDate
from govmedia.core.scope import get_scoped

from . import services
from .models import Organization, OrgStatus, OrgType
from .selectors import search_q

router = Router(tags=["单位"])


class OrgOut(Schema):
    id: Id
    name: str
    org_type: str
    org_type_label: str = Field(alias="get_org_type_display")
    parent_id: Id | None
    supervisor_id: Id | None
    status: str
    merged_into_id: Id | None
    credit_code: str
    address: str
    phone: str
    note: str
    depth: int
    version: int
    is_demo: bool


class OrgIn(Schema):
    name: str
    org_type: OrgType
    parent_id: Id | None = None
    supervisor_id: Id | None = None
    credit_code: str = ""
    address: str = ""
    phone: str = ""
    note: str = ""


class OrgPatch(Schema):
    version: int = Field(description="读取时的版本号，用于发现并发修改")
    name: str | None = None
    org_type: OrgType | None = None
    parent_id: Id | None = None
    supervisor_id: Id | None = None
    credit_code: str | None = None
    address: str | None = None
    phone: str | None = None
    note: str | None = None


class AbolishIn(Schema):
    reason: str
    effective_on: IsoDate


class MergeIn(AbolishIn):
    target_id: Id


def _org(user, org_id: Id | None, field: str) -> Organization | None:
    if org_id is None:
        return None
    try:
        return get_scoped(Organization.objects, user, org_id)
    except ServiceError:
        raise ServiceError(
            "所选单位不存在或不在您的管理范围内", field=field, code="invalid_reference"
        ) from None


def _supervisor(org_id: Id | None) -> Organization | None:
    # The supervising unit usually lies outside the unit's own subtree, so it is not scoped.
    if org_id is None:
        return None
    org = Organization.objects.filter(pk=org_id).first()
    if org is None:
        raise ServiceError("主管单位不存在", field="supervisor_id", code="invalid_reference")
    return org


@router.get("", response=list[OrgOut], summary="单位列表")
@paginate(LimitOffset)
def list_orgs(
    request, q: str = "", status: OrgStatus | None = None, org_type: OrgType | None = None
):
    orgs = Organization.objects.restrict(request.auth).order_by("path")
    if q:
        orgs = orgs.filter(search_q(q))
    if status:
        orgs = orgs.filter(status=status)
    if org_type:
        orgs = orgs.filter(org_type=org_type)
    return orgs


@router.get("/{org_id}", response=OrgOut, summary="单位详情")
def get_org(request, org_id: Id):
    return get_scoped(Organization.objects, request.auth, org_id)


IDEMPOTENCY_KEY = api_key_param()


@router.post("", response={201: OrgOut}, summary="新建单位")
def create_org(request, payload: OrgIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    user = request.auth

    def create():
        return services.org_create(
            actor=user,
            name=payload.name,
            org_type=payload.org_type,
            parent=_org(user, payload.parent_id, "parent_id"),
            supervisor=_supervisor(payload.supervisor_id),
            credit_code=payload.credit_code,
            address=payload.address,
            phone=payload.phone,
            note=payload.note,
        )

    pk, _ = create_once(
        actor=user,
        scope="orgs.create",
        key=idempotency_key,
        create=create,
        content=fingerprint(payload.dict()),
    )
    return Status(201, get_scoped(Organization.objects, user, pk))


@router.patch("/{org_id}", response=OrgOut, summary="修改单位")
def update_org(request, org_id: Id, payload: OrgPatch):
    user = request.auth
    get_scoped(Organization.objects, user, org_id, "change")  # the unit itself before the body
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes = {k: v for k, v in data.items() if k not in ("parent_id", "supervisor_id")}
    if "parent_id" in data:
        changes["parent"] = _org(user, data["parent_id"], "parent_id")
    if "supervisor_id" in data:
        changes["supervisor"] = _supervisor(data["supervisor_id"])
    return services.org_update(actor=user, org_id=org_id, version=version, **changes)


@router.post("/{org_id}/abolish", response=OrgOut, summary="撤销单位")
def abolish_org(request, org_id: Id, payload: AbolishIn):
    return services.org_abolish(
        actor=request.auth, org_id=org_id, reason=payload.reason, effective_on=payload.effective_on
    )


@router.post("/{org_id}/merge", response=OrgOut, summary="整合单位")
def merge_org(request, org_id: Id, payload: MergeIn):
    return services.org_merge(
        actor=request.auth,
        source_id=org_id,
        target_id=payload.target_id,
        reason=payload.reason,
        effective_on=payload.effective_on,
    )
