from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "govmedia.workdays"
    label = "workdays"
    verbose_name = "工作日历"
