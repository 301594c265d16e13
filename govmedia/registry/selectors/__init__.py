"""Reads of the registry pages: accounts and filings (filings.py) and the statistics (stats.py)."""

from .filings import (
    FILING_EVENT_LABELS,
    DeadlineInfo,
    DiffRow,
    account_counts,
    change_rows,
    deadline_info,
    deadline_infos,
    filing_counts,
    filing_history,
    kinds_for_account,
    may_file_for,
    open_filing,
)

__all__ = [
    "FILING_EVENT_LABELS",
    "DeadlineInfo",
    "DiffRow",
    "account_counts",
    "change_rows",
    "deadline_info",
    "deadline_infos",
    "filing_counts",
    "filing_history",
    "kinds_for_account",
    "may_file_for",
    "open_filing",
]
