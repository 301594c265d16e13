"""Shared set-up for the benchmark scripts: a throwaway database and a page timer.

Run by hand, never by CI. SQLite goes to a file under /tmp; PostgreSQL (--pg URL, or the
BENCH_DATABASE_URL environment variable, which is how `make bench` is pointed at a server) gets
a database of its own that is dropped and created afresh.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(name: str, argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=f"govmedia benchmark: {name}")
    parser.add_argument(
        "--pg",
        metavar="URL",
        default=os.environ.get("BENCH_DATABASE_URL") or None,
        help="PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres "
        "(default: $BENCH_DATABASE_URL; without either, SQLite)",
    )
    parser.add_argument(
        "--pg-db",
        metavar="NAME",
        help=f"name of the throwaway PostgreSQL database (default govmedia_bench_{name})",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the row counts (0.1 for a quick run)"
    )
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "govmedia.settings"
    os.environ["GOVMEDIA_VAR_DIR"] = f"/tmp/govmedia-bench-{name}"
    os.environ["DEBUG"] = "1"
    if args.pg:
        db_url = _fresh_pg_database(args.pg, args.pg_db or f"govmedia_bench_{name}")
        os.environ["DATABASE_URL"] = db_url
    else:
        db_file = Path(os.environ["GOVMEDIA_VAR_DIR"]) / "govmedia.sqlite3"
        db_file.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return args


def _fresh_pg_database(server_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def db_label() -> str:
    from django.db import connection

    return connection.vendor


def on_postgresql_only() -> str:
    """Words after a target line whose target is set for PostgreSQL, when measured elsewhere."""
    if db_label() == "postgresql":
        return ""
    return (
        f" (measured on {db_label()}; the target is PostgreSQL's: BENCH_DATABASE_URL=… make bench)"
    )


def bench_admins(root, unit, password: str, *, prefix: str = "bench"):
    """The benches' platform administrator (at the district, with a second factor) and a unit
    administrator of `unit` (None: no unit administrator)."""
    from govmedia.users.models import User

    admin = User.objects.create(
        username=f"{prefix}admin",
        name="管理员",
        org=root,
        role="platform_admin",
        password=password,
        must_change_password=False,
        totp_enabled=True,
        totp_secret="JBSWY3DPEHPK3PXP",
    )
    if unit is None:
        return admin, None
    unit_admin = User.objects.create(
        username=f"{prefix}unit",
        name="单位管理员",
        org=unit,
        role="unit_admin",
        password=password,
        must_change_password=False,
    )
    return admin, unit_admin


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_verified"] = True
    session.save()
    return client


def time_page(client, url: str, runs: int = 7) -> tuple[float, int, int]:
    """Median server time in ms, query count and response size of GET url."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and the template loader
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(timings), queries, len(response.content)


def report(rows: list[tuple]) -> None:
    print(f"{'database':<11}{'page':<34}{'rows':>8}{'median ms':>11}{'queries':>9}{'KB':>8}")
    for database, page, count, ms, queries, size in rows:
        print(f"{database:<11}{page:<34}{count:>8}{ms:>11.1f}{queries:>9}{size / 1024:>8.0f}")
