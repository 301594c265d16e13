from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("export.xlsx", views.export, name="export"),
    path("<int:org_id>/", views.detail, name="detail"),
    path("<int:org_id>/edit/", views.edit, name="edit"),
    path("<int:org_id>/abolish/", views.abolish, name="abolish"),
    path("<int:org_id>/merge/", views.merge, name="merge"),
    path("<int:org_id>/industry/", views.industry, name="industry"),
]
