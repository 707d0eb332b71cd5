"""Reading the outbox (消息发件箱)."""

from __future__ import annotations

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ScopedQuerySet, get_visible
from chunnuan.core.crypto import lookup_hash
from chunnuan.core.errors import ValidationFailed
from chunnuan.core.identifiers import normalize_phone
from chunnuan.notifications.models import OutboxMessage
from chunnuan.notifications.types import MessageFilter


def recipient_lookup_hash(value: str) -> str:
    """The keyed hash a recipient is stored under: phone numbers normalised, other ids as typed."""
    value = value.strip()
    try:
        value = normalize_phone(value)
    except ValidationFailed:
        pass
    return lookup_hash(value)


def message_list(*, actor: Actor, filters: MessageFilter | None = None) -> ScopedQuerySet[OutboxMessage]:
    actor.require(Perm.VIEW_OUTBOX)
    filters = filters or MessageFilter()
    qs = OutboxMessage.objects.visible_to(actor)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.purpose:
        qs = qs.filter(purpose=filters.purpose)
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    if filters.q.strip():
        qs = qs.filter(recipient_hash=recipient_lookup_hash(filters.q))
    return qs.order_by("-created_at", "-id")


def message_get(*, actor: Actor, pk: int) -> OutboxMessage:
    actor.require(Perm.VIEW_OUTBOX)
    return get_visible(actor, OutboxMessage, pk=pk)


def message_purposes(*, actor: Actor) -> list[str]:
    """The purposes in use in the actor's reach (for the filter dropdown)."""
    actor.require(Perm.VIEW_OUTBOX)
    qs = OutboxMessage.objects.visible_to(actor).exclude(purpose="")
    return sorted(set(qs.values_list("purpose", flat=True).distinct()))
