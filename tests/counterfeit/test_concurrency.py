"""Reports of one account arriving at the same moment make one case; a case is acted on once.

Real threads, each with its own database connection, started together on a barrier: on
PostgreSQL the unique index makes the second insert wait and fail, and the report joins the first
case; the row lock makes the second transition wait and then see the new state. On SQLite the
IMMEDIATE transactions serialize them.
"""

import threading

import pytest
from django.db import connection

from govmedia.core.errors import ServiceError
from govmedia.counterfeit import ratelimit, services
from govmedia.counterfeit.models import RateCounter, SuspectAccount, SuspectReport

pytestmark = pytest.mark.django_db(transaction=True)


def together(count: int, work) -> list:
    barrier, outcomes = threading.Barrier(count), []

    def run(index):
        try:
            barrier.wait(timeout=10)
            outcomes.append(work(index))
        except ServiceError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_simultaneous_reports_of_one_account_make_one_case(world, registry, platforms):
    def report(index):
        return services.suspect_create(
            actor=None,
            platform=platforms["douyin"],
            display_name="田中发布",
            handle="tz_fake_01",
            source="public_report",
            description=f"举报 {index}",
        ).created

    outcomes = together(4, report)
    assert sorted(outcomes) == [False, False, False, True]
    suspect = SuspectAccount.objects.get()
    assert suspect.report_count == 4
    assert SuspectReport.objects.filter(suspect=suspect).count() == 4


def test_a_transition_clicked_twice_at_once_happens_once(world, registry, platforms):
    suspect = services.suspect_create(
        actor=world.alice,
        platform=platforms["douyin"],
        display_name="田中发布",
        handle="tz_fake_01",
        source="report",
    ).suspect

    def verify(index):
        services.suspect_verify(
            actor=world.alice, suspect_id=suspect.pk, version=suspect.version, note=f"核实 {index}"
        )
        return "verified"

    assert sorted(together(2, verify)) == ["conflict", "verified"]


def test_the_rate_limit_counts_every_request_across_connections(db):
    outcomes = together(8, lambda index: ratelimit.allow(ratelimit.SEARCH_LIMIT, "192.0.2.1"))
    assert outcomes == [True] * 8
    assert RateCounter.objects.get().count == 8
