from django.urls import path

from . import views, views_auth

app_name = "users"
urlpatterns = [
    path("login/", views_auth.login_view, name="login"),
    path("logout/", views_auth.logout_view, name="logout"),
    path("password/", views_auth.password_change, name="password_change"),
    path("2fa/setup/", views_auth.totp_setup, name="totp_setup"),
    path("2fa/verify/", views_auth.totp_verify, name="totp_verify"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="list"),
    path("users/new/", views.user_create, name="create"),
    path("users/export.xlsx", views.user_export, name="export"),
    path("users/<int:user_id>/", views.user_detail, name="detail"),
    path("users/<int:user_id>/edit/", views.user_edit, name="edit"),
    path("users/<int:user_id>/reset-password/", views.user_reset_password, name="reset_password"),
    path("users/<int:user_id>/unlock/", views.user_unlock, name="unlock"),
    path("users/<int:user_id>/reset-2fa/", views.user_reset_totp, name="reset_totp"),
]
