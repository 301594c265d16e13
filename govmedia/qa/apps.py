from django.apps import AppConfig


class QAConfig(AppConfig):
    name = "govmedia.qa"
    label = "qa"
    verbose_name = "咨询答问库"
