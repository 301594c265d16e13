from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "govmedia.notifications"
    label = "notifications"
    verbose_name = "站内通知"
