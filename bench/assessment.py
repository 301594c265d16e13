"""检查考核 at district scale (run by hand, prints figures).

    .venv/bin/python bench/assessment.py --scale 0.1                 # SQLite (a file under /tmp)
    .venv/bin/python bench/assessment.py --pg postgres://postgres@127.0.0.1:5432/postgres

Targets (issue 18):
- automatic evaluation of 10,000 accounts at one check time with 1,000,000 posts under 30 s on
  PostgreSQL (the rules over all accounts, and writing 10,000 sheets × 15 items);
- a bulletin with 400 accounts: DOCX under 2 s, PDF under 5 s;
- the rankings page at 10,000 accounts × 24 months (240,000 monthly rows) under 150 ms server
  time, with the same number of queries at a tenth of the size.

Posts and monthly rows are inserted with one SQL statement each on PostgreSQL (generate_series);
on SQLite with bulk inserts, so use --scale there.
"""

import time
from datetime import date, datetime, timedelta

from common import (
    bench_admins,
    client_for,
    configure,
    db_label,
    on_postgresql_only,
    report,
    time_page,
)

N_UNITS = 100
ACCOUNTS = 10_000
POSTS_PER_ACCOUNT = 100
MONTHS = 24
BULLETIN_ACCOUNTS = 400


def seed_world(scale: float):
    from django.contrib.auth.hashers import make_password

    from govmedia.orgs.models import Organization, OrgType
    from govmedia.registry.models import MediaAccount, Platform
    from govmedia.registry.platforms import ensure_default_platforms

    ensure_default_platforms(Platform)
    root = Organization.objects.create(name="菏泽市定陶区", org_type=OrgType.DISTRICT, path="/p/")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = Organization.objects.bulk_create(
        Organization(
            name=f"单位{i:03d}",
            parent=root,
            path="",
            depth=1,
            org_type=OrgType.TOWNSHIP if i % 3 else OrgType.DEPARTMENT,
        )
        for i in range(N_UNITS)
    )
    for unit in units:
        unit.path = f"{root.path}{unit.pk}/"
    Organization.objects.bulk_update(units, ["path"])
    platforms = list(Platform.objects.filter(code__in=["wechat-mp", "weibo", "douyin"]))
    n = max(100, int(ACCOUNTS * scale))
    accounts = MediaAccount.objects.bulk_create(
        (
            MediaAccount(
                host_org=units[i % N_UNITS],
                platform=platforms[i % len(platforms)],
                name=f"账号{i:05d}",
                handle=f"h{i}",
                registrant=units[i % N_UNITS].name,
                positioning="政务信息发布",
                registered_on=date(2025, 1, 1),
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    admin, _ = bench_admins(root, None, make_password("Bench#2026"), prefix="")
    return root, accounts, admin, platforms


def seed_posts(accounts, check_at: datetime, scale: float) -> int:
    """POSTS_PER_ACCOUNT posts per account over the 200 days before the check time; one
    account in five has not posted in the last 20 days (the 2-week rule hits it). One successful
    pull per account the day before."""
    from django.db import connection

    from govmedia.monitoring.models import Post, PullRun

    ids = [a.pk for a in accounts]
    PullRun.objects.bulk_create(
        (
            PullRun(
                account_id=pk,
                started_at=check_at - timedelta(days=1, minutes=1),
                finished_at=check_at - timedelta(days=1),
                outcome="ok" if pk % 50 else "failed",
            )
            for pk in ids
        ),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO monitoring_post (account_id, platform_post_id, title, text, is_html,
                    url, published_at, metrics, content_hash, first_seen_at, last_seen_at,
                    screened_hash)
                SELECT a, 'p' || a || '-' || k, '标题' || k, '正文', false, '',
                    %s - make_interval(days => (CASE WHEN a %% 5 = 0 THEN 20 ELSE 0 END) + k * 2,
                                       hours => k %% 7),
                    jsonb_build_object('reads', (a * 7 + k * 13) %% 5000, 'likes', k %% 40,
                                       'shares', k %% 9, 'comments', k %% 5),
                    'x', %s, %s, ''
                FROM unnest(%s::bigint[]) AS a, generate_series(0, %s - 1) AS k
                """,
                [check_at, check_at, check_at, ids, POSTS_PER_ACCOUNT],
            )
    else:
        batch = []
        for pk in ids:
            for k in range(POSTS_PER_ACCOUNT):
                published = check_at - timedelta(
                    days=(20 if pk % 5 == 0 else 0) + k * 2, hours=k % 7
                )
                batch.append(
                    Post(
                        account_id=pk,
                        platform_post_id=f"p{pk}-{k}",
                        title=f"标题{k}",
                        text="正文",
                        published_at=published,
                        metrics={"reads": (pk * 7 + k * 13) % 5000, "likes": k % 40},
                        content_hash="x",
                        first_seen_at=check_at,
                        last_seen_at=check_at,
                    )
                )
            if len(batch) >= 20000:
                Post.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Post.objects.bulk_create(batch, batch_size=5000)
    return Post.objects.count()


def seed_months(accounts, first: date) -> int:
    """MONTHS monthly rows per account (the rankings' table), ranked per platform."""
    from django.db import connection

    from govmedia.assessment.models import AccountMonth

    rows = []
    month = first
    months = []
    for _ in range(MONTHS):
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    if connection.vendor == "postgresql":
        ids = [a.pk for a in accounts]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO assessment_accountmonth (account_id, month, platform_id, org_id,
                    org_type, posts, reads, likes, shares, comments, wci, rank)
                SELECT ma.id, m, ma.platform_id, ma.host_org_id, o.org_type,
                    30, (ma.id * 31) %% 100000, 10, 5, 2, ((ma.id * 17) %% 90000) / 100.0,
                    row_number() OVER (PARTITION BY m, ma.platform_id
                                       ORDER BY ((ma.id * 17) %% 90000) DESC, ma.id)
                FROM registry_mediaaccount ma JOIN orgs_organization o ON o.id = ma.host_org_id,
                    unnest(%s::date[]) AS m
                WHERE ma.id = ANY(%s)
                """,
                [months, ids],
            )
    else:
        for m in months:
            ranked = sorted(accounts, key=lambda a: (-((a.pk * 17) % 90000), a.pk))
            places: dict[int, int] = {}
            for a in ranked:
                places[a.platform_id] = places.get(a.platform_id, 0) + 1
                rows.append(
                    AccountMonth(
                        account_id=a.pk,
                        month=m,
                        platform_id=a.platform_id,
                        org_id=a.host_org_id,
                        org_type=a.host_org.org_type,  # as the PostgreSQL branch joins it
                        posts=30,
                        reads=(a.pk * 31) % 100000,
                        likes=10,
                        shares=5,
                        comments=2,
                        wci=((a.pk * 17) % 90000) / 100,
                        rank=places[a.platform_id],
                    )
                )
        AccountMonth.objects.bulk_create(rows, batch_size=5000)
    return AccountMonth.objects.count()


def main() -> None:
    args = configure("assessment")
    from zoneinfo import ZoneInfo

    from django.db import connection

    from govmedia.assessment import rules
    from govmedia.assessment.documents import render_bulletin_docx, render_bulletin_pdf
    from govmedia.assessment.models import ItemResult, Outcome, ScoreSheet
    from govmedia.assessment.services import bulletins, checks, evaluation, rubrics

    check_at = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    started = time.perf_counter()
    root, accounts, admin, platforms = seed_world(args.scale)
    posts = seed_posts(accounts, check_at, args.scale)
    months = seed_months(accounts, date(2024, 12, 1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"seeded {len(accounts)} accounts, {posts} posts, {months} monthly rows "
        f"in {time.perf_counter() - started:.1f} s ({db_label()})"
    )

    rubric = rubrics.rubric_default_ensure(year=2026)
    check = checks.check_create(
        actor=admin,
        title="全量自动评价",
        kind="special",
        rubric_id=rubric.pk,
        check_at=check_at,
        period_start=date(2026, 9, 1),
        ratio="1",
    )
    check = checks.check_draw(actor=admin, check_id=check.pk, version=check.version, seed=1)
    from govmedia.registry.models import MediaAccount

    ctx = rules.Context(
        check_at=check_at,
        period_start=check.period_start,
        accounts=list(MediaAccount.objects.filter(pk__in=check.sample).select_related("host_org")),
    )
    t = time.perf_counter()
    found = rules.evaluate(rules.NO_UPDATE, ctx)
    two_weeks = time.perf_counter() - t
    print(f"2-week rule over {len(found)} accounts: {two_weeks:.2f} s {rules.counts(found)}")
    t = time.perf_counter()
    evaluation.evaluate_check(check)
    evaluate = time.perf_counter() - t
    items = ItemResult.objects.filter(sheet__check_run=check).count()
    print(
        f"automatic evaluation of {len(check.sample)} accounts at one check time "
        f"({posts} posts, {items} item results written): {evaluate:.2f} s"
    )
    met = "met" if evaluate < 30 and len(check.sample) >= ACCOUNTS else "NOT met"
    print(
        f"target: automatic evaluation of 10,000 accounts, 1,000,000 posts < 30 s on PostgreSQL "
        f"({len(check.sample)} accounts, {connection.vendor}): {evaluate:.1f} s, {met}"
        f"{on_postgresql_only()}"
    )

    # A bulletin of 400 accounts: every item answered, a quarter failed by a veto.
    small = checks.check_create(
        actor=admin,
        title="2026年第四季度政务新媒体抽查",
        kind="quarterly",
        rubric_id=rubric.pk,
        check_at=check_at,
        period_start=date(2026, 9, 1),
        count=min(BULLETIN_ACCOUNTS, len(accounts)),
    )
    small = checks.check_draw(actor=admin, check_id=small.pk, version=small.version, seed=2)
    sheets = list(ScoreSheet.objects.filter(check_run=small))
    small.state = "scoring"
    small.save()
    evaluation.evaluate_check(small)
    ItemResult.objects.filter(
        sheet__check_run=small, outcome__in=["pending", "undetermined"]
    ).update(outcome=Outcome.PASS)
    for sheet in sheets:
        evaluation.sheet_rescore(sheet)
        sheet.save()
    text = bulletins.bulletin_text(
        small, doc_no="定政办〔2026〕1号", issued_on=date(2026, 12, 3), due_on=date(2026, 12, 17)
    )
    t = time.perf_counter()
    docx = render_bulletin_docx(text)
    docx_s = time.perf_counter() - t
    t = time.perf_counter()
    pdf = render_bulletin_pdf(text)
    pdf_s = time.perf_counter() - t
    # The first PDF of a process parses and subsets the CJK fonts (officialdoc.font_cache);
    # later documents reuse the parsed fonts, and the same glyph set's subset.
    t = time.perf_counter()
    render_bulletin_pdf(text)
    again_s = time.perf_counter() - t
    print(
        f"bulletin with {len(sheets)} accounts ({len(text.failed_names)} failed): "
        f"DOCX {docx_s:.2f} s ({len(docx) // 1024} KB), PDF {pdf_s:.2f} s ({len(pdf) // 1024} KB; "
        f"first of the process), PDF again {again_s:.2f} s"
    )
    met = "met" if docx_s < 2 and pdf_s < 5 else "NOT met"
    print(f"target: bulletin DOCX < 2 s, PDF < 5 s: {docx_s:.2f} s, {pdf_s:.2f} s, {met}")

    client = client_for(admin)
    rows = []
    big, few = platforms[0], platforms[-1]
    for label, platform in (("rankings", big), ("rankings (other platform)", few)):
        url = f"/assessment/rankings/?month=2026-11&platform={platform.pk}"
        ms, queries, size = time_page(client, url)
        count = len(accounts) // len(platforms)
        rows.append((db_label(), label, count, ms, queries, size))
    url = f"/assessment/rankings/?month=2026-11&platform={big.pk}&org_type=department"
    ms, queries, size = time_page(client, url)
    rows.append(
        (
            db_label(),
            "rankings by unit type",
            len(accounts) // len(platforms) // 3,
            ms,
            queries,
            size,
        )
    )
    ms, queries, size = time_page(client, f"/assessment/accounts/{accounts[0].pk}/")
    rows.append((db_label(), "account trend (24 months)", MONTHS, ms, queries, size))
    report(rows)
    ranking_rows = [row for row in rows if row[1].startswith("rankings")]
    slowest = max(row[3] for row in ranking_rows)
    constant = len({row[4] for row in ranking_rows}) == 1
    met = "met" if slowest < 150 and constant and len(accounts) >= ACCOUNTS else "NOT met"
    print(
        f"target: rankings page at 10,000 accounts x 24 months < 150 ms, constant queries "
        f"({len(accounts)} accounts): {slowest:.0f} ms, "
        f"{'same' if constant else 'different'} query counts over 1,111-3,333 ranked rows, {met}"
    )


if __name__ == "__main__":
    main()
