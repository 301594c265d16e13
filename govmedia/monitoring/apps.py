from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govmedia.monitoring"
    label = "monitoring"
    verbose_name = "更新监测"

    def ready(self):
        from .exports import register

        register()  # the dormant export, also known to the task process (core.exports)
