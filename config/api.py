"""The one JSON API, at /api/v1/. Session auth (CSRF on) for the pages' own calls; bearer tokens
for integration clients. Every error has one shape: ``{"code", "message", "fields"}``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from chunnuan.access.api_auth import SessionActorAuth, TokenAuth, api_docs_guard
from chunnuan.core.api_parser import NUL_ERROR, NulRefusingParser
from chunnuan.core.errors import DomainError
from chunnuan.core.schemas import API_ERRORS

api = NinjaAPI(
    title="春暖 Chunnuan API",
    version="1",
    description="人社局农民工服务系统数据交换接口。认证：`Authorization: Bearer <令牌>`，或页面会话（需CSRF）。"
    "字符串不得包含空字符（NUL）。错误一律为 `{code, message, fields}`：422 为不符合本文档的请求，"
    "400 为不符合业务规则（如校验位、区划不存在）。",
    auth=[TokenAuth(), SessionActorAuth()],
    parser=NulRefusingParser(),  # NUL refused like the forms refuse it (a 422)
    docs_decorator=api_docs_guard,  # schema and docs for signed-in users and API clients only
    urls_namespace="api",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        where = list(err.get("loc", []))
        if where[:1] == ["query"] and len(where) >= 3 and isinstance(where[2], str):
            del where[1]  # a list item of a query schema carries the schema's parameter name: drop it
        loc = [str(p) for p in where if p not in ("body", "query", "path", "payload", "data")]
        fields.setdefault(".".join(loc) or "_", []).append(_chinese_validation_message(err))
    return _error(request, 422, "invalid", "请求数据格式不正确，请检查各字段", fields)


def _chinese_validation_message(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "必填"
    if kind == NUL_ERROR:
        return "不能包含空字符（NUL）"
    if kind.startswith("string_too_long"):
        return "内容过长"
    if kind.startswith(("int_", "float_", "decimal_")):
        return "应为数字"
    if kind.startswith(("date", "datetime")):
        return "日期格式不正确，应为 YYYY-MM-DD"
    if kind.startswith("json"):
        return "不是有效的JSON"
    ctx = err.get("ctx") or {}
    bounds = {
        "greater_than_equal": ("不能小于", "ge"),
        "greater_than": ("应大于", "gt"),
        "less_than_equal": ("不能大于", "le"),
        "less_than": ("应小于", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"{words}{ctx.get(key, '')}"
    if kind in ("literal_error", "enum"):
        return f"应为以下之一：{ctx.get('expected', '')}"
    if kind == "too_long":
        return "项数过多"
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])  # our validators raise ValueError with a Chinese message
    return "格式不正确"


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "请先登录，或提供有效的接口令牌")


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Django raises this when request.POST/FILES is read; without a handler ninja answers 500 under
    # DEBUG (its traceback page) and 400 without (issue 9 defect 11). One answer in both modes.
    return _error(
        request,
        400,
        "bad_request",
        "上传内容格式不正确（multipart 缺少分隔符或格式有误），请重新选择文件提交",
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "未找到该记录，或您无权查看")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, NinjaValidationError):  # refused by the parser (NulRefusingParser)
        return on_validation_error(request, exc.__cause__)
    if exc.status_code == 403:
        return _error(request, 403, "csrf_failed", "安全校验失败（CSRF），请刷新页面后重试")
    if exc.status_code == 400 and exc.__cause__ is not None:  # ninja's "Cannot parse request body"
        return _error(request, 400, "bad_request", "请求体无法解析：应为 UTF-8 编码的 JSON")
    return _error(request, exc.status_code, "error", str(exc.message))


def _document_shared_errors(router: Router) -> None:
    """Every operation can answer the shared error statuses (API_ERRORS: 401 from the auth classes,
    403 CSRF or role, 404 out of reach, 422 validation, 429 throttled token …) through the handlers
    above, whatever its own ``response=`` says: declare them all in the OpenAPI document, so that it is
    true for operations that list only their success (tests/test_api_contract.py checks it)."""
    for view in router.path_operations.values():
        for operation in view.operations:
            for status, schema in API_ERRORS.items():
                if status not in operation.response_models:
                    operation.response_models[status] = operation._create_response_model(schema)


def _register_routers() -> None:
    from chunnuan.accounts.api import router as accounts_router
    from chunnuan.audit.api import router as audit_router
    from chunnuan.batch.api import router as batch_router
    from chunnuan.employers.api import router as employers_router
    from chunnuan.notifications.api import router as notifications_router
    from chunnuan.regions.api import router as regions_router
    from chunnuan.reporting.api import router as reporting_router
    from chunnuan.workers.api import router as workers_router

    routers = (
        accounts_router,
        regions_router,
        workers_router,
        employers_router,
        reporting_router,
        audit_router,
        notifications_router,
        batch_router,
    )
    for router in routers:
        _document_shared_errors(router)
    api.add_router("/accounts/", accounts_router, tags=["accounts 用户"])
    api.add_router("/regions/", regions_router, tags=["regions 行政区划"])
    api.add_router("/workers/", workers_router, tags=["workers 实名制台帐"])
    api.add_router("/employers/", employers_router, tags=["employers 用人单位"])
    api.add_router("/reporting/", reporting_router, tags=["reporting 专项行动与报表"])
    api.add_router("/audit/", audit_router, tags=["audit 审计"])
    api.add_router("/notifications/", notifications_router, tags=["notifications 消息"])
    api.add_router("/runs/", batch_router, tags=["runs 后台任务"])


_register_routers()
