"""/api/v1/notifications/ — the outbox, read-only apart from retrying a failed message."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from chunnuan.access.actor import Actor
from chunnuan.core.pagination import PAGE_SIZE, paginate
from chunnuan.notifications.schemas import MessageOut, MessagePage
from chunnuan.notifications.selectors import message_list
from chunnuan.notifications.services import message_retry
from chunnuan.notifications.types import MessageFilter

router = Router()


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    return actor


@router.get("/messages", response=MessagePage, url_name="notification_message_list")
def list_messages(
    request: HttpRequest, filters: Query[MessageFilter], page: int = 1, per_page: int = PAGE_SIZE
) -> MessagePage:
    result = paginate(message_list(actor=_actor(request), filters=filters), page, per_page=per_page)
    return MessagePage(
        items=[MessageOut.from_message(m) for m in result.object_list],
        count=result.paginator.count,
        page=result.number,
        pages=result.paginator.num_pages,
    )


@router.post("/messages/{int:message_id}/retry", response=MessageOut, url_name="notification_message_retry")
def retry_message(request: HttpRequest, message_id: int) -> MessageOut:
    return MessageOut.from_message(message_retry(actor=_actor(request), pk=message_id))
