from django.urls import path

from .views import accounts, auth

app_name = "users"
urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", auth.password_change, name="password_change"),
    path("2fa/setup/", auth.totp_setup, name="totp_setup"),
    path("2fa/verify/", auth.totp_verify, name="totp_verify"),
    path("me/", accounts.profile, name="profile"),
    path("me/tokens/<int:token_id>/revoke/", accounts.token_revoke, name="token_revoke"),
    path("users/", accounts.user_list, name="list"),
    path("users/new/", accounts.user_create, name="create"),
    path("users/export.xlsx", accounts.user_export, name="export"),
    path("users/<int:user_id>/", accounts.user_detail, name="detail"),
    path("users/<int:user_id>/edit/", accounts.user_edit, name="edit"),
    path(
        "users/<int:user_id>/reset-password/", accounts.user_reset_password, name="reset_password"
    ),
    path("users/<int:user_id>/unlock/", accounts.user_unlock, name="unlock"),
    path("users/<int:user_id>/reset-2fa/", accounts.user_reset_totp, name="reset_totp"),
    path(
        "users/<int:user_id>/tokens/<int:token_id>/revoke/",
        accounts.user_token_revoke,
        name="user_token_revoke",
    ),
    path(
        "users/<int:user_id>/tokens/revoke-all/",
        accounts.user_tokens_revoke_all,
        name="user_tokens_revoke_all",
    ),
]
