"""API authentication: both classes leave ``request.actor`` set and active for the request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
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
