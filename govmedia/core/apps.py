from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govmedia.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self):
        # Refuse to start with a malformed CREDENTIALS_KEYS, not at the first reveal or the first
        # TOTP login weeks later.
        from django.core.exceptions import ImproperlyConfigured

        from . import crypto

        try:
            crypto.validate_settings()
        except crypto.KeyringInvalid as exc:
            raise ImproperlyConfigured(exc.message) from None

        from . import checks  # noqa: F401 - registers the deployment checks
