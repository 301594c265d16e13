"""账号密码保护 (通知第五部分（二）): each account's platform credentials and the custody record
of its platform login.

Secrets are stored only as ciphertexts (`*_enc`, see crypto.py), bound to their account and
field, and are read back only by `credential_reveal` (audited) or `credentials_for` (the
monitoring engine). Both rows have the account as their primary key, so an audit event's
object_id is the account id whichever of the two it concerns.
"""

from django.conf import settings
from django.db import models

from govmedia.core.scope import RestrictedQuerySet


class SecretQuerySet(RestrictedQuerySet):
    """Secrets are scoped like the rest; 监督 never sees one because the roles table grants it no
    credentials action (core.roles; tests/core/test_roles.py holds it to that)."""


# Secret fields of PlatformCredential: (field, label). `extra` holds other platform keys as JSON.
CREDENTIAL_SECRETS = (
    ("app_secret", "AppSecret"),
    ("access_token", "Access Token"),
    ("refresh_token", "Refresh Token"),
    ("extra", "其他平台参数"),
)
CUSTODY_SECRETS = (("bound_phone", "绑定手机号"),)
SECRET_LABELS = dict(CREDENTIAL_SECRETS + CUSTODY_SECRETS)


class PlatformCredential(models.Model):
    """AppID/AppSecret or access tokens through which the platform's API acts for the account."""

    scope_action_prefix = "credentials"
    scope_org_field = "account__host_org"

    account = models.OneToOneField(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="credential",
    )
    app_id = models.CharField(
        "AppID", max_length=100, blank=True, db_index=True, help_text="应用编号，不属于密钥"
    )
    app_secret_enc = models.TextField(blank=True, editable=False)
    access_token_enc = models.TextField(blank=True, editable=False)
    refresh_token_enc = models.TextField(blank=True, editable=False)
    extra_enc = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SecretQuerySet.as_manager()

    class Meta:
        verbose_name = "平台接口凭据"
        verbose_name_plural = "平台接口凭据"

    def __str__(self):
        return f"{self.account}的接口凭据"

    def fields_set(self) -> list[str]:
        return [name for name, _ in CREDENTIAL_SECRETS if getattr(self, f"{name}_enc")]


class LoginCustody(models.Model):
    """The platform login's custody record: who administers it, who holds the password, which
    phone it is bound to, and when the password was last changed (reminded after 90 days)."""

    scope_action_prefix = "credentials"
    scope_org_field = "account__host_org"

    account = models.OneToOneField(
        "registry.MediaAccount",
        verbose_name="政务新媒体",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="login_custody",
    )
    administrator = models.CharField(
        "管理员", max_length=30, help_text="平台上登记的账号管理员（如公众号管理员）"
    )
    bound_phone_enc = models.TextField(blank=True, editable=False)
    # Shown instead of the number (138****0001): the page needs no key to render.
    bound_phone_masked = models.CharField("绑定手机号", max_length=20, blank=True, editable=False)
    password_holder = models.CharField("密码保管人", max_length=30, blank=True)
    password_changed_on = models.DateField("最近修改密码日期", null=True, blank=True)
    note = models.TextField("备注", max_length=1000, blank=True)
    # The password_changed_on that the last 90-day reminder was sent for: a new change re-arms it.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SecretQuerySet.as_manager()

    class Meta:
        verbose_name = "登录账号保管记录"
        verbose_name_plural = "登录账号保管记录"
        indexes = [models.Index(fields=["password_changed_on"])]

    def __str__(self):
        return f"{self.account}的登录账号保管记录"
