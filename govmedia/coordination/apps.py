from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "govmedia.coordination"
    label = "coordination"
    verbose_name = "协同联动"

    def ready(self):
        from govmedia.core.navigation import register_counter
        from govmedia.monitoring.events import POSTS_INGESTED
        from govmedia.publishing import exemptions

        from .detection import on_posts_ingested
        from .review import exempt_sources
        from .selectors import open_count

        # 转载任务: each pulled post of a target account is judged against the open tasks' sources.
        POSTS_INGESTED.subscribe(on_posts_ingested)
        # 免审转载: reposts of the tasks the district office exempted from review are no findings.
        exemptions.register(exempt_sources)
        # The unit's open repost tasks, beside 协同转载 in the navigation.
        register_counter("reposts", open_count)
