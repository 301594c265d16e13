"""The credential store through its services: never in clear in the database or the audit log,
revealed only with a reason that the audit keeps, and loud when the key is wrong."""

import json
from datetime import date

import pytest
from django.db import connection

from govmedia.audit.models import AuditEvent
from govmedia.core import crypto
from govmedia.core.errors import Conflict, NotFound, ServiceError
from govmedia.credentials import services
from govmedia.credentials.models import LoginCustody, PlatformCredential
from tests.credentials.conftest import ACCESS_TOKEN, APP_SECRET, KEY_B, PHONE


def raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a fixed table name
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def audit_dump() -> str:
    return json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)


def test_secrets_are_not_in_the_database_or_the_audit_in_clear(stored):
    credentials = raw_rows("credentials_platformcredential")
    custody = raw_rows("credentials_logincustody")
    assert "wx1234567890abcdef" in credentials  # the AppID is not a secret
    for secret in (APP_SECRET, ACCESS_TOKEN, "oT1x2y3z"):
        assert secret not in credentials and secret not in custody
    assert PHONE not in custody and "139****1234" in custody
    row = PlatformCredential.objects.get(pk=stored.pk)
    audit = audit_dump()
    for secret in (APP_SECRET, ACCESS_TOKEN, "oT1x2y3z", PHONE):
        assert secret not in audit
    for token in (row.app_secret_enc, row.access_token_enc, row.extra_enc):
        assert token.startswith("gm1.") and token not in audit
    event = AuditEvent.objects.filter(action="credential.set").get()
    assert event.after["changed"] == ["app_id", "app_secret", "access_token", "extra"]
    assert event.org_id == stored.host_org_id


def test_reveal_returns_the_value_and_audits_the_reason_not_the_value(world, stored):
    value = services.credential_reveal(
        actor=world.tian_unit_admin,
        account_id=stored.pk,
        field="app_secret",
        reason="公众号后台更换服务器配置",
    )
    assert value == APP_SECRET
    event = AuditEvent.objects.filter(action="credential.reveal").get()
    assert event.after == {
        "field": "app_secret",
        "label": "AppSecret",
        "reason": "公众号后台更换服务器配置",
    }
    assert event.actor == world.tian_unit_admin and event.org_id == stored.host_org_id
    assert event.object_id == str(stored.pk)
    phone = services.credential_reveal(
        actor=world.alice, account_id=stored.pk, field="bound_phone", reason="核对绑定手机号"
    )
    assert phone == PHONE
    extra = services.credential_reveal(
        actor=world.alice, account_id=stored.pk, field="extra", reason="核对平台参数"
    )
    assert extra == "open_id=oT1x2y3z"
    assert APP_SECRET not in audit_dump() and PHONE not in audit_dump()


@pytest.mark.parametrize("reason", ["", "   ", "看看", "看 看"])
def test_reveal_without_a_reason_is_refused_and_not_audited(world, stored, reason):
    with pytest.raises(ServiceError) as exc:
        services.credential_reveal(
            actor=world.tian_unit_admin, account_id=stored.pk, field="app_secret", reason=reason
        )
    assert exc.value.field == "reason" and "理由" in exc.value.message
    assert not AuditEvent.objects.filter(action="credential.reveal").exists()


def test_a_wrong_key_fails_loudly_in_chinese(world, stored, settings):
    settings.CREDENTIALS_KEYS = [KEY_B]
    with pytest.raises(crypto.KeyNotConfigured) as exc:
        services.credential_reveal(
            actor=world.tian_unit_admin,
            account_id=stored.pk,
            field="app_secret",
            reason="测试错误密钥",
        )
    assert "无法解密" in exc.value.message and "CREDENTIALS_KEYS" in exc.value.message
    assert not AuditEvent.objects.filter(action="credential.reveal").exists()
    with pytest.raises(crypto.KeyNotConfigured):
        services.credentials_for(stored)


def test_a_ciphertext_copied_to_another_account_does_not_decrypt(world, stored, accounts):
    _, chen = accounts
    services.credential_set(
        actor=world.alice, account_id=chen.pk, version=0, app_id="", app_secret="chen-own-secret"
    )
    stolen = PlatformCredential.objects.get(pk=stored.pk).app_secret_enc
    PlatformCredential.objects.filter(pk=chen.pk).update(app_secret_enc=stolen)
    with pytest.raises(crypto.CiphertextInvalid):
        services.credential_reveal(
            actor=world.alice, account_id=chen.pk, field="app_secret", reason="核对复制的密文"
        )


def test_empty_keeps_new_replaces_clear_removes(world, stored):
    row = PlatformCredential.objects.get(pk=stored.pk)
    services.credential_set(
        actor=world.tian_unit_admin,
        account_id=stored.pk,
        version=row.version,
        app_id="wx1234567890abcdef",
        app_secret="",
        access_token="act.new",
        clear=["extra"],
    )
    assert services.credentials_for(stored).values == {
        "app_id": "wx1234567890abcdef",
        "app_secret": APP_SECRET,
        "access_token": "act.new",
    }
    event = AuditEvent.objects.filter(action="credential.set").latest("seq")
    assert event.after["changed"] == ["access_token", "extra"]
    assert event.before["fields_set"] == ["app_secret", "access_token", "extra"]


def test_concurrent_edit_and_double_submit_are_refused(world, stored):
    row = PlatformCredential.objects.get(pk=stored.pk)
    kwargs = {"actor": world.tian_unit_admin, "account_id": stored.pk, "app_id": ""}
    services.credential_set(**kwargs, version=row.version, app_secret="first")
    with pytest.raises(Conflict):
        services.credential_set(**kwargs, version=row.version, app_secret="second")
    with pytest.raises(Conflict):  # a second "first entry" of a record that now exists
        services.credential_set(**kwargs, version=0, app_secret="third")
    assert services.credentials_for(stored).get("app_secret") == "first"


def test_bad_input_names_the_field(world, accounts):
    tian, _ = accounts
    cases = [
        ({"app_id": "wxNOTVALID"}, "app_id"),
        ({"app_id": "", "app_secret": "has space"}, "app_secret"),
        ({"app_id": "", "extra": {"app_secret": "x"}}, "extra"),
        ({"app_id": "", "extra": {"1bad": "x"}}, "extra"),
        ({"app_id": "", "app_secret": "x", "clear": ["app_secret"]}, "clear"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ServiceError) as exc:
            services.credential_set(
                actor=world.tian_unit_admin, account_id=tian.pk, version=0, **kwargs
            )
        assert exc.value.field == field, kwargs
    with pytest.raises(ServiceError) as exc:
        services.custody_set(
            actor=world.tian_unit_admin,
            account_id=tian.pk,
            version=0,
            administrator="赵",
            bound_phone="12345",
        )
    assert exc.value.field == "bound_phone" and "手机号" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        services.custody_set(
            actor=world.tian_unit_admin,
            account_id=tian.pk,
            version=0,
            administrator="赵",
            password_changed_on=date(2999, 1, 1),
        )
    assert exc.value.field == "password_changed_on"
    assert not PlatformCredential.objects.exists() and not LoginCustody.objects.exists()


def test_custody_keeps_the_phone_when_left_empty(world, stored):
    custody = LoginCustody.objects.get(pk=stored.pk)
    services.custody_set(
        actor=world.tian_unit_admin,
        account_id=stored.pk,
        version=custody.version,
        administrator="孙管理",
        password_holder="钱保管",
        password_changed_on=date(2026, 11, 1),
        bound_phone="",
    )
    custody.refresh_from_db()
    assert custody.bound_phone_masked == "139****1234" and custody.administrator == "孙管理"
    event = AuditEvent.objects.filter(action="custody.set").latest("seq")
    assert event.after["changed"] == ["administrator", "password_changed_on"]
    assert PHONE not in audit_dump()


def test_other_townships_oversight_and_editors_cannot_read_or_write(world, stored):
    for user in (world.chen_unit_admin, world.oversight, world.tian_editor, world.tian_reviewer):
        with pytest.raises(NotFound):
            services.credential_reveal(
                actor=user, account_id=stored.pk, field="app_secret", reason="越权查看测试"
            )
        with pytest.raises(NotFound):
            services.credential_set(actor=user, account_id=stored.pk, version=1, app_id="")
        assert not PlatformCredential.objects.restrict(user).exists()
        assert not LoginCustody.objects.restrict(user).exists()
    assert PlatformCredential.objects.restrict(world.tian_unit_admin).count() == 1
    assert not AuditEvent.objects.filter(action="credential.reveal").exists()


def test_credentials_for_gives_the_platform_client_its_keys(stored, accounts):
    credentials = services.credentials_for(stored)
    assert credentials.values == {
        "app_id": "wx1234567890abcdef",
        "app_secret": APP_SECRET,
        "access_token": ACCESS_TOKEN,
        "open_id": "oT1x2y3z",
    }
    assert services.credentials_for(accounts[1]).values == {}


def test_token_refresh_by_the_engine_is_audited_without_the_token(stored):
    services.credential_tokens_refresh(
        account_id=stored.pk, access_token="act.refreshed", refresh_token="rft.refreshed"
    )
    assert services.credentials_for(stored).get("refresh_token") == "rft.refreshed"
    event = AuditEvent.objects.filter(action="credential.tokens_refresh").get()
    assert event.actor_label == "系统" and "act.refreshed" not in audit_dump()
