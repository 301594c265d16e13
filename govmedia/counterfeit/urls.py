from django.urls import path

from .views import cases, public

app_name = "counterfeit"
urlpatterns = [
    path("", cases.suspect_list, name="list"),
    path("report/", cases.report, name="report"),
    path("import/", cases.import_page, name="import"),
    path("template.xlsx", cases.import_template, name="template"),
    path("discover/", cases.discover, name="discover"),
    path("discover/status/", cases.discover_status, name="discover_status"),
    path("<int:suspect_id>/", cases.suspect_detail, name="detail"),
    path("<int:suspect_id>/act/", cases.suspect_act, name="act"),
    path("<int:suspect_id>/letter.docx", cases.letter_download, name="letter"),
]

# /verify/ (namespace "verify"): open to everyone, without login (users.middleware.OPEN_PREFIXES
# lists it); mounted by govmedia/urls.py.
public_urlpatterns = [
    path("", public.verify, name="search"),
    path("report/", public.public_report, name="report"),
    path("report/done/", public.reported, name="reported"),
]
