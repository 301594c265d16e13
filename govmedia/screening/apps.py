from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "govmedia.screening"
    label = "screening"
    verbose_name = "内容审查"
