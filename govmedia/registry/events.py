"""What the registry tells the apps that keep data derived from accounts and filings."""

from govmedia.core.events import Event

# Accounts were created or changed, or a filing moved on: `account_ids` are the accounts
# concerned, `org_ids` the units whose filing deadlines changed (a 开设 filing has no account
# until it is filed).
ACCOUNTS_CHANGED = Event("registry.accounts_changed", carries=("account_ids", "org_ids"))
