from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "govmedia.registry"
    label = "registry"
    verbose_name = "政务新媒体与备案"

    def ready(self):
        from govmedia.workdays.events import CALENDAR_CHANGED

        from .deadlines import recompute_open_filings

        CALENDAR_CHANGED.subscribe(recompute_open_filings)
