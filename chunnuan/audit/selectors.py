"""Reads of the audit log: an auditor sees the events of their region and below."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import code_prefix
from chunnuan.audit.models import AuditEvent
from chunnuan.core.errors import NotFound, ValidationFailed


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            "日期格式应为 YYYY-MM-DD", fields={name: ["日期格式应为 YYYY-MM-DD"]}
        ) from None


def audit_event_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[AuditEvent]:
    actor.require(Perm.VIEW_AUDIT)
    filters = filters or {}
    events = AuditEvent.objects.visible_to(actor)
    if person := (filters.get("person") or "").strip():
        events = events.filter(Q(actor_label__icontains=person) | Q(actor_user__full_name__icontains=person))
    if object_type := (filters.get("object_type") or "").strip():
        events = events.filter(object_type__icontains=object_type)
    if object_id := (filters.get("object_id") or "").strip():
        events = events.filter(object_id=object_id)
    if action := (filters.get("action") or "").strip():
        events = events.filter(action=action)
    if region := (filters.get("region") or "").strip():
        events = events.filter(region_code__startswith=code_prefix(region))
    if date_from := _date(filters.get("date_from"), "date_from"):
        events = events.filter(created_at__date__gte=date_from)
    if date_to := _date(filters.get("date_to"), "date_to"):
        events = events.filter(created_at__date__lte=date_to)
    return events.order_by("-created_at", "-id")


def audit_event_get(*, actor: Actor, pk: int) -> AuditEvent:
    actor.require(Perm.VIEW_AUDIT)
    try:
        return AuditEvent.objects.visible_to(actor).get(pk=pk)
    except AuditEvent.DoesNotExist:
        raise NotFound() from None
