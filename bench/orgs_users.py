"""Organization tree page and user list with 2,000 organizations and 5,000 users.

    .venv/bin/python bench/orgs_users.py                       # SQLite
    .venv/bin/python bench/orgs_users.py --pg postgres://postgres@127.0.0.1:5432/postgres

Target (foundation issue): under 150 ms server time, and a query count that does not grow with
the number of rows (measured at a tenth of the size and at full size).
"""

from common import bench_admins, client_for, configure, db_label, report, time_page


def seed(n_orgs: int, n_users: int):
    from django.contrib.auth.hashers import make_password

    from govmedia.orgs.models import Organization, OrgType
    from govmedia.users.models import User

    root = Organization.objects.create(name="菏泽市定陶区", org_type=OrgType.DISTRICT, path="/1/")
    root.path = f"/{root.pk}/"
    root.save()
    units = Organization.objects.bulk_create(
        Organization(
            name=f"单位{i:04d}",
            org_type=OrgType.TOWNSHIP if i % 3 else OrgType.DEPARTMENT,
            parent=root,
            path="",
            depth=1,
        )
        for i in range(n_orgs // 10)
    )
    for unit in units:
        unit.path = f"{root.path}{unit.pk}/"
    Organization.objects.bulk_update(units, ["path"])
    subs = Organization.objects.bulk_create(
        Organization(
            name=f"{unit.name}下属{j}", org_type=OrgType.SUBORDINATE, parent=unit, path="", depth=2
        )
        for unit in units
        for j in range(9)
    )
    by_pk = {u.pk: u for u in units}
    for sub in subs:
        sub.path = f"{by_pk[sub.parent_id].path}{sub.pk}/"
    Organization.objects.bulk_update(subs, ["path"], batch_size=1000)
    password = make_password("Bench#Pass2026")
    orgs = [root, *units, *subs]
    User.objects.bulk_create(
        (
            User(
                username=f"user{i:05d}",
                name=f"用户{i}",
                org=orgs[i % len(orgs)],
                role="editor" if i % 4 else "unit_admin",
                password=password,
                must_change_password=False,
            )
            for i in range(n_users)
        ),
        batch_size=1000,
    )
    admin, _ = bench_admins(root, None, password)
    return admin, units[0]


def main():
    args = configure("orgs_users")
    from govmedia.orgs.models import Organization
    from govmedia.users.models import User

    rows = []
    for fraction in (0.1, 1.0):
        User.objects.all().delete()
        Organization.objects.update(parent=None, supervisor=None, merged_into=None)
        Organization.objects.all().delete()
        n_orgs, n_users = int(2000 * fraction * args.scale), int(5000 * fraction * args.scale)
        admin, unit = seed(n_orgs, n_users)
        unit_admin = User.objects.create(
            username=f"unitadmin{fraction}",
            name="单位管理员",
            org=unit,
            role="unit_admin",
            must_change_password=False,
        )
        for label, user, url in (
            ("org tree (admin, all)", admin, "/orgs/"),
            ("org tree search", admin, "/orgs/?q=单位01"),
            ("user list (admin, page 1)", admin, "/users/"),
            ("user list search", admin, "/users/?q=用户1"),
            ("org tree (unit admin)", unit_admin, "/orgs/"),
        ):
            ms, queries, size = time_page(client_for(user), url)
            rows.append(
                (db_label(), label, n_orgs if "org" in label else n_users, ms, queries, size)
            )
    report(rows)


if __name__ == "__main__":
    main()
