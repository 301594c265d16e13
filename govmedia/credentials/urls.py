from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:account_id>/", views.detail, name="detail"),
    path("<int:account_id>/credential/", views.credential_edit, name="credential_edit"),
    path("<int:account_id>/custody/", views.custody_edit, name="custody_edit"),
    path("<int:account_id>/reveal/", views.reveal, name="reveal"),
]
