"""Site-wide views: health check and the Chinese error pages."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: ``{"status": "ok", "database": "ok"}`` or 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        code = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}.get(
            status, "error"
        )
        return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, _("请求无效或内容过大，请检查后重试"))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, _("您的角色无权进行此操作"))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, _("未找到该页面或记录，或您无权查看"))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("系统出现错误，请稍后再试；问题已记录"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "csrf_failed", "message": _("安全校验失败（CSRF），请刷新页面后重试"), "fields": {}},
            status=403,
        )
    return render(
        request, "error.html", {"status": 403, "message": _("安全校验失败，请刷新页面后重新提交")}, status=403
    )
