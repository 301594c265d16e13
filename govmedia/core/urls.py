from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("planned/<slug:key>/", views.planned, name="planned"),
]
