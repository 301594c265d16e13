"""`credentials_rotate_key`: everything moves to the first key in one go, or nothing moves and the
rows that could not be decrypted are named."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govmedia.audit.models import AuditEvent
from govmedia.core import crypto
from govmedia.credentials import services
from govmedia.credentials.management.commands.credentials_rotate_key import Command
from govmedia.credentials.models import LoginCustody, PlatformCredential
from govmedia.users.models import User
from tests.credentials.conftest import APP_SECRET, KEY_A, KEY_B, KEY_C, PHONE

ID_A = crypto.Keyring.from_strings([KEY_A]).current_id
ID_B = crypto.Keyring.from_strings([KEY_B]).current_id


def key_ids() -> set[str]:
    tokens = [
        token
        for row in PlatformCredential.objects.all()
        for token in (row.app_secret_enc, row.access_token_enc, row.extra_enc)
        if token
    ] + [row.bound_phone_enc for row in LoginCustody.objects.all() if row.bound_phone_enc]
    # The users' TOTP secrets are sealed with the same keyring and rotate with the credentials.
    tokens += [u.totp_secret_enc for u in User.objects.exclude(totp_secret_enc="")]
    return {crypto.token_key_id(token) for token in tokens}


def test_rotation_moves_everything_to_the_new_key_and_the_old_one_can_go(
    world, stored, settings, capsys
):
    assert key_ids() == {ID_A}
    settings.CREDENTIALS_KEYS = [KEY_B, KEY_A]
    call_command("credentials_rotate_key")
    out = capsys.readouterr().out
    assert f"当前密钥 {ID_B}" in out and "重新加密 5 项（3 条记录）" in out
    assert "可以从 CREDENTIALS_KEYS 中移除旧密钥" in out
    assert key_ids() == {ID_B}
    event = AuditEvent.objects.get(action="credential.rotate_key")
    assert event.before == {"key_ids": [ID_A]} and event.after["reencrypted"] == 5
    settings.CREDENTIALS_KEYS = [KEY_B]  # the old key removed
    assert services.credentials_for(stored).get("app_secret") == APP_SECRET
    assert (
        services.credential_reveal(
            actor=world.alice, account_id=stored.pk, field="bound_phone", reason="轮换后核对"
        )
        == PHONE
    )
    call_command("credentials_rotate_key")  # again: nothing left to do
    assert "重新加密 0 项" in capsys.readouterr().out


def test_check_only_writes_nothing(stored, settings, capsys):
    settings.CREDENTIALS_KEYS = [KEY_B, KEY_A]
    call_command("credentials_rotate_key", "--check")
    assert "5 项仍使用旧密钥，全部可以解密" in capsys.readouterr().out
    assert key_ids() == {ID_A} and not AuditEvent.objects.filter(action__contains="rotate").exists()


def test_a_missing_key_fails_naming_the_row_and_changes_nothing(stored, accounts, world, settings):
    _, chen = accounts
    settings.CREDENTIALS_KEYS = [KEY_C]
    services.credential_set(
        actor=world.alice, account_id=chen.pk, version=0, app_id="", app_secret="under-c"
    )
    settings.CREDENTIALS_KEYS = [KEY_B, KEY_C]  # KEY_A, which wrote 天中发布's values, is gone
    before = {row.pk: row.app_secret_enc for row in PlatformCredential.objects.all()}
    with pytest.raises(CommandError) as exc:
        call_command("credentials_rotate_key")
    message = str(exc.value)
    assert "有 5 项密文无法用已配置的任何密钥解密，未做任何修改" in message
    assert "用户“alice（alice）”的动态验证码密钥" in message
    assert f"账号编号 {stored.pk}，“天中发布”，天中街道" in message and ID_A in message
    assert "绑定手机号" in message and "陈集发布" not in message
    after = {row.pk: row.app_secret_enc for row in PlatformCredential.objects.all()}
    assert after == before  # 陈集发布, which could be rotated, was rolled back too
    assert not AuditEvent.objects.filter(action="credential.rotate_key").exists()


def test_the_command_exits_non_zero(stored, settings, capsys):
    settings.CREDENTIALS_KEYS = [KEY_B]
    with pytest.raises(SystemExit) as exc:
        Command().run_from_argv(["manage.py", "credentials_rotate_key"])
    assert exc.value.code == 1
    assert "无法用已配置的任何密钥解密" in capsys.readouterr().err


def test_generate_prints_a_usable_key(capsys, db):
    call_command("credentials_rotate_key", "--generate")
    assert len(crypto.parse_key(capsys.readouterr().out.strip())) == 32
