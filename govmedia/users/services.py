"""Writes about users: management by administrators, login with lockout, password, TOTP, tokens."""

import re
import secrets
import string
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.phones import mobile_error, normalize
from govmedia.core.roles import ASSIGNABLE_BY, Role
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.orgs.models import Organization, OrgStatus, OrgType

from .models import ApiToken, User

USERNAME_RE = re.compile(r"[A-Za-z0-9_.\-]{3,50}")
AUDITED_FIELDS = [
    "username",
    "name",
    "org",
    "role",
    "phone",
    "email",
    "is_active",
    "must_change_password",
    "totp_enabled",
]
INVALID_LOGIN = "用户名或密码错误"


# --- administration -------------------------------------------------------------------------


def _check_org_and_role(actor, org: Organization, role: str) -> None:
    if role not in Role.values:
        raise ServiceError("角色无效", field="role")
    if role not in ASSIGNABLE_BY.get(actor.role, ()):
        raise Forbidden(f"您无权授予“{Role(role).label}”角色", field="role")
    if not Organization.objects.filter(org_subtree_q(actor, ""), pk=org.pk).exists():
        raise Forbidden("只能把用户设在本单位及下级单位", field="org")
    if org.status != OrgStatus.ACTIVE:
        raise ServiceError(f"“{org.name}”已撤销或整合，不能再设用户", field="org")
    if role == Role.PLATFORM_ADMIN and org.org_type != OrgType.DISTRICT:
        raise ServiceError("平台管理员只能属于区级根单位（区政府办公室）", field="role")


def _clean_profile(name: str, phone: str, email: str) -> tuple[str, str, str]:
    name = clean_text(
        name, field="name", label="姓名", required=True, max_length=50, multiline=False
    )
    phone = normalize(clean_text(phone, field="phone", label="手机号", multiline=False))
    if phone and (error := mobile_error(phone)):
        raise ServiceError(error, field="phone")
    email = clean_text(email, field="email", label="电子邮箱", max_length=254, multiline=False)
    return name, phone, email


def generate_password() -> str:
    """A random temporary password that satisfies the policy."""
    alphabet = string.ascii_letters + string.digits + "#%+-=@"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(14))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
        ):
            return candidate


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("；".join(exc.messages), field="password") from None
    user.set_password(password)
    user.password_changed_at = timezone.now()


def user_create(
    *,
    actor,
    username: str,
    name: str,
    org: Organization,
    role: str,
    phone: str = "",
    email: str = "",
    password: str | None = None,
    is_demo: bool = False,
    must_change_password: bool = True,
) -> tuple[User, str]:
    """Create a user; returns it with its initial password, to be shown to the actor once."""
    if not may(actor, "users.change"):
        raise Forbidden("您无权新建用户")
    username = (username or "").strip()
    if not USERNAME_RE.fullmatch(username):
        raise ServiceError("用户名须为 3–50 个字母、数字、下划线、点或短横线", field="username")
    name, phone, email = _clean_profile(name, phone, email)
    with transaction.atomic():
        _check_org_and_role(actor, org, role)
        if User.objects.filter(username__iexact=username).exists():
            raise ServiceError(f"用户名“{username}”已被使用", field="username")
        user = User(
            username=username,
            name=name,
            org=org,
            role=role,
            phone=phone,
            email=email,
            is_demo=is_demo,
            must_change_password=must_change_password,
        )
        password = password or generate_password()
        _set_password(user, password)
        try:
            with transaction.atomic():
                user.save(force_insert=True)
        except IntegrityError as exc:
            raise Conflict(f"用户名“{username}”已被使用（可能重复提交）", field="username") from exc
        audit_record(
            actor=actor,
            action="user.create",
            obj=user,
            org=org,
            after=snapshot(user, AUDITED_FIELDS),
        )
    return user, password


def _locked_user(actor, user_id: int) -> User:
    return get_scoped(User.objects.select_for_update(of=("self",)), actor, user_id, "change")


def user_update(
    *,
    actor,
    user_id: int,
    version: int,
    name: str,
    org: Organization,
    role: str,
    phone: str = "",
    email: str = "",
    is_active: bool = True,
) -> User:
    name, phone, email = _clean_profile(name, phone, email)
    with transaction.atomic():
        user = _locked_user(actor, user_id)
        check_version(user, version, noun="用户信息")
        if user.pk == actor.pk and (role != user.role or not is_active or org.pk != user.org_id):
            raise ServiceError("不能修改自己的角色、单位或停用自己，请联系其他管理员")
        if role != user.role or org.pk != user.org_id:
            _check_org_and_role(actor, org, role)
        before = snapshot(user, AUDITED_FIELDS)
        user.name, user.org, user.role, user.phone, user.email = name, org, role, phone, email
        user.is_active = is_active
        user.version += 1
        user.save()
        audit_record(
            actor=actor,
            action="user.update",
            obj=user,
            org=user.org,
            before=before,
            after=snapshot(user, AUDITED_FIELDS),
        )
    return user


def user_reset_password(*, actor, user_id: int) -> str:
    with transaction.atomic():
        user = _locked_user(actor, user_id)
        password = generate_password()
        _set_password(user, password)
        user.must_change_password = True
        user.failed_logins, user.locked_until = 0, None
        user.save()
        audit_record(actor=actor, action="user.reset_password", obj=user, org=user.org)
    return password


def user_unlock(*, actor, user_id: int) -> User:
    with transaction.atomic():
        user = _locked_user(actor, user_id)
        user.failed_logins, user.locked_until = 0, None
        user.save(update_fields=["failed_logins", "locked_until"])
        audit_record(actor=actor, action="user.unlock", obj=user, org=user.org)
    return user


def user_reset_totp(*, actor, user_id: int) -> User:
    """For a user who lost their phone: they enrol again at their next login."""
    with transaction.atomic():
        user = _locked_user(actor, user_id)
        user.totp_secret, user.totp_enabled, user.totp_last_step = "", False, 0
        user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
        audit_record(actor=actor, action="user.reset_totp", obj=user, org=user.org)
    return user


# --- authentication -------------------------------------------------------------------------


def _count_failure(user: User, action: str) -> None:
    """One more failure; the limit-th locks the user. Runs in the caller's transaction."""
    user.failed_logins += 1
    if user.failed_logins >= settings.LOGIN_FAILURE_LIMIT:
        user.failed_logins = 0
        user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        audit_record(
            actor=user,
            action="user.locked",
            obj=user,
            org=user.org,
            after={"locked_until": user.locked_until.isoformat(), "after": action},
        )
    else:
        audit_record(
            actor=user,
            action=action,
            obj=user,
            org=user.org,
            after={"failed_logins": user.failed_logins},
        )
    user.save(update_fields=["failed_logins", "locked_until"])


def locked_message(user: User) -> str:
    until = timezone.localtime(user.locked_until).strftime("%H:%M")
    return f"连续登录失败次数过多，账号已锁定，请于 {until} 后重试，或联系管理员解锁"


def login_check(*, username: str, password: str) -> User:
    """The user for these credentials, or ServiceError; counts failures and locks.

    The failure is committed even though an error is raised: the lock must survive the error.
    """
    username = (username or "").strip()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        if user is None or not user.is_active:
            # Hash anyway so a missing user takes as long as a wrong password.
            User().set_password(password)
            audit_record(
                actor=f"未知用户 {username[:50]}",
                action="user.login_failed",
                object_type="users.user",
                object_id="",
                object_repr=username[:50],
            )
            failure = ServiceError(INVALID_LOGIN, code="invalid_credentials")
        elif user.is_locked:
            failure = ServiceError(locked_message(user), code="locked")
        elif not user.check_password(password):
            _count_failure(user, "user.login_failed")
            failure = ServiceError(
                locked_message(user) if user.is_locked else INVALID_LOGIN,
                code="locked" if user.is_locked else "invalid_credentials",
            )
        else:
            if user.failed_logins:
                user.failed_logins = 0
            user.last_login = timezone.now()
            user.save(update_fields=["failed_logins", "last_login"])
            audit_record(actor=user, action="user.login", obj=user, org=user.org)
            return user
    raise failure


def password_change(
    *, user: User, old_password: str, new_password: str, new_password2: str
) -> None:
    if not user.check_password(old_password):
        raise ServiceError("原密码不正确", field="old_password")
    if new_password != new_password2:
        raise ServiceError("两次输入的新密码不一致", field="new_password2")
    if new_password == old_password:
        raise ServiceError("新密码不能与原密码相同", field="new_password")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _set_password(user, new_password)
        user.must_change_password = False
        user.save()
        audit_record(actor=user, action="user.change_password", obj=user, org=user.org)


def _totp_step(secret: str, code: str, after_step: int) -> int | None:
    """The time step the code belongs to (±1 step for clock drift), if it is newer than after_step."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(timezone.now())
    for step in (now_step - 1, now_step, now_step + 1):
        if step > after_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def totp_enable(*, user: User, secret: str, code: str) -> None:
    step = _totp_step(secret, code, 0)
    if step is None:
        raise ServiceError("验证码不正确，请确认手机时间准确后重新输入", field="code")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.totp_secret, user.totp_enabled, user.totp_last_step = secret, True, step
        user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
        audit_record(actor=user, action="user.enable_totp", obj=user, org=user.org)


def totp_verify(*, user: User, code: str) -> None:
    """Check a login's second factor; wrong codes count towards the lockout like passwords."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_locked:
            failure = ServiceError(locked_message(user), code="locked")
        elif (step := _totp_step(user.totp_secret, code, user.totp_last_step)) is None:
            _count_failure(user, "user.totp_failed")
            failure = ServiceError(
                locked_message(user) if user.is_locked else "验证码不正确或已使用过",
                code="locked" if user.is_locked else "invalid_code",
                field="code",
            )
        else:
            user.totp_last_step = step
            user.failed_logins = 0
            user.save(update_fields=["totp_last_step", "failed_logins"])
            return
    raise failure


# --- API tokens -----------------------------------------------------------------------------


def token_create(
    *, actor: User, name: str, expires_days: int | None = None
) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写令牌用途", field="name")
    if expires_days is not None and not 1 <= expires_days <= 3650:
        raise ServiceError("有效期应为 1–3650 天", field="expires_days")
    key = ApiToken.PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name[:50],
            key_hash=ApiToken.hash_key(key),
            hint=key[:10],
            expires_at=timezone.now() + timedelta(days=expires_days) if expires_days else None,
        )
        audit_record(
            actor=actor,
            action="token.create",
            obj=token,
            org=actor.org,
            after={"name": token.name, "hint": token.hint},
        )
    return token, key


def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
        if token is None:
            raise ServiceError("令牌不存在", code="not_found")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="token.revoke", obj=token, org=actor.org)
    return token


def token_authenticate(key: str) -> User | None:
    if not key or not key.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user", "user__org")
        .filter(key_hash=ApiToken.hash_key(key))
        .first()
    )
    if token is None or not token.user.is_active or token.user.is_locked:
        return None
    # Throttle the write: once a minute is precise enough for "last used".
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
