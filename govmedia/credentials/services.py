"""Writes and reveals of 账号密码保护 (通知第五部分（二）“切实做好账号密码保护”).

Each runs in one transaction, re-checks the actor's scope there and writes its AuditEvent in it.
The audit records which fields changed and why a secret was revealed, never a secret nor its
ciphertext: the audit log is readable by more people (监督) than the secrets are.
"""

import json
import re
from datetime import date

from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import Conflict, NotFound, ServiceError
from govmedia.core.phones import mask_mobile, mobile_error, normalize
from govmedia.core.text import clean_text
from govmedia.platforms.base import Credentials

from . import selectors, storage
from .models import CREDENTIAL_SECRETS, SECRET_LABELS, LoginCustody, PlatformCredential

SECRET_MAX_LENGTH = 4000
REASON_MIN_LENGTH = 4
REASON_REQUIRED = f"请填写查看理由（至少 {REASON_MIN_LENGTH} 个字），查看将记入审计日志"
EXTRA_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,39}")
EXTRA_MAX_ITEMS = 20
# Names the credential row has fields for: an "extra" key may not shadow them.
RESERVED_KEYS = frozenset({"app_id", *(name for name, _ in CREDENTIAL_SECRETS)})
# 微信公众号 AppID: "wx" and 16 lowercase hex digits (公众平台“设置与开发 › 基本配置”).
WECHAT_APP_ID_RE = re.compile(r"wx[0-9a-f]{16}")


def _conflict() -> Conflict:
    # No field: the form shows it above itself (the version input is hidden).
    return Conflict("该记录已被他人修改或已保存过，请刷新页面后重新填写")


def _clean_secret(field: str, value: str | None) -> str:
    value = clean_text(value, field=field, label=SECRET_LABELS[field], max_length=SECRET_MAX_LENGTH)
    if any(ch.isspace() for ch in value):
        raise ServiceError(
            f"{SECRET_LABELS[field]}不应含空格或换行，请检查是否多复制了内容", field=field
        )
    return value


def _clean_app_id(app_id: str | None, account) -> str:
    app_id = clean_text(app_id, field="app_id", label="AppID", max_length=100, multiline=False)
    if app_id and account.platform.code == "wechat-mp" and not WECHAT_APP_ID_RE.fullmatch(app_id):
        raise ServiceError(
            "微信公众号的 AppID 应为 wx 开头的 18 位字符（小写字母与数字），"
            "见公众平台“设置与开发 › 基本配置”",
            field="app_id",
        )
    return app_id


def clean_extra(extra: dict | None) -> dict[str, str]:
    extra = extra or {}
    if len(extra) > EXTRA_MAX_ITEMS:
        raise ServiceError(f"其他平台参数最多 {EXTRA_MAX_ITEMS} 项", field="extra")
    cleaned = {}
    for key, value in extra.items():
        key = str(key).strip()
        if not EXTRA_KEY_RE.fullmatch(key):
            raise ServiceError(
                f"参数名“{key}”无效：应以英文字母开头，只含字母、数字、_ . -，至多 40 个字符",
                field="extra",
            )
        if key in RESERVED_KEYS:
            raise ServiceError(f"参数名“{key}”请填写在对应的栏目中", field="extra")
        value = clean_text(value, field="extra", label=f"参数“{key}”", multiline=False)
        if not value:
            raise ServiceError(f"参数“{key}”没有值", field="extra")
        cleaned[key] = value
    if len(json.dumps(cleaned, ensure_ascii=False)) > SECRET_MAX_LENGTH:
        raise ServiceError(f"其他平台参数合计不得超过 {SECRET_MAX_LENGTH} 个字符", field="extra")
    return cleaned


def _credential_summary(row: PlatformCredential | None) -> dict | None:
    if row is None:
        return None
    return {"app_id": row.app_id, "fields_set": row.fields_set()}


def credential_set(
    *,
    actor,
    account_id: int,
    version: int,
    app_id: str | None,
    app_secret: str | None = None,
    access_token: str | None = None,
    refresh_token: str | None = None,
    extra: dict | None = None,
    clear: tuple[str, ...] | list[str] = (),
) -> PlatformCredential:
    """Store the account's API credentials. A secret left empty keeps the stored value; a new
    one replaces it; `clear` names secrets to remove. `version` is the one the form was read at
    (0 when there was no record yet), so a concurrent edit or a double submit is refused."""
    new_values = {
        "app_secret": _clean_secret("app_secret", app_secret),
        "access_token": _clean_secret("access_token", access_token),
        "refresh_token": _clean_secret("refresh_token", refresh_token),
    }
    extra = clean_extra(extra)
    clear = list(dict.fromkeys(clear))
    for field in clear:
        if field not in dict(CREDENTIAL_SECRETS):
            raise ServiceError("要清除的项目无效", field="clear")
        if new_values.get(field) or (field == "extra" and extra):
            raise ServiceError(f"{SECRET_LABELS[field]}不能同时填写新值又选择清除", field="clear")
    with transaction.atomic():
        account = selectors.account_or_not_found(actor, account_id, "change", lock=True)
        app_id = _clean_app_id(app_id, account)
        row = PlatformCredential.objects.select_for_update().filter(account=account).first()
        if (row.version if row else 0) != version:
            raise _conflict()
        before = _credential_summary(row)
        row = row or PlatformCredential(account=account, version=0)
        changed = ["app_id"] if row.app_id != app_id else []
        row.app_id = app_id
        for field, value in new_values.items():
            if value:
                storage.seal(row, field, value)
                changed.append(field)
        if extra:
            storage.seal(row, "extra", json.dumps(extra, ensure_ascii=False, sort_keys=True))
            changed.append("extra")
        for field in clear:
            if storage.is_set(row, field):
                storage.seal(row, field, "")
                changed.append(field)
        if not changed:  # nothing to save: the caller sees the version unchanged
            return row
        row.version += 1
        row.updated_by = actor
        row.save()
        audit_record(
            actor=actor,
            action="credential.set",
            obj=row,
            org=account.host_org,
            object_repr=str(account),
            before=before,
            after=_credential_summary(row) | {"changed": changed},
        )
    return row


def credential_tokens_refresh(
    *, account_id: int, access_token: str, refresh_token: str | None = None, actor="系统"
) -> PlatformCredential:
    """Store the tokens a platform issued on an OAuth refresh (Douyin, Kuaishou, Weibo).

    Called by the monitoring engine, not by a person, so it checks no scope. Not for WeChat's
    2-hour access token, which is derived from the AppSecret and only cached.
    """
    access_token = _clean_secret("access_token", access_token)
    refresh_token = _clean_secret("refresh_token", refresh_token)
    if not access_token:
        raise ServiceError("平台未返回新的 Access Token", field="access_token")
    with transaction.atomic():
        row = (
            PlatformCredential.objects.select_for_update(of=("self",))
            .select_related("account__host_org")
            .filter(account_id=account_id)
            .first()
        )
        if row is None:
            raise NotFound("该账号未保存平台接口凭据")
        storage.seal(row, "access_token", access_token)
        changed = ["access_token"]
        if refresh_token:
            storage.seal(row, "refresh_token", refresh_token)
            changed.append("refresh_token")
        row.version += 1
        row.save()
        audit_record(
            actor=actor,
            action="credential.tokens_refresh",
            obj=row,
            org=row.account.host_org,
            object_repr=str(row.account),
            after={"changed": changed},
        )
    return row


def _reveal_value(row, field: str) -> str:
    value = storage.unseal(row, field)
    if field == "extra":
        return "\n".join(f"{key}={item}" for key, item in json.loads(value).items())
    return value


def credential_reveal(*, actor, account_id: int, field: str, reason: str) -> str:
    """The stored secret in clear, once, for a stated reason that the audit log keeps.

    A value that cannot be decrypted (its key is gone, or the data was altered) raises
    crypto.CredentialCryptoError with a Chinese message: never garbage, never an empty answer.
    """
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ServiceError(REASON_REQUIRED, field="reason")
    if len(reason) > 200:
        raise ServiceError("查看理由不得超过 200 个字", field="reason")
    if field not in SECRET_LABELS:
        raise ServiceError("请选择要查看的项目", field="field")
    with transaction.atomic():
        account = selectors.account_or_not_found(actor, account_id, "reveal")
        model = LoginCustody if field == "bound_phone" else PlatformCredential
        row = model.objects.filter(account=account).first()
        if not storage.is_set(row, field):
            raise ServiceError(f"该账号未保存{SECRET_LABELS[field]}，无可查看的内容", field="field")
        value = _reveal_value(row, field)
        audit_record(
            actor=actor,
            action=selectors.REVEAL_ACTION,
            obj=row,
            org=account.host_org,
            object_repr=str(account),
            after={"field": field, "label": SECRET_LABELS[field], "reason": reason},
        )
    return value


def _clean_custody(administrator, password_holder, password_changed_on, note, bound_phone):
    administrator = clean_text(
        administrator,
        field="administrator",
        label="管理员姓名",
        required=True,
        max_length=30,
        required_message="请填写平台账号的管理员",
    )
    password_holder = clean_text(
        password_holder, field="password_holder", label="密码保管人姓名", max_length=30
    )
    if password_changed_on is not None and password_changed_on > timezone.localdate():
        raise ServiceError("最近修改密码日期不能晚于今天", field="password_changed_on")
    note = clean_text(note, field="note", label="备注", max_length=1000)
    bound_phone = normalize(bound_phone or "")
    if bound_phone and (error := mobile_error(bound_phone)):
        raise ServiceError(f"绑定手机号：{error}", field="bound_phone")
    return administrator, password_holder, note, bound_phone


CUSTODY_PLAIN_FIELDS = ("administrator", "password_holder", "password_changed_on", "note")


def _custody_summary(row: LoginCustody | None) -> dict | None:
    if row is None:
        return None
    return {
        "administrator": row.administrator,
        "password_holder": row.password_holder,
        "password_changed_on": row.password_changed_on,
        "note": row.note,
        "bound_phone_set": bool(row.bound_phone_enc),
    }


def custody_set(
    *,
    actor,
    account_id: int,
    version: int,
    administrator: str,
    password_holder: str = "",
    password_changed_on: date | None = None,
    note: str = "",
    bound_phone: str | None = None,
    clear_bound_phone: bool = False,
) -> LoginCustody:
    """Record who administers the platform login and holds its password, and when it was last
    changed. The bound phone is personal data: encrypted, shown masked; left empty it is kept."""
    administrator, password_holder, note, bound_phone = _clean_custody(
        administrator, password_holder, password_changed_on, note, bound_phone
    )
    if bound_phone and clear_bound_phone:
        raise ServiceError("绑定手机号不能同时填写新值又选择清除", field="bound_phone")
    with transaction.atomic():
        account = selectors.account_or_not_found(actor, account_id, "change", lock=True)
        row = LoginCustody.objects.select_for_update().filter(account=account).first()
        if (row.version if row else 0) != version:
            raise _conflict()
        before = _custody_summary(row)
        row = row or LoginCustody(account=account, version=0)
        values = {
            "administrator": administrator,
            "password_holder": password_holder,
            "password_changed_on": password_changed_on,
            "note": note,
        }
        changed = [f for f, v in values.items() if getattr(row, f) != v]
        for field, value in values.items():
            setattr(row, field, value)
        if bound_phone or (clear_bound_phone and row.bound_phone_enc):
            storage.seal(row, "bound_phone", bound_phone)
            row.bound_phone_masked = mask_mobile(bound_phone) if bound_phone else ""
            changed.append("bound_phone")
        if not changed:  # nothing to save: the caller sees the version unchanged
            return row
        row.version += 1
        row.updated_by = actor
        row.save()
        audit_record(
            actor=actor,
            action="custody.set",
            obj=row,
            org=account.host_org,
            object_repr=str(account),
            before=before,
            after=_custody_summary(row) | {"changed": changed},
        )
    return row


def credentials_for(account) -> Credentials:
    """The account's platform keys in clear, for a platform client (monitoring, verification).

    For the platform's own background work: it checks no user's scope and writes no audit event
    (a pull every few minutes would drown the log). A key problem raises CredentialCryptoError.
    """
    account_id = getattr(account, "pk", account)
    row = PlatformCredential.objects.filter(account_id=account_id).first()
    return Credentials() if row is None else _unsealed(row)


def credential_rows_for(account_ids) -> dict[int, PlatformCredential]:
    """The stored (sealed) credential rows of many accounts in one query, by account id: a
    pull worker reads a batch of accounts at once. Unseal each with ``unsealed_credentials``,
    so that one account's key problem fails only that account."""
    return {
        row.account_id: row for row in PlatformCredential.objects.filter(account_id__in=account_ids)
    }


def unsealed_credentials(row: PlatformCredential | None) -> Credentials:
    """``credentials_for`` for a row read by ``credential_rows_for`` (None: no credentials)."""
    return Credentials() if row is None else _unsealed(row)


def _unsealed(row: PlatformCredential) -> Credentials:
    values = {"app_id": row.app_id} if row.app_id else {}
    for field, _ in CREDENTIAL_SECRETS:
        if field != "extra" and storage.is_set(row, field):
            values[field] = storage.unseal(row, field)
    if storage.is_set(row, "extra"):
        values = json.loads(storage.unseal(row, "extra")) | values
    return Credentials(values=values)
