from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "govmedia.publishing"
    label = "publishing"
    verbose_name = "稿件审核与发布"

    def ready(self):
        from govmedia.compliance.rules import UNAPPROVED_POSTS
        from govmedia.compliance.selectors import register_counts
        from govmedia.core.navigation import register_counter
        from govmedia.monitoring.events import POSTS_INGESTED

        from .selectors import waiting_count
        from .unapproved import on_posts_ingested, unapproved_counts

        # 先审后发: pulled posts are matched to approved revisions, and the findings counted in
        # compliance (which sits below publishing and so cannot ask for them itself).
        POSTS_INGESTED.subscribe(on_posts_ingested)
        register_counts(UNAPPROVED_POSTS, unapproved_counts)
        # 审核待办: the steps waiting for the user, beside 稿件审核 in the navigation.
        register_counter("publishing", waiting_count)
