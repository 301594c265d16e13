from datetime import timedelta

import pyotp
import pytest
from django.conf import settings
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    check_password,
    get_hasher,
    identify_hasher,
    make_password,
)
from django.test import Client
from django.utils import timezone

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import ServiceError
from govmedia.users import services
from govmedia.users.models import LoginThrottle
from govmedia.users.passwords import password_problems
from tests.conftest import PASSWORD, TOTP_SECRET, logged_in_client


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_production_hasher_is_argon2():
    from govmedia import settings as project_settings

    assert (
        project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_stored_password_is_argon2(world, settings):
    """With the project's own hasher setting, not the suite's cheap one (tests/conftest.py)."""
    from govmedia import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    hasher = get_hasher()
    assert type(hasher) is Argon2PasswordHasher  # Django's, with its own costs
    encoded = make_password("Dingtao#2026")
    assert encoded.startswith("argon2$argon2id$") and check_password("Dingtao#2026", encoded)
    params = hasher.decode(encoded)
    assert (params["time_cost"], params["memory_cost"], params["parallelism"]) == (
        Argon2PasswordHasher.time_cost,
        Argon2PasswordHasher.memory_cost,
        Argon2PasswordHasher.parallelism,
    )
    # A user's password, as the service stores it.
    services.password_change(
        user=world.tian_editor,
        old_password=PASSWORD,
        new_password="Fresh#Start2026",
        new_password2="Fresh#Start2026",
    )
    world.tian_editor.refresh_from_db()
    assert identify_hasher(world.tian_editor.password).algorithm == "argon2"
    assert hasher.decode(world.tian_editor.password)["memory_cost"] == hasher.memory_cost


@pytest.mark.parametrize(
    "password, problem",
    [
        ("Short#1a", "至少 10 个字符"),
        ("alllowercase1", "至少三类"),
        ("Tian_editor#2026", "不得包含用户名"),
    ],
)
def test_password_policy(password, problem):
    assert any(problem in p for p in password_problems(password, "tian_editor"))


def test_good_password_passes_policy():
    assert password_problems("Good#Password1", "tian_editor") == []


def test_five_failures_stop_the_address_for_fifteen_minutes(world):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(4):
        response = login(client, "tian_editor", "wrong-password")
        assert "用户名或密码错误" in response.content.decode()
    before = timezone.now()
    response = login(client, "tian_editor", "wrong-password")
    after = timezone.now()
    assert "登录失败次数过多" in response.content.decode()
    row = LoginThrottle.objects.get(address="10.1.1.1", username="tian_editor")
    # Fifteen minutes from the fifth failure, however long the test took to get here.
    lockout = timedelta(minutes=15)
    assert before + lockout <= row.blocked_until <= after + lockout
    # The right password does not help from that address while it is stopped.
    response = login(client, "tian_editor", PASSWORD)
    assert "登录失败次数过多" in response.content.decode() and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action="user.login_throttled", object_id=str(world.tian_editor.pk)
    ).exists()


def test_failures_from_five_addresses_lock_the_account(world):
    for n in range(5):
        response = login(Client(REMOTE_ADDR=f"10.2.0.{n}"), "tian_editor", "wrong-password")
    assert "登录失败次数过多" in response.content.decode()
    world.tian_editor.refresh_from_db()
    assert world.tian_editor.is_locked
    response = login(Client(REMOTE_ADDR="10.2.0.99"), "tian_editor", PASSWORD)
    assert "登录失败次数过多" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="user.locked", object_id=str(world.tian_editor.pk)
    ).exists()


def test_lock_expires(world):
    user = world.tian_editor
    user.locked_until = timezone.now() - timedelta(seconds=1)
    user.save()
    assert services.login_check(username="tian_editor", password=PASSWORD) == user


def test_unknown_user_gets_the_same_message(world):
    with pytest.raises(ServiceError, match="用户名或密码错误"):
        services.login_check(username="nobody", password="whatever")


def test_admin_unlocks(world):
    world.tian_editor.locked_until = timezone.now() + timedelta(minutes=10)
    world.tian_editor.save()
    services.user_unlock(actor=world.tian_unit_admin, user_id=world.tian_editor.pk)
    assert services.login_check(username="tian_editor", password=PASSWORD)


def test_created_user_must_change_password_first(world):
    user, initial = services.user_create(
        actor=world.tian_unit_admin,
        username="newbie",
        name="新人",
        org=world.tian_office,
        role="editor",
    )
    client = Client()
    login(client, "newbie", initial)
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"] == "/password/"
    assert client.get("/api/v1/users/me").json()["code"] == "password_change_required"
    response = client.post(
        "/password/",
        {
            "old_password": initial,
            "new_password": "Fresh#Start2026",
            "new_password2": "Fresh#Start2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/orgs/").status_code == 200


def test_password_change_rejects_weak_and_mismatched(world):
    client = logged_in_client(world.tian_editor)
    response = client.post(
        "/password/", {"old_password": PASSWORD, "new_password": "weak", "new_password2": "weak"}
    )
    assert "至少 10 个字符" in response.content.decode()
    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password": "Good#Password1",
            "new_password2": "Good#Password2",
        },
    )
    assert "两次输入的新密码不一致" in response.content.decode()
    world.tian_editor.refresh_from_db()
    assert world.tian_editor.check_password(PASSWORD)


def test_platform_admin_needs_totp_code(world):
    client = Client()
    login(client, "alice", PASSWORD)
    assert client.get("/orgs/")["Location"] == "/2fa/verify/"
    response = client.post("/2fa/verify/", {"code": "000000"})
    assert "验证码不正确" in response.content.decode()
    # Before the second factor the page offers only 退出: no 通知, no 个人设置.
    page = client.get("/2fa/verify/").content.decode()
    assert "退出" in page and "个人设置" not in page and "/notifications/" not in page
    code = pyotp.TOTP(TOTP_SECRET).now()
    assert client.post("/2fa/verify/", {"code": code}).status_code == 302
    assert client.get("/orgs/").status_code == 200
    # The same code cannot be replayed in another session.
    other = Client()
    login(other, "alice", PASSWORD)
    assert "验证码不正确或已使用过" in other.post("/2fa/verify/", {"code": code}).content.decode()


def test_admin_without_totp_must_enrol(world):
    world.alice.totp_enabled, world.alice.totp_secret = False, ""
    world.alice.save()
    client = Client()
    login(client, "alice", PASSWORD)
    assert client.get("/")["Location"] == "/2fa/setup/"
    page = client.get("/2fa/setup/").content.decode()
    assert "<svg" in page
    secret = client.session["totp_pending_secret"]
    assert client.post("/2fa/setup/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    world.alice.refresh_from_db()
    assert world.alice.totp_enabled and client.get("/").status_code == 200


def test_sessions_expire_after_thirty_idle_minutes():
    from govmedia import settings as project_settings  # tests move the expiry on once only

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert project_settings.SESSION_ACTIVITY_SECONDS == 60


def _session_row(client):
    from django.contrib.sessions.models import Session

    return Session.objects.filter(pk=client.session.session_key)


def _mark_activity(client, stamp: int):
    session = client.session
    session["_activity"] = stamp
    session.save()


def test_a_request_after_the_activity_interval_moves_the_expiry_on(world):
    client = logged_in_client(world.tian_editor)
    _mark_activity(client, 0)  # last moved on long ago
    soon = timezone.now() + timedelta(minutes=2)
    _session_row(client).update(expire_date=soon)
    assert client.get("/orgs/").status_code == 200
    assert _session_row(client).get().expire_date > soon + timedelta(minutes=20)


def test_requests_within_the_activity_interval_do_not_write_the_session(world):
    import time

    client = logged_in_client(world.tian_editor)
    _mark_activity(client, int(time.time()) + 3600)  # moved on "just now", whatever the clock
    soon = timezone.now() + timedelta(minutes=2)
    _session_row(client).update(expire_date=soon)
    assert client.get("/orgs/").status_code == 200
    assert _session_row(client).get().expire_date == soon


def test_idle_session_is_logged_out(world):
    client = logged_in_client(world.tian_editor)
    session = client.session
    session.set_expiry(-1)  # as if the 30 minutes had passed
    session.save()
    assert client.get("/orgs/").status_code == 302
