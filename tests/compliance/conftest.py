from datetime import date

import pytest

from govmedia.registry.models import MediaAccount
from tests.registry.conftest import form_data, platforms  # noqa: F401 - fixtures shared with registry tests


@pytest.fixture(autouse=True)
def _refresh_inline(settings):
    """Run the after-commit refresh in the test's process instead of queueing it."""
    settings.Q_CLUSTER = settings.Q_CLUSTER | {"sync": True}


def make_account(org, platform, name, *, handle=None, **extra) -> MediaAccount:
    """A registered account written directly (as the import does): filed and verified unless told."""
    fields = {
        "host_org": org,
        "platform": platform,
        "name": name,
        "handle": handle or name,
        "registrant": org.name,
        "positioning": "政务信息发布",
        "verified": True,
        "registered_on": date(2026, 3, 2),
        "filing_no": f"测试备〔2026〕{name}",
    }
    return MediaAccount.objects.create(**(fields | extra))
