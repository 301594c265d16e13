"""Designating the 审核人 who may co-sign (主管单位签章) the filings their unit supervises, besides
its 主管单位审核人 and 单位管理员 (lifecycle.may_co_sign). The unit administrator decides; the
designation is data (CoSigner), recorded in the audit log."""

from django.db import transaction

from govmedia.audit.services import audit_record
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.roles import Role
from govmedia.core.scope import get_scoped, may
from govmedia.users.models import User

from ..models import CoSigner


def co_signer_set(*, actor, user_id: int, designated: bool) -> bool:
    """Designate (or stop designating) a 审核人 of the actor's scope; whether anything changed."""
    if not may(actor, "filings.designate"):
        raise Forbidden("只有单位管理员可以指定备案审核人")
    with transaction.atomic():
        user = get_scoped(User.objects.select_for_update(of=("self",)), actor, user_id, "change")
        if user.role != Role.REVIEWER:
            raise ServiceError(
                f"只能指定“审核人”角色的人员；{user.name}是{user.get_role_display()}"
                + (
                    "，本身即可审核备案"
                    if user.role in (Role.SUPERVISOR_REVIEWER, Role.UNIT_ADMIN)
                    else ""
                ),
                field="user",
            )
        existing = CoSigner.objects.filter(user=user).first()
        if designated == (existing is not None):
            return False
        if designated:
            CoSigner.objects.create(user=user, designated_by=actor)
        else:
            existing.delete()
        audit_record(
            actor=actor,
            action=("filing.co_signer_designate" if designated else "filing.co_signer_revoke"),
            obj=user,
            org=user.org,
            before={"co_signer": not designated},
            after={"co_signer": designated},
        )
    return True
