"""Backups that restore: the database and the uploaded files, in one timestamped folder.

A backup is BACKUP_DIR/govmedia-YYYYMMDD-HHMMSS/ holding
- database.sqlite3 (SQLite's online backup API: a consistent copy while the platform runs) or
  database.pgdump (pg_dump's custom format: one snapshot transaction);
- media.tar.gz, the uploaded files (MEDIA_ROOT), archived after the database, so every file a
  row of the copy names is in it (files are only ever added under new names);
- manifest.json: when, which database, and each file's SHA-256, checked again before a restore.
It is written under a .partial name and renamed when complete: a half-written backup is never
taken for a good one, nor pruned as one.

`restore` brings a backup back into an empty installation (a database without tables, an empty
MEDIA_ROOT) and then runs `audit_verify`: a restore whose audit chain does not verify fails.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from govmedia.core.errors import ServiceError

FORMAT = "govmedia-backup/1"
NAME = re.compile(r"^govmedia-(\d{8}-\d{6})$")
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_FILE = "media.tar.gz"


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_environment(settings_dict: dict) -> dict:
    """libpq's variables for pg_dump/pg_restore: the password never appears on a command line."""
    env = os.environ.copy()
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ServiceError(
            f"未找到 {name}：请安装 PostgreSQL 客户端（scripts/system-deps.sh serve，"
            "或 apt-get install postgresql-client）"
        )
    return path


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise ServiceError(f"{Path(command[0]).name} 失败：{done.stderr.strip()[:500]}")


def _dump_database(target: Path) -> None:
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    elif vendor == "postgresql":
        _run(
            [_require_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"],
            pg_environment(connection.settings_dict),
        )
    else:  # pragma: no cover - settings offer only these two
        raise ServiceError(f"不支持备份该数据库：{vendor}")


def backup_create(now: datetime | None = None, directory: Path | None = None) -> Backup:
    now = timezone.localtime(now or timezone.now())
    directory = Path(directory or settings.BACKUP_DIR)
    name = f"govmedia-{now:%Y%m%d-%H%M%S}"
    final = directory / name
    if final.exists():
        raise ServiceError(f"备份已存在：{final}")
    partial = directory / f"{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        database_file = DATABASE_FILES.get(connection.vendor, "database")
        _dump_database(partial / database_file)
        media_root = Path(settings.MEDIA_ROOT)
        media_count = 0
        with tarfile.open(partial / MEDIA_FILE, "w:gz") as archive:
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        archive.add(path, arcname=str(path.relative_to(media_root)))
                        media_count += 1
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "vendor": connection.vendor,
            "database": database_file,
            "media": MEDIA_FILE,
            "media_files": media_count,
            "sha256": {
                database_file: sha256(partial / database_file),
                MEDIA_FILE: sha256(partial / MEDIA_FILE),
            },
        }
        (partial / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Backup(final, manifest)


def backup_prune(now: datetime | None = None, directory: Path | None = None) -> list[Path]:
    """Delete complete backups older than BACKUP_RETENTION_DAYS; never the audit archive
    (BACKUP_DIR/audit/), never anything not named like a backup, never the newest backup."""
    now = timezone.localtime(now or timezone.now())
    directory = Path(directory or settings.BACKUP_DIR)
    if not directory.is_dir():
        return []
    cutoff = now - timedelta(days=settings.BACKUP_RETENTION_DAYS)
    dated = []
    for path in directory.iterdir():
        match = NAME.match(path.name)
        if match and path.is_dir():
            taken = timezone.make_aware(datetime.strptime(match[1], "%Y%m%d-%H%M%S"))
            dated.append((taken, path))
    dated.sort()
    removed = []
    for taken, path in dated[:-1]:
        if taken < cutoff:
            shutil.rmtree(path)
            removed.append(path)
    return removed


def read_backup(path: Path) -> Backup:
    path = Path(path)
    manifest_path = path / "manifest.json"
    if not manifest_path.is_file():
        raise ServiceError(f"不是完整的备份（缺少 manifest.json）：{path}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise ServiceError(f"无法识别的备份格式：{manifest.get('format')}")
    for file_name, digest in manifest["sha256"].items():
        if not (path / file_name).is_file() or sha256(path / file_name) != digest:
            raise ServiceError(f"备份文件已损坏或缺失：{file_name}（SHA-256 不符）")
    return Backup(path, manifest)


def _require_empty_installation(media_root: Path) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise ServiceError(
            f"目标数据库不是空的（已有 {len(tables)} 张表）：恢复只写入新建的空数据库，"
            "不覆盖现有数据"
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise ServiceError(f"上传文件目录不是空的：{media_root}")


def backup_restore(path: Path, verify=None) -> Backup:
    """Restore `path` into this (empty) installation, then verify the audit chain.

    `verify` runs the audit check (default: the audit_verify command); it raises on a problem.
    """
    backup = read_backup(path)
    manifest = backup.manifest
    if manifest["vendor"] != connection.vendor:
        raise ServiceError(
            f"备份来自 {manifest['vendor']} 数据库，当前为 {connection.vendor}：请恢复到同类数据库"
        )
    media_root = Path(settings.MEDIA_ROOT)
    _require_empty_installation(media_root)
    database_file = backup.path / manifest["database"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(database_file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()
        _run(
            [
                _require_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(database_file),
            ],
            pg_environment(connection.settings_dict),
        )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup.path / manifest["media"], "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    (verify or (lambda: call_command("audit_verify")))()
    return backup
