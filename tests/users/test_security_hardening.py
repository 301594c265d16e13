"""Issue 12, items 1, 2, 6 and 7: one regression test per item, named after it, each of which
failed before the fix; then the finer points of each."""

import base64
import importlib
from datetime import timedelta

import pyotp
import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from govmedia.audit.models import AuditEvent
from govmedia.core import crypto
from govmedia.core.errors import ServiceError
from govmedia.demo import data as demo_data
from govmedia.users import services
from govmedia.users.models import ApiToken, LoginThrottle, PasswordHistory, User
from tests.concurrency import race
from tests.conftest import PASSWORD, TOTP_SECRET, logged_in_client

KEY_B = base64.urlsafe_b64encode(b"B" * 32).decode()


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def wrong_code(secret=TOTP_SECRET) -> str:
    """A six-digit code that no step around now accepts."""
    totp, now = pyotp.TOTP(secret), timezone.now()
    valid = {totp.generate_otp(totp.timecode(now) + d) for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def row_values(user) -> list[str]:
    """Every column of the user's row, as the database (or a backup of it) holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {User._meta.db_table} WHERE id = %s", [user.pk])
        return [str(value) for value in cursor.fetchone()]


# --- item 1: second factor brute force --------------------------------------------------------


def test_second_factor_brute_force(world):
    """The attack of the issue: 4 wrong codes, log in again with the password, repeat. The
    password success must not wipe the wrong codes: the fifth locks the account."""
    address = {"REMOTE_ADDR": "10.3.0.1"}
    for wrong_codes in (4, 1):
        client = Client(**address)
        assert login(client, "alice", PASSWORD)["Location"] == "/"
        for _ in range(wrong_codes):
            response = client.post("/2fa/verify/", {"code": wrong_code()})
    # The fifth wrong code: locked, logged out.
    assert response.status_code == 302 and response["Location"] == "/login/"
    world.alice.refresh_from_db()
    assert world.alice.is_locked and world.alice.totp_failures == 5
    assert AuditEvent.objects.filter(action="user.locked", object_id=str(world.alice.pk)).exists()
    # Neither the password nor a right code gets through now, from any address.
    client = Client(REMOTE_ADDR="10.3.0.2")
    assert "登录失败次数过多" in login(client, "alice", PASSWORD).content.decode()
    with pytest.raises(ServiceError) as exc:
        services.totp_verify(user=world.alice, code=pyotp.TOTP(TOTP_SECRET).now())
    assert exc.value.code == "locked"


def test_wrong_codes_keep_counting_after_the_lock_ends(world):
    """Until a right code (or an administrator) clears them, each further wrong code after a
    lock locks again: one try per lockout, not five."""
    now = timezone.now()
    world.alice.totp_failures = 5
    world.alice.save()
    later = now + timedelta(minutes=16)
    with pytest.raises(ServiceError) as exc:
        services.totp_verify(user=world.alice, code=wrong_code(), now=later)
    assert exc.value.code == "locked"
    world.alice.refresh_from_db()
    assert world.alice.locked_until == later + timedelta(minutes=15)
    # An administrator's unlock clears the count; a right code clears it too.
    services.user_unlock(actor=world.alice, user_id=world.alice.pk)
    world.alice.refresh_from_db()
    assert (world.alice.totp_failures, world.alice.locked_until) == (0, None)
    world.alice.totp_failures = 3
    world.alice.save()
    services.totp_verify(user=world.alice, code=pyotp.TOTP(TOTP_SECRET).now())
    world.alice.refresh_from_db()
    assert world.alice.totp_failures == 0


def test_password_success_keeps_wrong_codes_and_wrong_codes_keep_passwords_apart(world):
    for _ in range(2):
        with pytest.raises(ServiceError):
            services.totp_verify(user=world.alice, code=wrong_code())
    services.login_check(username="alice", password=PASSWORD, address="10.3.1.1")
    world.alice.refresh_from_db()
    assert (world.alice.totp_failures, world.alice.failed_logins) == (2, 0)


# --- item 2: TOTP secrets at rest -------------------------------------------------------------


def test_totp_secrets_at_rest(world):
    """Neither the fixture's secret nor one enrolled through the page is in the database in clear;
    a reader of the row cannot generate codes, and the sealed value works only in its own row."""
    for values in (row_values(world.alice),):
        assert not any(TOTP_SECRET in value for value in values)
    # Enrolment through the page.
    user = world.tian_unit_admin
    client = Client()
    login(client, user.username, PASSWORD)
    client.get("/2fa/setup/")
    secret = client.session["totp_pending_secret"]
    assert client.post("/2fa/setup/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    user.refresh_from_db()
    assert user.totp_enabled and user.totp_secret == secret
    assert not any(secret in value for value in row_values(user))
    assert user.totp_secret_enc.startswith("gm1.")
    # Copied into another user's row, the ciphertext does not decrypt there.
    User.objects.filter(pk=world.tian_editor.pk).update(totp_secret_enc=user.totp_secret_enc)
    with pytest.raises(crypto.CiphertextInvalid):
        _ = User.objects.get(pk=world.tian_editor.pk).totp_secret


def test_the_migration_seals_clear_secrets(world):
    """What the old schema left in clear is sealed by the data migration, and only once."""
    User.objects.filter(pk=world.alice.pk).update(totp_secret_enc=TOTP_SECRET)
    migration = importlib.import_module("govmedia.users.migrations.0002_security_hardening")
    migration.seal_totp_secrets(apps, None)
    sealed = User.objects.get(pk=world.alice.pk).totp_secret_enc
    assert sealed.startswith("gm1.") and TOTP_SECRET not in sealed
    migration.seal_totp_secrets(apps, None)  # again: already sealed, left alone
    assert User.objects.get(pk=world.alice.pk).totp_secret_enc == sealed
    assert User.objects.get(pk=world.alice.pk).totp_secret == TOTP_SECRET
    migration.unseal_totp_secrets(apps, None)  # the way back
    assert User.objects.get(pk=world.alice.pk).totp_secret_enc == TOTP_SECRET


def test_key_rotation_re_encrypts_totp_secrets(world, settings, capsys):
    old = list(settings.CREDENTIALS_KEYS)
    settings.CREDENTIALS_KEYS = [KEY_B, *old]
    call_command("credentials_rotate_key")
    assert "重新加密 1 项（1 条记录）" in capsys.readouterr().out
    settings.CREDENTIALS_KEYS = [KEY_B]  # the old key removed
    alice = User.objects.get(pk=world.alice.pk)
    assert (
        crypto.token_key_id(alice.totp_secret_enc)
        == crypto.Keyring.from_strings([KEY_B]).current_id
    )
    services.totp_verify(user=alice, code=pyotp.TOTP(TOTP_SECRET).now())


# --- item 6: tokens and sessions --------------------------------------------------------------


def test_tokens_and_sessions(world):
    """Tokens go with an administrator's password reset, a forced password change, deactivation
    and a change of role; the user's browser sessions end with the reset."""
    editor, admin = world.tian_editor, world.tian_unit_admin
    session = logged_in_client(editor)
    _, key = services.token_create(actor=editor, name="对接")
    password = services.user_reset_password(actor=admin, user_id=editor.pk)
    assert services.token_authenticate(key) is None
    assert session.get("/orgs/").status_code == 302  # logged out
    # Forced change: a token made with the reset password (known to the administrator) goes.
    editor.refresh_from_db()
    _, key = services.token_create(actor=editor, name="对接")
    services.password_change(
        user=editor,
        old_password=password,
        new_password="Fresh#Start2026",
        new_password2="Fresh#Start2026",
    )
    assert services.token_authenticate(key) is None
    for change in ({"is_active": False}, {"role": "reviewer"}):
        editor.refresh_from_db()
        editor.is_active = True
        editor.save()
        editor.refresh_from_db()
        _, key = services.token_create(actor=editor, name="对接")
        fields = {
            "name": editor.name,
            "org": editor.org,
            "role": editor.role,
            "is_active": True,
        } | change
        services.user_update(actor=admin, user_id=editor.pk, version=editor.version, **fields)
        assert services.token_authenticate(key) is None, change
    events = AuditEvent.objects.filter(action="token.revoke_all", object_id=str(editor.pk))
    reasons = {event.after["reason"] for event in events}
    assert reasons == {"管理员重置密码", "强制修改密码", "停用", "角色变更"}


def test_a_voluntary_password_change_or_a_profile_edit_keeps_tokens(world):
    editor = world.tian_editor
    _, key = services.token_create(actor=editor, name="对接")
    services.password_change(
        user=editor,
        old_password=PASSWORD,
        new_password="Fresh#Start2026",
        new_password2="Fresh#Start2026",
    )
    services.user_update(
        actor=world.tian_unit_admin,
        user_id=editor.pk,
        version=editor.version,
        name="新名字",
        org=editor.org,
        role=editor.role,
    )
    assert services.token_authenticate(key) == editor


def test_administrators_list_and_revoke_a_users_tokens_page_and_api(world):
    editor, admin = world.tian_editor, world.tian_unit_admin
    token, key = services.token_create(actor=editor, name="网站对接")
    page = logged_in_client(admin)
    assert "网站对接" in page.get(f"/users/{editor.pk}/").content.decode()
    response = page.post(f"/users/{editor.pk}/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and services.token_authenticate(key) is None
    event = AuditEvent.objects.get(action="token.revoke", object_id=str(token.pk))
    assert event.actor_id == admin.pk and event.org_id == editor.org_id
    # The API, with the administrator's own token.
    token, key = services.token_create(actor=editor, name="第二个")
    _, admin_key = services.token_create(actor=admin, name="管理")
    api = Client(headers={"Authorization": f"Bearer {admin_key}"})
    listed = api.get(f"/api/v1/users/{editor.pk}/tokens").json()
    assert [t["name"] for t in listed] == ["第二个", "网站对接"]
    assert all("key" not in t and t["hint"].startswith("gm_") for t in listed)
    response = api.post(f"/api/v1/users/{editor.pk}/tokens/{token.pk}/revoke")
    assert response.status_code == 200 and response.json()["revoked_at"]
    assert services.token_authenticate(key) is None
    services.token_create(actor=editor, name="第三个")
    assert api.post(f"/api/v1/users/{editor.pk}/tokens/revoke").json() == {"revoked": 1}
    # Scope: another township's user, or a user without users.change, gets nothing.
    chen_token, _ = services.token_create(actor=world.chen_editor, name="陈集")
    for url in (
        f"/api/v1/users/{world.chen_editor.pk}/tokens",
        f"/api/v1/users/{world.chen_editor.pk}/tokens/{chen_token.pk}/revoke",
    ):
        method = api.get if url.endswith("tokens") else api.post
        assert method(url).status_code == 404
    assert (
        page.post(f"/users/{world.chen_editor.pk}/tokens/{chen_token.pk}/revoke/").status_code
        == 404
    )
    _, editor_key = services.token_create(actor=world.tian_reviewer, name="x")
    reviewer = Client(headers={"Authorization": f"Bearer {editor_key}"})
    assert reviewer.get(f"/api/v1/users/{editor.pk}/tokens").status_code == 404
    chen_token.refresh_from_db()
    assert chen_token.revoked_at is None


def test_tokens_have_a_default_and_a_maximum_lifetime(world, settings):
    before = timezone.now()
    token, _ = services.token_create(actor=world.tian_editor, name="默认")
    assert before + timedelta(days=90) <= token.expires_at <= timezone.now() + timedelta(days=90)
    with pytest.raises(ServiceError, match="1–365 天") as exc:
        services.token_create(actor=world.tian_editor, name="太长", expires_days=366)
    assert exc.value.field == "expires_days"
    settings.API_TOKEN_MAX_DAYS = 30
    token, _ = services.token_create(actor=world.tian_editor, name="短")
    assert token.expires_at <= timezone.now() + timedelta(days=30)
    # An expired token does not authenticate.
    token, key = services.token_create(actor=world.tian_editor, name="到期", expires_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.token_authenticate(key) is None


def test_a_platform_administrators_token_needs_a_totp_check(world):
    alice = world.alice
    with pytest.raises(ServiceError, match="动态验证码") as exc:
        services.token_create(actor=alice, name="无验证码")
    assert exc.value.field == "totp_code"
    with pytest.raises(ServiceError) as exc:
        services.token_create(actor=alice, name="错验证码", totp_code=wrong_code())
    assert exc.value.field == "totp_code"
    alice.refresh_from_db()
    assert alice.totp_failures == 1  # counted like any wrong code
    assert not ApiToken.objects.filter(user=alice).exists()
    # Through the page: the form asks for the code.
    client = logged_in_client(alice)
    assert 'name="totp_code"' in client.get("/me/").content.decode()
    response = client.post(
        "/me/", {"name": "集约化平台", "totp_code": pyotp.TOTP(TOTP_SECRET).now()}
    )
    assert 'data-testid="new-token"' in response.content.decode()
    assert ApiToken.objects.filter(user=alice, name="集约化平台").exists()
    # A user without a second factor is not asked for one.
    assert (
        'name="totp_code"' not in logged_in_client(world.tian_editor).get("/me/").content.decode()
    )


# --- item 7: passwords and login --------------------------------------------------------------


def test_passwords_and_login(world):
    """A common password is refused in Chinese; one address cannot lock an account out; an
    unknown username is stopped with the very same message as a real one."""
    with pytest.raises(ServiceError, match="常见密码"):
        services.password_change(
            user=world.tian_editor,
            old_password=PASSWORD,
            new_password="Password123",
            new_password2="Password123",
        )
    messages = {}
    for username in ("alice", "no_such_user"):
        for _ in range(6):
            with pytest.raises(ServiceError) as exc:
                services.login_check(username=username, password="wrong-Pass#1", address="10.7.0.1")
        messages[username] = (exc.value.code, exc.value.message)
    assert messages["alice"] == messages["no_such_user"]
    assert messages["alice"][0] == "locked" and "登录失败次数过多" in messages["alice"][1]
    # The address is stopped, the account is not: alice logs in from her own address.
    world.alice.refresh_from_db()
    assert not world.alice.is_locked
    with pytest.raises(ServiceError, match="登录失败次数过多"):
        services.login_check(username="alice", password=PASSWORD, address="10.7.0.1")
    assert (
        services.login_check(username="alice", password=PASSWORD, address="10.7.0.2") == world.alice
    )


def test_password_history_keeps_the_last_five_as_hashes(world):
    editor = world.tian_editor
    passwords = [f"Fresh#Start{n}026" for n in range(1, 6)]
    current = PASSWORD
    for new in passwords:
        services.password_change(
            user=editor, old_password=current, new_password=new, new_password2=new
        )
        editor.refresh_from_db()
        current = new
    stored = list(PasswordHistory.objects.filter(user=editor).values_list("password", flat=True))
    assert len(stored) == 5
    assert not any(p in value for value in stored for p in passwords)
    for reused in passwords[:-1]:
        with pytest.raises(ServiceError, match="最近 5 次"):
            services.password_change(
                user=editor, old_password=current, new_password=reused, new_password2=reused
            )
    # The password before those five may come back.
    services.password_change(
        user=editor, old_password=current, new_password=PASSWORD, new_password2=PASSWORD
    )
    # An administrator's reset is remembered too.
    editor.refresh_from_db()
    services.user_reset_password(actor=world.tian_unit_admin, user_id=editor.pk)
    assert PasswordHistory.objects.filter(user=editor).count() == 5


def test_an_address_trying_many_usernames_is_stopped_for_all(world, settings):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        with pytest.raises(ServiceError):
            services.login_check(username=f"guess{n}", password="x", address="10.8.0.1")
    with pytest.raises(ServiceError, match="登录失败次数过多"):
        services.login_check(username="tian_editor", password=PASSWORD, address="10.8.0.1")
    # The second factor from that address is refused as well.
    with pytest.raises(ServiceError) as exc:
        services.totp_verify(
            user=world.alice, code=pyotp.TOTP(TOTP_SECRET).now(), address="10.8.0.1"
        )
    assert exc.value.code == "locked"
    assert services.login_check(username="tian_editor", password=PASSWORD, address="10.8.0.2")


def test_the_throttle_uses_the_audit_logs_client_address(world, settings):
    """Behind a trusted proxy, the address is the one the audit log records, not a forged one."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        Client(REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}").post(
            "/login/", {"username": "tian_editor", "password": "wrong"}
        )
    rows = LoginThrottle.objects.filter(username="tian_editor").exclude(address="*")
    assert sorted(rows.values_list("address", flat=True)) == [f"1.2.3.{n}" for n in range(5)]
    world.tian_editor.refresh_from_db()
    assert world.tian_editor.is_locked  # five addresses, as far as the platform can tell
    assert AuditEvent.objects.filter(action="user.locked", ip="1.2.3.4").exists()


def test_an_administrators_unlock_clears_the_address_blocks_on_the_user(world):
    for _ in range(5):
        with pytest.raises(ServiceError):
            services.login_check(username="tian_editor", password="x", address="10.10.0.1")
    services.user_unlock(actor=world.tian_unit_admin, user_id=world.tian_editor.pk)
    assert services.login_check(username="tian_editor", password=PASSWORD, address="10.10.0.1")


@pytest.mark.parametrize("username", ["admin", *[u[0] for u in demo_data.USERS]])
def test_demo_passwords_pass_the_validators(username):
    validate_password(demo_data.DEMO_PASSWORD, User(username=username))


def test_the_validators_are_configured():
    names = [v["NAME"] for v in django_settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "govmedia.users.passwords.PasswordPolicyValidator",
        "govmedia.users.passwords.CommonPasswordValidator",
        "govmedia.users.passwords.PasswordHistoryValidator",
    ]
    with pytest.raises(ValidationError) as exc:
        validate_password("Qwerty123456", User(username="x"))
    assert exc.value.messages == ["该密码属于常见密码，容易被猜中，请换一个"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_failures_are_all_counted(world):
    """Five wrong passwords at once from one new address, and five wrong codes at once: every one
    is counted (no lost update, no duplicate row refused with a 500), so the limit holds."""
    outcomes = race(
        *[
            lambda: services.login_check(username="tian_editor", password="x", address="10.11.0.1")
            for _ in range(5)
        ]
    )
    assert all(isinstance(outcome, ServiceError) for outcome in outcomes), outcomes
    row = LoginThrottle.objects.get(address="10.11.0.1", username="tian_editor")
    assert row.failures == 5 and row.blocked_until is not None
    outcomes = race(
        *[lambda: services.totp_verify(user=world.alice, code=wrong_code()) for _ in range(5)]
    )
    assert all(isinstance(outcome, ServiceError) for outcome in outcomes), outcomes
    world.alice.refresh_from_db()
    assert world.alice.totp_failures == 5 and world.alice.is_locked
