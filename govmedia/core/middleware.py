from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.shortcuts import render

from . import request_context
from .errors import NotFound
from .text import UNREADABLE_CHARACTERS, has_unstorable


def client_ip(request) -> str | None:
    # Behind a reverse proxy the operator lists it in TRUSTED_PROXY_COUNT; otherwise a client
    # could forge X-Forwarded-For and write any address into the audit log.
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = request_context.RequestContext(
            request_id=request_context.new_request_id(), ip=client_ip(request)
        )
        request.request_id = ctx.request_id
        with request_context.bound(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        return response


class NotFoundMiddleware:
    """A page view that lets core.errors.NotFound escape (get_scoped's "not found or not yours")
    answers exactly as if it had raised Http404: the project's 404 page (Django's debug page
    under DEBUG), logged as a 404. Views need not wrap every get_scoped in try/except.

    The API is not affected: django-ninja turns NotFound (a ServiceError) into its JSON error
    inside the view, so it never reaches this middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.message))
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
