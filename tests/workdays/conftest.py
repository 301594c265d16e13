"""Helpers for the working-day calendar's Django-layer tests."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"
NOTICE = "国办发明电〔2026〕15号"


class SharedDatabase:
    """Run `manage.py …` in another process against this test's own database.

    On PostgreSQL, and on SQLite with a file-based test database, the subprocess simply connects
    to the test database. Should the SQLite test database be in memory (Django's default), where
    no other process can reach it, it is copied to a file before each run and the file copied
    back afterwards: this process then finds its database changed underneath it, as when another
    process commits to the shared file, and its cached calendar must notice.

    Use with `@pytest.mark.django_db(transaction=True)`: the subprocess must see committed rows.
    """

    def __init__(self, tmp_path: Path):
        self.env = os.environ.copy()
        settings_dict = connection.settings_dict
        if connection.vendor == "postgresql":
            self.file = None
            user = settings_dict["USER"] or ""
            password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
            auth = f"{user}{password}@" if user else ""
            host = settings_dict["HOST"] or "127.0.0.1"
            port = settings_dict["PORT"] or "5432"
            self.env["DATABASE_URL"] = f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"
        elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
            # A file-based test database (settings' TEST NAME): share the file itself.
            self.file = None
            self.env["DATABASE_URL"] = f"sqlite:///{settings_dict['NAME']}"
        elif connection.vendor == "sqlite":
            self.file = tmp_path / "shared.sqlite3"
            self.env["DATABASE_URL"] = f"sqlite:///{self.file}"
        else:  # pragma: no cover
            raise AssertionError(f"unsupported database {connection.vendor}")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        self._copy_out()
        result = subprocess.run(
            [sys.executable, str(MANAGE_PY), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self._copy_in()
        return result

    def _copy_out(self) -> None:
        if self.file is None:
            return
        connection.ensure_connection()
        assert not connection.in_atomic_block, "commit before handing the database over"
        if self.file.exists():
            self.file.unlink()
        with sqlite3.connect(self.file) as target:
            connection.connection.backup(target)
        target.close()

    def _copy_in(self) -> None:
        if self.file is None:
            return
        source = sqlite3.connect(self.file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


@pytest.fixture
def shared_db(tmp_path):
    return SharedDatabase(tmp_path)
