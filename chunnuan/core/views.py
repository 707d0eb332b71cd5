"""Site-wide views: health check and the Chinese error pages."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
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


def _back_url(request: HttpRequest) -> str:
    """The page the person came from, when it is on this site (else "": no back link)."""
    referer = str(request.META.get("HTTP_REFERER", ""))
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        code = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}.get(
            status, "error"
        )
        return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    context = {"status": status, "message": message, "back_url": _back_url(request)}
    return render(request, "error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, _("请求无效或内容过大，请检查后重试"))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """The refusal's own message when it carries one (a DomainError's Chinese message, translated
    when the catalogue has it), else the general one."""
    message = str(exception) if exception is not None else ""
    return _error(request, 403, _(message) if message else _("您的角色无权进行此操作"))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, _("未找到该页面或记录，或您无权查看"))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout, rendered without the request's context processors: the
    database (sessions, users, the menu) may be what failed, so nothing here may touch it."""
    message = _("系统出现错误，请稍后再试；问题已记录")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "server_error", "message": message, "fields": {}}, status=500)
    html = loader.get_template("error.html").render({"status": 500, "message": message, "plain": True})
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "csrf_failed", "message": _("安全校验失败（CSRF），请刷新页面后重试"), "fields": {}},
            status=403,
        )
    return render(
        request, "error.html", {"status": 403, "message": _("安全校验失败，请刷新页面后重新提交")}, status=403
    )
