"""Writes of the registry: filings (filings.py), the managed list of 运行平台 (platforms.py) and the
Excel import of existing accounts (account_import.py). The filing services are the package's
everyday API, so they are importable from it directly (`services.filing_submit`)."""

from .co_signers import co_signer_set
from .filings import (
    ACCOUNT_AUDITED,
    AUDITED,
    FieldChange,
    account_values,
    change_diff,
    filing_act,
    filing_approve,
    filing_attach_scan,
    filing_create,
    filing_return,
    filing_submit,
    filing_supervisor_approve,
    filing_update,
)
from .government_site import account_set_government_site

__all__ = [
    "ACCOUNT_AUDITED",
    "AUDITED",
    "FieldChange",
    "account_set_government_site",
    "account_values",
    "change_diff",
    "co_signer_set",
    "filing_act",
    "filing_approve",
    "filing_attach_scan",
    "filing_create",
    "filing_return",
    "filing_submit",
    "filing_supervisor_approve",
    "filing_update",
]
