"""The pure rules, each with its near miss, on hand-made rows (no database)."""

from dataclasses import replace
from datetime import date

from govmedia.compliance import rules
from govmedia.compliance.rules import AccountRow, FilingRow, OrgRow, Snapshot
from govmedia.workdays.engine import WorkdayCalendar

TODAY = date(2026, 11, 25)
TOWN = OrgRow(1, "天中街道", "township", "镇/街道", "active", "正常")
OFFICE = OrgRow(2, "天中街道党政办公室", "internal", "内设机构", "active", "正常")
WECHAT, WEIBO = 10, 11


def account(id=100, org=TOWN, platform=WECHAT, **extra) -> AccountRow:
    fields = dict(
        id=id,
        name=f"账号{id}",
        platform_id=platform,
        platform_name={WECHAT: "微信公众号", WEIBO: "微博"}[platform],
        host_org_id=org.id,
        status="running",
        filing_no=f"定陶新媒备〔2026〕第{id}号",
        verified=True,
        registered_on=date(2026, 3, 2),
        created_on=date(2026, 3, 2),
    )
    return AccountRow(**(fields | extra))


def filing(id=500, account_id=100, **extra) -> FilingRow:
    fields = dict(
        id=id,
        account_id=account_id,
        org_id=TOWN.id,
        kind="change",
        state="draft",
        name="天中发布",
        due_on=date(2026, 11, 20),
    )
    return FilingRow(**(fields | extra))


def snap(accounts=(), filings=(), orgs=(TOWN, OFFICE), exceptions=(), today=TODAY) -> Snapshot:
    return Snapshot(
        today=today,
        calendar=WorkdayCalendar(),
        accounts=list(accounts),
        orgs={o.id: o for o in orgs},
        filings=list(filings),
        exceptions=frozenset(exceptions),
    )


def found(snapshot, code) -> list[rules.Finding]:
    return [f for f in rules.evaluate(snapshot) if f.rule == code]


def test_choice_values_match_the_models():
    from govmedia.orgs.models import OrgStatus, OrgType
    from govmedia.registry.models import AccountStatus, FilingKind, FilingState

    assert rules.CANCELLED == AccountStatus.CANCELLED and rules.RUNNING == AccountStatus.RUNNING
    assert rules.FILED == FilingState.FILED
    assert {OrgStatus.ABOLISHED, OrgStatus.MERGED} == rules.ORG_GONE
    assert {OrgType.INTERNAL, OrgType.SUBORDINATE, OrgType.DIRECT} == rules.SUB_UNIT_TYPES
    assert {k.value: k.label for k in FilingKind} == rules.KIND_LABELS


def test_every_rule_cites_its_basis_and_a_remedy():
    for code, rule in rules.RULES.items():
        assert rule.code == code and rule.title and rule.remedy
        assert rule.basis.startswith("通知")


def test_two_wechat_accounts_of_one_org_are_a_duplicate():
    s = snap([account(100), account(101, registered_on=date(2026, 4, 1))])
    findings = found(s, rules.DUPLICATE_PLATFORM)
    assert {f.account_id for f in findings} == {100, 101}
    assert findings[0].since == date(2026, 4, 1)  # when the second was opened
    assert "天中街道在微信公众号上有 2 个政务新媒体" in findings[0].message


def test_one_wechat_and_one_weibo_are_fine():
    assert not found(snap([account(100), account(101, platform=WEIBO)]), rules.DUPLICATE_PLATFORM)


def test_duplicate_ignores_cancelled_accounts_and_other_orgs():
    other = OrgRow(3, "陈集镇", "township", "镇/街道", "active", "正常")
    s = snap(
        [account(100), account(101, status="cancelled"), account(102, org=other)],
        orgs=(TOWN, OFFICE, other),
    )
    assert not found(s, rules.DUPLICATE_PLATFORM)


def test_an_excepted_account_does_not_count_as_a_duplicate():
    accounts = [account(100), account(101), account(102)]
    s = snap(accounts, exceptions={(101, rules.DUPLICATE_PLATFORM)})
    assert {f.account_id for f in found(s, rules.DUPLICATE_PLATFORM)} == {100, 102}
    s = snap(accounts[:2], exceptions={(101, rules.DUPLICATE_PLATFORM)})
    assert not found(s, rules.DUPLICATE_PLATFORM)


def test_a_sub_unit_host_needs_an_exception():
    s = snap([account(100, org=OFFICE)])
    [finding] = found(s, rules.SUB_UNIT_HOST)
    assert finding.org_id == OFFICE.id and "内设机构" in finding.message
    assert not found(
        snap([account(100, org=OFFICE)], exceptions={(100, rules.SUB_UNIT_HOST)}),
        rules.SUB_UNIT_HOST,
    )
    assert not found(snap([account(100)]), rules.SUB_UNIT_HOST)


def test_account_of_an_abolished_org_must_be_cancelled():
    gone = replace(
        TOWN, status="abolished", status_label="已撤销", status_changed_on=date(2026, 6, 1)
    )
    [finding] = found(snap([account(100)], orgs=(gone,)), rules.ABOLISHED_HOST)
    assert finding.since == date(2026, 6, 1)
    assert finding.message == "主办单位“天中街道”于 2026-06-01 已撤销，“账号100”尚未注销或转移"
    assert not found(snap([account(100, status="cancelled")], orgs=(gone,)), rules.ABOLISHED_HOST)
    merged = replace(TOWN, status="merged", status_label="已整合")
    assert found(snap([account(100, status="suspended")], orgs=(merged,)), rules.ABOLISHED_HOST)


def test_unverified_running_account():
    [finding] = found(snap([account(100, verified=False)]), rules.UNVERIFIED)
    assert "官方认证" in finding.message
    assert not found(snap([account(100, verified=True)]), rules.UNVERIFIED)
    assert not found(snap([account(100, verified=False, status="suspended")]), rules.UNVERIFIED)


def test_account_with_no_filing_at_all():
    row = account(100, filing_no=None, registered_on=date(2026, 11, 2))
    [finding] = found(snap([row]), rules.NEVER_FILED)
    assert "应于 2026-11-11 前备案，已逾期 14 天" in finding.message
    # Within its deadline it is still reported (nothing was filed), without "逾期".
    recent = replace(row, registered_on=date(2026, 11, 24))
    [finding] = found(snap([recent]), rules.NEVER_FILED)
    assert "逾期" not in finding.message
    # A filing in progress, or a filing number, means it is not "never filed".
    assert not found(
        snap([row], [filing(kind="open", due_on=date(2026, 12, 1))]), rules.NEVER_FILED
    )
    assert not found(snap([account(100)]), rules.NEVER_FILED)


def test_open_filing_overdue_vs_within_deadline():
    row = account(100)
    late = filing(due_on=date(2026, 11, 24))
    [finding] = found(snap([row], [late]), rules.FILING_OVERDUE)
    assert finding.filing_id == late.id and finding.since == date(2026, 11, 25)
    assert "至今未提交" in finding.message
    assert not found(snap([row], [replace(late, due_on=TODAY)]), rules.FILING_OVERDUE)
    # Submitted by the deadline, then returned: the unit acted in time.
    returned = replace(late, state="returned", submitted_on=date(2026, 11, 23))
    assert not found(snap([row], [returned]), rules.FILING_OVERDUE)
    submitted_late = replace(late, state="submitted", submitted_on=date(2026, 11, 25))
    assert found(snap([row], [submitted_late]), rules.FILING_OVERDUE)


def test_deadline_across_a_holiday():
    # Opened Monday 2026-09-28: 7 working days skip the National Day holiday → 2026-10-13.
    row = account(100, filing_no=None, registered_on=date(2026, 9, 28))
    draft = filing(kind="open", due_on=date(2026, 12, 31))
    assert not found(snap([row], [draft], today=date(2026, 10, 13)), rules.FILING_OVERDUE)
    [finding] = found(snap([row], [draft], today=date(2026, 10, 14)), rules.FILING_OVERDUE)
    assert "应于 2026-10-13 前提交" in finding.message  # the account's deadline, not the form's


def test_open_filing_without_an_account_yet():
    draft = filing(account_id=None, kind="open", due_on=date(2026, 11, 1))
    [finding] = found(snap([], [draft]), rules.FILING_OVERDUE)
    assert finding.account_id is None and finding.key == f"filing_overdue::{draft.id}"


def test_filed_late_is_informational_and_only_recent():
    row = account(100)
    filed = filing(
        state="filed",
        due_on=date(2026, 10, 9),
        submitted_on=date(2026, 10, 12),
        filed_on=date(2026, 10, 13),
    )
    [finding] = found(snap([row], [filed]), rules.FILED_LATE)
    assert rules.RULES[finding.rule].severity == rules.Severity.INFO
    assert not found(
        snap([row], [replace(filed, submitted_on=date(2026, 10, 9))]), rules.FILED_LATE
    )
    assert not found(snap([row], [filed], today=date(2027, 11, 1)), rules.FILED_LATE)
    assert not found(snap([row], [filed]), rules.FILING_OVERDUE)


def test_exceptions_only_suppress_exceptable_rules():
    gone = replace(TOWN, status="abolished", status_label="已撤销")
    s = snap([account(100)], orgs=(gone,), exceptions={(100, rules.ABOLISHED_HOST)})
    assert found(s, rules.ABOLISHED_HOST)
