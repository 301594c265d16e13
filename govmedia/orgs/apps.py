from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "govmedia.orgs"
    label = "orgs"
    verbose_name = "单位管理"
