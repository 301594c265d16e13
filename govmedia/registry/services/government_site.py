"""政府网账号: the district office marks which accounts are the district's own (those a unit
may ask, by a 发布申请, to publish its article)."""

from django.db import transaction

from govmedia.audit.services import audit_record
from govmedia.core.errors import Forbidden
from govmedia.core.scope import get_scoped, may
from govmedia.core.versions import check_version

from ..events import ACCOUNTS_CHANGED
from ..models import MediaAccount


def account_set_government_site(*, actor, account_id: int, version, value: bool) -> MediaAccount:
    if not may(actor, "registry.government_site"):
        raise Forbidden("只有区政府办公室可以标记政府网账号", field="is_government_site")
    with transaction.atomic():
        get_scoped(MediaAccount.objects.all(), actor, account_id)
        account = MediaAccount.objects.select_for_update().get(pk=account_id)
        check_version(account, version, noun="政务新媒体")
        value = bool(value)
        if account.is_government_site == value:
            return account
        before = {"is_government_site": account.is_government_site}
        account.is_government_site = value
        account.version += 1
        account.save(update_fields=["is_government_site", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="account.government_site",
            obj=account,
            org=account.host_org,
            before=before,
            after={"is_government_site": value},
        )
        ACCOUNTS_CHANGED.publish(account_ids=[account.pk], org_ids=[])
    return account
