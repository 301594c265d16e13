from django.urls import path

from .views import campaigns, matrix, requests

app_name = "coordination"

urlpatterns = [
    path("", campaigns.campaign_list, name="campaigns"),
    path("new/", campaigns.campaign_new, name="campaign_new"),
    path("<int:campaign_id>/", campaigns.campaign_detail, name="campaign"),
    path("<int:campaign_id>/remind/", campaigns.campaign_remind, name="campaign_remind"),
    path("tasks/<int:task_id>/report/", campaigns.task_report, name="task_report"),
    path("tasks/<int:task_id>/draft/", campaigns.task_draft, name="task_draft"),
    path("tasks/<int:task_id>/exempt/", campaigns.task_exempt, name="task_exempt"),
    path("matrix/", matrix.matrix, name="matrix"),
    path("matrix/export.xlsx", matrix.matrix_export, name="matrix_export"),
    path("rates/", matrix.rates, name="rates"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:request_id>/", requests.request_detail, name="request"),
    path("requests/<int:request_id>/accept/", requests.request_accept, name="request_accept"),
    path("requests/<int:request_id>/return/", requests.request_return, name="request_return"),
    path("requests/<int:request_id>/withdraw/", requests.request_withdraw, name="request_withdraw"),
    path(
        "requests/<int:request_id>/published/",
        requests.request_published,
        name="request_published",
    ),
]
