"""Writes to the real-name ledger. (The ledger issue grows this: history, groups, imports.)"""

from __future__ import annotations

from django.db import transaction

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.audit.services import audit_create, audit_update, snapshot
from chunnuan.core import crypto
from chunnuan.core.identifiers import normalize_phone, parse_id_number
from chunnuan.regions.lookups import address_code_known
from chunnuan.workers.models import Worker
from chunnuan.workers.types import WorkerIn


@transaction.atomic
def worker_register(*, actor: Actor, data: WorkerIn) -> Worker:
    """Register a person, or update them when the ID number is already in the ledger (upsert)."""
    actor.require(Perm.MANAGE_WORKERS)
    info = parse_id_number(data.id_number, address_known=address_code_known)
    phone = normalize_phone(data.phone) if data.phone else ""
    if not (actor.covers(data.origin_region_code) or actor.covers(data.work_region_code)):
        ensure_in_scope(actor, data.origin_region_code)
    existing = (
        Worker.objects.unscoped(reason="upsert by ID hash; scope checked below")
        .filter(id_number_hash=crypto.lookup_hash(info.number))
        .first()
    )
    if existing is None:
        worker = Worker(
            name=data.name,
            id_number=info.number,
            sex=info.sex,
            birth_date=info.birth_date,
            phone=phone,
            origin_region_code=data.origin_region_code,
            work_region_code=data.work_region_code,
        )
        worker.save()
        audit_create(actor=actor, obj=worker)
        return worker
    ensure_in_scope(actor, existing)
    before = snapshot(existing)
    existing.name, existing.phone = data.name, phone
    existing.origin_region_code, existing.work_region_code = data.origin_region_code, data.work_region_code
    existing.save()
    audit_update(actor=actor, obj=existing, before=before)
    return existing
