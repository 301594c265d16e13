"""/api/v1/: the JSON API (django-ninja), its authentication and its error format.

Every error is JSON `{"code": "...", "message": "中文说明", "field": ...}` with a stable code,
in Chinese, validation errors and server errors (500) included; an unknown path under /api/ and
a CSRF failure are answered the same way by govmedia.core.errorpages. Every input the API cannot
take is a 400 (`invalid_input` for a field that fails validation or holds what no database
stores, naming it; `invalid_json` for a body that is not JSON): one status for a client to
handle, where django-ninja would answer some of them 422.
"""

import logging
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from govmedia.core.errorpages import CSRF_MESSAGE, PAGES
from govmedia.core.errors import ServiceError
from govmedia.core.inputs import check_data
from govmedia.core.scope import may
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


logger = logging.getLogger("govmedia.api")

# pydantic's error types in Chinese; {input} is the value sent, {field} the field's name.
VALIDATION_MESSAGES = {
    "missing": "缺少必填项：{field}",
    "date_parsing": "日期无效：{input}",
    "date_from_datetime_parsing": "日期无效：{input}",
    "date_from_datetime_inexact": "日期无效：{input}",
    "date_type": "日期无效：{input}",
    "datetime_parsing": "时间无效：{input}",
    "datetime_from_date_parsing": "时间无效：{input}",
    "datetime_type": "时间无效：{input}",
    "time_parsing": "时间无效：{input}",
    "int_parsing": "应为整数：{input}",
    "int_type": "应为整数：{input}",
    "int_from_float": "应为整数：{input}",
    "float_parsing": "应为数字：{input}",
    "float_type": "应为数字：{input}",
    "decimal_parsing": "应为数字：{input}",
    "bool_parsing": "应为是或否（true/false）：{input}",
    "bool_type": "应为是或否（true/false）：{input}",
    "string_type": "应为文本：{field}",
    "string_too_short": "{field} 过短（至少 {min_length} 个字符）",
    "string_too_long": "{field} 过长（最多 {max_length} 个字符）",
    "string_pattern_mismatch": "{field} 格式不正确：{input}",
    "too_short": "{field} 至少需要 {min_length} 项",
    "too_long": "{field} 最多 {max_length} 项",
    "greater_than": "{field} 应大于 {gt}",
    "greater_than_equal": "{field} 应不小于 {ge}",
    "less_than": "{field} 应小于 {lt}",
    "less_than_equal": "{field} 应不大于 {le}",
    "enum": "{field} 的取值无效：{input}（可选：{expected}）",
    "literal_error": "{field} 的取值无效：{input}（可选：{expected}）",
    "list_type": "{field} 应为列表",
    "dict_type": "{field} 应为对象",
    "model_attributes_type": "请求内容应为 JSON 对象",
    "json_invalid": "请求内容不是有效的 JSON",
    "extra_forbidden": "不接受的字段：{field}",
    "uuid_parsing": "编号格式不正确：{input}",
    "url_parsing": "网址格式不正确：{input}",
    "value_error": "{field} 无效：{input}",
}
SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


def validation_field(loc) -> str | None:
    parts = [str(part) for part in loc if str(part) not in SOURCES and part != "payload"]
    return ".".join(parts) or None


def validation_message(error: dict) -> str:
    """One pydantic error in Chinese: "日期无效：2026-02-30" rather than "Input should be…"."""
    field = validation_field(error.get("loc", ())) or "请求内容"
    values = {"field": field, "input": error.get("input", "")} | {
        key: value for key, value in (error.get("ctx") or {}).items() if key != "error"
    }
    reason = (error.get("ctx") or {}).get("error")
    if error.get("type") == "value_error" and reason:  # our validators say it in Chinese
        return f"{field} {reason}".removeprefix("请求内容 ")
    template = VALIDATION_MESSAGES.get(error.get("type", ""), "{field} 的值无效")
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return f"{field} 的值无效"


# The error answers every operation may give, documented on each (the body is ERROR_SCHEMA).
ERROR_RESPONSES = {
    400: "请求参数有误（字段校验失败、内容无法解析或业务规则不允许），message 说明原因，field 指出字段",
    401: "未登录，或接口令牌无效、已过期、已吊销",
    403: "无权执行此操作",
    404: "对象不存在或不在您的管理范围内",
    500: "服务器内部错误（已记录日志）",
}
WRITE_ERROR_RESPONSES = {
    409: "与当前状态冲突：版本号已过期（他人已修改）、重复提交或状态不允许",
    413: "请求内容过大",
}
ERROR_SCHEMA = {
    "title": "ErrorOut",
    "type": "object",
    "required": ["code", "message", "field"],
    "properties": {
        "code": {"type": "string", "description": "稳定的错误代码，如 invalid_input、not_found"},
        "message": {"type": "string", "description": "中文说明"},
        "field": {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": "出错的字段（如有）",
        },
        "errors": {"type": "array", "items": {"type": "object"}, "description": "逐项校验结果"},
    },
}


class GovmediaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """django-ninja's document, with the error answers (one shape, ErrorOut) on every
        operation: a client learns from the description what it must handle."""
        document = super().get_openapi_schema(*args, **kwargs)
        document.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in document.get("paths", {}).values():
            for method, operation in operations.items():
                errors = ERROR_RESPONSES | (WRITE_ERROR_RESPONSES if method != "get" else {})
                responses = operation.setdefault("responses", {})
                for status, text in errors.items():
                    responses.setdefault(status, {"description": text, "content": ref})
        return document

    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        """As django-ninja's, but the value sent is kept (as text, when it is a plain value) so
        that the message can name it; ninja drops it."""
        errors = []
        for context in error_contexts:
            model = context.model
            for item in context.pydantic_validation_error.errors(include_url=False):
                item["loc"] = (model.__ninja_param_source__,) + (
                    model.__ninja_flatten_map_reverse__.get(item["loc"], item["loc"])
                )
                value = item.pop("input", None)
                if isinstance(value, str | int | float | bool):
                    item["input"] = str(value)[:100]
                if "ctx" in item:
                    item["ctx"] = {
                        key: str(val) if isinstance(val, Exception) else val
                        for key, val in item["ctx"].items()
                    }
                errors.append(dict(item))
        return ValidationError(errors)


def docs_for_api_users(view):
    """The documentation and schema pages: signed in (a browser goes to the login page), and
    only for the roles that connect systems to the platform (roles.ACTIONS "api.docs"); others
    get the 404 page, as for any page they may not see."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not may(request.user, "api.docs"):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(checked)


api = GovmediaAPI(
    title="政务新媒体管理平台 API",
    version="1.0.0",
    description="菏泽市定陶区政务新媒体管理平台接口。所有数据按调用者的单位范围过滤。",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[TokenAuth(), SessionAuth()],
    parser=CheckedParser(),
    # Swagger UI itself has no Chinese translation; titles and descriptions are.
    docs_decorator=docs_for_api_users,
)


def error(request, status: int, code: str, message: str, **extra):
    return api.create_response(
        request, {"code": code, "message": message, "field": None, **extra}, status=status
    )


@api.exception_handler(ServiceError)
def on_service_error(request, exc: ServiceError):
    return error(request, exc.status, exc.code, exc.message, field=exc.field)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    details = [
        {
            "field": validation_field(item.get("loc", ())),
            "message": validation_message(item),
            "type": item.get("type"),
            "loc": list(item.get("loc", ())),
        }
        for item in exc.errors
    ]
    first = details[0] if details else {"field": None, "message": "请求参数有误，请检查后重试"}
    return error(
        request, 400, "invalid_input", first["message"], field=first["field"], errors=details
    )


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
    message = str(exc)
    if exc.status_code == 403 and "CSRF" in message:  # SessionAuth's CSRF check on a write
        return error(request, 403, "csrf_failed", CSRF_MESSAGE)
    if message.startswith("Cannot parse request body"):
        return error(request, 400, "bad_request", "请求内容无法解析，请提交有效的 JSON")
    if not any("\u4e00" <= char <= "\u9fff" for char in message):
        # django-ninja's own messages are English: say it in Chinese by status.
        message = PAGES.get(exc.status_code, (None, None, "请求未能完成"))[2]
    return error(request, exc.status_code, "http_error", message)


@api.exception_handler(Exception)
def on_server_error(request, exc: Exception):
    # Anything else is our bug: logged with its traceback, answered as JSON, never as HTML.
    logger.exception("Internal Server Error: %s", request.path)
    request_id = getattr(request, "request_id", "")
    return error(
        request,
        500,
        "server_error",
        f"服务器内部错误，已记录日志，请稍后重试（请求编号 {request_id}）",
    )


def register_routers() -> None:
    from govmedia.assessment.api import router as assessment_router
    from govmedia.audit.api import router as audit_router
    from govmedia.compliance.api import router as compliance_router
    from govmedia.coordination.api import router as coordination_router
    from govmedia.counterfeit.api import router as counterfeit_router
    from govmedia.interaction.api import router as interaction_router
    from govmedia.monitoring.api import (
        dormant_router,
        posts_router,
        rectifications_router,
        runs_router,
    )
    from govmedia.opinion.api import router as opinion_router
    from govmedia.opinion.api import vendor_router as opinion_vendor_router
    from govmedia.orgs.api import router as orgs_router
    from govmedia.publishing.api import router as publishing_router
    from govmedia.qa.api import router as qa_router
    from govmedia.registry.api import accounts_router, filings_router
    from govmedia.screening.api import router as screening_router
    from govmedia.servicelinks.api import router as servicelinks_router
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
    api.add_router("/assessment", assessment_router)
    api.add_router("/qa", qa_router)
    api.add_router("/service-links", servicelinks_router)
    api.add_router("/interaction", interaction_router)
    api.add_router("/opinion", opinion_router)
    api.add_router("/opinion/vendor", opinion_vendor_router)


register_routers()
