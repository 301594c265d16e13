"""/verify/: open to everyone, without login (users.middleware.OPEN_PREFIXES lists it)."""

from django.urls import path

from . import views_public

app_name = "verify"
urlpatterns = [
    path("", views_public.verify, name="search"),
    path("report/", views_public.public_report, name="report"),
    path("report/done/", views_public.reported, name="reported"),
]
