import hashlib

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from govmedia.core.roles import DISTRICT_WIDE_ROLES, TOTP_REQUIRED_ROLES, Role
from govmedia.core.scope import RestrictedQuerySet


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
    totp_secret = models.CharField(max_length=64, blank=True, editable=False)
    totp_enabled = models.BooleanField("已启用双因素认证", default=False)
    # The last accepted TOTP time step: a code is accepted once, never replayed.
    totp_last_step = models.BigIntegerField(default=0, editable=False)
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
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


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
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
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
