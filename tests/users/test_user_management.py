"""An administrator edits a user, resets their password or their second factor: within their own
unit only, never their own role, each act in the audit log."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.users import services
from govmedia.users.models import User
from tests.conftest import PASSWORD, TOTP_SECRET, logged_in_client, make_user


def update(actor, user, **changes):
    """user_update with the user's current values, `changes` applied."""
    user.refresh_from_db()
    fields = {
        "name": user.name,
        "org": user.org,
        "role": user.role,
        "phone": user.phone,
        "email": user.email,
        "is_active": user.is_active,
        "version": user.version,
    }
    return services.user_update(actor=actor, user_id=user.pk, **(fields | changes))


def events(action, user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_id=str(user.pk)))


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


# --- user_update ------------------------------------------------------------------------------


def test_a_unit_admin_edits_a_user_of_the_unit(world):
    editor, admin = world.tian_editor, world.tian_unit_admin
    version = editor.version
    updated = update(
        admin,
        editor,
        name="天中审核",
        org=world.tian_office,
        role="reviewer",
        phone="139 0530 1234",
        email=" shenhe@example.cn ",
    )
    editor.refresh_from_db()
    assert (editor.name, editor.org, editor.role) == ("天中审核", world.tian_office, "reviewer")
    assert (editor.phone, editor.email) == ("13905301234", "shenhe@example.cn")
    assert editor.version == updated.version == version + 1
    [event] = events("user.update", editor)
    assert event.actor == admin and event.org == world.tian_office
    assert (event.before["role"], event.after["role"]) == ("editor", "reviewer")
    assert (event.before["org"], event.after["org"]) == (world.tian.pk, world.tian_office.pk)


def test_an_edit_from_a_stale_page_is_a_conflict(world):
    editor = world.tian_editor
    stale = editor.version
    update(world.tian_unit_admin, editor, name="改过一次")
    with pytest.raises(Conflict):
        update(world.tian_unit_admin, editor, name="改过两次", version=stale)
    editor.refresh_from_db()
    assert editor.name == "改过一次" and len(events("user.update", editor)) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"role": "editor"},
        {"org_name": "tian_office"},
        {"is_active": False},
    ],
    ids=["role", "org", "deactivate"],
)
def test_nobody_changes_their_own_role_or_unit_or_deactivates_themselves(world, change):
    admin = world.tian_unit_admin
    if "org_name" in change:
        change = {"org": getattr(world, change.pop("org_name"))}
    with pytest.raises(ServiceError, match="不能修改自己的角色、单位或停用自己"):
        update(admin, admin, **change)
    admin.refresh_from_db()
    assert (admin.role, admin.org, admin.is_active) == ("unit_admin", world.tian, True)
    assert events("user.update", admin) == []


def test_a_platform_admin_cannot_demote_themselves_either(world):
    with pytest.raises(ServiceError, match="不能修改自己的角色"):
        update(world.alice, world.alice, role="oversight")
    world.alice.refresh_from_db()
    assert world.alice.role == "platform_admin"


def test_one_may_edit_ones_own_name_and_contact(world):
    admin = world.tian_unit_admin
    update(admin, admin, name="天中管理员", phone="13905301234")
    admin.refresh_from_db()
    assert (admin.name, admin.phone, admin.role) == ("天中管理员", "13905301234", "unit_admin")


def test_a_unit_admin_grants_no_district_role_and_moves_no_one_out_of_the_unit(world):
    editor, admin = world.tian_editor, world.tian_unit_admin
    for role in ("platform_admin", "oversight"):
        with pytest.raises(Forbidden, match="无权授予"):
            update(admin, editor, role=role)
    with pytest.raises(Forbidden, match="本单位及下级单位"):
        update(admin, editor, org=world.chen)
    editor.refresh_from_db()
    assert (editor.role, editor.org) == ("editor", world.tian)
    assert events("user.update", editor) == []


@pytest.mark.parametrize(
    "actor", ["chen_unit_admin", "tian_editor", "tian_reviewer", "tian_supervisor_reviewer"]
)
def test_only_an_admin_of_the_users_unit_may_edit_it(world, actor):
    target = world.tian_reviewer if actor == "tian_editor" else world.tian_editor
    with pytest.raises(NotFound):  # not even whether the user exists
        update(getattr(world, actor), target, name="越权修改")
    target.refresh_from_db()
    assert target.name != "越权修改" and events("user.update", target) == []


def test_oversight_reads_users_but_edits_none(world):
    with pytest.raises(NotFound):
        update(world.oversight, world.tian_editor, name="越权修改")


def test_the_district_office_edits_users_of_any_unit(world):
    update(world.alice, world.chen_editor, role="reviewer")
    world.chen_editor.refresh_from_db()
    assert world.chen_editor.role == "reviewer"


# --- user_reset_password ----------------------------------------------------------------------


def test_a_reset_password_is_new_temporary_and_unlocks(world):
    editor = world.tian_editor
    User.objects.filter(pk=editor.pk).update(
        failed_logins=3, locked_until=timezone.now() + timedelta(minutes=10)
    )
    password = services.user_reset_password(actor=world.tian_unit_admin, user_id=editor.pk)
    editor.refresh_from_db()
    assert password != PASSWORD and editor.check_password(password)
    assert not editor.check_password(PASSWORD)
    assert editor.must_change_password and editor.password_changed_at is not None
    assert (editor.failed_logins, editor.locked_until) == (0, None)
    [event] = events("user.reset_password", editor)
    assert event.actor == world.tian_unit_admin and event.org == world.tian
    # The log says that it was reset, never what to.
    assert password not in json.dumps([event.before, event.after], ensure_ascii=False)
    # The user must choose their own password before anything else.
    client = Client()
    login(client, editor.username, password)
    assert client.get("/orgs/")["Location"] == "/password/"


def test_the_page_shows_the_new_password_once_to_the_admin(world):
    editor = world.tian_editor
    response = logged_in_client(world.tian_unit_admin).post(f"/users/{editor.pk}/reset-password/")
    assert response.status_code == 200
    password = response.context["password"]
    editor.refresh_from_db()
    assert editor.check_password(password) and password in response.content.decode()


@pytest.mark.parametrize("actor", ["chen_unit_admin", "tian_editor", "oversight"])
def test_only_an_admin_of_the_users_unit_may_reset_the_password(world, actor):
    target = world.tian_reviewer
    with pytest.raises(NotFound):
        services.user_reset_password(actor=getattr(world, actor), user_id=target.pk)
    response = logged_in_client(getattr(world, actor)).post(f"/users/{target.pk}/reset-password/")
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and not target.must_change_password
    assert events("user.reset_password", target) == []


def test_a_unit_admin_cannot_reset_a_district_users_password(world):
    with pytest.raises(NotFound):
        services.user_reset_password(actor=world.tian_unit_admin, user_id=world.alice.pk)
    world.alice.refresh_from_db()
    assert world.alice.check_password(PASSWORD)


def test_a_reset_needs_a_post(world):
    client = logged_in_client(world.tian_unit_admin)
    assert client.get(f"/users/{world.tian_editor.pk}/reset-password/").status_code == 405
    world.tian_editor.refresh_from_db()
    assert world.tian_editor.check_password(PASSWORD)


# --- user_reset_totp --------------------------------------------------------------------------


def with_totp(user) -> User:
    user.totp_secret, user.totp_enabled, user.totp_last_step = TOTP_SECRET, True, 12345
    user.save()
    return user


def test_a_unit_admin_resets_the_second_factor_of_a_lost_phone(world):
    editor = with_totp(world.tian_editor)
    services.user_reset_totp(actor=world.tian_unit_admin, user_id=editor.pk)
    editor.refresh_from_db()
    assert (editor.totp_secret, editor.totp_enabled, editor.totp_last_step) == ("", False, 0)
    assert editor.check_password(PASSWORD)  # the password is not touched
    [event] = events("user.reset_totp", editor)
    assert event.actor == world.tian_unit_admin and event.org == world.tian
    assert TOTP_SECRET not in json.dumps([event.before, event.after])


def test_a_platform_admin_whose_factor_was_reset_enrols_again_at_the_next_login(world):
    bob = make_user("bob", world.district, "platform_admin")
    response = logged_in_client(bob).post(f"/users/{world.alice.pk}/reset-2fa/")
    assert response.status_code == 302
    world.alice.refresh_from_db()
    assert not world.alice.totp_enabled and world.alice.totp_secret == ""
    client = Client()
    login(client, "alice", PASSWORD)
    assert client.get("/")["Location"] == "/2fa/setup/"
    # Enrolment binds a new secret: the lost phone's authenticator is worth nothing.
    assert client.get("/2fa/setup/").status_code == 200
    assert client.session["totp_pending_secret"] not in ("", TOTP_SECRET)


@pytest.mark.parametrize("actor", ["chen_unit_admin", "tian_editor", "oversight"])
def test_only_an_admin_of_the_users_unit_may_reset_the_second_factor(world, actor):
    target = with_totp(world.tian_reviewer)
    with pytest.raises(NotFound):
        services.user_reset_totp(actor=getattr(world, actor), user_id=target.pk)
    response = logged_in_client(getattr(world, actor)).post(f"/users/{target.pk}/reset-2fa/")
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.totp_enabled and target.totp_secret == TOTP_SECRET
    assert events("user.reset_totp", target) == []


def test_a_unit_admin_cannot_reset_a_platform_admins_second_factor(world):
    with pytest.raises(NotFound):
        services.user_reset_totp(actor=world.tian_unit_admin, user_id=world.alice.pk)
    world.alice.refresh_from_db()
    assert world.alice.totp_enabled
