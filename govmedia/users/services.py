"""Writes about users: management by administrators, login with lockout, password, TOTP, tokens."""

import re
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.core.phones import mobile_error, normalize
from govmedia.core.roles import ASSIGNABLE_BY, Role
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.orgs.models import Organization, OrgStatus, OrgType

from . import totp
from .models import ApiToken, LoginThrottle, PasswordHistory, User
from .passwords import HISTORY_COUNT

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


def _remember_password(user: User) -> None:
    """Keep the saved user's new password hash, and only the last HISTORY_COUNT of them."""
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[:HISTORY_COUNT]
    PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()


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
        _remember_password(user)
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
        # What a token was made to do changes with these: the tokens go (the user makes new ones).
        reasons = [
            reason
            for reason, changed in (
                ("停用", user.is_active and not is_active),
                ("角色变更", role != user.role),
                ("单位变更", org.pk != user.org_id),
            )
            if changed
        ]
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
        if reasons:
            _revoke_tokens(actor=actor, user=user, reason="、".join(reasons))
    return user


def user_reset_password(*, actor, user_id: int) -> str:
    with transaction.atomic():
        user = _locked_user(actor, user_id)
        password = generate_password()
        _set_password(user, password)
        user.must_change_password = True
        user.failed_logins, user.locked_until = 0, None
        user.save()
        _remember_password(user)
        audit_record(actor=actor, action="user.reset_password", obj=user, org=user.org)
        _revoke_tokens(actor=actor, user=user, reason="管理员重置密码")
    return password


def user_unlock(*, actor, user_id: int) -> User:
    with transaction.atomic():
        user = _locked_user(actor, user_id)
        user.failed_logins, user.totp_failures, user.locked_until = 0, 0, None
        user.save(update_fields=["failed_logins", "totp_failures", "locked_until"])
        # Every address's block on this username too (blocks of a whole address stay).
        LoginThrottle.objects.filter(username=_name_key(user.username)).delete()
        audit_record(actor=actor, action="user.unlock", obj=user, org=user.org)
    return user


def user_reset_totp(*, actor, user_id: int) -> User:
    """For a user who lost their phone: they enrol again at their next login."""
    with transaction.atomic():
        user = _locked_user(actor, user_id)
        user.totp_secret, user.totp_enabled, user.totp_last_step = "", False, 0
        user.totp_failures = 0
        user.save(
            update_fields=["totp_secret_enc", "totp_enabled", "totp_last_step", "totp_failures"]
        )
        audit_record(actor=actor, action="user.reset_totp", obj=user, org=user.org)
    return user


# --- authentication -------------------------------------------------------------------------
#
# Three counters, each with its own job (issue 12):
# - a client address's failures, on one username and over all (LoginThrottle): one address that
#   guesses is stopped before it can lock anybody out, and it is stopped the same way whether the
#   username exists or not;
# - a username's failures from LOGIN_FAILURE_LIMIT different addresses lock the account (a
#   distributed guess);
# - wrong second-factor codes (User.totp_failures), apart from passwords: only a correct code or
#   an administrator clears them, so knowing the password buys no new tries.

ANY_ADDRESS = "*"  # the LoginThrottle row of a username over all addresses: its account-wide block


def locked_message() -> str:
    # One message for a blocked address, a locked account and a username that does not exist.
    return (
        f"登录失败次数过多，已暂停登录 {settings.LOGIN_LOCKOUT_MINUTES} 分钟，"
        "请稍后再试，或联系管理员解锁"
    )


def _lockout() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _address(address: str | None) -> str:
    return (address or "unknown")[:45]


def _name_key(username: str) -> str:
    return (username or "").strip().lower()[:50]


def _blocked(address: str, name: str, now) -> bool:
    rows = Q(address=address, username="")
    if name:
        rows |= Q(address=address, username=name) | Q(address=ANY_ADDRESS, username=name)
    return LoginThrottle.objects.filter(rows, blocked_until__gt=now).exists()


def _throttle_row(address: str, name: str, now) -> LoginThrottle:
    """The row, locked for update, with its window restarted if it ran out."""
    rows = LoginThrottle.objects.select_for_update()
    row = rows.filter(address=address, username=name).first()
    if row is None:
        try:
            with transaction.atomic():
                row = LoginThrottle.objects.create(
                    address=address, username=name, window_started_at=now
                )
        except IntegrityError:  # another request created it first
            row = rows.get(address=address, username=name)
        # New rows are rare; clear the ones long over while we are here.
        LoginThrottle.objects.filter(window_started_at__lt=now - timedelta(days=1)).filter(
            Q(blocked_until__isnull=True) | Q(blocked_until__lt=now)
        ).delete()
    elif now - row.window_started_at >= _lockout() and not (
        row.blocked_until and row.blocked_until > now
    ):
        row.failures, row.window_started_at, row.blocked_until = 0, now, None
    return row


def _count_address_failure(address: str, name: str, now) -> tuple[bool, bool]:
    """One more failure of `address` (on username `name`, if given). Returns (whether the address
    is now blocked, whether the username is now blocked from every address)."""
    blocked = False
    total = _throttle_row(address, "", now)
    total.failures += 1
    if total.failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        total.blocked_until, blocked = now + _lockout(), True
    total.save()
    if not name:
        return blocked, False
    row = _throttle_row(address, name, now)
    row.failures += 1
    if row.failures >= settings.LOGIN_FAILURE_LIMIT:
        row.blocked_until, blocked = now + _lockout(), True
    row.save()
    addresses = (
        LoginThrottle.objects.filter(
            username=name, failures__gt=0, window_started_at__gt=now - _lockout()
        )
        .exclude(address=ANY_ADDRESS)
        .count()
    )
    if addresses < settings.LOGIN_FAILURE_LIMIT:
        return blocked, False
    everywhere = _throttle_row(ANY_ADDRESS, name, now)
    everywhere.failures, everywhere.blocked_until = addresses, now + _lockout()
    everywhere.save()
    return True, True


def _audit_throttled(user: User | None, name: str, address: str) -> None:
    audit_record(
        actor=user or f"未知用户 {name}",
        action="user.login_throttled",
        obj=user,
        object_type="users.user",
        object_id="" if user is None else str(user.pk),
        object_repr=name,
        org=user.org if user else None,
        after={"address": address},
    )


def _count_user_failure(user: User, counter: str, action: str, *, lock: bool, now) -> None:
    """One more on the user's `counter` (failed_logins or totp_failures); with `lock`, the account
    is locked for LOGIN_LOCKOUT_MINUTES. Runs in the caller's transaction."""
    setattr(user, counter, getattr(user, counter) + 1)
    if lock:
        user.locked_until = now + _lockout()
        action, after = (
            "user.locked",
            {"locked_until": user.locked_until.isoformat(), "after": action},
        )
    else:
        after = {counter: getattr(user, counter)}
    audit_record(actor=user, action=action, obj=user, org=user.org, after=after)
    user.save(update_fields=[counter, "locked_until"])


def login_check(*, username: str, password: str, address: str | None = None, now=None) -> User:
    """The user for these credentials, or ServiceError; counts failures, throttles and locks.

    `address` is the client's (core.middleware.client_ip, as the audit log records it). The
    failure is committed even though an error is raised: the block must survive the error.
    """
    username = (username or "").strip()
    name, address, now = _name_key(username), _address(address), now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        if user is not None and not user.is_active:
            user = None
        if _blocked(address, name, now) or (user and user.locked_until and user.locked_until > now):
            User().set_password(password)  # the same time whatever the reason
            failure = ServiceError(locked_message(), code="locked")
        elif user is None or not user.check_password(password):
            if user is None:
                # Hash anyway so a missing user takes as long as a wrong password.
                User().set_password(password)
            address_blocked, name_blocked = _count_address_failure(address, name, now)
            if user is None:
                audit_record(
                    actor=f"未知用户 {username[:50]}",
                    action="user.login_failed",
                    object_type="users.user",
                    object_id="",
                    object_repr=username[:50],
                )
            else:
                _count_user_failure(
                    user, "failed_logins", "user.login_failed", lock=name_blocked, now=now
                )
            if address_blocked and not name_blocked:
                _audit_throttled(user, name, address)
            failure = (
                ServiceError(locked_message(), code="locked")
                if address_blocked
                else ServiceError(INVALID_LOGIN, code="invalid_credentials")
            )
        else:
            # The password's counters only; wrong second-factor codes stay counted.
            user.failed_logins = 0
            user.last_login = now
            user.save(update_fields=["failed_logins", "last_login"])
            LoginThrottle.objects.filter(address=address, username=name).delete()
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
        forced = user.must_change_password
        _set_password(user, new_password)
        user.must_change_password = False
        user.save()
        _remember_password(user)
        audit_record(actor=user, action="user.change_password", obj=user, org=user.org)
        if forced:
            # A reset password was known to someone else: what they could have made goes.
            _revoke_tokens(actor=user, user=user, reason="强制修改密码")


def totp_enable(*, user: User, secret: str, code: str) -> None:
    step = totp.matching_step(secret, code, 0)
    if step is None:
        raise ServiceError("验证码不正确，请确认手机时间准确后重新输入", field="code")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.totp_secret, user.totp_enabled, user.totp_last_step = secret, True, step
        user.totp_failures = 0
        user.save(
            update_fields=["totp_secret_enc", "totp_enabled", "totp_last_step", "totp_failures"]
        )
        audit_record(actor=user, action="user.enable_totp", obj=user, org=user.org)


def totp_verify(*, user: User, code: str, address: str | None = None, now=None) -> None:
    """Check a second factor (at login, or before a platform administrator's token).

    Wrong codes count on their own (User.totp_failures, never cleared by a password) and for the
    client address; the LOGIN_FAILURE_LIMIT-th locks the account, and while the count stays at
    the limit every further wrong code locks it again: one try per lockout at most.
    """
    address, now = _address(address), now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if (user.locked_until and user.locked_until > now) or _blocked(
            address, _name_key(user.username), now
        ):
            failure = ServiceError(locked_message(), code="locked", field="code")
        elif (step := totp.matching_step(user.totp_secret, code, user.totp_last_step, now)) is None:
            address_blocked, _ = _count_address_failure(address, "", now)
            lock = user.totp_failures + 1 >= settings.LOGIN_FAILURE_LIMIT
            _count_user_failure(user, "totp_failures", "user.totp_failed", lock=lock, now=now)
            if address_blocked and not lock:
                _audit_throttled(user, _name_key(user.username), address)
            locked = user.locked_until is not None and user.locked_until > now
            failure = ServiceError(
                locked_message() if locked or address_blocked else "验证码不正确或已使用过",
                code="locked" if locked or address_blocked else "invalid_code",
                field="code",
            )
        else:
            user.totp_last_step = step
            user.totp_failures = 0
            user.save(update_fields=["totp_last_step", "totp_failures"])
            return
    raise failure


# --- API tokens -----------------------------------------------------------------------------


def _revoke_tokens(*, actor, user: User, reason: str) -> int:
    """Revoke every token of `user` still unrevoked, in the caller's transaction."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        audit_record(
            actor=actor,
            action="token.revoke_all",
            obj=user,
            org=user.org,
            after={"revoked": count, "reason": reason},
        )
    return count


def token_create(
    *,
    actor: User,
    name: str,
    expires_days: int | None = None,
    totp_code: str = "",
    address: str | None = None,
) -> tuple[ApiToken, str]:
    """A personal token, shown once. It lives `expires_days` (API_TOKEN_DEFAULT_DAYS if not
    given, at most API_TOKEN_MAX_DAYS). A user with a second factor (every platform
    administrator) proves it again here: a hijacked session alone cannot mint a lasting key."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写令牌用途", field="name")
    longest = settings.API_TOKEN_MAX_DAYS
    if expires_days is None:
        expires_days = min(settings.API_TOKEN_DEFAULT_DAYS, longest)
    if not 1 <= expires_days <= longest:
        raise ServiceError(f"有效期应为 1–{longest} 天", field="expires_days")
    if actor.totp_required and not actor.totp_enabled:
        raise ServiceError("请先启用双因素认证，再创建接口令牌", field="totp_code")
    if actor.totp_enabled:
        if not (totp_code or "").strip():
            raise ServiceError("请输入动态验证码：创建令牌前须再次验证", field="totp_code")
        try:
            totp_verify(user=actor, code=totp_code, address=address)
        except ServiceError as exc:
            raise ServiceError(exc.message, code=exc.code, field="totp_code") from None
    key = ApiToken.PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name[:50],
            key_hash=ApiToken.hash_key(key),
            hint=key[:10],
            expires_at=timezone.now() + timedelta(days=expires_days),
        )
        audit_record(
            actor=actor,
            action="token.create",
            obj=token,
            org=actor.org,
            after={
                "name": token.name,
                "hint": token.hint,
                "expires_at": token.expires_at.isoformat(),
            },
        )
    return token, key


def _locked_token(token_id: int, user: User) -> ApiToken:
    token = (
        ApiToken.objects.select_for_update(of=("self",))
        .select_related("user__org")
        .filter(pk=token_id, user=user)
        .first()
    )
    if token is None:
        raise NotFound("令牌不存在")
    return token


def _revoke(actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="token.revoke",
            obj=token,
            org=token.user.org,
            after={"user": token.user.username, "hint": token.hint},
        )
    return token


def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """The actor revokes one of their own tokens."""
    with transaction.atomic():
        return _revoke(actor, _locked_token(token_id, actor))


def user_token_revoke(*, actor: User, user_id: int, token_id: int) -> ApiToken:
    """An administrator revokes a token of a user in their scope (users.change)."""
    with transaction.atomic():
        return _revoke(actor, _locked_token(token_id, _locked_user(actor, user_id)))


def user_tokens_revoke_all(*, actor: User, user_id: int) -> int:
    with transaction.atomic():
        user = _locked_user(actor, user_id)
        return _revoke_tokens(actor=actor, user=user, reason="管理员吊销")


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
