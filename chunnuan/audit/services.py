"""Writing audit rows. Every service that writes calls :func:`audit_record` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from chunnuan.access.actor import Actor
from chunnuan.audit.models import AuditAction, AuditEvent
from chunnuan.core.bulk import bulk_insert
from chunnuan.core.fields import EncryptedCharField

_SKIP = {"id_number_hash", "phone_hash", "password", "token_hash", "code_hash", "updated_at", "created_at"}


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The audited values of a row: personal fields masked, hashes and secrets left out."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SKIP:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, EncryptedCharField):
            value = field.mask(value or "")
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        values[field.name] = value
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields that changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in after.keys() | before.keys()
        if before.get(key) != after.get(key)
    }


def object_region(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    for name in getattr(type(obj), "scope_region_fields", ("region_code",)):
        code = getattr(obj, name, "")
        if code:
            return str(code)
    return ""


def audit_record(
    *,
    actor: Actor,
    action: AuditAction | str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    region_code: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    if region_code is None:
        region_code = object_region(obj) or next((p for p in actor.region_prefixes if p), "")
    event = AuditEvent(
        actor_user_id=actor.user_id,
        actor_label=actor.label[:150],
        ip=actor.ip,
        action=str(action),
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
        region_code=region_code,
        changes=changes or {},
        note=note[:300],
    )
    event.save()
    return event


def audit_create(*, actor: Actor, obj: models.Model, note: str = "") -> AuditEvent:
    after = snapshot(obj)
    return audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=obj,
        changes={k: [None, v] for k, v in after.items()},
        note=note,
    )


def audit_update(
    *, actor: Actor, obj: models.Model, before: dict[str, Any], note: str = ""
) -> AuditEvent | None:
    changes = diff(before, snapshot(obj))
    if not changes:
        return None
    return audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes, note=note)


def audit_bulk(
    *, actor: Actor, entries: list[tuple[str, models.Model, dict[str, Any]]], note: str = ""
) -> None:
    """Audit many writes at once (imports): ``entries`` are ``(action, obj, changes)``; one INSERT.

    Build ``changes`` with :func:`snapshot` / :func:`diff` so personal fields stay masked.
    """
    events = [
        AuditEvent(
            actor_user_id=actor.user_id,
            actor_label=actor.label[:150],
            ip=actor.ip,
            action=str(action),
            object_type=obj._meta.label,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            region_code=object_region(obj) or next((p for p in actor.region_prefixes if p), ""),
            changes=changes,
            note=note[:300],
        )
        for action, obj, changes in entries
    ]
    bulk_insert(AuditEvent, events)
