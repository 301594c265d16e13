"""The dormant report's level counters (tallies.py) equal a fresh COUNT over the accounts after
any sequence of the changes that move an account between them: created, filed into another
unit, suspended or moved to another platform (the registry's ACCOUNTS_CHANGED), given its
PullState (the pull round, a requested pull) and its figures refreshed (a pull, the sweep)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from govmedia.monitoring import claims, dormancy, figures, selectors, services, tallies
from govmedia.monitoring.models import DormantCount, PullState
from govmedia.registry.events import ACCOUNTS_CHANGED
from govmedia.registry.models import AccountStatus, MediaAccount, Platform

from .conftest import register

pytestmark = pytest.mark.django_db

PULLED = {"weibo": "http://127.0.0.1:9", "douyin": "http://127.0.0.1:9"}  # never contacted
CODES = ("weibo", "douyin", "wechat-mp")  # the last has no client here: unmonitored
STATUSES = tuple(AccountStatus.values)

CHANGES = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 2), st.sampled_from(CODES)),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 2)),
        st.tuples(st.just("status"), st.integers(0, 20), st.sampled_from(STATUSES)),
        st.tuples(st.just("platform"), st.integers(0, 20), st.sampled_from(CODES)),
        st.tuples(st.just("round"), st.integers(0, 0), st.integers(0, 0)),
        st.tuples(st.just("request"), st.integers(0, 20), st.integers(0, 0)),
        st.tuples(
            st.just("figures"),
            st.integers(0, 20),
            st.tuples(st.one_of(st.none(), st.integers(0, 120)), st.integers(0, 4)),
        ),
    ),
    max_size=25,
)


def expected_counts(user) -> selectors.ReportCounts:
    """The report's counts by a COUNT over every account in scope (what the counters replace)."""
    levels = {lv: 0 for lv in dormancy.LEVEL_ORDER}
    listed, unmonitored = {}, 0
    pulled = set(claims.pulled_accounts().values_list("pk", flat=True))
    running = MediaAccount.objects.restrict(user).filter(status=AccountStatus.RUNNING)
    for pk, rank in running.values_list("pk", "pull_state__risk_rank"):
        if pk not in pulled:
            unmonitored += 1
            continue
        if rank is not None:
            listed[rank] = listed.get(rank, 0) + 1
        levels[
            dormancy.LEVEL_ORDER[
                dormancy.LEVEL_ORDER.index(dormancy.Level.UNPULLED) if rank is None else rank
            ]
        ] += 1
    return selectors.ReportCounts(levels, listed, unmonitored)


def apply(world, change, accounts: list) -> None:
    kind, which, value = change
    orgs = (world.tian, world.tian_office, world.chen)
    if kind == "create":
        accounts.append(register(orgs[which], value, f"h{len(accounts)}"))
        return
    if kind == "round":
        claims.ensure_states()
        return
    if not accounts:
        return
    account = accounts[which % len(accounts)]
    if kind in ("move", "status", "platform"):
        if kind == "move":
            field = {"host_org": orgs[value]}
        elif kind == "status":
            field = {"status": value}
        else:
            field = {"platform": Platform.objects.get(code=value)}
        MediaAccount.objects.filter(pk=account.pk).update(**field)
        ACCOUNTS_CHANGED.publish(account_ids=[account.pk], org_ids=[])  # as the registry does
    elif kind == "request":
        if claims.pulled_accounts().filter(pk=account.pk).exists():
            services.pull_request_now(actor=world.alice, account_id=account.pk)
    elif kind == "figures":
        days, failures = value
        now = timezone.now()
        PullState.objects.filter(account=account).update(
            last_success_at=None if days is None else now,
            first_success_at=None if days is None else now - timedelta(days=150),
            last_post_at=None if days is None else now - timedelta(days=days),
            consecutive_failures=failures,
        )
        figures.refresh([account.pk])


@given(changes=CHANGES)
@hypothesis_settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_counters_equal_a_fresh_count_after_any_changes(world, settings, changes):
    settings.PLATFORM_API_BASES = PULLED
    MediaAccount.objects.all().delete()  # each example starts from no account
    DormantCount.objects.all().delete()
    accounts: list = []
    for change in changes:
        apply(world, change, accounts)
    assert tallies.stored_counts() == tallies.fresh_counts()
    for user in (world.alice, world.tian_unit_admin):
        assert selectors.report_counts(user) == expected_counts(user)
    assert tallies.reconcile() == 0  # nothing for the daily check to correct


def test_reconcile_corrects_a_bulk_write_that_bypassed_the_services(world, settings):
    settings.PLATFORM_API_BASES = PULLED
    accounts = [register(world.tian, "weibo", f"bulk{i}") for i in range(3)]
    MediaAccount.objects.filter(pk=accounts[0].pk).update(host_org=world.chen)  # not announced
    assert tallies.stored_counts() != tallies.fresh_counts()
    assert tallies.reconcile() == 2  # 天中街道's counter and 陈集镇's
    assert tallies.stored_counts() == tallies.fresh_counts()
    assert selectors.report_counts(world.alice) == expected_counts(world.alice)


def test_the_list_length_under_a_unit_or_platform_filter_is_the_counters_sum(world, settings):
    settings.PLATFORM_API_BASES = PULLED
    for i, (org, code) in enumerate(
        [(world.tian, "weibo"), (world.tian_office, "douyin"), (world.chen, "weibo")] * 2
    ):
        register(org, code, f"f{i}")
    claims.ensure_states()
    weibo = Platform.objects.get(code="weibo")
    for user in (world.alice, world.tian_unit_admin):
        for filters in (
            {"org_id": world.tian.pk},
            {"platform_id": weibo.pk},
            {"level": "unpulled", "org_id": world.chen.pk},
        ):
            assert (
                selectors.listed_count(user, **filters)
                == selectors.dormant_accounts(user, **filters).count()
            )
