"""Login, logout, the forced password change and the TOTP steps."""

import pyotp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.middleware import client_ip

from .. import services
from ..forms import LoginForm, PasswordChangeForm, TotpCodeForm
from ..middleware import OTP_SESSION_KEY

TOTP_PENDING_KEY = "totp_pending_secret"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                address=client_ip(request),
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[OTP_SESSION_KEY] = False
            return redirect(_next_url(request))
    return render(
        request,
        "users/login.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "hide_nav": True,
            "failure_limit": settings.LOGIN_FAILURE_LIMIT,
            "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
    )


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "您已安全退出")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改")
            return redirect("dashboard:home")
    return render(
        request,
        "users/password_change.html",
        {
            "form": form,
            "forced": request.user.must_change_password,
            "hide_nav": request.user.must_change_password,
        },
    )


def qr_svg(uri: str) -> str:
    return segno.make(uri, error="m").svg_inline(scale=4)


@never_cache
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    user = request.user
    if user.totp_enabled:
        return redirect("users:profile")
    secret = request.session.get(TOTP_PENDING_KEY) or pyotp.random_base32()
    request.session[TOTP_PENDING_KEY] = secret
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_enable(user=user, secret=secret, code=form.cleaned_data["code"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            del request.session[TOTP_PENDING_KEY]
            request.session[OTP_SESSION_KEY] = True
            messages.success(request, "双因素认证已启用，今后登录需输入动态验证码")
            return redirect("dashboard:home")
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=f"{settings.DISTRICT_NAME}政务新媒体"
    )
    return render(
        request,
        "users/totp_setup.html",
        {
            "form": form,
            "secret": secret,
            "qr": qr_svg(uri),
            "required": user.totp_required,
            "hide_nav": user.totp_required,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def totp_verify(request):
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_verify(
                user=request.user, code=form.cleaned_data["code"], address=client_ip(request)
            )
        except ServiceError as exc:
            if exc.code == "locked":
                logout(request)
                messages.error(request, exc.message)
                return redirect(settings.LOGIN_URL)
            add_service_error(form, exc)
        else:
            request.session.cycle_key()
            request.session[OTP_SESSION_KEY] = True
            return redirect(_next_url(request))
    return render(request, "users/totp_verify.html", {"form": form, "hide_nav": True})
