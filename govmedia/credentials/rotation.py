"""Key rotation: re-encrypt every stored secret under the current key (the first of
CREDENTIALS_KEYS), all or nothing.

Every ciphertext is decrypted first; if any cannot be (its key is not configured, or it was
altered) nothing is written and the failures are named row by row, so an old key is never
dropped while a value still depends on it.
"""

from dataclasses import dataclass, field

from django.db import transaction

from govmedia.audit.services import audit_record

from . import crypto, storage
from .models import (
    CREDENTIAL_SECRETS,
    CUSTODY_SECRETS,
    SECRET_LABELS,
    LoginCustody,
    PlatformCredential,
)

SECRET_FIELDS = (
    (PlatformCredential, [name for name, _ in CREDENTIAL_SECRETS]),
    (LoginCustody, [name for name, _ in CUSTODY_SECRETS]),
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


def _describe(row, name: str) -> str:
    account = row.account
    return (
        f"{row._meta.verbose_name}（账号编号 {row.account_id}，“{account.name}”，"
        f"{account.host_org.name}）的{SECRET_LABELS[name]}"
    )


def rotate(*, check_only: bool = False, actor="命令行 credentials_rotate_key") -> RotationResult:
    """Re-encrypt what is not under the current key. With check_only, decrypt everything and
    write nothing: the way to prove an old key may now be removed."""
    ring = crypto.keyring()
    result = RotationResult(key_id=ring.current_id)
    failures: list[str] = []
    with transaction.atomic():
        for model, names in SECRET_FIELDS:
            rows = (
                model.objects.select_for_update(of=("self",))
                .select_related("account__host_org")
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
                        plain = ring.decrypt(token, context=storage.context_for(row, name))
                    except crypto.CredentialCryptoError as exc:
                        failures.append(f"{_describe(row, name)}：{exc.message}")
                        continue
                    if kid == ring.current_id:
                        result.already_current += 1
                        continue
                    result.old_key_ids.add(kid)
                    setattr(
                        row,
                        f"{name}_enc",
                        ring.encrypt(plain, context=storage.context_for(row, name)),
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
