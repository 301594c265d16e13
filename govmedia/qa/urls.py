from django.urls import path

from .views import library, public

app_name = "qa"

urlpatterns = [
    path("", library.entry_list, name="entries"),
    path("new/", library.entry_new, name="entry_new"),
    path("import/", library.import_page, name="import"),
    path("export.xlsx", library.export_xlsx, name="export_xlsx"),
    path("export.jsonl", library.export_jsonl, name="export_jsonl"),
    path("<int:entry_id>/", library.entry_detail, name="entry"),
    path("<int:entry_id>/edit/", library.entry_edit, name="entry_edit"),
    path("<int:entry_id>/act/", library.entry_act, name="entry_act"),
]

# /answers/ (namespace "answers"): open to everyone, without login; mounted by govmedia/urls.py.
public_urlpatterns = [path("", public.search, name="search")]
