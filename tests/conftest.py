"""Shared fixtures: a small district with two townships, and a user of every role in each.

alice (platform admin, district), tian_* users of 天中街道, chen_* users of 陈集镇.
"""

import os
import shutil
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from govmedia.audit.services import audit_record
from govmedia.core.middleware import SessionActivityMiddleware
from govmedia.orgs.models import Organization, OrgType
from govmedia.users.models import User

PASSWORD = "Test#Pass2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares the thread

# Property tests that pass or fail by their input only, never by the machine's load or luck:
# the same examples on every run (derandomize: a failure in CI fails again on a laptop; it also
# means no example database written into the project tree), no per-example deadline and no
# "generating data is too slow" check, both of which measure a shared machine's neighbours.
# `pytest --hypothesis-profile=default` explores fresh random examples instead.
hypothesis_settings.register_profile(
    "govmedia",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile("govmedia")


@pytest.fixture(autouse=True)
def _fast_argon2(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _session_expiry_moved_on_once(settings):
    # The session's expiry is moved on at its first request only, never mid-test by the wall
    # clock: a test counting a page's queries would see the session's UPDATE come and go.
    settings.SESSION_ACTIVITY_SECONDS = 10**9


@pytest.fixture(autouse=True)
def _background_tasks_inline(settings):
    # No qcluster runs in tests: tasks queued after a commit run inline, in the test's process.
    settings.Q_CLUSTER = settings.Q_CLUSTER | {"sync": True}


@pytest.fixture(autouse=True, scope="session")
def _database_is_what_ci_asked_for(django_db_setup, django_db_blocker):
    """In CI with TEST_DATABASE_URL, a test on the wrong database must fail, not pass quietly."""
    if os.environ.get("TEST_DATABASE_URL"):
        with django_db_blocker.unblock():
            assert connection.vendor == "postgresql", (
                f"expected PostgreSQL, got {connection.vendor}"
            )


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process, shared by every browser test: Playwright's sync API cannot
    run twice in one process, so no test module may start its own."""
    from playwright.sync_api import sync_playwright

    # Debian's chromium, never a downloaded build; flags keep it off the (closed) network.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def make_org(name, org_type, parent=None, **extra):
    org = Organization.objects.create(
        name=name,
        org_type=org_type,
        parent=parent,
        path="/pending/",
        depth=(parent.depth + 1 if parent else 0),
        **extra,
    )
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    return org


def make_user(username, org, role, **extra):
    fields = {"name": username, "must_change_password": False} | extra
    user = User(username=username, org=org, role=role, **fields)
    user.set_password(PASSWORD)
    if role == "platform_admin" and "totp_enabled" not in extra:
        user.totp_secret, user.totp_enabled = TOTP_SECRET, True
    user.save()
    return user


class World:
    """The district used by most tests."""


@pytest.fixture
def world(db):
    w = World()
    w.district = make_org(settings.DISTRICT_NAME, OrgType.DISTRICT)
    w.tian = make_org("天中街道", OrgType.TOWNSHIP, w.district)
    w.tian_office = make_org("天中街道党政办公室", OrgType.INTERNAL, w.tian)
    w.chen = make_org("陈集镇", OrgType.TOWNSHIP, w.district)
    w.chen_office = make_org("陈集镇综合执法办公室", OrgType.INTERNAL, w.chen)
    w.dept = make_org("区卫生健康局", OrgType.DEPARTMENT, w.district)
    w.alice = make_user("alice", w.district, "platform_admin")
    w.oversight = make_user("olivia", w.dept, "oversight")
    for prefix, org in (("tian", w.tian), ("chen", w.chen)):
        for role in ("unit_admin", "editor", "reviewer", "supervisor_reviewer"):
            setattr(w, f"{prefix}_{role}", make_user(f"{prefix}_{role}", org, role))
    return w


def logged_in_client(user) -> Client:
    """A client past the login gate (password and, for admins, the TOTP step)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_verified"] = True
    # Stamped as the login request itself is by SessionActivityMiddleware: the first page
    # after it does not write the session again.
    session[SessionActivityMiddleware.KEY] = int(time.time())
    session.save()
    return client


@pytest.fixture
def audit_event(world):
    from django.db import transaction

    with transaction.atomic():
        return audit_record(actor=world.alice, action="test.event", obj=world.tian, org=world.tian)


def api_token(user, name: str = "测试令牌") -> str:
    """A personal API token of the user. A user with a second factor (every platform
    administrator) gives a fresh code, as the token page asks: the first time step after the
    last one the user spent (a code is accepted once), within the ±1 step the check allows."""
    import pyotp
    from django.utils import timezone

    from govmedia.users.services import token_create

    code = ""
    if user.totp_enabled:
        user.refresh_from_db(fields=["totp_last_step"])
        totp = pyotp.TOTP(TOTP_SECRET)
        now = totp.timecode(timezone.now())
        step = next(s for s in (now - 1, now, now + 1) if s > user.totp_last_step)
        code = totp.generate_otp(step)
    return token_create(actor=user, name=name, totp_code=code)[1]
