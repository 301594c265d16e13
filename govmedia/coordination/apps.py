from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "govmedia.coordination"
    label = "coordination"
    verbose_name = "协同联动"

    def ready(self):
        from govmedia.core.navigation import register_counter
        from govmedia.monitoring.events import POSTS_INGESTED

        from .detection import on_posts_ingested
        from .selectors import open_count

        # 转载任务: each pulled post of a target account is judged against the open tasks' sources.
        POSTS_INGESTED.subscribe(on_posts_ingested)
        # The unit's open repost tasks, beside 协同转载 in the navigation.
        register_counter("reposts", open_count)
