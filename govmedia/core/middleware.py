import json
import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from . import errorpages, request_context
from .errors import NotFound
from .text import UNREADABLE_CHARACTERS, has_unstorable

request_log = logging.getLogger("govmedia.requests")
error_log = logging.getLogger("govmedia.errors")


def client_ip(request) -> str | None:
    # Behind a reverse proxy the operator sets TRUSTED_PROXY_COUNT (nginx in front: 1); otherwise
    # a client could forge X-Forwarded-For and write any address into the audit log.
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR") or None


class SessionActivityMiddleware:
    """The idle timeout without a session write on every page: the session's expiry is moved on
    (by marking it modified, which SessionMiddleware saves) only when the last move is older
    than SESSION_ACTIVITY_SECONDS, so a session ends SESSION_COOKIE_AGE after the last request
    give or take that interval, at one UPDATE a minute instead of one per request."""

    KEY = "_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_ACTIVITY_SECONDS:
                session[self.KEY] = now
        return response


class RequestContextMiddleware:
    """Binds the request id and client address for the audit log, and (REQUEST_LOG) writes one
    JSON line per request to stdout: time, id, address, user, method, path, status, duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        ctx = request_context.RequestContext(
            request_id=request_context.new_request_id(), ip=client_ip(request)
        )
        request.request_id = ctx.request_id
        with request_context.bound(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        if settings.REQUEST_LOG:
            user = getattr(request, "user", None)
            line = {
                "request_id": ctx.request_id,
                "ip": ctx.ip,
                "user": user.username if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            request_log.info(json.dumps(line, ensure_ascii=False))
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every page (no inline script anywhere), and `Cache-Control:
    no-store` on whatever a signed-in user gets (pages, exports, documents with personal data)
    and on the whole API, so that no browser or proxy cache keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or errorpages.is_api(request):
            response["Cache-Control"] = "private, no-store, max-age=0"
        return response


class NotFoundMiddleware:
    """The Chinese error pages, whatever raised the error and whatever DEBUG says.

    A page view that lets core.errors.NotFound escape (get_scoped's "not found or not yours")
    answers exactly as if it had raised Http404: the project's 404 page with the NotFound's
    message, logged as a 404. Views need not wrap every get_scoped in try/except.

    Under DEBUG (the demo), Django would show its technical pages – the 404 with the full URL
    list, the 500 with a traceback; users get the Chinese pages instead, and the traceback goes
    to the log (DEBUG_TECHNICAL_PAGES=1 brings Django's pages back for a developer).

    Under /api/ an unknown path is the API's JSON 404, not an HTML page. The API's own errors are
    JSON already: django-ninja turns NotFound (a ServiceError) into its JSON error inside the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and not getattr(response, "govmedia_error_page", False):
            if errorpages.is_api(request):
                if not response.get("Content-Type", "").startswith("application/json"):
                    return errorpages.page_not_found(request)
            elif self._technical(response):
                return errorpages.page_not_found(request)
        return response

    @staticmethod
    def _technical(response) -> bool:
        return (
            settings.DEBUG
            and not settings.DEBUG_TECHNICAL_PAGES
            and response.get("Content-Type", "").startswith("text/html")
        )

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound | Http404):
            if settings.DEBUG and settings.DEBUG_TECHNICAL_PAGES:
                return None
            return errorpages.page_not_found(request, exception)
        if settings.DEBUG and not settings.DEBUG_TECHNICAL_PAGES:
            if isinstance(exception, PermissionDenied):
                return None  # Django answers with handler403 under DEBUG too
            error_log.error("Internal Server Error: %s", request.path, exc_info=exception)
            return errorpages.server_error(request)
        return None


class UnstorableInputMiddleware:
    """A page request whose query string or form carries a NUL character answers 400 with a
    Chinese page, before any view filters or stores it: PostgreSQL refuses NUL in text (a 500
    at the first query), and no user types one. The API checks its own input (govmedia.api's
    parser) and answers in its JSON error format, so its paths are left to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            field = _unstorable_field(request.GET)
            if field is None and request.method == "POST":
                field = _unstorable_field(request.POST)
            if field is not None:
                return render(
                    request,
                    "core/bad_request.html",
                    {"message": f"“{field}”{UNREADABLE_CHARACTERS}"},
                    status=400,
                )
        return self.get_response(request)


API_PREFIX = "/api/"


def _unstorable_field(data) -> str | None:
    for key, values in data.lists():
        if has_unstorable(key) or any(has_unstorable(value) for value in values):
            return key.replace("\x00", "")[:40] or "请求参数"
    return None
