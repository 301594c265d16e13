from django.urls import path

from . import views

app_name = "opinion"
urlpatterns = [
    path("", views.board, name="board"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/act/", views.case_act, name="case_act"),
    path("attachments/<int:evidence_id>/", views.attachment_download, name="attachment"),
    path("report/", views.report, name="report"),
    path("import/", views.import_page, name="import"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/new/", views.subscription_new, name="subscription_new"),
    path("subscriptions/<int:subscription_id>/", views.subscription_edit, name="subscription"),
    path("briefs/", views.briefs, name="briefs"),
    path("briefs/<int:brief_id>.docx", views.brief_file, {"fmt": "docx"}, name="brief_docx"),
    path("briefs/<int:brief_id>.pdf", views.brief_file, {"fmt": "pdf"}, name="brief_pdf"),
]
