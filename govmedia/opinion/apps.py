from django.apps import AppConfig


class OpinionConfig(AppConfig):
    name = "govmedia.opinion"
    label = "opinion"
    verbose_name = "舆情处置"

    def ready(self):
        from govmedia.interaction.events import MESSAGES_STORED
        from govmedia.monitoring.events import POSTS_INGESTED

        from .intake import on_messages_stored, on_posts_ingested

        # 监测方案 evaluated on every pulled post, comment and message once the transaction
        # storing it has committed (intake.py); comments also feed the spike rule (spikes.py).
        POSTS_INGESTED.subscribe(on_posts_ingested)
        MESSAGES_STORED.subscribe(on_messages_stored)
