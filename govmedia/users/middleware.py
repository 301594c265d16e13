"""The gate every session request passes: forced password change, then TOTP enrolment or check.

Until a user has passed it they reach only the pages that let them pass it (and logout); the API
answers them with a JSON error instead of a redirect.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

OTP_SESSION_KEY = "otp_verified"
OPEN_PREFIXES = ("/static/", "/healthz", "/verify/", "/answers/")


def pending_step(request) -> str | None:
    user = request.user
    if not user.is_authenticated:
        return None
    if user.must_change_password:
        return "users:password_change"
    if user.totp_enabled and not request.session.get(OTP_SESSION_KEY):
        return "users:totp_verify"
    if user.totp_required and not user.totp_enabled:
        return "users:totp_setup"
    return None


GATE_MESSAGES = {
    "users:password_change": ("password_change_required", "首次登录或密码已被重置，请先修改密码"),
    "users:totp_verify": ("otp_required", "请先完成双因素认证"),
    "users:totp_setup": ("otp_setup_required", "平台管理员须先启用双因素认证"),
}


class SecurityGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = pending_step(request)
        if step is None or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        allowed = {reverse(step), reverse("users:logout")}
        if request.path in allowed:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            code, message = GATE_MESSAGES[step]
            return JsonResponse({"code": code, "message": message}, status=403)
        return redirect(step)
