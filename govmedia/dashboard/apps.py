from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "govmedia.dashboard"
    label = "dashboard"
    verbose_name = "工作台"

    def ready(self):
        from govmedia.core.navigation import register_counter

        from .todo import NAV_COUNTERS

        # The 工作台 gathers every app's to-do lines, so it also puts their counts in the
        # navigation (the apps below it need not know of one another).
        for key, counter in NAV_COUNTERS.items():
            register_counter(key, counter)
