"""Who may see which account's credentials, and the reads the pages need.

An account's credentials follow the account's host organization (its subtree); the role must
grant the credentials action, and 监督 is refused whatever its role table says.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from govmedia.audit.selectors import history as audit_history
from govmedia.core.errors import NotFound
from govmedia.core.scope import may, org_subtree_q
from govmedia.registry.models import MediaAccount

from .models import LoginCustody, PlatformCredential

REVEAL_ACTION = "credential.reveal"


def may_act(user, action: str = "view") -> bool:
    return may(user, f"credentials.{action}")


def accounts(user, action: str = "view") -> QuerySet:
    """The media accounts whose credentials the user may see (or change, or reveal)."""
    if not may_act(user, action):
        return MediaAccount.objects.none()
    return MediaAccount.objects.filter(org_subtree_q(user, "host_org"))


def account_or_not_found(user, account_id, action: str = "view", *, lock: bool = False):
    queryset = accounts(user, action)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.select_related("host_org", "platform").get(pk=account_id)
    except (MediaAccount.DoesNotExist, ValueError, TypeError):
        raise NotFound("政务新媒体不存在或您无权访问其账号密码保护信息") from None


def visible_to(user, account) -> bool:
    if not may_act(user, "view") or account is None:
        return False
    return accounts(user).filter(pk=account.pk).exists()


def credential_of(account) -> PlatformCredential | None:
    return PlatformCredential.objects.filter(account=account).first()


def custody_of(account) -> LoginCustody | None:
    return LoginCustody.objects.filter(account=account).first()


def rotation_days() -> int:
    return settings.PASSWORD_ROTATION_DAYS


def password_age(custody, today: date) -> int | None:
    if custody is None or custody.password_changed_on is None:
        return None
    return (today - custody.password_changed_on).days


def stale_cutoff(today: date) -> date:
    """A password changed on or before this day is due to be changed."""
    return today - timedelta(days=rotation_days())


def is_stale(custody, today: date) -> bool:
    age = password_age(custody, today)
    return age is not None and age >= rotation_days()


def reveal_history(account) -> QuerySet:
    # Both rows are keyed by the account: unsaved stand-ins name them without loading them
    # (either may not exist).
    rows = (PlatformCredential(account_id=account.pk), LoginCustody(account_id=account.pk))
    return audit_history(*rows, actions=[REVEAL_ACTION])


def overview(user, *, query: str = "", stale_only: bool = False, today: date) -> QuerySet:
    """The accounts in scope with their credential and custody rows, one query a page."""
    rows = (
        accounts(user)
        .exclude(status="cancelled")
        .select_related("host_org", "platform", "credential", "login_custody")
        .order_by("host_org__path", "platform__sort_order", "name")
    )
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(handle__icontains=query))
    if stale_only:
        rows = rows.filter(login_custody__password_changed_on__lte=stale_cutoff(today))
    return rows
