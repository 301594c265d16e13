from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "govmedia.credentials"
    label = "credentials"
    verbose_name = "账号密码保护"
