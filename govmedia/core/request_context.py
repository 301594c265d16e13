"""Who is acting, from where: set once per request, read by the audit service.

A context variable rather than a thread-local so that it is also right under ASGI, and empty
(not stale) in jobs and management commands, which set their own.
"""

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "govmedia_request_context", default=None
)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        # A script or job outside any request: one id per call is the honest answer.
        return RequestContext(request_id=new_request_id())
    return ctx


@contextmanager
def bound(ctx: RequestContext):
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
