"""Backup retention, the nightly task, and the monthly audit archive with its chain head."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from govmedia.audit import chain, exports
from govmedia.audit.models import AuditChainHead, AuditEvent
from govmedia.audit.services import audit_record
from govmedia.backup import services, tasks

KEY = "dev-insecure-govmedia-audit-key-change-me"


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def months(world, settings):
    """Three events in November 2026 and two in December: written by the service, then given
    those times and the chain recomputed with the key, as if the service had written them then
    (the service takes its time from the clock, which a test must not depend on)."""
    settings.AUDIT_HMAC_KEY = KEY
    for number in range(5):
        with transaction.atomic():
            audit_record(actor=world.alice, action=f"test.{number}", obj=world.tian, org=world.tian)
    times = [at(2026, 11, 1, 8), at(2026, 11, 15, 9), at(2026, 11, 30, 23, 59)]
    times += [at(2026, 12, 1, 0, 0, 1), at(2026, 12, 2, 10)]
    prev = chain.GENESIS
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) == 5
    for event, when in zip(events, times, strict=True):
        event.created_at, event.prev_hash = when, prev
        event.hash = chain.compute_hash(KEY, prev, chain.event_content(event))
        event.save(update_fields=["created_at", "prev_hash", "hash"])
        prev = event.hash
    head = AuditChainHead.objects.get(pk=1)
    head.last_hash, head.mac = prev, chain.head_mac(KEY, head.last_seq, prev)
    head.save()
    call_command("audit_verify")
    return events


def test_a_month_is_exported_with_its_chain_head_and_verifies_on_its_own(months, tmp_path):
    events = months
    november = exports.export_month(date(2026, 11, 1), tmp_path / "nov.jsonl")
    december = exports.export_month(date(2026, 12, 1), tmp_path / "dec.jsonl")
    assert (november.events, november.first_seq, november.last_seq) == (3, 1, 3)
    assert (december.events, december.first_seq, december.last_seq) == (2, 4, 5)
    lines = [json.loads(line) for line in (tmp_path / "nov.jsonl").read_text().splitlines()]
    assert lines[0]["type"] == "header" and lines[-1]["type"] == "chain_head"
    assert lines[-1]["last_seq"] == events[-1].seq and lines[-1]["mac"]
    assert lines[-1]["month_last_seq"] == 3
    december_header = json.loads((tmp_path / "dec.jsonl").read_text().splitlines()[0])
    assert december_header["prev_hash"] == events[2].hash  # the months link up
    assert exports.verify_export(tmp_path / "nov.jsonl", KEY) == []
    assert exports.verify_export(tmp_path / "dec.jsonl", KEY) == []
    assert exports.verify_export(tmp_path / "dec.jsonl", "another-key" * 4)

    # A changed line, or a line taken out, is named.
    tampered = lines[:]
    tampered[2] = tampered[2] | {"action": "nothing.happened"}
    (tmp_path / "bad.jsonl").write_text("\n".join(json.dumps(x) for x in tampered))
    assert any("内容与哈希不符" in p for p in exports.verify_export(tmp_path / "bad.jsonl", KEY))
    cut = lines[:2] + lines[3:]
    (tmp_path / "cut.jsonl").write_text("\n".join(json.dumps(x) for x in cut))
    problems = exports.verify_export(tmp_path / "cut.jsonl", KEY)
    assert any("序号不连续" in p for p in problems)


def test_the_month_is_chosen_by_local_time(db, tmp_path):
    start, end = exports.month_bounds(date(2026, 11, 1))
    assert timezone.localtime(start).isoformat() == "2026-11-01T00:00:00+08:00"
    assert timezone.localtime(end).isoformat() == "2026-12-01T00:00:00+08:00"
    assert exports.month_bounds(date(2026, 12, 1))[1].year == 2027
    assert exports.previous_month(date(2027, 1, 1)) == date(2026, 12, 1)
    assert exports.previous_month(date(2026, 12, 31)) == date(2026, 11, 1)


def test_the_command_exports_and_checks(months, settings, tmp_path, capsys):
    settings.BACKUP_DIR = tmp_path
    call_command("audit_export", "--month", "2026-11")
    path = tmp_path / "audit" / "govmedia-audit-2026-11.jsonl"
    assert "3 条（第 1–3 条）" in capsys.readouterr().out
    assert path.exists()
    call_command("audit_export", "--check", str(path))
    assert "核验通过" in capsys.readouterr().out


def test_prune_keeps_recent_backups_the_newest_and_the_audit_archive(db, settings, tmp_path):
    settings.BACKUP_RETENTION_DAYS = 30
    now = at(2026, 12, 2, 3)
    for days in (0, 10, 29, 31, 200):
        taken = timezone.localtime(now - timedelta(days=days))
        (tmp_path / f"govmedia-{taken:%Y%m%d-%H%M%S}").mkdir()
    (tmp_path / "govmedia-20200101-000000.partial").mkdir()  # a failed run: not a backup
    (tmp_path / "audit").mkdir()
    (tmp_path / "audit" / "govmedia-audit-2020-01.jsonl").write_text("{}")
    (tmp_path / "notes").mkdir()
    removed = services.backup_prune(now=now, directory=tmp_path)
    assert sorted(p.name for p in removed) == sorted(
        f"govmedia-{timezone.localtime(now - timedelta(days=d)):%Y%m%d-%H%M%S}" for d in (31, 200)
    )
    left = sorted(p.name for p in tmp_path.iterdir())
    assert "audit" in left and "notes" in left and len(left) == 6
    assert (tmp_path / "audit" / "govmedia-audit-2020-01.jsonl").exists()
    # Even if every backup is old, the newest stays.
    assert services.backup_prune(now=now + timedelta(days=400), directory=tmp_path)
    assert len([p for p in tmp_path.iterdir() if services.NAME.match(p.name)]) == 1


def test_audit_retention_below_six_months_is_refused(monkeypatch):
    import importlib

    import govmedia.settings as project_settings

    monkeypatch.setenv("AUDIT_RETENTION_MONTHS", "3")
    with pytest.raises(Exception, match="不得少于 6 个月"):
        importlib.reload(project_settings)
    monkeypatch.delenv("AUDIT_RETENTION_MONTHS")
    importlib.reload(project_settings)


@pytest.mark.django_db(transaction=True)
def test_the_nightly_task_backs_up_prunes_and_archives_last_month(world, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    now = timezone.localtime()
    message = tasks.nightly(now=now)
    assert (tmp_path / f"govmedia-{now:%Y%m%d-%H%M%S}" / "manifest.json").exists()
    month = exports.previous_month(now.date())
    assert (tmp_path / "audit" / exports.file_name(month)).exists()
    assert "备份" in message and f"{month:%Y-%m}" in message
    # The next night: another backup, last month's archive already there and left alone.
    again = tasks.nightly(now=now + timedelta(days=1))
    assert "审计日志" not in again


def test_the_schedule_exists_after_migrate(db):
    from django_q.models import Schedule

    assert Schedule.objects.filter(func="govmedia.backup.tasks.nightly", schedule_type="D").exists()
