"""What resolves a finding, as links on its page: the filing to finish, the filing to start
(补办备案, 注销, 变更) or the exception to grant. Only the actions the user may take are offered;
a unit that may not grant an exception is told whom to ask (申请例外)."""

from dataclasses import dataclass

from django.urls import reverse

from govmedia.registry.models import FilingKind, FilingState
from govmedia.registry.selectors.filings import kinds_for_account, may_file_for, open_filing

from . import rules


@dataclass(frozen=True)
class Remedy:
    label: str
    url: str
    primary: bool = False


# The filing that resolves each rule about an account, in the order offered.
FILINGS_FOR_RULE = {
    rules.NEVER_FILED: [(FilingKind.OPEN, "补办开设备案")],
    rules.DUPLICATE_PLATFORM: [(FilingKind.CANCEL, "清理整合：办理注销备案")],
    rules.SUB_UNIT_HOST: [(FilingKind.CANCEL, "并入上级单位账号：办理注销备案")],
    rules.ABOLISHED_HOST: [
        (FilingKind.CANCEL, "不再使用：办理注销备案"),
        (FilingKind.CHANGE, "继续使用：办理变更备案"),
    ],
    rules.UNVERIFIED: [(FilingKind.CHANGE, "认证后办理变更备案")],
}
EXCEPTION_REQUEST = (
    "确因特殊工作需要保留的，请向区政府办公室申请例外并说明理由，由平台管理员在本页批准。"
)


def remedies(user, finding) -> list[Remedy]:
    filing = finding.filing
    if filing is not None and filing.state != FilingState.FILED:
        return [Remedy("办理该备案", _filing_url(filing), primary=True)]
    account = finding.account
    if account is None or finding.resolved_at is not None:
        return []
    if (pending := open_filing(account)) is not None:
        return [Remedy("继续办理未办结的备案", _filing_url(pending), primary=True)]
    if not may_file_for(user, account.host_org):
        return []
    allowed = set(kinds_for_account(account))
    offered = [
        Remedy(label, f"{reverse('registry:account_file', args=[account.pk])}?kind={kind.value}")
        for kind, label in FILINGS_FOR_RULE.get(finding.rule, [])
        if kind in allowed
    ]
    if offered:
        offered[0] = Remedy(offered[0].label, offered[0].url, primary=True)
    return offered


def exception_request_note(user, finding, can_grant: bool) -> str:
    """For a unit facing an exceptable finding: how to ask for the exception it cannot grant."""
    rule = finding.rule_def
    if can_grant or rule is None or not rule.exceptable or finding.resolved_at is not None:
        return ""
    if finding.account is None or not may_file_for(user, finding.account.host_org):
        return ""
    return EXCEPTION_REQUEST


def _filing_url(filing) -> str:
    return reverse("registry:filing_detail", args=[filing.pk])
