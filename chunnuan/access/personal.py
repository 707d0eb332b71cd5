"""Showing personal data: masked by default; whole only for roles that may, and always audited."""

from __future__ import annotations

from django.db import models, transaction

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_record
from chunnuan.core.errors import NotFound
from chunnuan.core.fields import personal_fields


def masked(obj: models.Model, field_name: str) -> str:
    field = personal_fields(type(obj))[field_name]
    return field.mask(getattr(obj, field_name) or "")


def may_reveal(actor: Actor, obj: models.Model) -> bool:
    """Officers with the permission, and a worker or employer for their own record."""
    if actor.can(Perm.VIEW_PERSONAL_DATA):
        return True
    return actor.worker_id is not None and type(obj).__name__ == "Worker" and obj.pk == actor.worker_id


@transaction.atomic
def personal_reveal(*, actor: Actor, obj: models.Model, field_name: str) -> str:
    """The whole value of a personal field, written to the audit log as a "reveal"."""
    fields = personal_fields(type(obj))
    if field_name not in fields:
        raise NotFound()
    ensure_in_scope(actor, obj)
    if not may_reveal(actor, obj):
        from chunnuan.core.errors import PermissionDenied

        raise PermissionDenied("您的角色无权查看完整的个人信息")
    audit_record(
        actor=actor, action=AuditAction.REVEAL, obj=obj, note=f"查看完整{fields[field_name].verbose_name}"
    )
    return str(getattr(obj, field_name) or "")
