"""API authentication: both classes leave ``request.actor`` set and active for the request."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.security import HttpBearer, SessionAuth

from chunnuan.access.actor import Actor
from chunnuan.access.auth import client_ip
from chunnuan.access.scoping import set_request_actor


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` issued to an integration client (see accounts.services)."""

    openapi_description = "接口令牌（由系统管理员签发）"

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        from chunnuan.accounts.services import api_token_authenticate

        actor = api_token_authenticate(raw_token=token, ip=client_ip(request))
        if actor is None:
            return None
        request.actor = actor  # type: ignore[attr-defined]
        set_request_actor(actor)
        return actor


class SessionActorAuth(SessionAuth):
    """The pages' own calls: the signed-in session, with CSRF checked."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            actor: Actor = request.actor  # type: ignore[attr-defined]
            return actor if actor.is_authenticated else None
        return None


def api_docs_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``docs_decorator`` of the API: the OpenAPI document and its docs page are served only to a
    signed-in user or a client with a valid token (docs/security.md). Others get the API's 401 (a
    browser asking for the docs page is sent to the login page instead)."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from chunnuan.core.errors import DomainError

        try:
            allowed = SessionActorAuth().authenticate(request, None) or TokenAuth()(request)
        except DomainError as exc:  # a throttled address
            return JsonResponse(exc.as_dict(), status=exc.status)
        if allowed:
            return view(request, *args, **kwargs)
        if "text/html" in request.headers.get("Accept", ""):
            return redirect_to_login(request.get_full_path())
        return JsonResponse(
            {"code": "unauthenticated", "message": "请先登录，或提供有效的接口令牌", "fields": {}}, status=401
        )

    return guarded
