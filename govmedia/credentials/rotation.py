"""Key rotation: re-encrypt every stored secret under the current key (the first of
CREDENTIALS_KEYS), all or nothing: the platform credentials and bound phones of this app, and the
users' TOTP secrets (users/totp.py), which the same keyring seals.

Every ciphertext is decrypted first; if any cannot be (its key is not configured, or it was
altered) nothing is written and the failures are named row by row, so an old key is never
dropped while a value still depends on it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from govmedia.audit.services import audit_record
from govmedia.core import crypto
from govmedia.users import totp
from govmedia.users.models import User

from . import storage
from .models import (
    CREDENTIAL_SECRETS,
    CUSTODY_SECRETS,
    SECRET_LABELS,
    LoginCustody,
    PlatformCredential,
)


@dataclass(frozen=True)
class SealedFields:
    """Where sealed values live: the rows, their `<name>_enc` fields, each value's context (the
    associated data it was sealed with) and how to name it in a failure."""

    model: type
    names: list[str]
    related: tuple[str, ...]
    context: Callable[[object, str], str]
    describe: Callable[[object, str], str]


def _describe_credential(row, name: str) -> str:
    account = row.account
    return (
        f"{row._meta.verbose_name}（账号编号 {row.account_id}，“{account.name}”，"
        f"{account.host_org.name}）的{SECRET_LABELS[name]}"
    )


SECRET_FIELDS = (
    SealedFields(
        PlatformCredential,
        [name for name, _ in CREDENTIAL_SECRETS],
        ("account__host_org",),
        storage.context_for,
        _describe_credential,
    ),
    SealedFields(
        LoginCustody,
        [name for name, _ in CUSTODY_SECRETS],
        ("account__host_org",),
        storage.context_for,
        _describe_credential,
    ),
    SealedFields(
        User,
        ["totp_secret"],
        (),
        lambda row, name: totp.context_for(row.username),
        lambda row, name: f"用户“{row.name}（{row.username}）”的动态验证码密钥",
    ),
)


@dataclass
class RotationResult:
    key_id: str
    reencrypted: int = 0  # values now under the current key that were not before
    already_current: int = 0
    rows: int = 0  # rows rewritten
    old_key_ids: set[str] = field(default_factory=set)


class RotationFailed(Exception):
    def __init__(self, failures: list[str]):
        super().__init__("\n".join(failures))
        self.failures = failures


def rotate(*, check_only: bool = False, actor="命令行 credentials_rotate_key") -> RotationResult:
    """Re-encrypt what is not under the current key. With check_only, decrypt everything and
    write nothing: the way to prove an old key may now be removed."""
    ring = crypto.keyring()
    result = RotationResult(key_id=ring.current_id)
    failures: list[str] = []
    with transaction.atomic():
        for fields in SECRET_FIELDS:
            model, names = fields.model, fields.names
            rows = (
                model.objects.select_for_update(of=("self",))
                .select_related(*fields.related)
                .exclude(**{f"{name}_enc": "" for name in names})  # rows with nothing sealed
                .order_by("pk")
            )
            changed_rows = []
            for row in rows:
                changed = False
                for name in names:
                    token = getattr(row, f"{name}_enc")
                    if not token:
                        continue
                    try:
                        kid = crypto.token_key_id(token)
                        plain = ring.decrypt(token, context=fields.context(row, name))
                    except crypto.CredentialCryptoError as exc:
                        failures.append(f"{fields.describe(row, name)}：{exc.message}")
                        continue
                    if kid == ring.current_id:
                        result.already_current += 1
                        continue
                    result.old_key_ids.add(kid)
                    setattr(
                        row,
                        f"{name}_enc",
                        ring.encrypt(plain, context=fields.context(row, name)),
                    )
                    result.reencrypted += 1
                    changed = True
                if changed:
                    changed_rows.append(row)
            if changed_rows and not check_only and not failures:
                model.objects.bulk_update(
                    changed_rows, [f"{name}_enc" for name in names], batch_size=500
                )
                result.rows += len(changed_rows)
        if failures:
            raise RotationFailed(failures)  # rolls back whatever was written
        if result.reencrypted and not check_only:
            audit_record(
                actor=actor,
                action="credential.rotate_key",
                object_type="credentials.keyring",
                object_id=ring.current_id,
                object_repr="账号凭据加密密钥",
                before={"key_ids": sorted(result.old_key_ids)},
                after={"key_id": ring.current_id, "reencrypted": result.reencrypted},
            )
    return result
