"""Reports of one account arriving at the same moment make one case; a case is acted on once.

Real threads, each with its own database connection, started together (tests.concurrency): on
PostgreSQL the unique index makes the second insert wait and fail, and the report joins the first
case; the row lock makes the second transition wait and then see the new state. On SQLite the
IMMEDIATE transactions serialize them.
"""

from functools import partial

import pytest

from govmedia.counterfeit import ratelimit, services
from govmedia.counterfeit.models import RateCounter, SuspectAccount, SuspectReport
from tests.concurrency import codes, race, returned

pytestmark = pytest.mark.django_db(transaction=True)


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

    outcomes = codes(race(*(partial(report, index) for index in range(4))))
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

    assert sorted(codes(race(partial(verify, 1), partial(verify, 2)))) == ["conflict", "verified"]


def test_the_rate_limit_counts_every_request_across_connections(db, rate_clock):
    search = partial(ratelimit.allow, ratelimit.SEARCH_LIMIT, "192.0.2.1")
    outcomes = returned(race(*[search] * 8))
    assert outcomes == [True] * 8
    assert RateCounter.objects.get().count == 8
