"""/api/v1/notifications/ — the outbox, read-only apart from retrying a failed message."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from chunnuan.access.actor import Actor
from chunnuan.core.schemas import PageOut, PageQuery, paged
from chunnuan.notifications.schemas import MessageOut
from chunnuan.notifications.selectors import message_list
from chunnuan.notifications.services import message_retry
from chunnuan.notifications.types import MessageFilter

router = Router()


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    return actor


@router.get("/messages", response=PageOut[MessageOut], url_name="notification_message_list")
def list_messages(request: HttpRequest, filters: Query[MessageFilter], page: Query[PageQuery]) -> Any:
    return paged(message_list(actor=_actor(request), filters=filters), page, MessageOut.from_message)


@router.post("/messages/{int:message_id}/retry", response=MessageOut, url_name="notification_message_retry")
def retry_message(request: HttpRequest, message_id: int) -> MessageOut:
    return MessageOut.from_message(message_retry(actor=_actor(request), pk=message_id))
