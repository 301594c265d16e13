"""The library's workflow: a unit writes, the district office reviews (never its own revision),
an edit of a published entry waits while the published text stays in use; withdrawing; the
expiry reminder once; the exchange import (all or nothing, line numbers) and export; scope."""

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.notifications.models import Notification
from govmedia.qa import services
from govmedia.qa.models import EntryState, QAEntry, RevisionState
from govmedia.qa.selectors import suggest
from govmedia.qa.tasks import remind_expiring
from tests.conftest import logged_in_client

CONTENT = {
    "question": "天中街道社区食堂怎么预约？",
    "variants": ["社区食堂预约", "老年食堂怎么订餐"],
    "answer": "拨打社区服务电话或在“天中街道”公众号菜单“社区食堂”预约。",
    "basis": "《定陶区社区养老服务实施方案》（定政办发〔2025〕3号）",
}


def test_a_unit_writes_the_district_office_publishes(world):
    entry = services.entry_create(
        actor=world.tian_editor, owner_org_id=world.tian.pk, content=CONTENT
    )
    assert entry.state == EntryState.PENDING and entry.pending_revision.number == 1
    with pytest.raises(Forbidden):  # the unit's reviewer does not publish: the district does
        services.revision_approve(actor=world.tian_reviewer, revision_id=entry.pending_revision_id)
    entry = services.revision_approve(actor=world.alice, revision_id=entry.pending_revision_id)
    assert entry.state == EntryState.PUBLISHED and entry.published_revision.number == 1
    assert Notification.objects.filter(recipient_org=world.tian, kind="qa_review").exists()
    assert AuditEvent.objects.filter(action="qa.revision_approve", object_id=str(entry.pk)).exists()


def test_nobody_approves_their_own_revision(world):
    entry = services.entry_create(actor=world.alice, owner_org_id=None, content=CONTENT)
    with pytest.raises(Forbidden, match="不能审核自己提交的修订"):
        services.revision_approve(actor=world.alice, revision_id=entry.pending_revision_id)


def test_an_edit_of_a_published_entry_waits_while_the_published_text_stays(world):
    entry = services.entry_create(
        actor=world.tian_editor, owner_org_id=world.tian.pk, content=CONTENT
    )
    entry = services.revision_approve(actor=world.alice, revision_id=entry.pending_revision_id)
    revision = services.entry_update(
        actor=world.tian_editor,
        entry_id=entry.pk,
        version=entry.version,
        content=CONTENT | {"answer": "新的答复：改为线上预约。"},
        note="预约方式调整",
    )
    entry.refresh_from_db()
    assert entry.state == EntryState.PUBLISHED and entry.answer == CONTENT["answer"]
    assert suggest("社区食堂怎么预约", on=date(2026, 6, 1))[0].answer == CONTENT["answer"]
    services.revision_reject(actor=world.alice, revision_id=revision.pk, note="请写明预约电话")
    entry.refresh_from_db()
    assert entry.state == EntryState.PUBLISHED and entry.pending_revision_id is None
    revision.refresh_from_db()
    assert revision.state == RevisionState.REJECTED
    # A stale page (old version) changes nothing.
    with pytest.raises(ServiceError, match="已被他人修改"):
        services.entry_update(
            actor=world.tian_editor, entry_id=entry.pk, version=1, content=CONTENT, note=""
        )


def test_a_second_edit_replaces_the_waiting_one(world):
    entry = services.entry_create(
        actor=world.tian_editor, owner_org_id=world.tian.pk, content=CONTENT
    )
    first = entry.pending_revision
    second = services.entry_update(
        actor=world.tian_editor,
        entry_id=entry.pk,
        version=entry.version,
        content=CONTENT | {"answer": "二"},
    )
    first.refresh_from_db()
    assert first.state == RevisionState.SUPERSEDED and second.number == 2
    entry.refresh_from_db()
    assert entry.answer == "二" and entry.state == EntryState.PENDING


def test_content_is_checked_with_messages_naming_the_field(world):
    with pytest.raises(ServiceError) as caught:
        services.entry_create(
            actor=world.tian_editor,
            owner_org_id=world.tian.pk,
            content={"question": "", "answer": "x"},
        )
    assert caught.value.field == "question" and "标准问题" in caught.value.message
    with pytest.raises(ServiceError) as caught:
        services.entry_create(
            actor=world.tian_editor,
            owner_org_id=world.tian.pk,
            content=CONTENT | {"valid_from": "2026-05-01", "valid_to": "2026-04-01"},
        )
    assert caught.value.field == "valid_to"
    with pytest.raises(ServiceError) as caught:  # another township is not the editor's to write for
        services.entry_create(actor=world.tian_editor, owner_org_id=world.chen.pk, content=CONTENT)
    assert caught.value.field == "owner_org"
    with pytest.raises(Forbidden):  # district-wide entries are the district office's
        services.entry_create(actor=world.tian_editor, owner_org_id=None, content=CONTENT)


def test_the_owner_is_reminded_once_before_expiry_and_again_after_an_extension(world):
    entry = services.entry_create(
        actor=world.tian_editor,
        owner_org_id=world.tian.pk,
        content=CONTENT | {"valid_to": "2026-07-20"},
    )
    services.revision_approve(actor=world.alice, revision_id=entry.pending_revision_id)
    assert remind_expiring(today=date(2026, 6, 1)) == 0  # 49 days ahead: not yet
    assert remind_expiring(today=date(2026, 6, 25)) == 1
    assert remind_expiring(today=date(2026, 6, 26)) == 0  # once
    reminders = Notification.objects.filter(recipient_org=world.tian, kind="qa_expiring")
    assert reminders.count() == 1 and "2026-07-20" in reminders.get().message
    QAEntry.objects.filter(pk=entry.pk).update(valid_to=date(2026, 8, 10))
    assert remind_expiring(today=date(2026, 7, 15)) == 1  # the new date is reminded of


def test_the_import_is_all_or_nothing_with_line_numbers(world, tmp_path: Path):
    good = {
        "question": "问题一",
        "variants": ["问法"],
        "answer": "答复一",
        "basis": "",
        "owner_org": "",
        "valid_from": None,
        "valid_to": None,
    }
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{不是 JSON",
        json.dumps(good | {"question": ""}, ensure_ascii=False),
        json.dumps(good | {"owner_org": "91370000XXXXXXXXXX"}, ensure_ascii=False),
        json.dumps(good | {"valid_to": "2026-02-30"}, ensure_ascii=False),
    ]
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何答问条目"):
        call_command("qa_import", str(path), stderr=err)
    report = err.getvalue()
    for number in (2, 3, 4, 5):
        assert f"第 {number} 行" in report
    assert "第 1 行" not in report
    assert QAEntry.objects.count() == 0


def test_qa_import_publishes_and_audits(world, tmp_path: Path):
    world.tian.credit_code = "11371727MB0000000X"
    world.tian.save(update_fields=["credit_code"])
    item = {
        "question": "天中街道办事大厅在哪里？",
        "variants": [],
        "answer": "天中街道办事处一楼。",
        "basis": "",
        "owner_org": "11371727MB0000000X",
        "valid_from": "2026-01-01",
        "valid_to": None,
    }
    path = tmp_path / "qa.jsonl"
    path.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("qa_import", str(path), "--by", "alice", stdout=out)
    assert "已导入并发布 1 个答问条目" in out.getvalue()
    entry = QAEntry.objects.get()
    assert entry.state == EntryState.PUBLISHED and entry.owner_org == world.tian
    assert entry.revisions.get().state == RevisionState.APPROVED
    event = AuditEvent.objects.get(action="qa.import")
    assert event.object_id == str(entry.pk)


def test_exports_round_trip_through_the_import(world, library, tmp_path: Path):
    client = logged_in_client(world.alice)
    jsonl = b"".join(client.get("/qa/export.jsonl").streaming_content).decode()
    lines = [json.loads(line) for line in jsonl.splitlines()]
    assert len(lines) == len(library)
    assert set(lines[0]) == {
        "question",
        "variants",
        "answer",
        "basis",
        "owner_org",
        "valid_from",
        "valid_to",
    }
    workbook = load_workbook(io.BytesIO(client.get("/qa/export.xlsx").content))
    assert workbook.active.max_row == len(library) + 1
    path = tmp_path / "again.xlsx"
    path.write_bytes(client.get("/qa/export.xlsx").content)
    call_command("qa_import", str(path), stdout=io.StringIO())
    assert QAEntry.objects.count() == 2 * len(library)


def test_a_township_never_sees_another_townships_unpublished_entries(world, library):
    draft = services.entry_create(
        actor=world.chen_editor,
        owner_org_id=world.chen.pk,
        content=CONTENT | {"question": "陈集镇未发布的问题"},
    )
    tian = logged_in_client(world.tian_editor)
    assert tian.get(f"/qa/{draft.pk}/").status_code == 404
    assert "陈集镇未发布的问题" not in tian.get("/qa/?state=pending").content.decode()
    # The published library is the whole district's.
    assert tian.get(f"/qa/{library[0].pk}/").status_code == 200
    assert tian.get(f"/qa/{library[0].pk}/edit/").status_code == 404
    assert logged_in_client(world.chen_editor).get(f"/qa/{draft.pk}/").status_code == 200


def test_the_pages_work_for_a_reviewer(world, library):
    entry = services.entry_create(
        actor=world.tian_editor, owner_org_id=world.tian.pk, content=CONTENT
    )
    client = logged_in_client(world.alice)
    assert client.get("/qa/").status_code == 200
    page = client.get(f"/qa/{entry.pk}/").content.decode()
    assert "审核通过并发布" in page and "修订历史" in page
    response = client.post(
        f"/qa/{entry.pk}/act/", {"action": "approve", "revision": entry.pending_revision_id}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.PUBLISHED
    # Clicking again (a stale page) answers with a message, not a second approval.
    again = client.post(
        f"/qa/{entry.pk}/act/", {"action": "approve", "revision": entry.published_revision_id}
    )
    assert again.status_code == 400 and entry.revisions.filter(state="approved").count() == 1
    new = logged_in_client(world.tian_editor).post(
        "/qa/new/",
        {"question": "新问题？", "answer": "新答复", "owner_org": world.tian.pk, "once": "k-1"},
    )
    assert new.status_code == 302
    twice = logged_in_client(world.tian_editor).post(
        "/qa/new/",
        {"question": "新问题？", "answer": "新答复", "owner_org": world.tian.pk, "once": "k-1"},
    )
    assert twice.status_code == 302 and QAEntry.objects.filter(question="新问题？").count() == 1
