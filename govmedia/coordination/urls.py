from django.urls import path

from .views import campaigns, matrix

app_name = "coordination"

urlpatterns = [
    path("", campaigns.campaign_list, name="campaigns"),
    path("new/", campaigns.campaign_new, name="campaign_new"),
    path("<int:campaign_id>/", campaigns.campaign_detail, name="campaign"),
    path("tasks/<int:task_id>/report/", campaigns.task_report, name="task_report"),
    path("tasks/<int:task_id>/draft/", campaigns.task_draft, name="task_draft"),
    path("tasks/<int:task_id>/exempt/", campaigns.task_exempt, name="task_exempt"),
    path("matrix/", matrix.matrix, name="matrix"),
    path("matrix/export.xlsx", matrix.matrix_export, name="matrix_export"),
    path("rates/", matrix.rates, name="rates"),
]
