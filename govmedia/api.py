"""/api/v1/: the JSON API (django-ninja), its authentication and its error format.

Every error is JSON `{"code": "...", "message": "中文说明", "field": ...}` with a stable code.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from govmedia.core.errors import ServiceError
from govmedia.core.inputs import check_data
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


class CheckedParser(Parser):
    """JSON bodies and query strings as django-ninja reads them, refused (400, naming the
    field) when they hold what no database stores: a NUL, a lone surrogate, a huge integer."""

    def parse_body(self, request):
        try:
            data = super().parse_body(request)
        except ValueError:  # json.JSONDecodeError and a body that is not UTF-8
            raise ServiceError("请求内容不是有效的 JSON", code="invalid_json") from None
        check_data(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        check_data(result)
        return result


api = NinjaAPI(
    title="政务新媒体管理平台 API",
    version="1.0.0",
    description="菏泽市定陶区政务新媒体管理平台接口。所有数据按调用者的单位范围过滤。",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[TokenAuth(), SessionAuth()],
    parser=CheckedParser(),
)


def error(request, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ServiceError)
def on_service_error(request, exc: ServiceError):
    return error(request, exc.status, exc.code, exc.message, field=exc.field)


# What pydantic found wrong, in Chinese: the first error names its field and the rule.
VALIDATION_MESSAGES = {
    "missing": "缺少必填参数",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本",
    "date_from_datetime_parsing": "应为日期，如 2026-03-02",
    "date_parsing": "应为日期，如 2026-03-02",
    "datetime_parsing": "应为时间，如 2026-03-02T08:00:00+08:00",
    "enum": "不是可选的值",
    "literal_error": "不是可选的值",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "格式有误",
    "dict_type": "应为对象",
    "list_type": "应为列表",
}


def validation_message(errors: list[dict]) -> tuple[str, str | None]:
    first = errors[0] if errors else {}
    loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    loc = [part for part in loc if part != "payload"] or loc
    field = loc[-1] if loc else None
    kind, ctx = first.get("type", ""), first.get("ctx") or {}
    if kind in ("less_than_equal", "less_than"):
        rule = f"不得大于 {ctx.get('le', ctx.get('lt'))}"
    elif kind in ("greater_than_equal", "greater_than"):
        rule = f"不得小于 {ctx.get('ge', ctx.get('gt'))}"
    elif kind == "string_too_long":
        rule = f"不得超过 {ctx.get('max_length')} 个字符"
    elif kind == "value_error":  # our own validators (core.schemas) raise in Chinese
        rule = str(ctx.get("error", "")) or "格式有误"
    else:
        rule = VALIDATION_MESSAGES.get(kind, "格式有误")
    where = f"参数“{'.'.join(loc)}”" if loc else "请求参数"
    return f"{where}{rule}", field


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    message, field = validation_message(exc.errors)
    return error(request, 400, "invalid_input", message, field=field, errors=exc.errors)


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
    # django-ninja wraps whatever the body parser raises as 400 "Cannot parse request body":
    # the parser's own ServiceError (CheckedParser) says in Chinese what was wrong.
    if isinstance(exc.__cause__, ServiceError):
        return on_service_error(request, exc.__cause__)
    return error(request, exc.status_code, "http_error", str(exc))


def register_routers() -> None:
    from govmedia.audit.api import router as audit_router
    from govmedia.compliance.api import router as compliance_router
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


register_routers()
