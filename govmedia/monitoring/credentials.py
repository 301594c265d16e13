"""How a pull acts for an account: its handle and its decrypted platform credentials.

Read in the main thread before the HTTP work starts, so the pull threads touch no database. A
pull worker reads the credentials of its whole claimed batch in one query (``rows``): one query
per account capped a worker's rate.
"""

from govmedia.credentials.services import credential_rows_for, unsealed_credentials
from govmedia.platforms.base import AccountRef


def credential_rows(account_ids) -> dict:
    """The sealed credential rows of a batch of accounts, by account id."""
    return credential_rows_for(account_ids)


def account_ref(account, rows: dict | None = None) -> AccountRef:
    """The account's handle and credentials; from ``rows`` (credential_rows of its batch) when
    given, else read for this account alone."""
    if rows is None:
        rows = credential_rows_for([account.pk])
    return AccountRef(handle=account.handle, credentials=unsealed_credentials(rows.get(account.pk)))
