"""Reads of employers, always scoped to the actor."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import get_visible
from chunnuan.employers.models import Employer


def employer_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Employer]:
    actor.require(Perm.VIEW_EMPLOYERS)
    filters = filters or {}
    employers = Employer.objects.visible_to(actor)
    if q := (filters.get("q") or "").strip():
        employers = employers.filter(Q(name__contains=q) | Q(credit_code=q.upper()))
    if region := (filters.get("region") or "").strip():
        employers = employers.filter(region_code__startswith=region.rstrip("0") or region)
    return employers.order_by("region_code", "name")


def employer_get(*, actor: Actor, pk: Any) -> Employer:
    actor.require(Perm.VIEW_EMPLOYERS)
    return get_visible(actor, Employer, pk=pk)
