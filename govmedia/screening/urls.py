from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("", views.check, name="check"),
    path("lexicon/", views.lexicon_list, name="lexicon"),
    path("lexicon/new/", views.lexicon_create, name="lexicon_create"),
    path("lexicon/import/", views.lexicon_import_view, name="lexicon_import"),
    path("lexicon/export.xlsx", views.lexicon_export, name="lexicon_export"),
    path("lexicon/<int:term_id>/", views.lexicon_detail, name="lexicon_detail"),
    path("lexicon/<int:term_id>/edit/", views.lexicon_edit, name="lexicon_edit"),
    path("lexicon/<int:term_id>/disable/", views.lexicon_disable, name="lexicon_disable"),
    path("lexicon/<int:term_id>/enable/", views.lexicon_enable, name="lexicon_enable"),
]
