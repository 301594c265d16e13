from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "govmedia.assessment"
    label = "assessment"
    verbose_name = "检查考核"
