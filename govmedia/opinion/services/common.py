"""What the opinion services share: the district office, links, notifications, the timeline."""

from django.db.models import F
from django.urls import NoReverseMatch, reverse

from govmedia.core.roles import Role
from govmedia.notifications.services import notification_send
from govmedia.orgs.models import Organization
from govmedia.publishing.services.common import unit_administrators
from govmedia.users.models import User

from ..models import CaseEvent, OpinionCase


def district_office() -> Organization | None:
    """The district at the root of the tree (区政府办公室 acts for it)."""
    return Organization.objects.filter(parent__isnull=True).order_by("path").first()


def link(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def case_link(case: OpinionCase) -> str:
    return link("opinion:case", case_id=case.pk)


def notify_unit(org, *, kind: str, case: OpinionCase, message: str) -> int:
    """Each of the unit's nearest administrators."""
    admins = unit_administrators(org)
    for admin in admins:
        notification_send(
            recipient_org=admin.org,
            recipient_user=admin,
            kind=kind,
            obj=case,
            link=case_link(case),
            message=message,
        )
    return len(admins)


def notify_role(role: str, *, kind: str, case: OpinionCase, message: str) -> int:
    """Every active user of a district-wide role (the district office's administrators, or
    监督: 宣传部、网信办)."""
    users = list(User.objects.filter(role=role, is_active=True, org__isnull=False))
    for user in users:
        notification_send(
            recipient_org=user.org,
            recipient_user=user,
            kind=kind,
            obj=case,
            link=case_link(case),
            message=message,
        )
    return len(users)


def notify_oversight(*, kind: str, case: OpinionCase, message: str) -> int:
    return notify_role(Role.OVERSIGHT, kind=kind, case=case, message=message)


def record(case: OpinionCase, kind: str, *, actor=None, note: str = "", at, **data) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        data=data,
        at=at,
    )


def bump(case: OpinionCase, **fields) -> None:
    """Save the changed fields and the next version."""
    fields["version"] = F("version") + 1
    OpinionCase.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
