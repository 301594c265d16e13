from django.urls import path

from . import views

app_name = "counterfeit"
urlpatterns = [
    path("", views.suspect_list, name="list"),
    path("report/", views.report, name="report"),
    path("import/", views.import_page, name="import"),
    path("template.xlsx", views.import_template, name="template"),
    path("discover/", views.discover, name="discover"),
    path("<int:suspect_id>/", views.suspect_detail, name="detail"),
    path("<int:suspect_id>/act/", views.suspect_act, name="act"),
    path("<int:suspect_id>/letter.docx", views.letter_download, name="letter"),
]
