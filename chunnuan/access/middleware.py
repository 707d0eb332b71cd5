from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from chunnuan.access.auth import actor_for_user, client_ip
from chunnuan.access.scoping import _current_actor


class ActorMiddleware:
    """Builds ``request.actor`` (lazily: anonymous pages cost no queries) and makes it the active
    scope for the whole request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor: Any = SimpleLazyObject(lambda: actor_for_user(request.user, ip=client_ip(request)))
        request.actor = actor  # type: ignore[attr-defined]
        token = _current_actor.set(actor)
        try:
            return self.get_response(request)
        finally:
            _current_actor.reset(token)
