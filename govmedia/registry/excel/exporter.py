"""Exports of the registry and of the filings, as the user may see them.

The caller passes a queryset already restricted to the user (and filtered as on the list page);
personal mobiles are masked (registry.masking) for users outside the host unit. The registry
export uses the import template's sheet name and column labels, so a unit can export, correct
and compare.
"""

from datetime import date, datetime

from django.utils import timezone

from govmedia.core.spreadsheets import time_text
from govmedia.orgs.models import Organization
from govmedia.registry.display import display_value
from govmedia.registry.filters import PENDING_STATES
from govmedia.registry.form_rules import LABELS
from govmedia.registry.masking import MASKED_FIELDS, sees_full_phones
from govmedia.registry.models import (
    FORM_FIELDS,
    AccountStatus,
    FilingKind,
    FilingState,
    OperatorKind,
)

from . import columns

ACCOUNT_HEADERS = [
    columns.FILING_NO,
    columns.HOST_ORG,
    *[LABELS[f] for f in FORM_FIELDS],
    columns.STATUS,
    "状态变更日期",
]
FILING_HEADERS = [
    "编号",
    "备案类型",
    "状态",
    "备案单位",
    "开设/变更/关停/注销日期",
    "备案期限",
    "是否逾期",
    columns.FILING_NO,
    "提交时间",
    "备案时间",
    "退回理由",
    "变更事项说明",
    *[LABELS[f] for f in FORM_FIELDS],
]


def _when(value: datetime | None) -> str:
    return time_text(value)


# The form's fields as values() reads them: the platform by its name (display_value shows a
# platform by name, and a name as itself), so no model instance is built per row.
FORM_COLUMNS = ["platform__name" if f == "platform" else f for f in FORM_FIELDS]
OPERATOR_KINDS = dict(OperatorKind.choices)


def _shown(field: str, full: bool):
    """The function that gives a cell of `field` as display_value gives it (with mobiles in full
    or masked), chosen once per column: text that display_value would return as it is (all but
    the masked mobiles) and the choices' labels skip its checks, the rest goes through it."""
    if field == "verified":  # 已认证/未认证 whatever is stored, as the template reads it back
        return lambda value: columns.VERIFIED_LABELS[bool(value)]
    if field == "operator_kind":
        return lambda value: (
            OPERATOR_KINDS.get(value, value)
            if value.__class__ is str and value
            else display_value(field, value, full_phones=full)
        )
    if full or field not in MASKED_FIELDS:
        return lambda value: (
            value if value.__class__ is str else display_value(field, value, full_phones=full)
        )
    return lambda value: display_value(field, value, full_phones=False)


# {whether mobiles are shown in full: [(values() column, its cell function)] in FORM_FIELDS order}
SHOWN = {
    full: [(column, _shown(f, full)) for f, column in zip(FORM_FIELDS, FORM_COLUMNS, strict=True)]
    for full in (True, False)
}


def _form_cells(row: dict, full: bool) -> list:
    return [shown(row[column]) for column, shown in SHOWN[full]]


class _FullPhones:
    """Whether the user sees a unit's full mobiles (masking.sees_full_phones), decided once
    per unit rather than once per row."""

    def __init__(self, user):
        self.user, self._orgs, self._seen = user, None, {}

    def __call__(self, org_id: int) -> bool:
        if org_id not in self._seen:
            if self._orgs is None:
                self._orgs = Organization.objects.in_bulk()
            self._seen[org_id] = sees_full_phones(self.user, self._orgs.get(org_id))
        return self._seen[org_id]


def account_rows(user, accounts):
    """Rows of the registry export for an already restricted MediaAccount queryset, read as
    values (a 10,000-row export is a background job's few seconds, not model instances)."""
    accounts = accounts.order_by("host_org__path", "platform__sort_order", "name", "pk").values(
        "filing_no", "host_org_id", "host_org__name", "status", "status_changed_on", *FORM_COLUMNS
    )
    full, statuses = _FullPhones(user), dict(AccountStatus.choices)
    for account in accounts.iterator(chunk_size=2000):
        yield [
            account["filing_no"] or "",
            account["host_org__name"],
            *_form_cells(account, full(account["host_org_id"])),
            statuses.get(account["status"], account["status"]),
            account["status_changed_on"] or "",
        ]


def filing_rows(user, filings, today: date | None = None):
    """Rows of the filings export for an already restricted Filing queryset."""
    today = today or timezone.localdate()
    filings = filings.order_by("-pk").values(
        "pk",
        "kind",
        "state",
        "org_id",
        "org__name",
        "event_date",
        "due_on",
        "filing_no",
        "submitted_at",
        "filed_at",
        "returned_reason",
        "change_summary",
        *FORM_COLUMNS,
    )
    full, kinds, states = _FullPhones(user), dict(FilingKind.choices), dict(FilingState.choices)
    for filing in filings.iterator(chunk_size=2000):
        overdue = filing["state"] in PENDING_STATES and filing["due_on"] < today
        yield [
            filing["pk"],
            kinds.get(filing["kind"], filing["kind"]),
            states.get(filing["state"], filing["state"]),
            filing["org__name"],
            filing["event_date"],
            filing["due_on"],
            "是" if overdue else "",
            filing["filing_no"],
            _when(filing["submitted_at"]),
            _when(filing["filed_at"]),
            filing["returned_reason"],
            filing["change_summary"],
            *_form_cells(filing, full(filing["org_id"])),
        ]
