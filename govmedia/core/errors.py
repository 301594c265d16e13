"""Errors a user can cause, raised by services and shown in Chinese by pages and the API.

Each carries a stable `code` for API clients and, where it concerns one input, the `field`.
"""


class ServiceError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    """The object changed under the user (a concurrent edit) or the request repeats a done act."""

    status = 409
    code = "conflict"
