"""留言互动 at district scale (run by hand, prints figures).

    .venv/bin/python bench/interaction.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/interaction.py --pg postgres://postgres@127.0.0.1:5432/postgres

Target (issue 16): the inbox with 1,000,000 messages under 150 ms server time on PostgreSQL,
with the same number of queries at a tenth of that size. 40 townships × 10 accounts; one message
every 30 seconds going back about a year; 4 % still open (待分办/办理中), the rest 已办结.
Timed: the district office's and a unit administrator's inbox (待办, 我的, 已超期, 全部, a text
search) and the API list.

    .venv/bin/python bench/interaction.py --pg URL --keep        # reuse the database if full

--keep (PostgreSQL) keeps the bench database between runs: a run that finds the million
messages there times the pages again without building them (minutes), and leaves them for
the next run; the comparison at a tenth of the size, which needs the rows replaced, is then
left out (run without --keep for it).
"""

import sys
import time
from datetime import timedelta

import common
from common import bench_admins, client_for, configure, db_label, report, time_page

N_UNITS, ACCOUNTS_PER_UNIT = 40, 10
MESSAGES = 1_000_000
COLUMNS = (
    "org_id, account_id, source, platform_comment_id, platform_post_id, post_excerpt, "
    "author_name, author_contact, reference, text, received_at, suggested_class, message_class, "
    "no_reply_reason, state, handler_id, return_reason, transfers, due_at, remind_at, "
    "district_due_at, created_at, is_demo, version"
)


def seed_world():
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from govmedia.orgs.models import Organization, OrgType
    from govmedia.registry.models import MediaAccount, Platform
    from govmedia.registry.platforms import ensure_default_platforms

    ensure_default_platforms(Platform)
    root = Organization.objects.create(name="菏泽市定陶区", org_type=OrgType.DISTRICT, path="/p/")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = Organization.objects.bulk_create(
        Organization(name=f"镇街{i:02d}", parent=root, path="", depth=1, org_type=OrgType.TOWNSHIP)
        for i in range(N_UNITS)
    )
    for unit in units:
        unit.path = f"{root.path}{unit.pk}/"
    Organization.objects.bulk_update(units, ["path"])
    weibo = Platform.objects.get(code="weibo")
    accounts = MediaAccount.objects.bulk_create(
        MediaAccount(
            host_org=unit,
            platform=weibo,
            name=f"{unit.name}微博{j}",
            handle=f"u{unit.pk}w{j}",
            registrant=unit.name,
            positioning="政务信息发布",
            registered_on=timezone.localdate(),
        )
        for unit in units
        for j in range(ACCOUNTS_PER_UNIT)
    )
    admin, unit_admin = bench_admins(root, units[0], make_password("Bench#2026"), prefix="")
    return root, units, accounts, admin, unit_admin


def existing_world(n: int):
    """The world and messages a --keep run left, if it holds n messages; else None."""
    from govmedia.interaction.models import Message
    from govmedia.orgs.models import Organization
    from govmedia.registry.models import MediaAccount
    from govmedia.users.models import User

    if Message.objects.count() != n:
        return None
    root = Organization.objects.get(parent__isnull=True)
    units = list(Organization.objects.filter(parent=root).order_by("pk"))
    accounts = list(MediaAccount.objects.order_by("pk"))
    return (
        root,
        units,
        accounts,
        User.objects.get(username="admin"),
        User.objects.get(username="unit"),
    )


def _kept_database(server_url: str, name: str) -> str:
    """common's database set-up for --keep: create the database only when it is missing."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def seed_messages(n: int, accounts, handler_id: int, spacing: int = 30) -> float:
    """n messages, inserted in bulk by the database itself (PostgreSQL) or in batches."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    account_ids = [a.pk for a in accounts]
    org_ids = [a.host_org_id for a in accounts]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                INSERT INTO interaction_message ({COLUMNS})
                SELECT (%(orgs)s::bigint[])[1 + g %% %(n_acc)s],
                       (%(accs)s::bigint[])[1 + g %% %(n_acc)s],
                       'comment', g::text, 'p' || (g / 20)::text, '', '网友' || (g %% 997)::text,
                       '', '', '请问第' || g::text || '号事项如何办理？供暖、医保、入学咨询',
                       %(now)s - g * %(spacing)s * interval '1 second', 'consult',
                       CASE WHEN g %% 25 = 0 THEN '' ELSE 'consult' END, '',
                       CASE WHEN g %% 25 = 0 THEN 'new' WHEN g %% 25 = 1 THEN 'handling'
                            ELSE 'closed' END,
                       CASE WHEN g %% 25 = 1 THEN %(handler)s ELSE NULL END,
                       '', 0,
                       %(now)s - g * %(spacing)s * interval '1 second' + interval '3 days',
                       %(now)s - g * %(spacing)s * interval '1 second' + interval '3 days' - interval '4 hours',
                       %(now)s - g * %(spacing)s * interval '1 second' + interval '5 days',
                       %(now)s, false, 1
                FROM generate_series(1, %(n)s) AS g
                """,
                {
                    "orgs": org_ids,
                    "accs": account_ids,
                    "n_acc": len(account_ids),
                    "now": now,
                    "handler": handler_id,
                    "n": n,
                    "spacing": spacing,
                },
            )
            # As autovacuum leaves a table in production: statistics and the visibility map
            # (index-only counts).
            cursor.execute("VACUUM ANALYZE interaction_message")
        else:
            placeholders = ", ".join(["%s"] * 24)
            sql = f"INSERT INTO interaction_message ({COLUMNS}) VALUES ({placeholders})"
            batch = []
            for g in range(1, n + 1):
                at = now - timedelta(seconds=spacing * g)
                state = "new" if g % 25 == 0 else "handling" if g % 25 == 1 else "closed"
                index = g % len(account_ids)
                batch.append(
                    (
                        org_ids[index],
                        account_ids[index],
                        "comment",
                        str(g),
                        f"p{g // 20}",
                        "",
                        f"网友{g % 997}",
                        "",
                        "",
                        f"请问第{g}号事项如何办理？供暖、医保、入学咨询",
                        at,
                        "consult",
                        "" if g % 25 == 0 else "consult",
                        "",
                        state,
                        handler_id if g % 25 == 1 else None,
                        "",
                        0,
                        at + timedelta(days=3),
                        at + timedelta(days=3, hours=-4),
                        at + timedelta(days=5),
                        now,
                        False,
                        1,
                    )
                )
                if len(batch) == 20000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def db_time(client, url: str, runs: int = 7) -> float:
    """Median time (ms) the database spent on GET url's queries: what grows with the rows,
    apart from the template rendering that a loaded machine slows down."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    totals = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        totals.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return statistics.median(totals)


def explained(client, url: str) -> tuple[float, bool] | None:
    """PostgreSQL only: the server-side execution time (EXPLAIN ANALYZE) of the page's queries
    on the messages, summed: what the table's size costs, apart from a loaded machine's
    scheduling of the client and the round trips; and whether a plan read the gram index."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        return None
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    total, grams = 0.0, False
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.startswith("SELECT") and "interaction_message" in sql:
                cursor.execute("EXPLAIN (ANALYZE) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                total += float(re.search(r"Execution Time: ([\d.]+)", plan).group(1))
                grams = grams or "msg_text_grams" in plan
    return total, grams


def index_sizes() -> str:
    """PostgreSQL: the messages' table and the search's gram index, on disk."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return "—"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('interaction_message'), "
            "pg_relation_size(to_regclass('msg_text_grams'))"
        )
        table, grams = cursor.fetchone()
    return f"table {table / 2**20:.0f} MB, gram index {(grams or 0) / 2**20:.0f} MB"


def measure(n: int, label: str, spacing: int = 30, *, keep: bool = False):
    from django.db import connection

    world = existing_world(n) if keep else None
    if world:
        root, units, accounts, admin, unit_admin = world
        print(f"{db_label()}: {n:,} messages kept from an earlier run ({label})")
    else:
        if keep:
            clear_world()
        root, units, accounts, admin, unit_admin = seed_world()
        seconds = seed_messages(n, accounts, unit_admin.pk, spacing)
        print(f"{db_label()}: {n:,} messages inserted in {seconds:.1f} s ({label})")
    rows = []
    urls = [
        ("/interaction/", "inbox 待办"),
        ("/interaction/?view=mine", "inbox 我的"),
        ("/interaction/?view=overdue", "inbox 已超期"),
        ("/interaction/?view=all", "inbox 全部"),
        ("/interaction/?view=all&page=50", "inbox 全部 page 50"),
        # Every message holds 供暖 (the planner walks the receipt-time index), none holds 物业
        # (it looks the pairs up in the gram index of migration 0004), one holds 第12345号.
        ("/interaction/?view=all&q=供暖&state=closed", "inbox search 供暖 已办结"),
        ("/interaction/?view=all&q=供暖", "inbox search 供暖"),
        ("/interaction/?view=all&q=物业", "inbox search rare 2 chars"),
        ("/interaction/?view=all&q=物业费收", "inbox search rare 4 chars"),
        ("/interaction/?view=all&q=第12345号", "inbox search one match"),
        ("/interaction/?view=all&q=费", "inbox search rare 1 char"),
        ("/api/v1/interaction/messages?view=all&q=物业&limit=50", "API search rare 2 chars"),
        ("/api/v1/interaction/messages?limit=50", "API list 待办"),
    ]
    sql = []
    for who, name in ((client_for(admin), "district"), (client_for(unit_admin), "unit")):
        for url, page in urls:
            cpu = time.process_time()
            ms, queries, size = time_page(who, url)
            cpu = (time.process_time() - cpu) * 1000 / 8  # time_page: a warm-up and 7 runs
            rows.append((db_label(), f"{name} {page}", n, ms, queries, size))
            sql.append((f"{name} {page}", cpu, db_time(who, url), explained(who, url)))
    report(rows)
    print("per page: the process's CPU time per request (client and server, ms), database time")
    print("(median ms of all its queries, as the client saw them), the server-side execution")
    print("time of its queries on the messages (EXPLAIN ANALYZE, ms), * = read the gram index:")
    for page, cpu, ms, executed in sql:
        shown = f"{executed[0]:>9.1f}{'*' if executed[1] else ''}" if executed else "        —"
        print(f"  {page:<34}{cpu:>9.1f}{ms:>9.1f}{shown}")
    print(f"sizes: {index_sizes()}")
    slowest = max(rows, key=lambda row: row[3])
    verdict = "met" if slowest[3] < 150 else "NOT met"
    print(f"target: every page under 150 ms server time at {n:,} messages: {verdict}")
    print(f"  (slowest: {slowest[1]} {slowest[3]:.1f} ms, load average {_load()})")
    connection.close()
    return rows


def clear_world():
    from django.db import connection

    from govmedia.orgs.models import Organization
    from govmedia.registry.models import MediaAccount
    from govmedia.users.models import User

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM interaction_message")
    User.objects.all().delete()
    MediaAccount.objects.all().delete()
    Organization.objects.filter(parent__isnull=False).delete()
    Organization.objects.all().delete()


def _load() -> str:
    import os

    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    keep = "--keep" in sys.argv
    if keep:
        common._fresh_pg_database = _kept_database
    args = configure("interaction", [a for a in sys.argv[1:] if a != "--keep"])
    n = max(1000, int(MESSAGES * args.scale))
    full = measure(n, "full", keep=keep and bool(args.pg))
    if keep and args.pg:
        print("--keep: the database is left as it is; no comparison at a tenth of the size")
        return
    # A tenth of the size, in the same database, to show the query count does not grow.
    clear_world()
    # Spread over the same year, so every page (overdue, mine …) is as full as at full size.
    tenth = measure(max(1000, n // 10), "a tenth", spacing=300)
    same = all(a[4] == b[4] for a, b in zip(full, tenth, strict=True))
    print(f"query counts equal at full size and a tenth: {same}")


if __name__ == "__main__":
    main()
