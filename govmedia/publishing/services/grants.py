"""授权发布 (通知第四部分（二）): who may publish to an account, and until when.

The unit administrator keeps, per account, the list of authorised publishers, each with a
validity period (both days included). A grant is revoked, never edited or deleted, so the list
of who could publish on a given day stays answerable.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.core.versions import check_version
from govmedia.registry.models import AccountStatus, MediaAccount
from govmedia.users.models import User

from ..models import PublishGrant
from .common import clean_reason

AUDITED = ["account", "user", "valid_from", "valid_until", "note", "revoked_at", "revoke_reason"]
MAX_PERIOD_DAYS = 3 * 366


def may_publish(user, account, on: date | None = None) -> bool:
    """Whether `user` is an authorised publisher of `account` on day `on` (today by default)."""
    if user is None or not may(user, "publishing.publish"):
        return False
    on = on or timezone.localdate()
    return PublishGrant.objects.filter(
        account_id=getattr(account, "pk", account),
        user_id=user.pk,
        revoked_at__isnull=True,
        valid_from__lte=on,
        valid_until__gte=on,
    ).exists()


def _as_date(value, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    from govmedia.core.dates import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise ServiceError(f"{label}：{exc}", field=field) from None


def publish_grant_create(
    *,
    actor,
    account_id: int,
    user_id: int,
    valid_from,
    valid_until,
    note: str = "",
    today: date | None = None,
) -> PublishGrant:
    """Authorise `user_id` to publish to the account from `valid_from` to `valid_until`."""
    if not may(actor, "publishing.grants"):
        raise Forbidden("您无权设置授权发布人")
    today = today or timezone.localdate()
    valid_from = _as_date(valid_from, "valid_from", "有效期起始日期")
    valid_until = _as_date(valid_until, "valid_until", "有效期截止日期")
    if valid_until < valid_from:
        raise ServiceError("有效期截止日期不能早于起始日期", field="valid_until")
    if valid_until < today:
        raise ServiceError("有效期截止日期不能早于今天", field="valid_until")
    if (valid_until - valid_from).days > MAX_PERIOD_DAYS:
        raise ServiceError("授权有效期不能超过三年，到期后可重新授权", field="valid_until")
    note = clean_reason(note, field="note", label="说明", required=False)[:200]
    with transaction.atomic():
        account = get_scoped(
            MediaAccount.objects.select_for_update(of=("self",)), actor, account_id
        )
        if account.status == AccountStatus.CANCELLED:
            raise ServiceError("该账号已注销，不能再授权发布", field="account")
        user = User.objects.filter(pk=user_id, is_active=True).select_related("org").first()
        if (
            user is None
            or not User.objects.filter(org_subtree_q(actor, "org"), pk=user.pk).exists()
        ):
            raise ServiceError("请选择本单位及下级单位已启用的人员", field="user")
        if not may(user, "publishing.publish"):
            raise ServiceError(
                f"{user.name}的角色（{user.get_role_display()}）不能发布稿件", field="user"
            )
        if not (user.sees_whole_district or account.host_org.path.startswith(user.org.path)):
            raise ServiceError(
                f"{user.name}所在单位不是“{account.name}”的主办单位或其上级单位", field="user"
            )
        overlapping = PublishGrant.objects.filter(
            account=account,
            user=user,
            revoked_at__isnull=True,
            valid_from__lte=valid_until,
            valid_until__gte=valid_from,
        )
        if overlapping.exists():
            raise Conflict(f"{user.name}在该期间已是“{account.name}”的授权发布人", field="user")
        grant = PublishGrant.objects.create(
            account=account,
            user=user,
            valid_from=valid_from,
            valid_until=valid_until,
            note=note,
            granted_by=actor,
        )
        audit_record(
            actor=actor,
            action="publish_grant.create",
            obj=grant,
            org=account.host_org,
            after=snapshot(grant, AUDITED),
        )
    return grant


def publish_grant_revoke(*, actor, grant_id: int, version: int, reason: str = "") -> PublishGrant:
    if not may(actor, "publishing.grants"):
        raise Forbidden("您无权设置授权发布人")
    reason = clean_reason(reason, field="reason", label="撤销理由", required=False)[:200]
    with transaction.atomic():
        grant = get_scoped(
            PublishGrant.objects.select_for_update(of=("self",)), actor, grant_id, "grants"
        )
        check_version(grant, version, noun="授权")
        if grant.revoked_at is not None:
            raise Conflict("该授权已撤销")
        before = snapshot(grant, AUDITED)
        grant.revoked_at, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason
        grant.version += 1
        grant.save()
        audit_record(
            actor=actor,
            action="publish_grant.revoke",
            obj=grant,
            org=grant.account.host_org,
            before=before,
            after=snapshot(grant, AUDITED),
        )
    return grant
