from django.urls import path

from . import views_stats

app_name = "registry_stats"
urlpatterns = [
    path("", views_stats.index, name="index"),
]
