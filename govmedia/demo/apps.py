from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "govmedia.demo"
    label = "demo"
    verbose_name = "示例数据"
