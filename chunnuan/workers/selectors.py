"""Reads of the real-name ledger, always scoped to the actor."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import get_visible
from chunnuan.core import crypto
from chunnuan.core.errors import NotFound, ValidationFailed
from chunnuan.core.identifiers import normalize_id_number
from chunnuan.workers.models import Worker


def worker_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Worker]:
    actor.require(Perm.VIEW_WORKERS)
    filters = filters or {}
    workers = Worker.objects.visible_to(actor)
    if q := (filters.get("q") or "").strip():
        number = normalize_id_number(q)
        if len(number) == 18 and number[:17].isdigit():
            workers = workers.filter(id_number_hash=crypto.lookup_hash(number))
        else:
            workers = workers.filter(name__contains=q)
    if region := (filters.get("region") or "").strip():
        if not region.isdigit():
            raise ValidationFailed("区划代码应为数字", fields={"region": ["区划代码应为数字"]})
        prefix = region.rstrip("0") or region
        workers = workers.filter(
            Q(origin_region_code__startswith=prefix) | Q(work_region_code__startswith=prefix)
        )
    return workers.order_by("origin_region_code", "id")


def worker_get(*, actor: Actor, pk: Any) -> Worker:
    if actor.worker_id is None or str(actor.worker_id) != str(pk):
        actor.require(Perm.VIEW_WORKERS)
    return get_visible(actor, Worker, pk=pk)


def worker_self(*, actor: Actor) -> Worker:
    """A signed-in worker's own record."""
    if actor.worker_id is None:
        raise NotFound()
    return get_visible(actor, Worker, pk=actor.worker_id)
