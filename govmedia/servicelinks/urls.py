from django.urls import path

from .views import findings, links

app_name = "servicelinks"

urlpatterns = [
    path("", links.link_list, name="links"),
    path("new/", links.link_new, name="link_new"),
    path("export.xlsx", links.link_export, name="export"),
    path("ishandong/", links.coverage, name="coverage"),
    path("<int:link_id>/edit/", links.link_edit, name="link_edit"),
    path("accounts/<int:account_id>/check/", links.account_check, name="account_check"),
    path("findings/", findings.finding_list, name="findings"),
    path("findings/<int:link_finding_id>/", findings.finding_detail, name="finding"),
    path("findings/<int:link_finding_id>/act/", findings.finding_act, name="finding_act"),
]
