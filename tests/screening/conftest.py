"""Helpers for the Django layer of content screening: the seed lexicon in the database, the
three ways to screen a text (engine, API, command), and a second process on the same database."""

import io
import json
import os
import selectors
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from govmedia.screening.seeding import seed_lexicon

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"
NOTICE = Path(__file__).resolve().parent / "engine" / "data" / "notice_000_248f913a2e983162.txt"
CHECK_URL = "/api/v1/screening/check"


@pytest.fixture
def lexicon(db):
    """The shipped seed lexicon in the database. The migration loads it, but a transactional
    test anywhere in the run flushes the tables; seeding again is idempotent."""
    with transaction.atomic():
        seed_lexicon()


def api_check(client, text, html=False):
    return client.post(CHECK_URL, {"text": text, "html": html}, content_type="application/json")


def command_check(data, *args) -> str:
    """`manage.py screen --json …` with `data` (str or bytes) on standard input."""
    stdin = io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
    out = io.StringIO()
    call_command("screen", "--json", *args, stdin=stdin, stdout=out)
    return out.getvalue()


def database_env() -> dict:
    """The environment of a `manage.py` subprocess that uses this test's own database."""
    env = os.environ.copy()
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict["USER"] or ""
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        auth = f"{user}{password}@" if user else ""
        host = settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict["PORT"] or "5432"
        env["DATABASE_URL"] = f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"
    elif connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), (
            "the SQLite test database must be a file that another process can open "
            "(settings.DATABASES['default']['TEST']['NAME'])"
        )
        env["DATABASE_URL"] = f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    else:  # pragma: no cover
        raise AssertionError(f"unsupported database {connection.vendor}")
    return env


class SecondProcess:
    """`manage.py screen --json --lines` kept running beside the test on the test's database:
    one long-lived process, like a web worker, that is never restarted between texts.

    Use with `@pytest.mark.django_db(transaction=True)`: it sees only committed rows.
    """

    # A guard against a hung child, not a timing assertion.
    HANG_GUARD_SECONDS = 120

    def __init__(self, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, str(MANAGE_PY), "screen", "--json", "--lines", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=database_env(),
        )

    def screen(self, text: str) -> dict:
        assert "\n" not in text
        self.process.stdin.write(text.encode("utf-8") + b"\n")
        self.process.stdin.flush()
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(self.HANG_GUARD_SECONDS):
                raise AssertionError("the second process did not answer")
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the second process ended: {self.process.stderr.read().decode()}")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(self.HANG_GUARD_SECONDS)
        self.process.stdout.close()
        self.process.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.close()
