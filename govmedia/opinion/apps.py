from django.apps import AppConfig


class OpinionConfig(AppConfig):
    name = "govmedia.opinion"
    label = "opinion"
    verbose_name = "舆情处置"

    def ready(self):
        from govmedia.monitoring.events import POSTS_INGESTED

        from .intake import on_posts_ingested

        # 监测方案 evaluated on every pulled post once its pull has committed (intake.py).
        # Comments and messages: the interaction app's intake calls signals_from_texts too.
        POSTS_INGESTED.subscribe(on_posts_ingested)
