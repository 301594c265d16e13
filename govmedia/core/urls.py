from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("planned/<slug:key>/", views.planned, name="planned"),
    path("exports/<int:job_id>/", views.export_job, name="export_job"),
    path("exports/<int:job_id>/download/", views.export_download, name="export_download"),
]
