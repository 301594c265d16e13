"""Two reviewers approve the same filing at the same moment: it is applied once.

Real threads, each with its own database connection, started together (tests.concurrency). On
PostgreSQL the row lock (SELECT … FOR UPDATE) makes the second wait and then see 已备案; on
SQLite the IMMEDIATE transaction serializes them the same way.
"""

from datetime import date
from functools import partial

import pytest

from govmedia.registry import services
from govmedia.registry.models import Filing, FilingKind, FilingNumberCounter, MediaAccount
from tests.concurrency import codes, race
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_approval_applies_once(world, form_data):
    second_admin = make_user("bob", world.district, "platform_admin")
    filing = services.filing_create(
        actor=world.tian_unit_admin,
        kind=FilingKind.OPEN,
        org=world.tian,
        event_date=date(2026, 3, 2),
        data=form_data,
    )
    filing = services.filing_submit(
        actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version
    )

    def approve(actor):  # both read the submitted filing, at the same version
        services.filing_approve(
            no_scan_reason="纸质备案表另行报送",
            actor=actor,
            filing_id=filing.pk,
            version=filing.version,
        )
        return "approved"

    outcomes = codes(race(partial(approve, world.alice), partial(approve, second_admin)))
    assert sorted(outcomes) == ["approved", "conflict"]
    assert MediaAccount.objects.count() == 1
    # One number taken, from the one counter (of the approval's year: no clock read here, so
    # an approval just before New Year's midnight cannot disagree with the test).
    assert FilingNumberCounter.objects.get().last == 1
    assert Filing.objects.get(pk=filing.pk).filing_no == MediaAccount.objects.get().filing_no
