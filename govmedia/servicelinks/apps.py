from django.apps import AppConfig


class ServiceLinksConfig(AppConfig):
    name = "govmedia.servicelinks"
    label = "servicelinks"
    verbose_name = "掌上办事入口"
