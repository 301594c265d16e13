"""Stored findings against the real database: refresh, events, exceptions, the command."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from govmedia.audit.models import AuditEvent
from govmedia.compliance import rules, selectors
from govmedia.compliance.models import ComplianceFinding
from govmedia.compliance.services import (
    compliance_refresh,
    refresh_after_commit,
    rule_exception_grant,
    rule_exception_revoke,
)
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.orgs.services import org_abolish
from govmedia.registry import services as registry
from govmedia.registry.models import AccountStatus, FilingKind, MediaAccount

from .conftest import make_account

TODAY = date(2026, 11, 25)


def open_rules(**filters) -> set[tuple[str, str]]:
    """(rule, account name or filing name) of the open findings."""
    rows = ComplianceFinding.objects.open().filter(**filters).select_related("account", "filing")
    return {(f.rule, f.account.name if f.account else f.filing.name) for f in rows}


def test_refresh_opens_keeps_and_resolves(world, platforms):
    first = make_account(world.tian, platforms["微信公众号"], "天中发布")
    second = make_account(world.tian, platforms["微信公众号"], "天中之声")
    make_account(world.tian, platforms["微博"], "天中微博")

    result = compliance_refresh(today=TODAY)
    assert result.opened == 2
    assert open_rules() == {("duplicate_platform", "天中发布"), ("duplicate_platform", "天中之声")}
    seen = dict(ComplianceFinding.objects.values_list("account_id", "first_seen_at"))

    again = compliance_refresh(today=TODAY)
    assert (again.opened, again.resolved, again.updated) == (0, 0, 0)
    assert dict(ComplianceFinding.objects.values_list("account_id", "first_seen_at")) == seen

    MediaAccount.objects.filter(pk=second.pk).update(status=AccountStatus.CANCELLED)
    result = compliance_refresh(account_ids=[second.pk], today=TODAY)
    assert result.resolved == 2 and not open_rules()
    assert ComplianceFinding.objects.filter(account=first, resolved_at__isnull=False).exists()


def test_refresh_writes_one_audit_event_when_something_changed(world, platforms):
    make_account(world.tian, platforms["微信公众号"], "天中发布", verified=False)
    compliance_refresh(today=TODAY)
    compliance_refresh(today=TODAY)
    assert AuditEvent.objects.filter(action="compliance.refresh").count() == 1


def test_snapshot_takes_the_same_queries_for_many_accounts(world, platforms):
    make_account(world.tian, platforms["微信公众号"], "天中发布")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            rules.evaluate(selectors.load_snapshot(today=TODAY))
        return len(ctx.captured_queries)

    queries()  # the first call also fills the process's working-day calendar cache
    few = queries()
    for n in range(30):
        org = world.chen if n % 2 else world.tian_office
        make_account(
            org,
            platforms["抖音"],
            f"账号{n}",
            filing_no=None if n % 3 else f"号{n}",
            verified=bool(n % 2),
        )
    assert queries() == few


def test_sub_unit_host_with_and_without_exception(world, platforms):
    account = make_account(world.tian_office, platforms["微信公众号"], "党政办发布")
    compliance_refresh(today=TODAY)
    assert open_rules() == {("sub_unit_host", "党政办发布")}
    finding = ComplianceFinding.objects.open().get()
    assert finding.org == world.tian_office and finding.rule_def.basis == "通知第二部分（一）"

    with pytest.raises(Forbidden):
        rule_exception_grant(
            actor=world.tian_unit_admin, account_id=account.pk, rule="sub_unit_host", reason="x"
        )
    with pytest.raises(ServiceError, match="例外理由"):
        rule_exception_grant(
            actor=world.alice, account_id=account.pk, rule="sub_unit_host", reason="  "
        )
    with pytest.raises(ServiceError, match="不能批准例外"):
        rule_exception_grant(
            actor=world.alice, account_id=account.pk, rule="abolished_host", reason="理由"
        )

    exception = _grant(world, account, "sub_unit_host")
    assert not open_rules()
    assert AuditEvent.objects.filter(
        action="rule_exception.grant", object_id=str(exception.pk)
    ).exists()
    with pytest.raises(Conflict):
        rule_exception_grant(
            actor=world.alice, account_id=account.pk, rule="sub_unit_host", reason="再次"
        )

    _revoke(world, exception)
    assert open_rules() == {("sub_unit_host", "党政办发布")}
    with pytest.raises(Conflict):
        rule_exception_revoke(actor=world.alice, exception_id=exception.pk)


# The test's own transaction never commits, so the on-commit refresh is run by capturing it.


def _grant(world, account, rule):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return rule_exception_grant(
            actor=world.alice,
            account_id=account.pk,
            rule=rule,
            reason="承担全镇应急信息发布，经区政府办公室同意",
        )


def _revoke(world, exception):
    with TestCase.captureOnCommitCallbacks(execute=True):
        rule_exception_revoke(actor=world.alice, exception_id=exception.pk)


def test_abolished_host_vs_cancelled_account(world, platforms):
    unit = world.tian_office
    kept = make_account(unit, platforms["微信公众号"], "党政办发布")
    make_account(unit, platforms["微博"], "党政办微博", status=AccountStatus.CANCELLED)

    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        org_abolish(
            actor=world.alice, org_id=unit.pk, reason="机构改革", effective_on=date(2026, 6, 1)
        )  # publishes ORGS_CHANGED, to which compliance subscribes
    assert ("abolished_host", "党政办发布") in open_rules()
    assert ("abolished_host", "党政办微博") not in open_rules()
    finding = ComplianceFinding.objects.open().get(rule="abolished_host")
    assert finding.account == kept and finding.since == date(2026, 6, 1)


def test_hook_runs_only_after_commit(world, platforms):
    account = make_account(world.tian, platforms["微信公众号"], "天中发布", verified=False)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks, transaction.atomic():
        refresh_after_commit(account_ids=[account.pk])
    assert not ComplianceFinding.objects.exists() and len(callbacks) == 1
    callbacks[0]()
    assert open_rules() == {("unverified", "天中发布")}


def test_filed_accounts_vs_overdue_and_never_filed(world, form_data):
    filed = open_and_file(world, form_data)
    imported = make_account(
        world.tian,
        form_data["platform"],
        "天中之窗",
        handle="tzzc",
        filing_no=None,
        registered_on=date(2026, 11, 2),
    )
    compliance_refresh(today=TODAY)
    # 天中发布 was filed today for a March opening: on record as filed late.
    assert open_rules() == {
        ("never_filed", "天中之窗"),
        ("duplicate_platform", "天中发布"),
        ("duplicate_platform", "天中之窗"),
        ("filed_late", "天中发布"),
    }

    # A 变更 due 2026-11-24 still in draft on the 25th is overdue; on the 24th it is not.
    change = registry.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.CHANGE,
        org=world.tian,
        account=filed.account,
        event_date=date(2026, 11, 17),
    )
    assert change.due_on == date(2026, 11, 24)
    compliance_refresh(today=date(2026, 11, 24))
    assert ("filing_overdue", "天中发布") not in open_rules()
    compliance_refresh(today=TODAY)
    assert ("filing_overdue", "天中发布") in open_rules()
    finding = ComplianceFinding.objects.open().get(rule="filing_overdue")
    assert finding.filing == change and finding.since == TODAY

    # Starting the 开设 form for the imported account turns "never filed" into "overdue".
    registry.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        account=imported,
        event_date=date(2026, 11, 2),
    )
    compliance_refresh(account_ids=[imported.pk], today=TODAY)
    assert ("never_filed", "天中之窗") not in open_rules()
    assert ("filing_overdue", "天中之窗") in open_rules()


def open_and_file(world, form_data, **overrides):
    filing = registry.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data | overrides,
    )
    filing = registry.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    return registry.filing_approve(
        no_scan_reason="纸质备案表另行报送",
        actor=world.alice,
        filing_id=filing.pk,
        version=filing.version,
    )


def test_filed_late_open_filing_becomes_informational(world, form_data):
    filing = registry.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data,
    )
    compliance_refresh(today=TODAY)
    assert open_rules() == {("filing_overdue", "天中发布")}
    filing = registry.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )
    filing = registry.filing_approve(
        no_scan_reason="纸质备案表另行报送",
        actor=world.alice,
        filing_id=filing.pk,
        version=filing.version,
    )
    compliance_refresh(account_ids=[filing.account_id], today=TODAY)
    assert open_rules() == {("filed_late", "天中发布")}


def test_command_prints_counts_per_rule(world, platforms):
    make_account(world.tian, platforms["微信公众号"], "天中发布")
    make_account(world.tian, platforms["微信公众号"], "天中之声", verified=False)
    out = io.StringIO()
    call_command("compliance_check", stdout=out)  # raises SystemExit on a non-zero exit
    lines = {line.split()[0]: line.split()[1] for line in out.getvalue().splitlines()[1:]}
    assert lines["duplicate_platform"] == "2" and lines["unverified"] == "1"
    assert lines["never_filed"] == "0" and lines["total"] == "3"
    assert "新发现 3 条" in out.getvalue()


def test_live_findings_follow_the_users_scope(world, form_data):
    open_and_file(world, form_data)  # filed late, with an account: read through its host org
    make_account(world.chen, form_data["platform"], "陈集发布", verified=False)
    compliance_refresh(today=TODAY)
    stored = set(ComplianceFinding.objects.open().values_list("key", flat=True))
    assert {f.key for f in selectors.live_findings(world.alice, today=TODAY)} == stored
    tian = {(f.rule, f.org_id) for f in selectors.live_findings(world.tian_unit_admin, today=TODAY)}
    assert tian == {("filed_late", world.tian.pk)}


def test_hook_queues_a_task_for_the_workers(
    world, platforms, settings, django_capture_on_commit_callbacks
):
    from django_q.models import OrmQ

    settings.Q_CLUSTER = {k: v for k, v in settings.Q_CLUSTER.items() if k != "sync"}
    account = make_account(world.tian, platforms["微信公众号"], "天中发布", verified=False)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        refresh_after_commit(account_ids=[account.pk, account.pk])
    assert OrmQ.objects.count() == 1 and not ComplianceFinding.objects.exists()
    task = OrmQ.objects.get().task
    assert task["func"] == "govmedia.compliance.tasks.refresh"
    assert task["kwargs"] == {"account_ids": [account.pk]}


def test_filing_hook_covers_an_open_filing_without_account(
    world, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        registry.filing_create(
            actor=world.tian_unit_admin,
            kind=FilingKind.OPEN,
            org=world.tian,
            event_date=date(2026, 3, 2),
            data=form_data,
        )  # publishes ACCOUNTS_CHANGED with the filing's unit
    assert open_rules() == {("filing_overdue", "天中发布")}
