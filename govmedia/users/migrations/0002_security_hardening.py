"""Issue 12: TOTP secrets sealed with the keyring, the second factor's own failure counter, the
password history, the per-address login throttle, and an expiry for every API token."""

from datetime import timedelta

from django.conf import settings
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from govmedia.core import crypto
from govmedia.users import totp


def seal_totp_secrets(apps, schema_editor):
    User = apps.get_model("users", "User")
    for user in User.objects.exclude(totp_secret_enc="").only("pk", "username", "totp_secret_enc"):
        if user.totp_secret_enc.startswith(f"{crypto.PREFIX}."):
            continue  # sealed already
        user.totp_secret_enc = totp.seal(user.totp_secret_enc, user.username)
        user.save(update_fields=["totp_secret_enc"])


def unseal_totp_secrets(apps, schema_editor):
    User = apps.get_model("users", "User")
    for user in User.objects.exclude(totp_secret_enc="").only("pk", "username", "totp_secret_enc"):
        if user.totp_secret_enc.startswith(f"{crypto.PREFIX}."):
            user.totp_secret_enc = totp.unseal(user.totp_secret_enc, user.username)
            user.save(update_fields=["totp_secret_enc"])


def expire_lasting_tokens(apps, schema_editor):
    # A token that was to last for ever now lasts the longest a token may.
    ApiToken = apps.get_model("users", "ApiToken")
    longest = timedelta(days=settings.API_TOKEN_MAX_DAYS)
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        token.expires_at = token.created_at + longest
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="user", old_name="totp_secret", new_name="totp_secret_enc"
        ),
        migrations.AlterField(
            model_name="user",
            name="totp_secret_enc",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.RunPython(seal_totp_secrets, unseal_totp_secrets, elidable=False),
        migrations.AddField(
            model_name="user",
            name="totp_failures",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="连续动态验证码错误次数"
            ),
        ),
        migrations.RunPython(expire_lasting_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="有效期至"),
        ),
        migrations.CreateModel(
            name="PasswordHistory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("password", models.CharField(editable=False, max_length=128)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="password_history",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "历史密码", "ordering": ["-created_at", "-pk"]},
        ),
        migrations.CreateModel(
            name="LoginThrottle",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("address", models.CharField(max_length=45, verbose_name="客户端地址")),
                ("username", models.CharField(blank=True, max_length=50, verbose_name="用户名")),
                ("failures", models.PositiveIntegerField(default=0)),
                ("window_started_at", models.DateTimeField()),
                ("blocked_until", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "登录限制",
                "indexes": [
                    models.Index(
                        fields=["username", "window_started_at"],
                        name="users_login_usernam_e17a5c_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("address", "username"), name="login_throttle_unique"
                    )
                ],
            },
        ),
    ]
