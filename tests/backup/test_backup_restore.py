"""Backup, then restore into a fresh installation (another database, an empty MEDIA_ROOT) in a
subprocess: every row and every uploaded file comes back and `audit_verify` passes. On SQLite,
and on PostgreSQL (pg_dump/pg_restore) when the tests run there."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection, transaction

from govmedia.audit.services import audit_record
from govmedia.backup import services
from govmedia.core.errors import ServiceError
from tests.conftest import api_token

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation(world, settings, tmp_path):
    """Rows of several apps, audit events, and uploaded files (binary and Chinese names)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for actor in (world.alice, world.tian_editor, world.chen_unit_admin):
        api_token(actor, f"{actor.username} 的接口")
    with transaction.atomic():
        audit_record(actor=world.alice, action="test.event", obj=world.tian, org=world.tian)
    files = {
        "publishing/1/" + "a" * 64 + ".png": bytes(range(256)) * 40,
        "registry/filings/7/备案表.pdf": b"%PDF-1.7 " + "定陶".encode() * 100,
    }
    for name, content in files.items():
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return files


def restore_in_subprocess(backup: Path, database_url: str, var_dir: Path):
    env = os.environ | {"DATABASE_URL": database_url, "GOVMEDIA_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "manage.py", "backup_restore", str(backup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def sqlite_rows(path) -> dict:
    db = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in tables
        }
    finally:
        db.close()


def pg_rows(dsn: str) -> dict:
    with psycopg.connect(dsn) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in tables
        }


def assert_same_files(files: dict, media_root: Path):
    restored = {
        str(path.relative_to(media_root)): path.read_bytes()
        for path in media_root.rglob("*")
        if path.is_file()
    }
    assert restored == files


def test_backup_and_restore_on_sqlite(installation, settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite installation; PostgreSQL has its own test below")
    backup = services.backup_create(directory=tmp_path / "backups")
    assert backup.path.name.startswith("govmedia-") and backup.manifest["media_files"] == 2
    assert sorted(p.name for p in backup.path.iterdir()) == [
        "database.sqlite3",
        "manifest.json",
        "media.tar.gz",
    ]

    target = tmp_path / "restored.sqlite3"
    done = restore_in_subprocess(backup.path, f"sqlite:///{target}", tmp_path / "fresh")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "审计日志校验通过" in done.stdout and "恢复完成" in done.stdout

    source = sqlite_rows(connection.settings_dict["NAME"])
    restored = sqlite_rows(target)
    assert restored == source and len(source["audit_auditevent"]) >= 4
    assert source["users_apitoken"] and source["users_user"]
    assert_same_files(installation, tmp_path / "fresh" / "media")

    # Never over an installation that has data: the second restore refuses and changes nothing.
    again = restore_in_subprocess(backup.path, f"sqlite:///{target}", tmp_path / "fresh")
    assert again.returncode != 0 and "不是空的" in again.stderr
    assert sqlite_rows(target) == source


def test_a_damaged_backup_is_refused_before_anything_is_written(installation, tmp_path):
    backup = services.backup_create(directory=tmp_path / "backups")
    database = backup.path / backup.manifest["database"]
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))
    with pytest.raises(ServiceError, match="SHA-256"):
        services.read_backup(backup.path)
    done = restore_in_subprocess(backup.path, f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path / "x")
    assert done.returncode != 0 and "已损坏" in done.stderr


def test_a_restore_whose_audit_chain_fails_says_so(installation, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("one database is enough to show the check runs")
    backup = services.backup_create(directory=tmp_path / "backups")
    target = tmp_path / "restored.sqlite3"
    env_key = {"AUDIT_HMAC_KEY": "another-installation-s-key-0123456789abcdef"}
    done = subprocess.run(
        [sys.executable, "manage.py", "backup_restore", str(backup.path)],
        cwd=ROOT,
        env=os.environ
        | env_key
        | {"DATABASE_URL": f"sqlite:///{target}", "GOVMEDIA_VAR_DIR": str(tmp_path / "f")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0 and "审计日志校验未通过" in done.stderr


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_dump/pg_restore")
def test_backup_and_restore_on_postgresql(installation, tmp_path):
    backup = services.backup_create(directory=tmp_path / "backups")
    assert (backup.path / "database.pgdump").read_bytes()[:5] == b"PGDMP"  # custom format

    settings_dict = connection.settings_dict
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or "5432"
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    server = f"postgres://{user}{password}@{host}:{port}"
    name = f"{settings_dict['NAME']}_restore"
    admin = psycopg.connect(f"{server}/postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        done = restore_in_subprocess(backup.path, f"{server}/{name}", tmp_path / "fresh")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "审计日志校验通过" in done.stdout
        source = pg_rows(f"{server}/{settings_dict['NAME']}")
        assert pg_rows(f"{server}/{name}") == source
        assert len(source["audit_auditevent"]) >= 4 and source["users_apitoken"]
        assert_same_files(installation, tmp_path / "fresh" / "media")
        again = restore_in_subprocess(backup.path, f"{server}/{name}", tmp_path / "fresh")
        assert again.returncode != 0 and "不是空的" in again.stderr
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
