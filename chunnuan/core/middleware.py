from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

TOO_LARGE = "上传的内容过大（超过{limit}MB），请拆分后再提交"


class RequestSizeLimitMiddleware:
    """Refuse an oversized request from its Content-Length, before anything reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = TOO_LARGE.format(limit=settings.MAX_REQUEST_BYTES // (1024 * 1024))
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "too_large", "message": message, "fields": {}}, status=413)
            html = render_to_string("error.html", {"status": 413, "message": message}, request=request)
            return HttpResponse(html, status=413)
        return self.get_response(request)
