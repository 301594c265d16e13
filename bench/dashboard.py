"""The 工作台 at district scale (run by hand, prints figures).

    .venv/bin/python bench/dashboard.py                       # SQLite (a file under /tmp)
    .venv/bin/python bench/dashboard.py --pg postgres://postgres@127.0.0.1:5432/postgres

The district of the notice, ten times over: 40 units with 10 accounts each (one in ten without a
备案号), 4,000 filings in every state (a third of them waiting at a review step, some overdue),
and 20,000 notifications of which the administrator has read half. Measured: the 工作台 of the
platform administrator (every provider answers district-wide) and of a unit administrator, and
a plain page (the filing list) to show what the navigation counts add to every page.
"""

import random
from datetime import timedelta

from common import bench_admins, client_for, configure, db_label, report, time_page

N_UNITS, ACCOUNTS_PER_UNIT = 40, 10
FILINGS_PER_UNIT = 100
NOTIFICATIONS = 20_000
STATES = ("draft", "returned", "submitted", "supervisor_approved", "filed")


def seed(scale: float, rng: random.Random):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from govmedia.notifications.models import Notification, NotificationRead
    from govmedia.orgs.models import Organization, OrgType
    from govmedia.registry.models import FORM_FIELDS, Filing, MediaAccount, Platform
    from govmedia.registry.platforms import ensure_default_platforms

    ensure_default_platforms(Platform)
    wechat = Platform.objects.get(code="wechat-mp")
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
    form = {f: "" for f in FORM_FIELDS if f not in ("platform", "registered_on", "verified")}
    form |= {"platform": wechat, "positioning": "政务信息发布", "operator_kind": "own"}
    MediaAccount.objects.bulk_create(
        MediaAccount(
            **(form | {"name": f"{unit.name}账号{j}", "handle": f"u{unit.pk}a{j}"}),
            host_org=unit,
            filing_no=None if j == 0 else f"定陶新媒备〔2026〕u{unit.pk}a{j}",
        )
        for unit in units
        for j in range(ACCOUNTS_PER_UNIT)
    )
    password = make_password("Bench#2026")
    admin, unit_admin = bench_admins(root, units[0], password, prefix="")
    today, now = timezone.localdate(), timezone.now()
    filings = []
    for unit in units:
        for k in range(int(FILINGS_PER_UNIT * max(scale, 0.1))):
            state = rng.choice(STATES)
            submitted = state not in ("draft",)
            filings.append(
                Filing(
                    **(form | {"name": f"{unit.name}备案{k}", "handle": f"f{unit.pk}x{k}"}),
                    kind="open",
                    state=state,
                    org=unit,
                    event_date=today - timedelta(days=rng.randint(1, 60)),
                    due_on=today + timedelta(days=rng.randint(-20, 10)),
                    created_by=unit_admin,
                    submitted_at=now - timedelta(days=rng.randint(0, 20)) if submitted else None,
                    filing_no=f"定陶新媒备〔2026〕f{unit.pk}x{k}" if state == "filed" else "",
                )
            )
    Filing.objects.bulk_create(filings, batch_size=1000)
    notes = Notification.objects.bulk_create(
        (
            Notification(
                recipient_org=root if i % 2 else rng.choice(units),
                kind="filing_overdue",
                message=f"提醒 {i}",
            )
            for i in range(int(NOTIFICATIONS * scale))
        ),
        batch_size=2000,
    )
    NotificationRead.objects.bulk_create(
        (NotificationRead(notification=n, user=admin) for n in notes[::2]), batch_size=2000
    )
    return admin, unit_admin, len(filings), len(notes)


def main():
    args = configure("dashboard")
    admin, unit_admin, n_filings, n_notes = seed(args.scale, random.Random(14))
    database = db_label()
    rows = []
    for label, user in (("工作台（平台管理员）", admin), ("工作台（单位管理员）", unit_admin)):
        ms, queries, size = time_page(client_for(user), "/")
        rows.append((database, label, n_filings, ms, queries, size))
    ms, queries, size = time_page(client_for(admin), "/registry/filings/")
    rows.append((database, "备案列表（含导航计数）", n_filings, ms, queries, size))
    print(f"{n_filings} filings, {n_notes} notifications")
    report(rows)


if __name__ == "__main__":
    main()
