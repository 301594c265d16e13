"""The full refresh in chunks (each its own transaction, resumable from its stored cursor) and
the incremental refresh after a change, against the real database."""

from datetime import date

import pytest

from govmedia.compliance import rules, selectors
from govmedia.compliance.models import ComplianceFinding, ComplianceState
from govmedia.compliance.services import compliance_refresh
from govmedia.registry.models import AccountStatus, MediaAccount

from .conftest import make_account

TODAY = date(2026, 11, 25)


def stored() -> set[tuple]:
    return set(
        ComplianceFinding.objects.open().values_list("key", "rule", "org_id", "message", "since")
    )


def live() -> set[tuple]:
    found = rules.evaluate(selectors.load_snapshot(today=TODAY))
    return {(f.key, f.rule, f.org_id, f.message[:500], f.since) for f in found}


@pytest.fixture
def district(world, platforms):
    """Findings in several orgs, stored, then changed behind the findings' back (no event):
    the stored findings are stale until a refresh."""
    accounts = {}
    for org in (world.tian, world.tian_office, world.chen, world.chen_office, world.dept):
        for n, platform in enumerate(("微信公众号", "微信公众号", "微博")):
            name = f"{org.name}{n}"
            accounts[name] = make_account(
                org,
                platforms[platform],
                name,
                verified=n != 2,
                filing_no=None if n else f"号{name}",
            )
    compliance_refresh(today=TODAY, chunk=None)
    assert stored() == live() and stored()
    for name in ("天中街道2", "陈集镇0", "区卫生健康局1"):
        MediaAccount.objects.filter(pk=accounts[name].pk).update(status=AccountStatus.CANCELLED)
    MediaAccount.objects.filter(pk=accounts["陈集镇2"].pk).update(verified=True)
    make_account(world.chen_office, platforms["抖音"], "新开的号", verified=False, filing_no=None)
    assert stored() != live()
    return accounts


def test_a_chunked_full_refresh_equals_the_one_shot_result(district):
    result = compliance_refresh(today=TODAY, chunk=3)
    assert result.complete and result.chunks >= 5  # one org of 3 accounts per chunk
    assert stored() == live()
    # The one-shot refresh over everything finds nothing left to change.
    again = compliance_refresh(today=TODAY, chunk=None)
    assert (again.opened, again.resolved, again.updated) == (0, 0, 0)
    state = ComplianceState.objects.get(pk=1)
    assert state.full_cursor is None and state.last_full_refresh_at is not None


def test_a_refresh_cut_short_resumes_from_its_last_committed_chunk(world, district):
    first = compliance_refresh(today=TODAY, chunk=3, max_chunks=2)
    assert not first.complete and first.chunks == 2
    cursor = ComplianceState.objects.get(pk=1).full_cursor
    assert cursor is not None
    rest = compliance_refresh(today=TODAY, chunk=3)
    assert rest.complete and stored() == live()
    everything = compliance_refresh(today=TODAY, chunk=3)  # a fresh run goes through it all
    assert everything.chunks == first.chunks + rest.chunks
    assert ComplianceState.objects.get(pk=1).full_cursor is None


def test_a_chunk_that_fails_rolls_back_alone_and_the_next_run_resumes_there(world, district):
    original = selectors._count_loaders[rules.UNAPPROVED_POSTS]

    def failing_in_chen(scope):  # a crash in the middle of the chunk that holds 陈集镇
        if MediaAccount.objects.filter(scope("host_org"), host_org=world.chen).exists():
            raise RuntimeError("断电")
        return original(scope)

    selectors.register_counts(rules.UNAPPROVED_POSTS, failing_in_chen)
    try:
        with pytest.raises(RuntimeError, match="断电"):
            compliance_refresh(today=TODAY, chunk=3)
    finally:
        selectors.register_counts(rules.UNAPPROVED_POSTS, original)
    cursor = ComplianceState.objects.get(pk=1).full_cursor
    assert cursor is not None and cursor < world.chen.pk  # the chunks before 陈集镇 committed
    tian_keys = {row for row in live() if row[2] in (world.tian.pk, world.tian_office.pk)}
    assert tian_keys <= stored()  # done
    assert stored() != live()  # 陈集镇 and after: not yet
    resumed = compliance_refresh(today=TODAY, chunk=3)
    assert resumed.complete and stored() == live()
    assert resumed.chunks < compliance_refresh(today=TODAY, chunk=3).chunks


def test_a_refresh_of_another_day_starts_over(district):
    compliance_refresh(today=TODAY, chunk=3, max_chunks=1)
    result = compliance_refresh(today=date(2026, 11, 26), chunk=3)
    fresh = compliance_refresh(today=date(2026, 11, 26), chunk=3)
    assert result.complete and result.chunks == fresh.chunks


def test_the_incremental_refresh_touches_only_the_orgs_of_the_change(world, district):
    before = {row for row in stored() if row[2] not in (world.tian.pk,)}
    compliance_refresh(account_ids=[district["天中街道2"].pk], today=TODAY)
    tian_live = {row for row in live() if row[2] == world.tian.pk}
    tian_stored = {row for row in stored() if row[2] == world.tian.pk}
    assert tian_stored == tian_live
    # Every other org's findings are as they were, stale ones included.
    assert {row for row in stored() if row[2] != world.tian.pk} == before
    assert stored() != live()
