"""Load the demo registry through the real services, once: the 35 survey accounts
(registry_data.ACCOUNTS), all registered, and the new accounts' 开设 filings in progress
(registry_data.NEW_FILINGS).

Every filing goes through filing_create/submit/approve/return as a person would, so the demo has
the same audit trail, numbers and deadlines as real use. A filing's 事项日期 is the account's
opening date (注册时间). Skipped when demo accounts exist.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from govmedia.compliance.services import compliance_refresh
from govmedia.orgs.models import Organization, OrgStatus
from govmedia.orgs.services import org_abolish
from govmedia.registry import services
from govmedia.registry.models import Filing, FilingKind, MediaAccount, Platform
from govmedia.registry.platforms import ensure_default_platforms
from govmedia.registry.services.account_import import ImportRow, accounts_import
from govmedia.users.models import User

from . import data as org_data
from . import registry_data as data

# 准予备案 without a scan needs a reason (the demo has no scanner): the paper forms were sent.
DEMO_NO_SCAN = "示例数据：纸质备案表（一式两份）已报送区政府办公室，扫描件待补"


def form_values(
    index: int,
    org: Organization,
    platform: Platform,
    name: str,
    handle: str,
    verified: bool,
    opened: date,
) -> dict:
    phone = f"13805{index:06d}"
    return {
        "name": name,
        "handle": handle,
        "platform": platform,
        "registrant": f"菏泽市定陶区{org.name.removeprefix('区')}",
        "registered_on": opened,
        "positioning": f"发布{org.name}政务信息，解读政策，回应群众关切（示例）",
        "verified": verified,
        "operator_kind": "own",
        "operator": "",
        "contact_name": "王联络",
        "contact_phone": "0530-2212021",
        "notes": "示例数据",
        "principal_name": "张主任",
        "principal_office_phone": "0530-2210001",
        "principal_mobile": phone,
        "leader_in_charge_name": "李副主任",
        "leader_in_charge_office_phone": "0530-2210002",
        "leader_in_charge_mobile": f"13905{index:06d}",
        "person_responsible_name": "赵科员",
        "person_responsible_office_phone": "0530-2210003",
        "person_responsible_mobile": f"13705{index:06d}",
    }


def _open(admin, org, values, event_date) -> Filing:
    return services.filing_create(
        actor=admin, kind=FilingKind.OPEN, org=org, event_date=event_date, data=values, is_demo=True
    )


def _submit(actor, filing: Filing) -> Filing:
    return services.filing_submit(actor=actor, filing_id=filing.pk, version=filing.version)


def _file_follow_up(admin, account: MediaAccount, kind: str, today: date, **changes) -> Filing:
    filing = services.filing_create(
        actor=admin,
        kind=kind,
        org=account.host_org,
        account=account,
        event_date=today - timedelta(days=3),
        is_demo=True,
        data=services.account_values(account) | changes,
        change_summary="示例：账号更名" if changes else "",
    )
    return _submit(admin, filing)


def seed_story(admin, supervisors: dict, index: int, row: tuple) -> None:
    """One survey account: registered from the 历史台账, or filed (and then changed or 关停)."""
    org_name, platform_name, name, handle, verified, story = row
    org = Organization.objects.get(name=org_name)
    opened = data.opened_on(index)
    values = form_values(
        index, org, Platform.objects.get(name=platform_name), name, handle, verified, opened
    )
    if story == data.NEVER_FILED:
        created = accounts_import(
            actor=admin,
            rows=[ImportRow(number=index, values=values, host_org=org)],
            source="示例数据：历史台账",
        )
        MediaAccount.objects.filter(pk__in=[a.pk for a in created]).update(is_demo=True)
        return
    account = _file(admin, supervisors, _submit(admin, _open(admin, org, values, opened)))
    today = timezone.localdate()
    if story == data.CHANGE_SUBMITTED:
        _file_follow_up(admin, account, FilingKind.CHANGE, today, name=f"{name}融媒")
    elif story == data.SUSPENDED:
        suspend = _file_follow_up(admin, account, FilingKind.SUSPEND, today)
        services.filing_approve(
            actor=admin, filing_id=suspend.pk, version=suspend.version, no_scan_reason=DEMO_NO_SCAN
        )


def _file(admin, supervisors: dict, filing: Filing) -> MediaAccount:
    """File a submitted filing: its 主管单位 signs first where it has one."""
    if filing.supervisor_id:
        filing = _supervisor_sign(supervisors, filing)
    return services.filing_approve(
        actor=admin, filing_id=filing.pk, version=filing.version, no_scan_reason=DEMO_NO_SCAN
    ).account


def _supervisor_sign(supervisors: dict, filing: Filing) -> Filing:
    return services.filing_supervisor_approve(
        actor=supervisors[filing.supervisor.name], filing_id=filing.pk, version=filing.version
    )


def seed_new_filing(admin, supervisors: dict, index: int, row: tuple, today: date) -> None:
    """A new account's 开设 filing, left in its story's state; opened `days` ago."""
    org_name, platform_name, name, handle, verified, story, days = row
    org = Organization.objects.get(name=org_name)
    opened = today - timedelta(days=days)
    values = form_values(
        index, org, Platform.objects.get(name=platform_name), name, handle, verified, opened
    )
    filing = _open(admin, org, values, opened)
    if story in (data.DRAFT, data.OVERDUE_DRAFT):
        return
    filing = _submit(admin, filing)
    if story == data.RETURNED:
        services.filing_return(
            actor=admin,
            filing_id=filing.pk,
            reason="功能定位过于笼统，请写明主要栏目与服务事项（示例）",
            version=filing.version,
        )
    elif story == data.SUPERVISOR_APPROVED:
        _supervisor_sign(supervisors, filing)


def abolish_demo_org(admin) -> None:
    """区粮食局 was abolished in the 2019 机构改革 after its account had been opened."""
    name, reason = org_data.ABOLISHED
    org = Organization.objects.get(name=name, parent=admin.org)
    if org.status == OrgStatus.ACTIVE:
        org_abolish(actor=admin, org_id=org.pk, reason=reason, effective_on=date(2019, 3, 1))


def seed_registry() -> int:
    """Create the demo accounts and filings; returns how many accounts were created (0 if done)."""
    if (
        MediaAccount.objects.filter(is_demo=True).exists()
        or Filing.objects.filter(is_demo=True).exists()
    ):
        return 0
    ensure_default_platforms(Platform)
    admin = User.objects.get(username="admin")
    supervisors = {
        "天中街道": User.objects.get(username="tianzhong"),
        "区卫生健康局": User.objects.get(username="weijian_shenhe"),
    }
    today = timezone.localdate()
    with transaction.atomic():  # all or nothing: a half-seeded demo would never be completed
        for index, row in enumerate(data.ACCOUNTS, start=1):
            seed_story(admin, supervisors, index, row)
        for index, row in enumerate(data.NEW_FILINGS, start=len(data.ACCOUNTS) + 1):
            seed_new_filing(admin, supervisors, index, row, today)
        abolish_demo_org(admin)
    compliance_refresh(actor=None)
    return MediaAccount.objects.filter(is_demo=True).count()
