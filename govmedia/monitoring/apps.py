from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govmedia.monitoring"
    label = "monitoring"
    verbose_name = "更新监测"

    def ready(self):
        from govmedia.registry.events import ACCOUNTS_CHANGED

        from .exports import register
        from .tallies import on_accounts_changed

        register()  # the dormant export, also known to the task process (core.exports)
        ACCOUNTS_CHANGED.subscribe(on_accounts_changed)  # the report's level counts
