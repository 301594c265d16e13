"""Exports of the registry and of the filings, as the user may see them.

The caller passes a queryset already restricted to the user (and filtered as on the list page);
personal mobiles are masked (registry.masking) for users outside the host unit. The registry
export uses the import template's sheet name and column labels, so a unit can export, correct
and compare.
"""

from datetime import date, datetime

from django.utils import timezone

from govmedia.core.spreadsheets import time_text
from govmedia.registry.display import display_value
from govmedia.registry.filters import PENDING_STATES
from govmedia.registry.form_rules import LABELS
from govmedia.registry.masking import sees_full_phones
from govmedia.registry.models import FORM_FIELDS

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


def _form_cells(user, obj, org) -> list:
    full = sees_full_phones(user, org)
    cells = [display_value(f, getattr(obj, f), full_phones=full) for f in FORM_FIELDS]
    cells[FORM_FIELDS.index("verified")] = columns.VERIFIED_LABELS[bool(obj.verified)]
    return cells


def account_rows(user, accounts):
    """Rows of the registry export for an already restricted MediaAccount queryset."""
    accounts = accounts.select_related("host_org", "platform").order_by(
        "host_org__path", "platform__sort_order", "name", "pk"
    )
    for account in accounts.iterator(chunk_size=1000):
        yield [
            account.filing_no or "",
            account.host_org.name,
            *_form_cells(user, account, account.host_org),
            account.get_status_display(),
            account.status_changed_on or "",
        ]


def filing_rows(user, filings, today: date | None = None):
    """Rows of the filings export for an already restricted Filing queryset."""
    today = today or timezone.localdate()
    filings = filings.select_related("org", "platform").order_by("-pk")
    for filing in filings.iterator(chunk_size=1000):
        overdue = filing.state in PENDING_STATES and filing.due_on < today
        yield [
            filing.pk,
            filing.get_kind_display(),
            filing.get_state_display(),
            filing.org.name,
            filing.event_date,
            filing.due_on,
            "是" if overdue else "",
            filing.filing_no,
            _when(filing.submitted_at),
            _when(filing.filed_at),
            filing.returned_reason,
            filing.change_summary,
            *_form_cells(user, filing, filing.org),
        ]
