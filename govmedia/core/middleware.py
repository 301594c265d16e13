from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404

from . import request_context
from .errors import NotFound


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
