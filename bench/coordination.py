"""协同转载 at district scale (run by hand, prints figures).

    .venv/bin/python bench/coordination.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/coordination.py --pg postgres://postgres@127.0.0.1:5432/postgres

Targets (issue 15, 协同联动):
- completion detection over 50,000 newly pulled posts against 2,000 open tasks under 10 s
  (400 accounts with 5 open tasks each; 125 posts per account, one in 25 a repost of one of
  its tasks' sources with a light edit, the rest other synthetic 政务 texts);
- the completion matrix page with 500 tasks × 400 accounts (200,000 task rows) under 150 ms
  server time on PostgreSQL, with the same number of queries at a tenth of that size.

The texts come from bench/publishing_match.py's generator (fixed seed).
"""

import random
import time
from datetime import timedelta

from common import (
    bench_admins,
    client_for,
    configure,
    db_label,
    on_postgresql_only,
    report,
    time_page,
)
from publishing_match import light_edit, synthetic_article

N_UNITS, ACCOUNTS_PER_UNIT = 40, 10  # 400 accounts
OPEN_PER_ACCOUNT = 5  # 2,000 open tasks
POSTS_PER_ACCOUNT = 125  # 50,000 posts
MATRIX_CAMPAIGNS = 500
TASKS_API = "/api/v1/coordination/tasks"


def seed_world(scale: float):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from govmedia.orgs.models import Organization, OrgType
    from govmedia.registry.models import MediaAccount, Platform
    from govmedia.registry.platforms import ensure_default_platforms

    ensure_default_platforms(Platform)
    root = Organization.objects.create(name="菏泽市定陶区", org_type=OrgType.DISTRICT, path="/p/")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    n_units = max(2, int(N_UNITS * scale))
    units = Organization.objects.bulk_create(
        Organization(name=f"镇街{i:02d}", parent=root, path="", depth=1, org_type=OrgType.TOWNSHIP)
        for i in range(n_units)
    )
    for unit in units:
        unit.path = f"{root.path}{unit.pk}/"
    Organization.objects.bulk_update(units, ["path"])
    wechat, weibo = Platform.objects.get(code="wechat-mp"), Platform.objects.get(code="weibo")
    accounts = MediaAccount.objects.bulk_create(
        MediaAccount(
            host_org=unit,
            platform=wechat if j % 2 == 0 else weibo,
            name=f"{unit.name}账号{j}",
            handle=f"u{unit.pk}a{j}",
            registrant=unit.name,
            positioning="政务信息发布",
            registered_on=timezone.localdate(),
        )
        for unit in units
        for j in range(ACCOUNTS_PER_UNIT)
    )
    source_account = MediaAccount.objects.create(
        host_org=root,
        platform=wechat,
        name="定陶发布",
        handle="dt_gov",
        registrant="区政府办公室",
        positioning="政务信息发布",
    )
    password = make_password("Bench#2026")
    admin, unit_admin = bench_admins(root, units[0], password, prefix="")
    return root, units, accounts, source_account, admin, unit_admin


def seed_campaigns(n, accounts, source_account, admin, rng, issued):
    """n campaigns, each with a task for every account (bulk, as the service writes them)."""
    from govmedia.coordination.models import RepostCampaign, RepostTask
    from govmedia.monitoring.ingest import content_hash
    from govmedia.monitoring.models import Post

    texts = [synthetic_article(rng) for _ in range(n)]
    first = RepostCampaign.objects.count()
    sources = Post.objects.bulk_create(
        Post(
            account=source_account,
            platform_post_id=f"src{first + i}",
            title=text.split("\n")[0][:100],
            text=text,
            published_at=issued - timedelta(hours=1),
            content_hash=content_hash("", text),
            first_seen_at=issued,
            last_seen_at=issued,
        )
        for i, text in enumerate(texts)
    )
    due = issued + timedelta(days=1)
    campaigns = RepostCampaign.objects.bulk_create(
        RepostCampaign(
            org=admin.org,
            title=f"转载：{source.title}"[:200],
            source_kind="post",
            source_post=source,
            source_account=source_account,
            source_title=source.title,
            source_text=source.text,
            source_published_at=source.published_at,
            rule={"platforms": ["wechat-mp", "weibo"]},
            target_count=len(accounts),
            deadline_value=1,
            deadline_unit="days",
            issued_at=issued,
            due_at=due,
            remind_at=due - timedelta(hours=4),
            issued_by=admin,
        )
        for source in sources
    )
    RepostTask.objects.bulk_create(
        (
            RepostTask(campaign=c, account=a, org_id=a.host_org_id, due_at=due)
            for c in campaigns
            for a in accounts
        ),
        batch_size=5000,
    )
    return campaigns, texts


def seed_posts(accounts, texts, rng, issued):
    from govmedia.monitoring.ingest import content_hash
    from govmedia.monitoring.models import Post

    others = [synthetic_article(rng) for _ in range(500)]
    rows, reposts = [], 0
    for account in accounts:
        for k in range(POSTS_PER_ACCOUNT):
            if k % 25 == 0:
                text, reposts = light_edit(rng, rng.choice(texts)), reposts + 1
            else:
                text = rng.choice(others)
            at = issued + timedelta(minutes=k)
            rows.append(
                Post(
                    account=account,
                    platform_post_id=f"p{account.pk}-{k}",
                    text=text,
                    published_at=at,
                    content_hash=content_hash("", text),
                    first_seen_at=at,
                    last_seen_at=at,
                )
            )
    posts = Post.objects.bulk_create(rows, batch_size=5000)
    return [p.pk for p in posts], reposts


def analyze() -> None:
    """Fresh planner statistics after the bulk inserts (autovacuum's ANALYZE does this in a
    running installation)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def explained(client, url: str) -> tuple[float, float]:
    """The page's CPU ms in this process, and on PostgreSQL the sum of its SELECTs' execution
    times by EXPLAIN ANALYZE (0 elsewhere): figures a loaded machine moves less than the
    wall time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu = time.process_time()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    cpu_ms = (time.process_time() - cpu) * 1000
    if connection.vendor != "postgresql":
        return cpu_ms, 0.0
    executed = 0.0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                executed += cursor.fetchone()[0][0]["Execution Time"]
    return cpu_ms, executed


def main() -> None:
    args = configure("coordination")
    from django.utils import timezone

    from govmedia.coordination.detection import detect_reposts
    from govmedia.coordination.models import RepostTask

    rng = random.Random(15)
    rows = []
    started = time.perf_counter()
    root, units, accounts, source_account, admin, unit_admin = seed_world(args.scale)
    issued = timezone.now() - timedelta(days=2)
    _, texts = seed_campaigns(OPEN_PER_ACCOUNT, accounts, source_account, admin, rng, issued)
    post_ids, reposts = seed_posts(accounts, texts, rng, issued)
    print(
        f"seeded {len(accounts)} accounts, {RepostTask.objects.count()} open tasks, "
        f"{len(post_ids)} posts ({reposts} reposts) in {time.perf_counter() - started:.1f} s "
        f"({db_label()})",
        flush=True,
    )
    analyze()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as captured:
        stats = detect_reposts(post_ids)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    in_database = sum(float(query["time"]) for query in captured.captured_queries)
    # CPU seconds of this process besides the wall time: on a loaded machine the wall time
    # mostly measures the other processes (the database server's work is in neither; the
    # time spent waiting on its statements is given apart).
    print(
        f"detection: {len(post_ids)} posts against {OPEN_PER_ACCOUNT * len(accounts)} open "
        f"tasks in {seconds:.1f} s ({cpu:.1f} s CPU; {len(captured)} statements, "
        f"{in_database:.1f} s waiting on them); {stats.completed} tasks completed",
        flush=True,
    )
    rows.append((db_label(), "detect 50k posts / 2k tasks", len(post_ids), seconds * 1000, 0, 0))
    detect_seconds = seconds

    client, unit_client = client_for(admin), client_for(unit_admin)
    matrix = {}  # campaigns → (slowest ms of the matrix pages, their query counts)
    for campaigns in (MATRIX_CAMPAIGNS // 10, MATRIX_CAMPAIGNS):
        have = RepostTask.objects.values("campaign_id").distinct().count()
        if campaigns > have:
            seed_campaigns(
                campaigns - have, accounts, source_account, admin, rng, issued - timedelta(days=1)
            )
        analyze()
        count = RepostTask.objects.count()
        for label, who, url in (
            ("matrix (admin)", client, "/coordination/matrix/"),
            ("matrix page 10 (admin)", client, "/coordination/matrix/?page=10&cpage=3"),
            ("matrix by platform (admin)", client, "/coordination/matrix/?platform=weibo"),
            ("matrix (unit admin)", unit_client, "/coordination/matrix/"),
            ("campaign list (admin)", client, "/coordination/"),
            ("api tasks (admin)", client, "/api/v1/coordination/tasks?limit=50"),
            ("api tasks offset 10k (admin)", client, f"{TASKS_API}?limit=50&offset=10000"),
            ("api tasks (unit admin)", unit_client, f"{TASKS_API}?limit=50"),
        ):
            ms, queries, size = time_page(who, url)
            rows.append((db_label(), label, count, ms, queries, size))
            cpu_ms, executed = explained(who, url)
            print(
                f"{label} at {count} tasks: {cpu_ms:.0f} ms CPU, "
                f"SELECTs executed in {executed:.1f} ms (EXPLAIN ANALYZE)",
                flush=True,
            )
            if label.startswith("matrix"):
                slowest, counts = matrix.get(campaigns, (0.0, []))
                matrix[campaigns] = (max(slowest, ms), [*counts, queries])
    report(rows)
    scale = f" (scale {args.scale:g})" if args.scale != 1 else ""
    met = "met" if detect_seconds < 10 else "NOT met"
    print(
        f"target: detection 50,000 posts vs 2,000 open tasks < 10 s{scale}: "
        f"{detect_seconds:.1f} s, {met}"
    )
    small, large = matrix[MATRIX_CAMPAIGNS // 10], matrix[MATRIX_CAMPAIGNS]
    met = "met" if large[0] < 150 else "NOT met"
    print(
        f"target: matrix page 500 tasks x 400 accounts < 150 ms on PostgreSQL{scale} "
        f"({db_label()}): {large[0]:.0f} ms, {met}{on_postgresql_only()}"
    )
    met = "met" if small[1] == large[1] else "NOT met"
    print(f"target: matrix constant queries (50 vs 500 tasks): {small[1]} vs {large[1]}, {met}")


if __name__ == "__main__":
    main()
