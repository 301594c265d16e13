from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "govmedia.credentials"
    label = "credentials"
    verbose_name = "账号密码保护"

    def ready(self):
        # Refuse to start with a malformed CREDENTIALS_KEYS, not at the first reveal weeks later.
        from django.core.exceptions import ImproperlyConfigured

        from . import crypto

        try:
            crypto.validate_settings()
        except crypto.KeyringInvalid as exc:
            raise ImproperlyConfigured(exc.message) from None
