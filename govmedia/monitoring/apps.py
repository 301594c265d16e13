from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govmedia.monitoring"
    label = "monitoring"
    verbose_name = "更新监测"
