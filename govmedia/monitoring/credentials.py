"""How a pull acts for an account: its handle and its decrypted platform credentials.

Read in the main thread before the HTTP work starts, so the pull threads touch no database.
"""

from govmedia.credentials.services import credentials_for
from govmedia.platforms.base import AccountRef


def account_ref(account) -> AccountRef:
    return AccountRef(handle=account.handle, credentials=credentials_for(account))
