"""/api/v1/: the JSON API (django-ninja), its authentication and its error format.

Every error is JSON `{"code": "...", "message": "中文说明", "field": ...}` with a stable code.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from govmedia.core.errors import ServiceError
from govmedia.users.services import token_authenticate


class TokenAuth(HttpBearer):
    """Personal API tokens: `Authorization: Bearer gm_…`."""

    openapi_description = "个人接口令牌（在“个人设置”页创建），请求头 Authorization: Bearer 令牌"

    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's login session (CSRF-checked for writes)."""

    param_name = "sessionid"
    openapi_description = "浏览器登录会话（写操作需 CSRF 令牌）"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="政务新媒体管理平台 API",
    version="1.0.0",
    description="菏泽市定陶区政务新媒体管理平台接口。所有数据按调用者的单位范围过滤。",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[TokenAuth(), SessionAuth()],
)


def error(request, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ServiceError)
def on_service_error(request, exc: ServiceError):
    return error(request, exc.status, exc.code, exc.message, field=exc.field)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return error(request, 422, "invalid_input", "请求参数有误，请检查后重试", errors=exc.errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error(request, 401, "unauthorized", "请先登录，或在请求头提供有效的接口令牌")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", "对象不存在或您无权访问")


@api.exception_handler(RequestDataTooBig)
def on_request_too_big(request, exc):
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE: refused before parsing, as JSON like every other error.
    return error(request, 413, "too_large", "请求内容过大，请分段提交")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error(request, exc.status_code, "http_error", str(exc))


def register_routers() -> None:
    from govmedia.audit.api import router as audit_router
    from govmedia.compliance.api import router as compliance_router
    from govmedia.coordination.api import router as coordination_router
    from govmedia.counterfeit.api import router as counterfeit_router
    from govmedia.monitoring.api import (
        dormant_router,
        posts_router,
        rectifications_router,
        runs_router,
    )
    from govmedia.orgs.api import router as orgs_router
    from govmedia.publishing.api import router as publishing_router
    from govmedia.registry.api import accounts_router, filings_router
    from govmedia.screening.api import router as screening_router
    from govmedia.users.api import router as users_router
    from govmedia.workdays.api import router as workdays_router

    api.add_router("/orgs", orgs_router)
    api.add_router("/compliance", compliance_router)
    api.add_router("/users", users_router)
    api.add_router("/audit", audit_router)
    api.add_router("/screening", screening_router)
    api.add_router("/workdays", workdays_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/filings", filings_router)
    api.add_router("/suspects", counterfeit_router)
    api.add_router("/posts", posts_router)
    api.add_router("/pull-runs", runs_router)
    api.add_router("/dormant-accounts", dormant_router)
    api.add_router("/rectifications", rectifications_router)
    api.add_router("/publishing", publishing_router)
    api.add_router("/coordination", coordination_router)


register_routers()
