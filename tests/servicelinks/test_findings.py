"""A broken link opens one finding (功能无法使用) for the owning unit, with the 整改 lifecycle;
transient failures wait for a second check; broken_links() for assessment; the pages and scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.notifications.models import Notification
from govmedia.servicelinks import services
from govmedia.servicelinks.checking import BATCH, ROUND_MAX, check_links_now, round_size
from govmedia.servicelinks.models import LinkFinding, ServiceLink
from govmedia.servicelinks.selectors import broken_links, ishandong_coverage
from tests.conftest import logged_in_client
from tests.servicelinks.conftest import PATIENT


def _link(world, account, url, *, kind="menu", name="办事", service_name=""):
    return services.link_create(
        actor=world.tian_unit_admin if account.host_org == world.tian else world.chen_unit_admin,
        account_id=account.pk,
        data={"kind": kind, "name": name, "url": url, "service_name": service_name},
    )


def test_a_broken_link_opens_one_finding_for_its_unit(world, host, accounts):
    tian, _ = accounts
    ok = _link(world, tian, host.url("/ok/社保"), name="社保查询")
    gone = _link(world, tian, host.url("/moved/公积金"), name="公积金查询")
    run = check_links_now(timeout=PATIENT)
    assert (run.checked, run.broken, run.opened) == (2, 1, 1)
    finding = LinkFinding.objects.get()
    assert finding.link == gone and finding.org == world.tian and finding.state == "open"
    assert finding.outcome == "soft_not_found"
    assert Notification.objects.filter(recipient_org=world.tian, kind="servicelink_broken").exists()
    ok.refresh_from_db()
    assert ok.last_outcome == "ok" and ok.next_check_at > timezone.now()
    # Checked again (not due yet: nothing), then forced: still one finding.
    assert check_links_now(timeout=PATIENT).checked == 0
    check_links_now(ids=[gone.pk], timeout=PATIENT)
    assert LinkFinding.objects.count() == 1


def test_a_timeout_waits_for_a_second_failed_check(world, host, accounts):
    tian, _ = accounts
    slow = _link(world, tian, host.url("/hang/x"), name="预约挂号")
    check_links_now(ids=[slow.pk], timeout=0.2)
    slow.refresh_from_db()
    assert slow.last_outcome == "timeout" and slow.consecutive_failures == 1
    assert not LinkFinding.objects.exists()
    check_links_now(ids=[slow.pk], timeout=0.2)
    assert LinkFinding.objects.get().outcome == "timeout"


def test_a_finding_follows_the_rectification_lifecycle(world, host, accounts):
    tian, _ = accounts
    gone = _link(world, tian, host.url("/missing/x"))
    check_links_now(timeout=PATIENT)
    finding = LinkFinding.objects.get()
    with pytest.raises(Forbidden):
        services.finding_confirm(
            actor=world.tian_unit_admin, finding_id=finding.pk, version=finding.version
        )
    finding = services.finding_resolve(
        actor=world.tian_editor,
        finding_id=finding.pk,
        version=finding.version,
        note="已更换为新地址",
    )
    assert finding.state == "resolved"
    with pytest.raises(ServiceError):  # a stale version
        services.finding_confirm(actor=world.alice, finding_id=finding.pk, version=1)
    finding = services.finding_reopen(
        actor=world.alice, finding_id=finding.pk, version=finding.version, reason="仍然打不开"
    )
    finding = services.finding_resolve(
        actor=world.tian_editor, finding_id=finding.pk, version=finding.version, note="已修复"
    )
    finding = services.finding_confirm(
        actor=world.alice, finding_id=finding.pk, version=finding.version
    )
    assert finding.state == "confirmed"
    assert [s.action for s in finding.steps.all()] == [
        "open",
        "resolve",
        "reopen",
        "resolve",
        "confirm",
    ]
    assert AuditEvent.objects.filter(action="servicelinks.finding_confirm").count() == 1
    # Confirmed: the next failure opens a new finding.
    check_links_now(ids=[gone.pk], timeout=PATIENT)
    assert LinkFinding.objects.active().count() == 1


def test_broken_links_for_assessment(world, host, accounts):
    tian, chen = accounts
    _link(world, tian, host.url("/ok/a"))
    gone = _link(world, tian, host.url("/missing/b"), name="不动产查询")
    _link(world, chen, host.url("/ok/c"))
    check_links_now(timeout=PATIENT)
    now = timezone.now()
    found = broken_links(account_ids=[tian.pk, chen.pk], at=now)
    assert found == {tian.pk: [gone]}
    assert broken_links(account_ids=[tian.pk], at=now - timedelta(days=1)) == {}


def test_the_ishandong_coverage(world, host, accounts):
    tian, chen = accounts
    _link(
        world,
        tian,
        host.url("/ok/rz"),
        kind="ishandong",
        name="资格认证",
        service_name="社保待遇资格认证",
    )
    coverage = ishandong_coverage(world.alice)
    assert [(name, [link.account for link in links]) for name, links in coverage.services] == [
        ("社保待遇资格认证", [tian])
    ]
    assert coverage.without == [chen]
    assert ishandong_coverage(world.chen_editor).services == []
    html = logged_in_client(world.alice).get("/servicelinks/ishandong/").content.decode()
    assert "社保待遇资格认证" in html and "陈集发布" in html


def test_link_input_is_checked(world, accounts):
    tian, chen = accounts
    with pytest.raises(ServiceError) as caught:
        services.link_create(
            actor=world.tian_unit_admin,
            account_id=tian.pk,
            data={"kind": "menu", "name": "x", "url": "javascript:alert(1)"},
        )
    assert caught.value.field == "url"
    with pytest.raises(ServiceError) as caught:
        services.link_create(
            actor=world.tian_unit_admin,
            account_id=tian.pk,
            data={"kind": "ishandong", "name": "x", "url": "https://example.org/"},
        )
    assert caught.value.field == "service_name"
    with pytest.raises(ServiceError) as caught:  # another township's account
        services.link_create(
            actor=world.tian_unit_admin,
            account_id=chen.pk,
            data={"kind": "menu", "name": "x", "url": "https://example.org/"},
        )
    assert caught.value.field == "account"


def test_pages_and_scope(world, host, accounts):
    tian, chen = accounts
    _link(world, tian, host.url("/ok/a"), name="天中入口")
    chen_link = _link(world, chen, host.url("/missing/b"), name="陈集入口")
    check_links_now(timeout=PATIENT)
    finding = LinkFinding.objects.get()
    client = logged_in_client(world.tian_unit_admin)
    page = client.get("/servicelinks/").content.decode()
    assert "天中入口" in page and "陈集" not in page
    assert client.get(f"/servicelinks/{chen_link.pk}/edit/").status_code == 404
    assert client.get(f"/servicelinks/findings/{finding.pk}/").status_code == 404
    assert "陈集" not in client.get("/servicelinks/findings/?state=all").content.decode()
    assert client.post(f"/servicelinks/accounts/{chen.pk}/check/").status_code == 404
    chen_client = logged_in_client(world.chen_editor)
    assert chen_client.get(f"/servicelinks/findings/{finding.pk}/").status_code == 200
    response = chen_client.post(
        f"/servicelinks/findings/{finding.pk}/act/",
        {"action": "resolve", "version": finding.version, "note": "已修复"},
    )
    assert response.status_code == 302
    assert client.get("/servicelinks/export.xlsx").status_code == 200
    assert ServiceLink.objects.count() == 2


def test_a_round_claims_what_would_time_out_within_half_the_lease():
    # 30 minutes' lease: 900 s at 10 s a page, 20 at once → 1,800 links.
    assert round_size(20, 10.0) == 1800
    assert round_size(50, 2.0) == ROUND_MAX
    assert round_size(1, 60.0) == BATCH
