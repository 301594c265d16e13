"""Writes to the org tree: org_create, org_update, org_abolish, org_merge.

Each runs in one transaction, re-reads and locks its rows, re-checks the actor's scope there, and
writes its AuditEvent before it commits. Errors name the field and the rule in Chinese.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.credit_code import credit_code_error, normalize_credit_code
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.phones import contact_phone_error, normalize
from govmedia.core.scope import get_scoped, may
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version

from .events import ORG_RETYPING, ORGS_CHANGED
from .models import ALLOWED_CHILD_TYPES, IndustrySupervision, Organization, OrgStatus, OrgType

EDITABLE_FIELDS = [
    "name",
    "org_type",
    "parent",
    "supervisor",
    "credit_code",
    "address",
    "phone",
    "note",
    "sort_order",
]
AUDITED_FIELDS = EDITABLE_FIELDS + [
    "status",
    "merged_into",
    "status_changed_on",
    "status_reason",
    "path",
]


def _locked(actor, pk, action="change") -> Organization:
    return get_scoped(Organization.objects.select_for_update(), actor, pk, action)


MAX_SORT_ORDER = 9999


def _clean_sort_order(value) -> int:
    """0 when left empty; a whole number 0–9999 otherwise."""
    if value in (None, ""):
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SORT_ORDER:
        raise ServiceError(f"排序应为 0–{MAX_SORT_ORDER} 的整数", field="sort_order")
    return value


def _clean_name(name: str) -> str:
    return clean_text(
        name, field="name", label="单位名称", required=True, max_length=100, multiline=False
    )


def _clean_address(value) -> str:
    return clean_text(value, field="address", label="地址", max_length=200, multiline=False)


def _clean_note(value) -> str:
    return clean_text(value, field="note", label="备注", max_length=2000)


def _check_type_under_parent(org_type: str, parent: Organization | None) -> None:
    if org_type not in OrgType.values:
        raise ServiceError("单位类型无效", field="org_type")
    if parent is None:
        if org_type != OrgType.DISTRICT:
            raise ServiceError("请选择上级单位", field="parent")
        if Organization.objects.filter(parent__isnull=True).exists():
            raise ServiceError("本平台已有区级根单位，只能有一个", field="org_type")
        return
    if parent.status != OrgStatus.ACTIVE:
        raise ServiceError(
            f"上级单位“{parent.name}”已撤销或整合，不能在其下设立单位", field="parent"
        )
    if org_type not in ALLOWED_CHILD_TYPES.get(parent.org_type, ()):
        allowed = "、".join(OrgType(t).label for t in ALLOWED_CHILD_TYPES.get(parent.org_type, ()))
        raise ServiceError(
            f"“{OrgType(parent.org_type).label}”下只能设立：{allowed or '无'}", field="org_type"
        )


def _check_sibling_name(name: str, parent: Organization | None, exclude_pk=None) -> None:
    siblings = Organization.objects.filter(parent=parent, name=name, status=OrgStatus.ACTIVE)
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        where = f"“{parent.name}”下" if parent else "根级"
        raise ServiceError(f"{where}已有名为“{name}”的单位，同级单位不能重名", field="name")


def _clean_credit_code(value: str, exclude_pk=None) -> str:
    code = normalize_credit_code(value)
    if not code:
        return ""
    error = credit_code_error(code)
    if error:
        raise ServiceError(error, field="credit_code")
    taken = Organization.objects.filter(credit_code=code).exclude(pk=exclude_pk).first()
    if taken:
        raise ServiceError(f"该统一社会信用代码已登记在“{taken.name}”名下", field="credit_code")
    return code


def _clean_phone(value: str) -> str:
    phone = normalize(value)
    if phone and (error := contact_phone_error(phone)):
        raise ServiceError(error, field="phone")
    return phone


def _check_supervisor(supervisor: Organization | None, org: Organization | None) -> None:
    if supervisor is None:
        return
    if supervisor.status != OrgStatus.ACTIVE:
        raise ServiceError("主管单位已撤销或整合", field="supervisor")
    if org is not None and (supervisor.pk == org.pk or supervisor.is_descendant_of(org)):
        raise ServiceError("主管单位不能是本单位或其下级单位", field="supervisor")


SUPERVISOR_IS_THE_DISTRICTS = (
    "主管单位由区政府办公室（平台管理员）确定，单位不能自行选择或清除；如需变更，请联系区政府办公室"
)


def _check_may_set_supervisor(actor, supervisor, current=None) -> None:
    """Only the district office chooses a unit's 主管单位 (it co-signs the unit's filings)."""
    changed = (supervisor.pk if supervisor else None) != (current.pk if current else None)
    if changed and not may(actor, "orgs.oversight"):
        raise Forbidden(SUPERVISOR_IS_THE_DISTRICTS, field="supervisor")


def _require(actor, action: str, message: str) -> None:
    if not may(actor, action):
        raise Forbidden(message)


def _save(org: Organization, **kwargs) -> None:
    try:
        with transaction.atomic():
            org.save(**kwargs)
    except IntegrityError as exc:
        # The checks above ran first; this is a concurrent request that won the race.
        raise Conflict(
            "保存失败：同级单位重名或信用代码重复（可能有人同时提交），请刷新后重试"
        ) from exc


def org_create(
    *,
    actor,
    name: str,
    org_type: str,
    parent: Organization | None,
    supervisor: Organization | None = None,
    credit_code: str = "",
    address: str = "",
    phone: str = "",
    note: str = "",
    sort_order: int = 0,
    is_demo: bool = False,
) -> Organization:
    _require(actor, "orgs.change", "您无权新建单位")
    with transaction.atomic():
        if parent is not None:
            parent = _locked(actor, parent.pk)
        elif not actor.sees_whole_district:
            raise Forbidden("只有平台管理员可以建立区级根单位")
        name = _clean_name(name)
        _check_type_under_parent(org_type, parent)
        _check_sibling_name(name, parent)
        _check_may_set_supervisor(actor, supervisor)
        _check_supervisor(supervisor, None)
        org = Organization(
            name=name,
            org_type=org_type,
            parent=parent,
            supervisor=supervisor,
            credit_code=_clean_credit_code(credit_code),
            address=_clean_address(address),
            phone=_clean_phone(phone),
            note=_clean_note(note),
            sort_order=_clean_sort_order(sort_order),
            is_demo=is_demo,
            path="/pending/",
            depth=(parent.depth + 1 if parent else 0),
        )
        _save(org, force_insert=True)
        org.path = f"{parent.path if parent else '/'}{org.pk}/"
        org.save(update_fields=["path"])
        audit_record(
            actor=actor, action="org.create", obj=org, org=org, after=snapshot(org, AUDITED_FIELDS)
        )
    return org


def org_update(*, actor, org_id: int, version: int, **changes) -> Organization:
    """Edit an org's fields; changing `parent` moves its whole subtree."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _require(actor, "orgs.change", "您无权修改单位信息")
    with transaction.atomic():
        org = _locked(actor, org_id)
        check_version(org, version, noun="单位信息")
        if org.status != OrgStatus.ACTIVE:
            raise ServiceError("已撤销或整合的单位不能修改")
        before = snapshot(org, AUDITED_FIELDS)
        parent = changes.get("parent", org.parent)
        moving = (parent.pk if parent else None) != org.parent_id
        if moving:
            parent = _check_move(actor, org, parent)
        org_type = changes.get("org_type", org.org_type)
        if org_type != org.org_type or moving:
            _check_type_under_parent(org_type, parent)
            _check_children_fit(org, org_type)
        if org_type != org.org_type and not may(actor, "orgs.oversight"):
            ORG_RETYPING.publish(actor=actor, org=org, org_type=org_type)
        name = _clean_name(changes.get("name", org.name))
        _check_sibling_name(name, parent, exclude_pk=org.pk)
        supervisor = changes.get("supervisor", org.supervisor)
        _check_may_set_supervisor(actor, supervisor, org.supervisor)
        _check_supervisor(supervisor, org)
        org.name, org.org_type, org.parent, org.supervisor = name, org_type, parent, supervisor
        if "credit_code" in changes:
            org.credit_code = _clean_credit_code(changes["credit_code"], exclude_pk=org.pk)
        if "phone" in changes:
            org.phone = _clean_phone(changes["phone"])
        if "address" in changes:
            org.address = _clean_address(changes["address"])
        if "note" in changes:
            org.note = _clean_note(changes["note"])
        if "sort_order" in changes:
            org.sort_order = _clean_sort_order(changes["sort_order"])
        org.version += 1
        _save(org)
        if moving:
            _move_subtree(org, parent)
        after = snapshot(org, AUDITED_FIELDS)
        if after != before:
            audit_record(
                actor=actor, action="org.update", obj=org, org=org, before=before, after=after
            )
            ORGS_CHANGED.publish(org_ids=[org.pk])  # a move or retyping changes which rules apply
    return org


def _check_move(actor, org: Organization, parent: Organization | None) -> Organization:
    if parent is None:
        raise ServiceError("请选择上级单位", field="parent")
    if parent.pk == org.pk or parent.is_descendant_of(org):
        raise ServiceError("不能把单位移到它自己或它的下级单位之下（会形成循环）", field="parent")
    return _locked(actor, parent.pk)


def _check_children_fit(org: Organization, org_type: str) -> None:
    allowed = ALLOWED_CHILD_TYPES.get(org_type, frozenset())
    misfit = org.children.filter(status=OrgStatus.ACTIVE).exclude(org_type__in=allowed).first()
    if misfit:
        raise ServiceError(
            f"下级单位“{misfit.name}”（{misfit.get_org_type_display()}）不能隶属于“{OrgType(org_type).label}”",
            field="org_type",
        )


def _move_subtree(org: Organization, parent: Organization) -> None:
    old_path, new_path = org.path, f"{parent.path}{org.pk}/"
    shift = (parent.depth + 1) - org.depth
    subtree = list(Organization.objects.select_for_update().filter(path__startswith=old_path))
    for node in subtree:
        node.path = new_path + node.path[len(old_path) :]
        node.depth += shift
    Organization.objects.bulk_update(subtree, ["path", "depth"], batch_size=500)
    org.path, org.depth = new_path, org.depth + shift


def org_abolish(*, actor, org_id: int, reason: str, effective_on: date) -> Organization:
    _require(actor, "orgs.restructure", "只有平台管理员可以撤销单位")
    reason = clean_text(
        reason,
        field="reason",
        label="撤销依据",
        required=True,
        required_message="请填写撤销依据（如机构改革文件文号）",
    )
    with transaction.atomic():
        org = _locked(actor, org_id, "restructure")
        _check_can_leave(org)
        active_children = list(
            org.children.filter(status=OrgStatus.ACTIVE).values_list("name", flat=True)[:6]
        )
        if active_children:
            raise ServiceError(
                "请先撤销、整合或转移其下级单位："
                + "、".join(active_children[:5])
                + ("等" if len(active_children) > 5 else "")
            )
        before = snapshot(org, AUDITED_FIELDS)
        org.status, org.status_changed_on, org.status_reason = (
            OrgStatus.ABOLISHED,
            effective_on,
            reason[:200],
        )
        org.version += 1
        org.save()
        audit_record(
            actor=actor,
            action="org.abolish",
            obj=org,
            org=org,
            before=before,
            after=snapshot(org, AUDITED_FIELDS),
        )
        ORGS_CHANGED.publish(org_ids=[org.pk])  # its accounts must now be cancelled or transferred
    return org


def _check_can_leave(org: Organization) -> None:
    if org.status != OrgStatus.ACTIVE:
        raise ServiceError(f"“{org.name}”已是{org.get_status_display()}状态")
    if org.parent_id is None:
        raise ServiceError("区级根单位不能撤销或整合")


def org_merge(
    *, actor, source_id: int, target_id: int, reason: str, effective_on: date
) -> Organization:
    """Merge `source` into `target`: its children, users and supervised units move to the target.

    The source stays in the tree as 已整合 with a pointer to the target, so its history, its
    accounts and its filings remain where they were recorded.
    """
    _require(actor, "orgs.restructure", "只有平台管理员可以整合单位")
    reason = clean_text(
        reason,
        field="reason",
        label="整合依据",
        required=True,
        required_message="请填写整合依据（如机构改革文件文号）",
    )
    if source_id == target_id:
        raise ServiceError("不能把单位整合到它自己", field="target")
    with transaction.atomic():
        source = _locked(actor, source_id, "restructure")
        target = _locked(actor, target_id, "restructure")
        _check_can_leave(source)
        if target.is_descendant_of(source):
            raise ServiceError("不能把单位整合到它自己的下级单位", field="target")
        if target.status != OrgStatus.ACTIVE:
            raise ServiceError(f"目标单位“{target.name}”已撤销或整合", field="target")
        children = list(source.children.filter(status=OrgStatus.ACTIVE))
        _check_children_can_move(children, target)
        before = snapshot(source, AUDITED_FIELDS)
        for child in children:
            child_before = snapshot(child, AUDITED_FIELDS)
            child.parent = target
            child.version += 1
            child.save(update_fields=["parent", "version"])
            _move_subtree(child, target)
            audit_record(
                actor=actor,
                action="org.move",
                obj=child,
                org=child,
                before=child_before,
                after=snapshot(child, AUDITED_FIELDS),
            )
        moved_users = _move_users(actor, source, target)
        supervised = list(
            Organization.objects.filter(supervisor=source).values_list("pk", flat=True)
        )
        Organization.objects.filter(pk__in=supervised).update(supervisor=target)
        source.status, source.merged_into = OrgStatus.MERGED, target
        source.status_changed_on, source.status_reason = effective_on, reason[:200]
        source.version += 1
        source.save()
        after = snapshot(source, AUDITED_FIELDS) | {
            "moved_children": [c.pk for c in children],
            "moved_users": moved_users,
            "supervision_moved": supervised,
        }
        audit_record(
            actor=actor, action="org.merge", obj=source, org=source, before=before, after=after
        )
        ORGS_CHANGED.publish(org_ids=[source.pk, target.pk])
    return source


def _check_children_can_move(children: list[Organization], target: Organization) -> None:
    allowed = ALLOWED_CHILD_TYPES.get(target.org_type, frozenset())
    target_names = set(
        target.children.filter(status=OrgStatus.ACTIVE).values_list("name", flat=True)
    )
    for child in children:
        if child.org_type not in allowed:
            raise ServiceError(
                f"下级单位“{child.name}”（{child.get_org_type_display()}）不能并入"
                f"“{target.get_org_type_display()}”类单位，请先调整",
                field="target",
            )
        if child.name in target_names:
            raise ServiceError(
                f"目标单位下已有同名下级单位“{child.name}”，请先更名再整合", field="target"
            )


def _move_users(actor, source: Organization, target: Organization) -> list[int]:
    # The user model through Django's indirection: users sits above orgs and orgs never
    # imports it, but a merge takes the source unit's members along.
    User = get_user_model()  # noqa: N806 - a model class
    users = list(User.objects.select_for_update().filter(org=source))
    for user in users:
        audit_record(
            actor=actor,
            action="user.move",
            obj=user,
            org=target,
            before={"org": source.pk},
            after={"org": target.pk},
        )
    User.objects.filter(pk__in=[u.pk for u in users]).update(org=target)
    return [u.pk for u in users]


def industry_supervision_set(*, actor, supervisor_id: int, supervised_ids) -> list[int]:
    """行业指导: the district office sets which 企事业单位 a department (行业主管部门) guides.
    Each pair is a grant row (IndustrySupervision) that lets the department's users view the
    enterprise's accounts, filings, pull state, findings and repost tasks (core.scope); the
    rows not in the new set are deleted, and with them that sight. Returns the enterprises."""
    _require(actor, "orgs.oversight", "行业主管部门由区政府办公室（平台管理员）确定")
    try:
        wanted = sorted({int(pk) for pk in (supervised_ids or ())})
    except (TypeError, ValueError):
        raise ServiceError("企事业单位应为单位编号", field="supervised_ids") from None
    with transaction.atomic():
        supervisor = _locked(actor, supervisor_id, "view")
        if supervisor.org_type != OrgType.DEPARTMENT or supervisor.status != OrgStatus.ACTIVE:
            raise ServiceError("行业主管部门应为正常运行的区直部门", field="supervisor")
        enterprises = list(
            Organization.objects.filter(
                pk__in=wanted, org_type=OrgType.ENTERPRISE, status=OrgStatus.ACTIVE
            )
        )
        if len(enterprises) != len(wanted):
            raise ServiceError("只能指导正常运行的企事业单位", field="supervised_ids")
        current = set(
            IndustrySupervision.objects.filter(supervisor=supervisor).values_list(
                "supervised_id", flat=True
            )
        )
        if current == set(wanted):
            return wanted
        IndustrySupervision.objects.filter(supervisor=supervisor).exclude(
            supervised_id__in=wanted
        ).delete()
        IndustrySupervision.objects.bulk_create(
            IndustrySupervision(supervisor=supervisor, supervised=org, granted_by=actor)
            for org in enterprises
            if org.pk not in current
        )
        audit_record(
            actor=actor,
            action="org.industry_supervision",
            obj=supervisor,
            org=supervisor,
            before={"supervised": sorted(current)},
            after={"supervised": wanted},
        )
    return wanted
