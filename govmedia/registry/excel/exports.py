"""The registry's list exports registered with core.exports (immediate when small, a background
job with progress otherwise), with the list pages' own filters."""

from govmedia.core.exports import ExportSpec, export_register
from govmedia.core.scope import may

from ..filters import ACCOUNT_FILTERS
from ..models import MediaAccount
from . import columns, exporter


def _accounts(user, query):
    if not may(user, "registry.view"):
        return MediaAccount.objects.none()
    return ACCOUNT_FILTERS.apply(MediaAccount.objects.restrict(user), query)


def register() -> None:
    export_register(
        ExportSpec(
            name="accounts",
            title="政务新媒体名录",
            sheet=columns.SHEET_NAME,
            headers=exporter.ACCOUNT_HEADERS,
            queryset=_accounts,
            rows=exporter.account_rows,
        )
    )
