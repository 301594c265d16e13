"""The Chinese error pages (400, 403, 404, 500 and CSRF failures) and their JSON twins for /api/.

Pages use the site's layout (templates/400.html … 500.html) with a safe reason and a way back;
under /api/ every error is the documented JSON `{"code", "message", "field"}`, whether the API
itself answered or Django did (an unknown path, a CSRF failure, a crash before the view).
"""

import logging
import re

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404
from django.utils.http import url_has_allowed_host_and_scheme

API_PREFIX = "/api/"
HAN = re.compile(r"[\u4e00-\u9fff]")
logger = logging.getLogger("govmedia.errors")

PAGES = {
    400: ("请求有误", "bad_request", "请求的内容无法处理，请返回后重试。"),
    403: ("无权访问", "forbidden", "您没有访问该页面的权限。"),
    404: ("页面不存在", "not_found", "您访问的页面不存在，或您无权访问。"),
    500: ("服务器内部错误", "server_error", "系统处理请求时出错，已记录日志。请稍后重试。"),
}
CSRF_MESSAGE = "安全校验（CSRF）未通过：页面可能已过期，请刷新页面后重新提交。"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def safe_reason(exception, default: str) -> str:
    """The exception's own message only when it was written for users (Chinese): a NotFound's
    "对象不存在或您无权访问" is shown, Django's English internals ("No Org matches…") are not."""
    message = getattr(exception, "message", None)
    if message is None and exception is not None and exception.args:
        message = exception.args[0]
    if isinstance(message, str) and HAN.search(message):
        return message
    return default


def api_error(status: int, code: str, message: str, field=None, **extra) -> JsonResponse:
    response = JsonResponse(
        {"code": code, "message": message, "field": field, **extra},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    response.govmedia_error_page = True
    return response


def _back_url(request) -> str | None:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None


def error_page(request, status: int, reason: str | None = None, title: str | None = None):
    default_title, code, default_reason = PAGES[status]
    if is_api(request):
        return api_error(status, code, reason or default_reason)
    context = {
        "status": status,
        "title": title or default_title,
        "reason": reason or default_reason,
        "back_url": _back_url(request),
        "request_id": getattr(request, "request_id", ""),
    }
    try:
        response = render(request, f"errors/{status}.html", context, status=status)
    except Exception:  # noqa: BLE001 - the page must answer even if the layout cannot render
        # (the database behind the navigation is down, or a test's URLconf lacks the layout's
        # links): the same words on a plain page.
        logger.exception("the %s page could not render in the layout; plain page instead", status)
        html = loader.get_template("errors/plain.html").render(context)
        response = HttpResponse(html, status=status)
    response.govmedia_error_page = True
    return response


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403, safe_reason(exception, PAGES[403][2]))


def page_not_found(request, exception=None):
    if is_api(request):
        if exception is None or isinstance(exception, Resolver404):
            # The URL resolver found nothing: no such interface.
            return api_error(404, "not_found", f"接口不存在：{request.path}")
        return api_error(404, "not_found", safe_reason(exception, "对象不存在或您无权访问"))
    return error_page(request, 404, safe_reason(exception, PAGES[404][2]))


def server_error(request):
    return error_page(request, 500)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: Django's reason is English and technical; it goes to the log only."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    if is_api(request):
        return api_error(403, "csrf_failed", CSRF_MESSAGE)
    return error_page(request, 403, CSRF_MESSAGE, title="安全校验未通过")
