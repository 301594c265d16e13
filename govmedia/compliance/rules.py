"""合规检查规则: the pure core, no Django import.

Each rule reads a `Snapshot` of plain rows (prepared by `selectors.py` in a fixed number of
queries) and yields `Finding`s. Nothing here touches the database, so every rule, and every
near miss, is tested with hand-made rows.

What "active" means: an account that is not 已注销 (cancelled). A 已关停 (suspended) account still
holds its name and its place on the platform, so it counts for 集约化 and for its host; only
the verification rule asks for a running account, since a suspended one publishes nothing.

The filing rules (附件备注 1、2; 通知第二部分（一）) split one question three ways, so an account
is never reported twice for the same missing form:
- never_filed: a live account with no filing number and no filing of any kind, whatever its
  date (the notice asks every account already opened to be filed). The message says whether its
  own deadline, registered_on (or, unknown, the day it entered the registry) + 7 working days,
  has passed.
- filing_overdue: a filing not yet 已备案 whose deadline has passed and which was not submitted
  by then. The deadline is the filing's due_on; for an account that never had a filing number it
  is the earlier of that and the account's own deadline above, since a unit cannot move its
  deadline by starting the form late. A form submitted in time and then 退回 is not overdue: the
  unit acted in time. A filing 开设 before the account exists (account_id None) is reported too,
  against the filing.
- filed_late (逾期备案, informational): a filing 已备案 in the last LATE_WINDOW_DAYS days that
  was submitted after its due_on. It is a record for the yearly assessment, not a task, so it
  drops off after the window.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Protocol

# Choice values of the registry and the org tree, spelled out so this module imports no model;
# tests/compliance/test_rules.py checks that they match the models' choices.
CANCELLED = "cancelled"
RUNNING = "running"
FILED = "filed"
ORG_GONE = frozenset({"abolished", "merged"})
SUB_UNIT_TYPES = frozenset({"internal", "subordinate", "direct"})
KIND_LABELS = {"open": "开设", "change": "变更", "suspend": "关停", "cancel": "注销"}

OPEN_DEADLINE_WORKDAYS = 7  # 附件备注 1
LATE_WINDOW_DAYS = 365


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    INFO = "info"


SEVERITY_LABELS = {Severity.HIGH: "严重", Severity.MEDIUM: "一般", Severity.INFO: "提示"}


class Calendar(Protocol):
    """The working-day calendar (govmedia.workdays.engine.WorkdayCalendar)."""

    def add_workdays(self, start: date, n: int): ...


@dataclass(frozen=True)
class OrgRow:
    id: int
    name: str
    org_type: str
    type_label: str
    status: str
    status_label: str
    status_changed_on: date | None = None


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    platform_id: int
    platform_name: str
    host_org_id: int
    status: str
    filing_no: str | None
    verified: bool
    registered_on: date | None
    created_on: date

    @property
    def opened_on(self) -> date:
        return self.registered_on or self.created_on

    @property
    def live(self) -> bool:
        return self.status != CANCELLED


@dataclass(frozen=True)
class FilingRow:
    id: int
    account_id: int | None
    org_id: int
    kind: str
    state: str
    name: str
    due_on: date
    submitted_on: date | None = None
    filed_on: date | None = None

    def submitted_by(self, day: date) -> bool:
        return self.submitted_on is not None and self.submitted_on <= day

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class AccountCount:
    """How many of something an account has, and since when (the earliest one's day)."""

    count: int
    since: date | None = None


@dataclass
class Snapshot:
    """Everything the rules read, for one set of organizations."""

    today: date
    calendar: Calendar
    accounts: list[AccountRow]
    orgs: Mapping[int, OrgRow]
    # The filings of these accounts (open ones, and those filed within the late window) and the
    # open 开设 filings of these orgs that have no account yet.
    filings: list[FilingRow] = field(default_factory=list)
    # (account_id, rule code) pairs with a live, approved exception.
    exceptions: frozenset[tuple[int, str]] = frozenset()
    # Per rule code, per account: counts a higher app contributes (selectors.register_counts),
    # e.g. the 未经审核发布 posts that publishing finds.
    counts: Mapping[str, Mapping[int, AccountCount]] = field(default_factory=dict)

    @cached_property
    def accounts_by_id(self) -> dict[int, AccountRow]:
        return {a.id: a for a in self.accounts}

    @cached_property
    def filed_account_ids(self) -> set[int]:
        """Accounts with at least one filing of any state."""
        return {f.account_id for f in self.filings if f.account_id is not None}

    def account_deadline(self, account: AccountRow) -> date | None:
        """registered_on (or the day it entered the registry) + 7 working days."""
        try:
            return self.calendar.add_workdays(account.opened_on, OPEN_DEADLINE_WORKDAYS).date
        except (TypeError, ValueError):  # a date the calendar cannot count from
            return None

    def org_name(self, org_id: int) -> str:
        org = self.orgs.get(org_id)
        return org.name if org else f"单位#{org_id}"


@dataclass(frozen=True)
class Finding:
    rule: str
    org_id: int
    message: str
    since: date | None
    account_id: int | None = None
    filing_id: int | None = None

    @property
    def key(self) -> str:
        """What makes two findings the same one, across refreshes."""
        return f"{self.rule}:{self.account_id or ''}:{self.filing_id or ''}"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    basis: str
    severity: Severity
    remedy: str
    check: Callable[[Snapshot], Iterable[Finding]]
    # Whether a platform administrator may approve an exception for one account.
    exceptable: bool = False

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


def _overdue_days(deadline: date, today: date) -> int:
    return (today - deadline).days


# --- the rules ------------------------------------------------------------------------------


def check_duplicate_platform(snapshot: Snapshot) -> Iterable[Finding]:
    """集约化: one organization, one account per platform. An excepted account is allowed on top
    and does not count, so the other one is then alone and fine."""
    groups: dict[tuple[int, int], list[AccountRow]] = defaultdict(list)
    for account in snapshot.accounts:
        if account.live and (account.id, DUPLICATE_PLATFORM) not in snapshot.exceptions:
            groups[(account.host_org_id, account.platform_id)].append(account)
    for (org_id, _), group in groups.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda a: (a.opened_on, a.id))
        names = "、".join(f"“{a.name}”" for a in group)
        message = (
            f"{snapshot.org_name(org_id)}在{group[0].platform_name}上有 {len(group)} 个政务新媒体："
            f"{names}"
        )
        since = group[1].opened_on  # the day the second one was opened
        for account in group:
            yield Finding(DUPLICATE_PLATFORM, org_id, message, since, account_id=account.id)


def check_sub_unit_host(snapshot: Snapshot) -> Iterable[Finding]:
    for account in snapshot.accounts:
        org = snapshot.orgs.get(account.host_org_id)
        if account.live and org is not None and org.org_type in SUB_UNIT_TYPES:
            yield Finding(
                SUB_UNIT_HOST,
                org.id,
                f"主办单位“{org.name}”为{org.type_label}，未经批准单独开设政务新媒体“{account.name}”",
                account.opened_on,
                account_id=account.id,
            )


def check_abolished_host(snapshot: Snapshot) -> Iterable[Finding]:
    for account in snapshot.accounts:
        org = snapshot.orgs.get(account.host_org_id)
        if account.live and org is not None and org.status in ORG_GONE:
            when = f"于 {org.status_changed_on.isoformat()} " if org.status_changed_on else ""
            yield Finding(
                ABOLISHED_HOST,
                org.id,
                f"主办单位“{org.name}”{when}{org.status_label}，“{account.name}”尚未注销或转移",
                org.status_changed_on,
                account_id=account.id,
            )


def check_never_filed(snapshot: Snapshot) -> Iterable[Finding]:
    for account in snapshot.accounts:
        if not account.live or account.filing_no or account.id in snapshot.filed_account_ids:
            continue
        deadline = snapshot.account_deadline(account)
        if deadline is None:
            status = ""
        elif snapshot.today > deadline:
            status = f"，应于 {deadline.isoformat()} 前备案，已逾期 {_overdue_days(deadline, snapshot.today)} 天"
        else:
            status = f"，应于 {deadline.isoformat()} 前备案"
        yield Finding(
            NEVER_FILED,
            account.host_org_id,
            f"“{account.name}”（{account.platform_name}）没有任何备案记录{status}",
            account.created_on,
            account_id=account.id,
        )


def _filing_deadline(snapshot: Snapshot, filing: FilingRow) -> date:
    account = snapshot.accounts_by_id.get(filing.account_id) if filing.account_id else None
    if account is not None and not account.filing_no:
        own = snapshot.account_deadline(account)
        if own is not None and own < filing.due_on:
            return own
    return filing.due_on


def check_filing_overdue(snapshot: Snapshot) -> Iterable[Finding]:
    for filing in snapshot.filings:
        if filing.state == FILED:
            continue
        account = snapshot.accounts_by_id.get(filing.account_id) if filing.account_id else None
        if account is not None and not account.live:
            continue
        deadline = _filing_deadline(snapshot, filing)
        if snapshot.today <= deadline or filing.submitted_by(deadline):
            continue
        submitted = (
            f"{filing.submitted_on.isoformat()} 才提交" if filing.submitted_on else "至今未提交"
        )
        yield Finding(
            FILING_OVERDUE,
            filing.org_id,
            f"{filing.kind_label}备案“{filing.name}”应于 {deadline.isoformat()} 前提交，{submitted}"
            f"（已逾期 {_overdue_days(deadline, snapshot.today)} 天）",
            deadline + timedelta(days=1),
            account_id=filing.account_id,
            filing_id=filing.id,
        )


def check_filed_late(snapshot: Snapshot) -> Iterable[Finding]:
    window_start = snapshot.today - timedelta(days=LATE_WINDOW_DAYS)
    for filing in snapshot.filings:
        if filing.state != FILED or filing.filed_on is None or filing.filed_on < window_start:
            continue
        if filing.submitted_on is None or filing.submitted_on <= filing.due_on:
            continue
        yield Finding(
            FILED_LATE,
            filing.org_id,
            f"{filing.kind_label}备案“{filing.name}”于 {filing.submitted_on.isoformat()} 提交，"
            f"晚于备案期限 {filing.due_on.isoformat()}",
            filing.filed_on,
            account_id=filing.account_id,
            filing_id=filing.id,
        )


def check_unverified(snapshot: Snapshot) -> Iterable[Finding]:
    for account in snapshot.accounts:
        if account.status == RUNNING and not account.verified:
            yield Finding(
                UNVERIFIED,
                account.host_org_id,
                f"“{account.name}”未在{account.platform_name}完成官方认证",
                account.opened_on,
                account_id=account.id,
            )


def check_unapproved_posts(snapshot: Snapshot) -> Iterable[Finding]:
    """未经审核发布: posts the account published that match no approved revision (counted by
    the publishing app, which compliance cannot import; see selectors.register_counts)."""
    counted = snapshot.counts.get(UNAPPROVED_POSTS, {})
    for account in snapshot.accounts:
        found = counted.get(account.id)
        if found is None or found.count <= 0:
            continue
        since = f"，最早一条发布于 {found.since.isoformat()}" if found.since else ""
        yield Finding(
            UNAPPROVED_POSTS,
            account.host_org_id,
            f"“{account.name}”（{account.platform_name}）有 {found.count} 条已发布内容"
            f"未经审核（与审核通过的稿件不一致）{since}",
            found.since,
            account_id=account.id,
        )


DUPLICATE_PLATFORM = "duplicate_platform"
SUB_UNIT_HOST = "sub_unit_host"
ABOLISHED_HOST = "abolished_host"
NEVER_FILED = "never_filed"
FILING_OVERDUE = "filing_overdue"
FILED_LATE = "filed_late"
UNVERIFIED = "unverified"
UNAPPROVED_POSTS = "unapproved_posts"

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            DUPLICATE_PLATFORM,
            "同一平台开设多个账号",
            "通知第二部分（一）",
            Severity.MEDIUM,
            "一个单位原则上在同一平台只开设一个政务新媒体账号：整合清理多余账号并办理注销备案；"
            "确因工作需要保留的，报区政府办公室批准例外并说明理由。",
            check_duplicate_platform,
            exceptable=True,
        ),
        Rule(
            SUB_UNIT_HOST,
            "内设机构、下属单位单独开设",
            "通知第二部分（一）",
            Severity.MEDIUM,
            "内设机构、下属单位、直属单位除特殊工作需要外原则上不单独开设：并入上级单位账号后注销，"
            "或由区政府办公室批准特殊工作需要。",
            check_sub_unit_host,
            exceptable=True,
        ),
        Rule(
            ABOLISHED_HOST,
            "主办单位已撤销或整合",
            "通知第二部分（一）",
            Severity.HIGH,
            "机构改革中被撤销、被整合的单位不再使用的账号要尽快注销；继续使用的，"
            "以变更备案转移至承接单位并更改名称、注册单位等信息。",
            check_abolished_host,
        ),
        Rule(
            NEVER_FILED,
            "未备案",
            "通知第二部分（一）及附件备注1",
            Severity.HIGH,
            "已开设的政务新媒体须向区政府办公室备案：办理开设备案（一案一号）。",
            check_never_filed,
        ),
        Rule(
            FILING_OVERDUE,
            "逾期未备案",
            "通知附件备注1、2",
            Severity.HIGH,
            "开设后7个工作日内、变更/关停/注销后5个工作日内备案：尽快完成并提交备案表。",
            check_filing_overdue,
        ),
        Rule(
            FILED_LATE,
            "逾期备案（已补办）",
            "通知附件备注1、2",
            Severity.INFO,
            "已补办备案，仅作记录；今后请在期限内备案。",
            check_filed_late,
        ),
        Rule(
            UNVERIFIED,
            "未官方认证",
            "通知附件《备案表》“官方认证”栏、第五部分（二）",
            Severity.MEDIUM,
            "向运行平台申请政务机构官方认证，认证后以变更备案更新“官方认证”。",
            check_unverified,
            exceptable=True,
        ),
        Rule(
            UNAPPROVED_POSTS,
            "未经审核发布",
            "通知第四部分（二）",
            Severity.HIGH,
            "严格执行“分级审核、先审后发、授权发布”：核实未经审核发布的内容，必要时删除或更正，"
            "并补办审核；确属误判的，由区政府办公室在“未经审核发布”页面排除并说明理由。",
            check_unapproved_posts,
        ),
    )
}


def evaluate(snapshot: Snapshot, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """Every finding of the snapshot; an approved exception suppresses its rule for its account."""
    findings = []
    for rule in rules or RULES.values():
        for finding in rule.check(snapshot):
            if rule.exceptable and (finding.account_id, rule.code) in snapshot.exceptions:
                continue
            findings.append(finding)
    return findings
