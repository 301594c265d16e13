from django.apps import AppConfig


class OpinionConfig(AppConfig):
    name = "govmedia.opinion"
    label = "opinion"
    verbose_name = "舆情处置"
