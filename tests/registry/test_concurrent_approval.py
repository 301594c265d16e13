"""Two reviewers approve the same filing at the same moment: it is applied once.

Real threads, each with its own database connection, started together on a barrier. On
PostgreSQL the row lock (SELECT … FOR UPDATE) makes the second wait and then see 已备案; on
SQLite the IMMEDIATE transaction serializes them the same way.
"""

import threading
from datetime import date

import pytest
from django.db import connection

from govmedia.core.errors import ServiceError
from govmedia.registry import services
from govmedia.registry.models import Filing, FilingKind, FilingNumberCounter, MediaAccount
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
    services.filing_submit(actor=world.tian_unit_admin, filing_id=filing.pk, version=filing.version)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(actor):
        try:
            barrier.wait(timeout=10)
            services.filing_approve(actor=actor, filing_id=filing.pk)
            outcomes.append("approved")
        except ServiceError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(actor,)) for actor in (world.alice, second_admin)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["approved", "conflict"]
    assert MediaAccount.objects.count() == 1
    assert FilingNumberCounter.objects.get(year=date.today().year).last == 1
    assert Filing.objects.get(pk=filing.pk).filing_no == MediaAccount.objects.get().filing_no
