from datetime import date

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import ServiceError
from govmedia.registry import services
from govmedia.registry.models import AccountStatus, Filing, FilingKind, FilingState, MediaAccount


def open_and_file(world, form_data, org=None, **overrides):
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=org or world.tian,
        event_date=date(2026, 3, 2),
        data=form_data | overrides,
    )
    filing = services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    return services.filing_approve(
        no_scan_reason="纸质备案表另行报送",
        actor=world.alice,
        filing_id=filing.pk,
        version=filing.version,
    )


def test_open_filing_creates_the_account_with_a_number(world, form_data):
    filing = open_and_file(world, form_data)
    account = filing.account
    assert filing.state == FilingState.FILED and account.status == AccountStatus.RUNNING
    assert account.filing_no == filing.filing_no == "定陶新媒备〔2026〕第001号"
    assert account.host_org == world.tian and account.name == "天中发布"
    assert filing.due_on == date(2026, 3, 11) and not filing.due_provisional  # 7 working days
    assert AuditEvent.objects.filter(action="account.create", object_id=str(account.pk)).exists()


def test_one_number_for_life(world, form_data):
    account = open_and_file(world, form_data).account
    other = open_and_file(world, form_data, handle="tianzhong2", name="天中之声").account
    assert other.filing_no == "定陶新媒备〔2026〕第002号"
    change = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.CHANGE,
        org=world.tian,
        account=account,
        event_date=date(2026, 5, 6),
    )
    services.filing_update(
        actor=world.tian_unit_admin,
        filing_id=change.pk,
        version=change.version,
        data=services.account_values(account) | {"name": "天中街道发布"},
    )
    change.refresh_from_db()
    diff = services.change_diff(change)
    assert [(c.label, c.registered, c.filed) for c in diff] == [
        ("政务新媒体名称", "天中发布", "天中街道发布")
    ]
    change = services.filing_submit(
        actor=world.tian_unit_admin, filing_id=change.pk, version=change.version
    )
    filed = services.filing_approve(
        no_scan_reason="纸质备案表另行报送",
        actor=world.alice,
        filing_id=change.pk,
        version=change.version,
    )
    account.refresh_from_db()
    assert (
        account.name == "天中街道发布"
        and filed.filing_no == account.filing_no == "定陶新媒备〔2026〕第001号"
    )


def test_submitted_filing_is_immutable(world, form_data):
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data,
    )
    filing = services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    with pytest.raises(ServiceError, match="提交后不可修改"):
        services.filing_update(
            actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version, data=form_data
        )


def test_return_and_resubmit(world, form_data):
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data,
    )
    filing = services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    with pytest.raises(ServiceError, match="退回理由"):
        services.filing_return(
            actor=world.alice, filing_id=filing.pk, reason="", version=filing.version
        )
    filing = services.filing_return(
        actor=world.alice,
        filing_id=filing.pk,
        reason="功能定位过于笼统",
        version=filing.version,
    )
    assert filing.state == FilingState.RETURNED
    filing = services.filing_update(
        actor=world.tian_unit_admin,
        filing_id=filing.pk,
        version=filing.version,
        data=form_data | {"positioning": "发布街道政务信息、便民服务与政策解读"},
    )
    filing = services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    assert filing.state == FilingState.SUBMITTED and filing.returned_reason == ""


def test_incomplete_form_cannot_be_submitted(world, form_data):
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data | {"principal_mobile": "1380530"},
    )
    with pytest.raises(ServiceError) as exc:
        services.filing_submit(
            actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
        )
    assert exc.value.field == "principal_mobile" and "手机号" in exc.value.message


def test_supervised_unit_needs_its_supervisor_first(world, form_data):
    world.tian_office.supervisor = world.tian
    world.tian_office.save()
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian_office,
        event_date=date(2026, 3, 2),
        data=form_data,
    )
    filing = services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    assert filing.supervisor == world.tian
    with pytest.raises(ServiceError, match="须先经主管单位"):
        services.filing_approve(
            no_scan_reason="纸质备案表另行报送",
            actor=world.alice,
            filing_id=filing.pk,
            version=filing.version,
        )
    with pytest.raises(ServiceError, match="自己提交"):
        services.filing_supervisor_approve(
            actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
        )
    with pytest.raises(ServiceError):
        services.filing_supervisor_approve(
            actor=world.chen_supervisor_reviewer,
            filing_id=filing.pk,
            version=filing.version,
        )
    filing = services.filing_supervisor_approve(
        actor=world.tian_supervisor_reviewer, filing_id=filing.pk, version=filing.version
    )
    assert (
        services.filing_approve(
            no_scan_reason="纸质备案表另行报送",
            actor=world.alice,
            filing_id=filing.pk,
            version=filing.version,
        ).state
        == FilingState.FILED
    )


def test_suspend_and_cancel(world, form_data):
    account = open_and_file(world, form_data).account
    for kind, status in (
        (FilingKind.SUSPEND, AccountStatus.SUSPENDED),
        (FilingKind.CANCEL, AccountStatus.CANCELLED),
    ):
        filing = services.filing_create(
            actor=world.tian_unit_admin,
            kind=kind,
            org=world.tian,
            account=account,
            event_date=date(2026, 6, 1),
        )
        assert filing.due_on == date(2026, 6, 8)  # 5 working days
        filing = services.filing_submit(
            actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
        )
        services.filing_approve(
            no_scan_reason="纸质备案表另行报送",
            actor=world.alice,
            filing_id=filing.pk,
            version=filing.version,
        )
        account.refresh_from_db()
        assert account.status == status
    with pytest.raises(ServiceError, match="不能办理"):
        services.filing_create(
            actor=world.tian_unit_admin,
            kind=FilingKind.CHANGE,
            org=world.tian,
            account=account,
            event_date=date(2026, 6, 2),
        )


def test_duplicate_handle_refused(world, form_data):
    open_and_file(world, form_data)
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data | {"name": "另一个"},
    )
    with pytest.raises(ServiceError, match="重复登记"):
        services.filing_submit(
            actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
        )


def test_only_one_open_filing_per_account(world, form_data):
    account = open_and_file(world, form_data).account
    services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.SUSPEND,
        org=world.tian,
        account=account,
        event_date=date(2026, 6, 1),
    )
    with pytest.raises(ServiceError, match="未办结"):
        services.filing_create(
            actor=world.tian_unit_admin,
            kind=FilingKind.CANCEL,
            org=world.tian,
            account=account,
            event_date=date(2026, 6, 1),
        )


def test_other_township_cannot_touch(world, form_data):
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data,
    )
    with pytest.raises(ServiceError) as exc:
        services.filing_submit(
            actor=world.chen_unit_admin, filing_id=filing.pk, version=filing.version
        )
    assert exc.value.status == 404
    with pytest.raises(ServiceError):
        services.filing_create(
            actor=world.chen_unit_admin,
            kind=FilingKind.OPEN,
            org=world.tian,
            event_date=date(2026, 3, 2),
            data=form_data,
        )
    assert Filing.objects.count() == 1 and MediaAccount.objects.count() == 0


def test_calendar_change_recomputes_stored_deadlines(world, form_data):
    from govmedia.workdays.services import calendar_day_set

    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data,
    )
    filed = open_and_file(world, form_data, handle="other")
    assert filing.due_on == date(2026, 3, 11)
    calendar_day_set(
        actor=world.alice,
        day=date(2026, 3, 5),
        is_workday=False,
        name="临时放假",
        source_notice="区政府通知（测试）",
    )
    filing.refresh_from_db()
    assert filing.due_on == date(2026, 3, 12)
    filed.refresh_from_db()
    assert filed.due_on == date(2026, 3, 11)  # a filed filing keeps the deadline it was judged by


def test_account_of_an_abolished_unit_can_be_cancelled_but_not_changed(world, form_data):
    from govmedia.orgs.services import org_abolish

    account = open_and_file(world, form_data, org=world.tian_office).account
    org_abolish(
        actor=world.alice,
        org_id=world.tian_office.pk,
        reason="机构改革",
        effective_on=date(2026, 6, 1),
    )
    with pytest.raises(ServiceError, match="应办理注销备案"):
        services.filing_create(
            actor=world.alice,
            kind=FilingKind.CHANGE,
            org=world.tian_office,
            account=account,
            event_date=date(2026, 6, 2),
        )
    cancel = services.filing_create(
        actor=world.alice,
        kind=FilingKind.CANCEL,
        org=world.tian_office,
        account=account,
        event_date=date(2026, 6, 2),
    )
    services.filing_submit(actor=world.alice, filing_id=cancel.pk, version=cancel.version)
    account.refresh_from_db()
    assert Filing.objects.get(pk=cancel.pk).state == FilingState.SUBMITTED


def test_account_of_an_abolished_unit_is_transferred_by_a_change(world, form_data):
    from govmedia.orgs.services import org_abolish

    account = open_and_file(world, form_data, org=world.tian_office).account
    org_abolish(
        actor=world.alice,
        org_id=world.tian_office.pk,
        reason="机构改革",
        effective_on=date(2026, 6, 1),
    )
    change = services.filing_create(
        actor=world.alice,
        kind=FilingKind.CHANGE,
        org=world.tian,
        account=account,
        event_date=date(2026, 6, 2),
        change_summary="转由街道主办",
    )
    change = services.filing_submit(actor=world.alice, filing_id=change.pk, version=change.version)
    services.filing_approve(
        no_scan_reason="纸质备案表另行报送",
        actor=world.alice,
        filing_id=change.pk,
        version=change.version,
    )
    account.refresh_from_db()
    assert account.host_org == world.tian
