from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("findings/", views.findings, name="findings"),
    path("findings/export.xlsx", views.export, name="export"),
    path("findings/<int:finding_id>/", views.finding_detail, name="finding"),
    path("findings/<int:finding_id>/exception/", views.exception_grant, name="exception_grant"),
    path("exceptions/", views.exception_list, name="exceptions"),
    path("exceptions/<int:exception_id>/revoke/", views.exception_revoke, name="exception_revoke"),
]
