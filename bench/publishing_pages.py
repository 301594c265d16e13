"""The review inbox and the article list with 100,000 articles and 1,000,000 decisions.

    .venv/bin/python bench/publishing_pages.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/publishing_pages.py --pg postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/publishing_pages.py --scale 0.1           # a quick run

Target (issue 10, “Measured”): server time under 150 ms on PostgreSQL, query count constant
from a tenth of the size to the full size. The data is synthetic and deterministic, written with
bulk_create (the services would take hours): 20 units, each with an editor and four reviewers;
article i has 2–4 runs (one revision each), every run two steps of two reviewers (mode all),
every finished run four approvals, and the last run of every fifth article still at its first
step, so each unit's first reviewer has ~1,000 steps waiting at full size. The data is grown
in place from the tenth to the full size, so both sizes are measured on one database.

Pages, through the Django test client (median of several requests, server time only):
the platform administrator's 全部稿件 (/publishing/?scope=all), an editor's 我的稿件, a
reviewer's 审核待办 (/publishing/inbox/) and the 未经审核发布 list.
"""

import hashlib
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from common import client_for, configure, db_label, report, time_page

N_UNITS = 20
ARTICLES = 100_000
CHINA = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 1, 5, 9, 0, tzinfo=CHINA)
BATCH = 5000
BODY = "<p>{title}：天中街道召开专题会议，部署冬季供暖保障、安全生产和便民服务等重点工作。</p>"


def seed_people():
    from django.contrib.auth.hashers import make_password

    from govmedia.orgs.models import Organization, OrgType
    from govmedia.users.models import User

    root = Organization.objects.create(
        name="菏泽市定陶区", org_type=OrgType.DISTRICT, path="/pending/"
    )
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = Organization.objects.bulk_create(
        Organization(name=f"镇街{i:02d}", parent=root, path="", depth=1, org_type=OrgType.TOWNSHIP)
        for i in range(N_UNITS)
    )
    for unit in units:
        unit.path = f"{root.path}{unit.pk}/"
    Organization.objects.bulk_update(units, ["path"])
    password = make_password("Bench#Pass2026")

    def user(username, org, role):
        return User(
            username=username,
            name=username,
            org=org,
            role=role,
            password=password,
            must_change_password=False,
        )

    admin = user("benchadmin", root, "platform_admin")
    admin.totp_enabled, admin.totp_secret = True, "JBSWY3DPEHPK3PXP"
    people = [admin]
    for u, unit in enumerate(units):
        people.append(user(f"editor{u:02d}", unit, "editor"))
        people += [user(f"reviewer{u:02d}_{r}", unit, "reviewer") for r in range(4)]
    User.objects.bulk_create(people)
    by_name = {p.username: p for p in User.objects.all()}
    staff = {
        unit.pk: (
            by_name[f"editor{u:02d}"],
            [by_name[f"reviewer{u:02d}_{r}"] for r in range(4)],
        )
        for u, unit in enumerate(units)
    }
    return by_name["benchadmin"], units, staff


def seed_articles(first: int, stop: int, units, staff) -> int:
    """Articles first..stop-1 with their revisions, runs, steps, reviewers and decisions;
    the number of decisions written."""
    from django.db import transaction

    decisions = 0
    for lo in range(first, stop, BATCH):
        with transaction.atomic():
            decisions += _seed_batch(lo, min(stop, lo + BATCH), units, staff)
    return decisions


def _seed_batch(lo: int, hi: int, units, staff) -> int:
    from govmedia.publishing.models import (
        CHECKS,
        Article,
        ReviewDecision,
        ReviewRun,
        ReviewRunStep,
        Revision,
    )

    through = ReviewRunStep.reviewers.through
    checks = dict.fromkeys(CHECKS, True)
    plan = []  # (article index, unit, runs)
    for i in range(lo, hi):
        runs = 2 + (i % 2) + (i % 5 == 0)
        plan.append((i, units[i % N_UNITS], runs))
    articles = Article.objects.bulk_create(
        Article(
            org=unit,
            content_class="daily",
            title=f"稿件{i:06d}",
            author=staff[unit.pk][0],
            state="in_review" if i % 5 == 0 else "approved",
        )
        for i, unit, _ in plan
    )
    revisions, run_rows = [], []
    for article, (i, unit, runs) in zip(articles, plan, strict=True):
        for number in range(1, runs + 1):
            body = BODY.format(title=article.title)
            revisions.append(
                Revision(
                    article=article,
                    number=number,
                    title=article.title,
                    body_html=body,
                    body_text=body[3:-4],
                    content_class="daily",
                    content_hash=hashlib.sha256(f"{i}:{number}".encode()).hexdigest(),
                    author=staff[unit.pk][0],
                )
            )
    Revision.objects.bulk_create(revisions, batch_size=2000)
    position = 0
    for article, (i, unit, runs) in zip(articles, plan, strict=True):
        for number in range(1, runs + 1):
            revision = revisions[position]
            position += 1
            last = number == runs
            pending = last and i % 5 == 0
            started = START + timedelta(minutes=i * 3 + number)
            run_rows.append(
                ReviewRun(
                    article=article,
                    revision=revision,
                    revision_hash=revision.content_hash,
                    flow_name="审核流程",
                    state="in_progress" if pending else ("approved" if last else "returned"),
                    submitted_by=staff[unit.pk][0],
                    started_at=started,
                    finished_at=None if pending else started + timedelta(hours=2),
                )
            )
    ReviewRun.objects.bulk_create(run_rows, batch_size=2000)
    current = {r.article_id: r for r in revisions}  # the last one of each article wins
    for article in articles:
        article.current_revision = current[article.pk]
    Article.objects.bulk_update(articles, ["current_revision"], batch_size=2000)
    steps = []
    for run in run_rows:
        pending = run.state == "in_progress"
        for position_, stage in ((1, "first"), (2, "final")):
            active = pending and position_ == 1
            steps.append(
                ReviewRunStep(
                    run=run,
                    position=position_,
                    stage=stage,
                    mode="all",
                    limit_value=2,
                    limit_unit="days",
                    state="active" if active else ("pending" if pending else "approved"),
                    activated_at=run.started_at if active or not pending else None,
                    due_at=run.started_at + timedelta(days=2) if active else None,
                )
            )
    ReviewRunStep.objects.bulk_create(steps, batch_size=2000)
    org_of = {article.pk: article.org_id for article in articles}
    rows, decided = [], []
    for step in steps:
        unit_staff = staff[org_of[step.run.article_id]][1]
        pair = unit_staff[:2] if step.position == 1 else unit_staff[2:]
        rows += [through(reviewrunstep_id=step.pk, user_id=u.pk) for u in pair]
        if step.state == "approved":
            decided += [
                ReviewDecision(
                    run=step.run,
                    run_step=step,
                    reviewer=u,
                    decision="approve",
                    checks=checks,
                    revision_hash=step.run.revision_hash,
                    decided_at=step.run.started_at + timedelta(hours=step.position),
                )
                for u in pair
            ]
    through.objects.bulk_create(rows, batch_size=5000)
    ReviewDecision.objects.bulk_create(decided, batch_size=5000)
    return len(decided)


def analyze():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main():
    args = configure("publishing_pages")
    from govmedia.publishing import inbox
    from govmedia.publishing.models import Article, ReviewDecision

    started = time.perf_counter()
    admin, units, staff = seed_people()
    editor, reviewers = staff[units[0].pk]  # unit 0 has work waiting (i % 5 == 0)
    pages = [
        ("全部稿件（平台管理员）", admin, "/publishing/?scope=all"),
        ("全部稿件 第50页", admin, "/publishing/?scope=all&page=50"),
        ("我的稿件（编辑）", editor, "/publishing/?scope=mine"),
        ("审核待办（审核人）", reviewers[0], "/publishing/inbox/"),
        ("未经审核发布", admin, "/publishing/unapproved/"),
    ]
    rows, seeded, total = [], 0, int(ARTICLES * args.scale)
    for fraction in (0.1, 1.0):
        target = int(total * fraction)
        started = time.perf_counter()
        seed_articles(seeded, target, units, staff)
        seeded = target
        inbox.rebuild()  # bulk_create bypasses the services that keep the inbox rows
        analyze()
        print(
            f"seeded {Article.objects.count()} articles, {ReviewDecision.objects.count()} "
            f"decisions in {time.perf_counter() - started:.1f} s ({db_label()})",
            flush=True,
        )
        for label, user, url in pages:
            ms, queries, size = time_page(client_for(user), url)
            rows.append((db_label(), label, seeded, ms, queries, size))
    report(rows)


if __name__ == "__main__":
    main()
