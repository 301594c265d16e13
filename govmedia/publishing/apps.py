from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "govmedia.publishing"
    label = "publishing"
    verbose_name = "稿件审核与发布"
