"""Background entry points of the outbox: rebuild the actor, call the service."""

from __future__ import annotations

from django_tasks import task

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope


@task()
def deliver_message(message_id: int) -> None:
    from chunnuan.notifications.services import message_deliver

    with actor_scope(system_actor("outbox")):
        message_deliver(message_id=message_id)
