"""Load the demo district idempotently: what exists is left alone, what is missing is created.

The root org and the first administrator are bootstrapped directly (there is nobody yet to act);
everything else goes through the services, so the demo writes the same audit trail as real use.
"""

from django.conf import settings
from django.db import transaction

from govmedia.audit.services import audit_record, snapshot
from govmedia.orgs import services as org_services
from govmedia.orgs.models import Organization, OrgType
from govmedia.users import services as user_services
from govmedia.users.models import User

from . import data

SYSTEM = "系统初始化（示例数据）"


def bootstrap() -> User:
    """The district root and the platform administrator, created without an acting user."""
    with transaction.atomic():
        root = Organization.objects.filter(parent__isnull=True).first()
        if root is None:
            root = Organization.objects.create(
                name=settings.DISTRICT_NAME,
                org_type=OrgType.DISTRICT,
                path="/pending/",
                is_demo=True,
                address="山东省菏泽市定陶区",
                phone="0530-2212021",
            )
            root.path = f"/{root.pk}/"
            root.save(update_fields=["path"])
            audit_record(
                actor=SYSTEM, action="org.create", obj=root, org=root, after=snapshot(root)
            )
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User(
                username="admin",
                name="王建国",
                org=root,
                role="platform_admin",
                is_demo=True,
                must_change_password=False,
                totp_secret=data.ADMIN_TOTP_SECRET,
                totp_enabled=True,
            )
            admin.set_password(data.DEMO_PASSWORD)
            admin.save()
            audit_record(
                actor=SYSTEM,
                action="user.create",
                obj=admin,
                org=root,
                after=snapshot(admin, user_services.AUDITED_FIELDS),
            )
    return admin


def ensure_org(admin, parent, name, org_type, supervisor=None) -> Organization:
    existing = Organization.objects.filter(parent=parent, name=name).first()
    if existing:
        return existing
    return org_services.org_create(
        actor=admin,
        name=name,
        org_type=org_type,
        parent=parent,
        supervisor=supervisor,
        is_demo=True,
    )


def seed_orgs(admin) -> dict[str, Organization]:
    root = admin.org
    orgs = {}
    for name in data.TOWNSHIPS:
        orgs[name] = ensure_org(admin, root, name, OrgType.TOWNSHIP)
    for name in data.DEPARTMENTS:
        orgs[name] = ensure_org(admin, root, name, OrgType.DEPARTMENT)
    for parent_name, name, org_type, supervised in data.SUB_UNITS:
        parent = orgs[parent_name]
        orgs[name] = ensure_org(
            admin, parent, name, org_type, supervisor=parent if supervised else None
        )
    # Abolished by the registry seed once its account is in the inventory (registry_seed.py).
    abolished_name, _ = data.ABOLISHED
    abolished = ensure_org(admin, root, abolished_name, OrgType.DEPARTMENT)
    orgs[abolished_name] = abolished
    return orgs


def seed_users(admin, orgs) -> list[User]:
    users = [admin]
    for username, name, org_name, role in data.USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _ = user_services.user_create(
                actor=admin,
                username=username,
                name=name,
                org=orgs[org_name],
                role=role,
                password=data.DEMO_PASSWORD,
                is_demo=True,
                must_change_password=False,
            )
        users.append(user)
    return users


def seed() -> list[User]:
    admin = bootstrap()
    orgs = seed_orgs(admin)
    return seed_users(admin, orgs)
