from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "govmedia.users"
    label = "users"
    verbose_name = "用户与角色"
