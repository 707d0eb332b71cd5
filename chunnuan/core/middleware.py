from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation

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


class LanguageMiddleware:
    """Simplified Chinese unless the user chose English with the language switch (its cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a township office
    PC with an English Windows must still get the Chinese interface by default.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
