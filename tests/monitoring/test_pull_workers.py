"""Two workers pulling at once never pull the same account twice in a round.

On PostgreSQL the claim is SELECT … FOR UPDATE SKIP LOCKED plus a lease; on SQLite the IMMEDIATE
transaction serialises the claimers. The same test runs on both.
"""

import threading
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils import timezone

from govmedia.monitoring import claims
from govmedia.monitoring.models import Post, PullRun, PullState
from govmedia.monitoring.pulling import pull_round
from tests.concurrency import FINISH_GUARD_SECONDS, START_GUARD_SECONDS, race, returned

from .conftest import fake_server, monitored

ACCOUNTS = 200
CODES = ("wechat-mp", "weibo", "douyin", "kuaishou")


def many_accounts(world, fakes, n=ACCOUNTS):
    accounts = []
    for i in range(n):
        code = CODES[i % len(CODES)]
        org = world.tian if i % 2 else world.chen
        posts = [
            {"published_at": timezone.now() - timedelta(days=d, minutes=i), "title": f"{i}-{d}"}
            for d in range(3)
        ]
        accounts.append(monitored(world, fakes, org, code, f"acct_{i:03d}", posts=posts))
    return accounts


def run_workers(names, **options):
    """One pull round per worker name, all started at once; their stats by name."""
    rounds = [partial(pull_round, worker=name, **options) for name in names]
    return dict(zip(names, returned(race(*rounds)), strict=True))


@pytest.mark.django_db(transaction=True)
def test_two_workers_pull_every_account_exactly_once(world, fakes):
    many_accounts(world, fakes)
    results = run_workers(["worker-a", "worker-b"], threads=4, batch=10)
    per_account = PullRun.objects.values("account").annotate(n=Count("id"))
    assert per_account.count() == ACCOUNTS
    assert {row["n"] for row in per_account} == {1}
    assert sum(r.accounts for r in results.values()) == ACCOUNTS
    assert set(PullRun.objects.values_list("outcome", flat=True)) == {"ok"}
    assert Post.objects.count() == 3 * ACCOUNTS
    assert not PullState.objects.exclude(claimed_by="").exists()  # every lease released
    # A second round finds nothing due: each account waits its platform's interval.
    assert sum(r.accounts for r in run_workers(["worker-a", "worker-b"]).values()) == 0


@pytest.mark.django_db(transaction=True)
def test_a_claimed_account_waits_for_its_lease(world, fakes):
    account = monitored(world, fakes, world.tian, "weibo", "leased")
    claims.ensure_states()
    assert claims.claim_due(worker="a", limit=10) == [account.pk]
    assert claims.claim_due(worker="b", limit=10) == []  # held, though still due
    later = timezone.now() + claims.LEASE + timedelta(seconds=1)
    assert claims.claim_due(worker="b", limit=10, now=later) == [account.pk]  # a died: taken over


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SKIP LOCKED is PostgreSQL's")
def test_claimers_skip_rows_another_claimer_has_locked(world, fakes):
    accounts = [monitored(world, fakes, world.tian, "douyin", f"dy_{i}") for i in range(6)]
    claims.ensure_states()
    locked, release = threading.Event(), threading.Event()

    def hold_two():
        try:
            with transaction.atomic():
                ids = [a.pk for a in accounts[:2]]
                list(PullState.objects.select_for_update().filter(account_id__in=ids))
                locked.set()
                release.wait(FINISH_GUARD_SECONDS)  # set as soon as the claim is done
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_two)
    holder.start()
    try:
        assert locked.wait(START_GUARD_SECONDS)
        claimed = claims.claim_due(worker="b", limit=10)  # does not wait for the holder
        assert sorted(claimed) == sorted(a.pk for a in accounts[2:])
    finally:
        release.set()
        holder.join()
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_a_slow_platform_does_not_hold_up_the_others(world, fakes):
    many_accounts(world, fakes, n=8)
    fake_server(fakes, "weibo").misbehave("slow", delay=1.0, times=2)
    stats = pull_round(worker="w", threads=4)
    assert stats.accounts == 8 and stats.failed == 0
