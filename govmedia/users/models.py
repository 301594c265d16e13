import hashlib

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from govmedia.core.roles import DISTRICT_WIDE_ROLES, TOTP_REQUIRED_ROLES, Role
from govmedia.core.scope import RestrictedQuerySet

from . import totp


class UserQuerySet(RestrictedQuerySet):
    pass


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, username, password=None, **fields):
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A login. Belongs to one organization and acts within its subtree (see core.scope)."""

    scope_action_prefix = "users"
    scope_org_field = "org"

    username = models.CharField(
        "用户名",
        max_length=50,
        unique=True,
        help_text="字母、数字、下划线、点或短横线，3–50 个字符",
    )
    name = models.CharField("姓名", max_length=50)
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="所属单位", on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    phone = models.CharField("手机号", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_active = models.BooleanField("启用", default=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    # Sealed with the platform keyring (users/totp.py); read and set through `totp_secret`.
    totp_secret_enc = models.CharField(max_length=255, blank=True, editable=False)
    totp_enabled = models.BooleanField("已启用双因素认证", default=False)
    # The last accepted TOTP time step: a code is accepted once, never replayed.
    totp_last_step = models.BigIntegerField(default=0, editable=False)
    # Wrong second-factor codes, counted apart from wrong passwords: a correct password must not
    # wipe them, or whoever knows the password could try codes without end (issue 12).
    totp_failures = models.PositiveSmallIntegerField("连续动态验证码错误次数", default=0)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        return f"{self.name}（{self.username}）"

    def audit_label(self) -> str:
        return self.name  # the audit log names a person as people do: 用户 周卫健

    @property
    def totp_secret(self) -> str:
        return totp.unseal(self.totp_secret_enc, self.username)

    @totp_secret.setter
    def totp_secret(self, secret: str) -> None:
        self.totp_secret_enc = totp.seal(secret, self.username)

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())

    @property
    def sees_whole_district(self) -> bool:
        return self.role in DISTRICT_WIDE_ROLES

    @property
    def totp_required(self) -> bool:
        return self.role in TOTP_REQUIRED_ROLES


class ApiTokenQuerySet(RestrictedQuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored: the token is shown once, at creation."""

    scope_action_prefix = "users"
    scope_org_field = "user__org"

    PREFIX = "gm_"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("用途", max_length=50)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField("前缀", max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Every token expires (API_TOKEN_DEFAULT_DAYS, at most API_TOKEN_MAX_DAYS).
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}（{self.hint}…）"

    @staticmethod
    def hash_key(key: str) -> str:
        # Tokens are 256-bit random, so a fast unsalted hash is enough (no dictionary to attack).
        return hashlib.sha256(key.encode()).hexdigest()


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords (never the passwords): a new password may not be
    one of the last PASSWORD_HISTORY_COUNT (passwords.PasswordHistoryValidator)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        ordering = ["-created_at", "-pk"]


class LoginThrottle(models.Model):
    """Failed login and second-factor attempts of one client address, in a window.

    Two kinds of row: `username=""` counts every failure of the address (a spray over many
    usernames), `username=<name>` the failures of the address on one username, existing or not.
    A row that reaches its limit blocks the address (for that username, or for everything) until
    `blocked_until`, so one address cannot lock an account out: its own attempts stop first.
    """

    address = models.CharField("客户端地址", max_length=45)
    username = models.CharField("用户名", max_length=50, blank=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "登录限制"
        constraints = [
            models.UniqueConstraint(fields=["address", "username"], name="login_throttle_unique")
        ]
        indexes = [models.Index(fields=["username", "window_started_at"])]
