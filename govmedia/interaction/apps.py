from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "govmedia.interaction"
    verbose_name = "留言互动"
    default_auto_field = "django.db.models.BigAutoField"
