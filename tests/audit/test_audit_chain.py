import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from govmedia.audit.models import AuditEvent
from govmedia.audit.services import audit_record
from govmedia.orgs import services as org_services
from govmedia.orgs.models import OrgType


@pytest.fixture
def chain(world):
    for n in range(5):
        org_services.org_create(
            actor=world.alice, name=f"内设机构{n}", org_type=OrgType.INTERNAL, parent=world.tian
        )
    return list(AuditEvent.objects.order_by("seq"))


def verify_output(capsys):
    try:
        call_command("audit_verify")
    except CommandError as exc:
        return False, capsys.readouterr().err + str(exc)
    return True, capsys.readouterr().out


def raw(sql, params):
    # Behind the application's back: plain SQL, as an intruder with database access would.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_untouched_log_verifies(chain, capsys):
    ok, out = verify_output(capsys)
    assert ok and "哈希链完整" in out and f"共 {len(chain)} 条" in out


def test_update_behind_the_back_is_named(chain, capsys):
    victim = chain[2]
    raw("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["某人", victim.pk])
    ok, out = verify_output(capsys)
    assert not ok and f"第 {victim.seq} 条" in out and "内容与哈希不符" in out


def test_delete_behind_the_back_is_named(chain, capsys):
    victim = chain[1]
    raw("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    ok, out = verify_output(capsys)
    assert not ok and f"缺少第 {victim.seq}" in out and f"第 {victim.seq + 1} 条" in out


def test_deleting_the_last_row_is_noticed(chain, capsys):
    raw("DELETE FROM audit_auditevent WHERE id = %s", [chain[-1].pk])
    ok, out = verify_output(capsys)
    assert not ok and "链尾不符" in out


def test_rehashing_without_the_key_is_noticed(chain, capsys):
    import hashlib

    victim = chain[3]
    forged = hashlib.sha256(b"forged").hexdigest()
    raw(
        "UPDATE audit_auditevent SET after = %s, hash = %s WHERE id = %s",
        ['{"name": "伪造"}', forged, victim.pk],
    )
    ok, out = verify_output(capsys)
    assert not ok and f"第 {victim.seq} 条" in out and f"第 {victim.seq + 1} 条" in out


def test_event_commits_with_the_change_or_not_at_all(world):
    count = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=world.alice, action="x.y", obj=world.tian, org=world.tian)
        raise RuntimeError("the change fails")
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction(world):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=world.alice, action="x.y", obj=world.tian)


def test_event_records_ip_and_request_id(world):
    from tests.conftest import logged_in_client

    client = logged_in_client(world.tian_unit_admin)
    response = client.post(
        f"/orgs/{world.tian.pk}/edit/",
        {
            "name": "天中街道",
            "org_type": "township",
            "parent": world.district.pk,
            "address": "新址",
            "version": world.tian.version,
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="org.update")
    assert event.ip == "10.1.2.3" and event.request_id == response["X-Request-ID"]
    assert event.before["address"] == "" and event.after["address"] == "新址"


def test_audit_page_filters(world, chain):
    from tests.conftest import logged_in_client

    client = logged_in_client(world.alice)
    page = client.get("/audit/?action=org.create&actor=alice").content.decode()
    assert "内设机构4" in page
    assert "没有符合条件的记录" in client.get("/audit/?actor=nobody").content.decode()
    assert "日期格式应为" in client.get("/audit/?date_from=2026-02-30").content.decode()


def test_cutting_the_tail_and_winding_the_head_back_is_noticed(chain, capsys):
    # The intruder deletes the newest event and makes the head point at the one before it.
    last, before_last = chain[-1], chain[-2]
    raw("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    raw(
        "UPDATE audit_auditchainhead SET last_seq = %s, last_hash = %s WHERE id = 1",
        [before_last.seq, before_last.hash],
    )
    ok, out = verify_output(capsys)
    assert not ok and "链头签名不符" in out


def test_deleting_the_head_row_is_noticed(chain, capsys):
    raw("DELETE FROM audit_auditchainhead WHERE id = 1", [])
    ok, out = verify_output(capsys)
    assert not ok and "链头记录缺失" in out
