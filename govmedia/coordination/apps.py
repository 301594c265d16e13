from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "govmedia.coordination"
    label = "coordination"
    verbose_name = "协同联动"

    def ready(self):
        from govmedia.core.navigation import register_counter
        from govmedia.monitoring.events import POSTS_INGESTED
        from govmedia.publishing import exemptions
        from govmedia.publishing.events import REVIEW_FINISHED

        from .detection import on_posts_ingested
        from .review import exempt_sources
        from .selectors import open_count
        from .services.requests import on_review_finished
        from .watch import on_posts_published

        # 转载任务: each pulled post of a target account is judged against the open tasks' sources.
        POSTS_INGESTED.subscribe(on_posts_ingested)
        # 发布申请: the district's review of the request's district article, and the pulled post
        # that the matcher of 先审后发 finds publishing it (subscribed after publishing's, so the
        # matcher has judged the posts when it runs).
        REVIEW_FINISHED.subscribe(on_review_finished)
        POSTS_INGESTED.subscribe(on_posts_published)
        # 免审转载: reposts of the tasks the district office exempted from review are no findings.
        exemptions.register(exempt_sources)
        # The unit's open repost tasks, beside 协同转载 in the navigation.
        register_counter("reposts", open_count)
