"""Writes to the real-name ledger (实名制台帐): register/update a person, add a timeline entry, and the
bulk upsert the spreadsheet import calls. Every write checks the permission and the actor's reach
inside the transaction and leaves an audit row (personal fields masked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ensure_in_scope, get_visible
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_bulk, audit_create, audit_update, diff, snapshot
from chunnuan.core import crypto
from chunnuan.core.bulk import bulk_insert
from chunnuan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from chunnuan.core.identifiers import IdNumberInfo, normalize_contact_phone, parse_id_number
from chunnuan.core.importing.spec import CellError, ImportContext, Outcome, RowOutcome
from chunnuan.core.versioning import Expected, check_version, claim_version
from chunnuan.regions.lookups import address_code_known, region_names
from chunnuan.workers.choices import (
    EVENT_EMPLOYMENT,
    EVENT_MOVEMENT,
    Education,
    EmploymentStatus,
    EventKind,
    HukouType,
)
from chunnuan.workers.decide import IDENTITY_FIELDS, FieldDifference, WorkerDecision, worker_decide
from chunnuan.workers.models import Worker, WorkerEvent
from chunnuan.workers.tallies import worker_tallies_move, worker_tallies_move_on_commit
from chunnuan.workers.types import WorkerEventIn, WorkerIn, WorkerSelfIn

# Said when the ID number belongs to a record the actor cannot see. It tells that the number is
# registered somewhere (the unique key makes a second record impossible, and the officer needs to
# know whom to ask) but nothing else: not the name, not the region. See docs/decisions/0007-ledger.md.
REGISTERED_ELSEWHERE = "该身份证号码已由其他地区登记，请联系户籍地劳动保障所"
OUT_OF_REACH = "户籍地和务工地都不在您的管辖范围内，至少一个应在您的辖区内"
ALREADY_REGISTERED = "该身份证号码已登记（{name}，记录编号 {pk}），本次未作任何修改"

_CHOICES: dict[str, tuple[str, set[str]]] = {
    "hukou_type": ("户口性质", {c.value for c in HukouType}),
    "education": ("文化程度", {c.value for c in Education}),
    "employment_status": ("就业状态", {c.value for c in EmploymentStatus}),
}
_MOVEMENT_KINDS = {k for k, v in EVENT_MOVEMENT.items() if v}
_EMPLOYMENT_KINDS = {k for k, v in EVENT_EMPLOYMENT.items() if v}


def _invalid(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field_name: [message]})


def _check_id(value: str) -> IdNumberInfo:
    try:
        return parse_id_number(value, address_known=address_code_known)
    except ValidationFailed as exc:
        raise _invalid("id_number", exc.message) from None


def _check_phone(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return normalize_contact_phone(value)
    except ValidationFailed as exc:
        raise _invalid("phone", exc.message) from None


def _check_regions(origin: str, work: str) -> None:
    """Both codes exist (work may be empty)."""
    known = region_names({origin, work} - {""})
    if origin and origin not in known:
        raise _invalid("origin_region_code", f"户籍地区划代码“{origin}”不存在或已停用")
    if work and work not in known:
        raise _invalid("work_region_code", f"务工地区划代码“{work}”不存在或已停用")


def _check_reach(actor: Actor, origin: str, work: str) -> None:
    """At least one of the regions the record ends with lies within the actor's reach."""
    if not (actor.covers(origin) or actor.covers(work)):
        raise ValidationFailed(OUT_OF_REACH, fields={"origin_region_code": [OUT_OF_REACH]})


def _check_choices(values: dict[str, Any]) -> None:
    for name, (label, allowed) in _CHOICES.items():
        if values.get(name) and values[name] not in allowed:
            raise _invalid(name, f"{label}“{values[name]}”不是可选的值")


def _values(actor: Actor, data: WorkerIn) -> dict[str, Any]:
    """The model values of a WorkerIn, checked (ID, phone, regions, choices)."""
    info = _check_id(data.id_number)
    values = {
        "name": data.name.strip(),
        "id_number": info.number,
        "sex": info.sex,
        "birth_date": info.birth_date,
        "phone": _check_phone(data.phone),
        "origin_region_code": data.origin_region_code,
        "work_region_code": data.work_region_code,
        **{k: v.strip() if isinstance(v, str) else v for k, v in data.ledger_values().items()},
    }
    if not values["name"]:
        raise _invalid("name", "请填写姓名")
    _check_choices(values)
    _check_regions(data.origin_region_code, data.work_region_code)
    return values


def _typed(data: WorkerIn, values: dict[str, Any]) -> dict[str, Any]:
    """The values the caller gave: the fields set on ``data`` (an API body's keys, the form's filled
    fields), with the identity the ID number carries."""
    given = data.model_fields_set | {"name", "id_number", "origin_region_code"}
    return {k: v for k, v in values.items() if k in given or k in IDENTITY_FIELDS}


def _find_by_id_number(number: str) -> Worker | None:
    return (
        Worker.objects.unscoped(reason="upsert by ID hash: uniqueness is national; scope checked after")
        .filter(id_number_hash=crypto.lookup_hash(number))
        .first()
    )


def _ensure_reachable_or_conflict(actor: Actor, worker: Worker) -> None:
    try:
        ensure_in_scope(actor, worker)
    except NotFound:
        raise Conflict(REGISTERED_ELSEWHERE, fields={"id_number": [REGISTERED_ELSEWHERE]}) from None


def _codes(worker: Worker) -> tuple[str, str]:
    """What the region tally (台帐人数统计) counts a person by."""
    return (worker.origin_region_code, worker.work_region_code)


def _apply(worker: Worker, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(worker, name, value)


class AlreadyRegistered(Conflict):
    """The ID number is already in the ledger, within the actor's reach: nothing was written.

    ``differences`` (stored vs typed, field by field) feed the comparison page and the API's 409."""

    code = "already_registered"

    def __init__(self, worker: Worker, differences: tuple[FieldDifference, ...]) -> None:
        self.worker_id = worker.pk
        self.differences = differences
        message = ALREADY_REGISTERED.format(name=worker.name, pk=worker.pk)
        fields = {d.name: [f"已登记：{d.stored}；本次填写：{d.typed}"] for d in differences}
        super().__init__(message, fields=fields)


@transaction.atomic
def worker_register(
    *, actor: Actor, data: WorkerIn, update_existing: bool = False, chosen: Collection[str] | None = None
) -> Worker:
    """登记 — register a new person.

    An ID number already in the ledger is never silently overwritten: without ``update_existing`` it
    raises :class:`AlreadyRegistered` listing the differing fields; with it, the typed values are
    applied (only the ``chosen`` fields when given) and blanks leave stored values alone. A person
    registered by a region outside the actor's reach is refused without details (Conflict)."""
    actor.require(Perm.MANAGE_WORKERS)
    values = _values(actor, data)
    typed = _typed(data, values)
    existing = _find_by_id_number(values["id_number"])
    if existing is None:
        decision = worker_decide(stored=None, typed=typed)
        _check_reach(actor, values["origin_region_code"], values["work_region_code"])
        worker = Worker(**decision.changes)
        worker.save()
        worker_tallies_move(after=[_codes(worker)])
        audit_create(actor=actor, obj=worker)
        return worker
    _ensure_reachable_or_conflict(actor, existing)
    decision = worker_decide(stored=existing, typed=typed, chosen=chosen)
    if not update_existing:
        raise AlreadyRegistered(existing, decision.differences)
    return _save_decision(actor, existing, decision)


def _save_decision(
    actor: Actor, worker: Worker, decision: WorkerDecision, *, expected_version: Expected = None
) -> Worker:
    """Write a decision: the version the caller saw must still be the stored one (else StaleVersion,
    with stored-now vs typed for the page), and the write moves the record to the next version."""
    check_version(worker, expected_version, decision.differences)
    if not decision.changes:
        return worker
    claim_version(worker, differences=decision.differences)
    before = snapshot(worker)
    codes_before = _codes(worker)
    _apply(worker, decision.changes)
    if actor.worker_id is None:  # an officer's record must stay within their reach
        _check_reach(actor, worker.origin_region_code, worker.work_region_code)
    worker.save()
    worker_tallies_move(before=[codes_before], after=[_codes(worker)])
    audit_update(actor=actor, obj=worker, before=before, note=_personal_change_note(decision))
    return worker


def _personal_change_note(decision: WorkerDecision) -> str:
    """Changing the ID number or the phone is an explicit act: the audit row says so by name."""
    named = {"id_number": "修改身份证号码", "phone": "修改联系电话"}
    return "；".join(note for name, note in named.items() if name in decision.changes)


@transaction.atomic
def worker_update(*, actor: Actor, pk: Any, data: WorkerIn, expected_version: Expected = None) -> Worker:
    """修改 — change a person's record; the record and its new regions must stay within reach.

    The fields set on ``data`` replace the stored ones, blanks included (clearing is this explicit act);
    fields not set are kept. ``expected_version``: the version the caller saw (the edit page's hidden
    field, the API's If-Match); a save made on an older one is refused (StaleVersion), nothing written.
    Changing the ID number needs the permission to see it whole (it is audited by name)."""
    actor.require(Perm.MANAGE_WORKERS)
    worker = get_visible(actor, Worker, pk=pk)
    values = _values(actor, data)
    if values["id_number"] != worker.id_number:
        if not actor.can(Perm.VIEW_PERSONAL_DATA):
            message = "您的角色无权修改身份证号码"
            raise PermissionDenied(message, fields={"id_number": [message]})
        other = _find_by_id_number(values["id_number"])
        if other is not None and other.pk != worker.pk:
            message = "该身份证号码已登记在另一条记录中" if _reachable(actor, other) else REGISTERED_ELSEWHERE
            raise Conflict(message, fields={"id_number": [message]})
    # An update replaces the fields it sends (blank included: the edit form is the whole record;
    # a PUT's omitted keys stay as they are).
    given = data.model_fields_set | {"name", "id_number", "origin_region_code"}
    decision = worker_decide(stored=worker, typed=_typed(data, values), clearing=given)
    return _save_decision(actor, worker, decision, expected_version=expected_version)


@transaction.atomic
def worker_self_update(*, actor: Actor, data: WorkerSelfIn) -> Worker:
    """A worker changes their own contact phone, job intention and needs (audited). Job intention and
    needs are the whole of what the page shows, so an emptied one is cleared; an empty phone keeps
    the stored number (the bureau needs a way to reach the person)."""
    actor.require(Perm.SELF_SERVICE)
    if actor.worker_id is None:
        raise NotFound()
    worker = get_visible(actor, Worker, pk=actor.worker_id)
    typed = {
        **data.model_dump(),
        "phone": _check_phone(data.phone),
        "job_intention": data.job_intention.strip(),
    }
    clearing = set(typed) - {"phone"}
    return _save_decision(actor, worker, worker_decide(stored=worker, typed=typed, clearing=clearing))


def _reachable(actor: Actor, worker: Worker) -> bool:
    return actor.covers(worker.origin_region_code) or actor.covers(worker.work_region_code)


def _check_event_date(worker: Worker, date: dt.date, *, field_name: str = "date") -> None:
    if date > timezone.localdate():
        raise _invalid(field_name, f"日期{date:%Y-%m-%d}晚于今天，请核对")
    if date < worker.birth_date:
        raise _invalid(field_name, f"日期{date:%Y-%m-%d}早于出生日期{worker.birth_date:%Y-%m-%d}，请核对")


def _status_changes(worker: Worker, kind: str, date: dt.date, *, latest_employment: dt.date | None) -> bool:
    """Bring the worker's current statuses up to an event; True when something changed.

    Movement: the event is the latest when it is not older than ``movement_date`` (which the
    timeline keeps equal to the latest movement event's date). Employment: when no employment
    event is newer (``latest_employment``)."""
    changed = False
    movement = EVENT_MOVEMENT.get(kind)
    if movement and (worker.movement_date is None or date >= worker.movement_date):
        if (worker.movement_status, worker.movement_date) != (movement, date):
            worker.movement_status, worker.movement_date = movement, date
            changed = True
    employment = EVENT_EMPLOYMENT.get(kind)
    if employment and (latest_employment is None or date >= latest_employment):
        if worker.employment_status != employment:
            worker.employment_status = employment
            changed = True
    return changed


@transaction.atomic
def worker_event_add(*, actor: Actor, worker_id: Any, data: WorkerEventIn) -> WorkerEvent:
    """记一条动态 — and, when it is the latest of its kind, update the person's current status."""
    actor.require(Perm.MANAGE_WORKERS)
    worker = get_visible(actor, Worker, pk=worker_id)
    if data.kind not in {k.value for k in EventKind}:
        raise _invalid("kind", f"动态类型“{data.kind}”不是可选的值")
    _check_event_date(worker, data.date)
    if data.region_code and not region_names({data.region_code}):
        raise _invalid("region_code", f"区划代码“{data.region_code}”不存在或已停用")
    event = WorkerEvent(
        worker=worker,
        kind=data.kind,
        date=data.date,
        place=data.place.strip(),
        region_code=data.region_code,
        note=data.note.strip(),
        created_by_id=actor.user_id,
    )
    event.save()
    audit_create(actor=actor, obj=event, note=f"{worker.name} {event.get_kind_display()}")
    latest_employment = None
    if data.kind in _EMPLOYMENT_KINDS:
        latest_employment = (
            WorkerEvent.objects.visible_to(actor)
            .filter(worker=worker, kind__in=_EMPLOYMENT_KINDS)
            .exclude(pk=event.pk)
            .order_by("-date")
            .values_list("date", flat=True)
            .first()
        )
    before = snapshot(worker)
    if _status_changes(worker, data.kind, data.date, latest_employment=latest_employment):
        claim_version(worker)
        before["version"] = worker.version  # the version is no change of the record's content
        worker.save()
        audit_update(actor=actor, obj=worker, before=before, note="动态更新状态")
    return event


# --- the bulk path of the spreadsheet import -------------------------------------------------------


@dataclass
class WorkerRow:
    """One clean import row, in model terms: ``values`` holds only the fields the file gave
    (an empty cell leaves the stored value alone); ``events`` are (kind, date) to add to the timeline."""

    info: IdNumberInfo
    values: dict[str, Any]
    events: list[tuple[str, dt.date]] = field(default_factory=list)


def workers_bulk_upsert(*, ctx: ImportContext, rows: list[WorkerRow]) -> list[RowOutcome]:
    """Upsert a batch of import rows with a constant number of queries, whatever the batch size.

    One SELECT for the existing people (by ID hash), one for their timeline entries (only when the
    batch carries dates), then bulk INSERT / UPDATE / INSERT events / INSERT audit rows. A person
    registered by a region outside the actor's reach is REJECTED, as is a row that would place the
    person outside it. With ``ctx.dry_run`` nothing is written; the outcomes are the same."""
    actor = ctx.actor
    if not actor.can(Perm.MANAGE_WORKERS):
        denied = CellError(column="", message="您的角色无权维护实名制台帐")
        return [RowOutcome(Outcome.REJECTED, (denied,)) for _ in rows]
    keys = [crypto.lookup_hash(r.info.number) for r in rows]
    existing: dict[str | None, Worker] = {
        w.id_number_hash: w
        for w in Worker.objects.unscoped(
            reason="import upsert by ID hash; reach checked per row below"
        ).filter(id_number_hash__in=set(keys))
    }
    known_events: set[tuple[str, str, dt.date]] = set()
    latest_employment: dict[str, dt.date] = {}
    if existing and any(r.events for r in rows):
        key_of = {w.pk: k for k, w in existing.items() if k}
        for worker_id, kind, date in (
            WorkerEvent.objects.unscoped(reason="import: timeline of the batch's existing people")
            .filter(worker_id__in=list(key_of))
            .values_list("worker_id", "kind", "date")
        ):
            known_events.add((key_of[worker_id], kind, date))
            if kind in _EMPLOYMENT_KINDS:
                latest_employment[key_of[worker_id]] = max(
                    date, latest_employment.get(key_of[worker_id], date)
                )

    batch = _Batch()
    for row, key in zip(rows, keys, strict=True):
        batch.outcomes.append(_upsert_row(actor, row, key, existing, known_events, latest_employment, batch))
    if not ctx.dry_run:
        batch.write(actor, ctx.cache)
    return batch.outcomes


@dataclass
class _Batch:
    outcomes: list[RowOutcome] = field(default_factory=list)
    to_create: dict[str, Worker] = field(default_factory=dict)  # by ID hash (a repeated row merges)
    to_update: dict[int, Worker] = field(default_factory=dict)
    updated_fields: set[str] = field(default_factory=set)
    befores: dict[int, dict[str, Any]] = field(default_factory=dict)
    codes_before: dict[int, tuple[str, str]] = field(default_factory=dict)  # for the region tally
    events: list[tuple[Worker, str, dt.date]] = field(default_factory=list)

    def write(self, actor: Actor, memo: dict[str, Any]) -> None:
        worker_tallies_move_on_commit(
            memo=memo,
            before=[self.codes_before[pk] for pk in self.to_update],
            after=[_codes(w) for w in [*self.to_create.values(), *self.to_update.values()]],
        )
        audits: list[tuple[str, Any, dict[str, Any]]] = []
        now = timezone.now()
        if self.to_create:
            created = list(self.to_create.values())
            bulk_insert(Worker, created, key_fields=("id_number_hash",))
            audits += [
                (AuditAction.CREATE, w, {k: [None, v] for k, v in snapshot(w).items()}) for w in created
            ]
        if self.to_update:
            for worker in self.to_update.values():
                worker.updated_at = now
                audits.append((AuditAction.UPDATE, worker, diff(self.befores[worker.pk], snapshot(worker))))
                worker.version = F("version") + 1  # an import write is a write too
            fields = sorted(self.updated_fields | {"updated_at", "version"})
            Worker.plain.bulk_update(list(self.to_update.values()), fields, batch_size=500)
        if self.events:
            events = [
                WorkerEvent(worker=w, kind=kind, date=date, note="表格导入", created_by_id=actor.user_id)
                for w, kind, date in self.events
            ]
            bulk_insert(WorkerEvent, events, key_fields=("worker_id", "kind", "date"))
            audits += [
                (AuditAction.CREATE, e, {"kind": [None, e.kind], "date": [None, str(e.date)]}) for e in events
            ]
        if audits:
            audit_bulk(actor=actor, entries=[(str(a), o, c) for a, o, c in audits], note="表格导入")


def _upsert_row(
    actor: Actor,
    row: WorkerRow,
    key: str,
    existing: dict[str | None, Worker],
    known_events: set[tuple[str, str, dt.date]],
    latest_employment: dict[str, dt.date],
    batch: _Batch,
) -> RowOutcome:
    worker = existing.get(key) or batch.to_create.get(key)
    values = {
        "id_number": row.info.number,
        "sex": row.info.sex,
        "birth_date": row.info.birth_date,
        **row.values,
    }
    if worker is not None and worker.pk and not _reachable(actor, worker):
        return RowOutcome(Outcome.REJECTED, (CellError("身份证号码", REGISTERED_ELSEWHERE),))
    decision = worker_decide(stored=worker, typed=values)
    origin = decision.changes.get("origin_region_code") or (worker.origin_region_code if worker else "")
    work = decision.changes.get("work_region_code", worker.work_region_code if worker else "")
    if not (actor.covers(origin) or actor.covers(work)):
        return RowOutcome(Outcome.REJECTED, (CellError("", OUT_OF_REACH),))
    new = worker is None
    if worker is None:
        worker = Worker(**decision.changes)
        batch.to_create[key] = worker
        changed = set(decision.changes)
    else:
        if worker.pk and worker.pk not in batch.befores:
            batch.befores[worker.pk] = snapshot(worker)
            batch.codes_before[worker.pk] = _codes(worker)
        changed = set(decision.changes)
        _apply(worker, decision.changes)
    added = 0
    for kind, date in sorted(row.events, key=lambda e: e[1]):
        if (key, kind, date) in known_events:
            continue
        known_events.add((key, kind, date))
        batch.events.append((worker, kind, date))
        added += 1
        status_before = {n: getattr(worker, n) for n in _STATUS_FIELDS}
        _status_changes(worker, kind, date, latest_employment=latest_employment.get(key))
        if kind in _EMPLOYMENT_KINDS:
            latest_employment[key] = max(date, latest_employment.get(key, date))
        changed |= {n for n, old in status_before.items() if getattr(worker, n) != old}
    if new:
        worker.refresh_lookup_hashes()
        return RowOutcome(Outcome.CREATED)
    if not changed and not added:
        return RowOutcome(Outcome.UNCHANGED)
    if changed and worker.pk:
        if {"id_number", "phone"} & changed:
            worker.refresh_lookup_hashes()
            changed |= {"id_number_hash", "phone_hash"}
        batch.to_update[worker.pk] = worker
        batch.updated_fields |= changed
    elif not worker.pk:
        worker.refresh_lookup_hashes()
    return RowOutcome(Outcome.UPDATED)


_STATUS_FIELDS = ("movement_status", "movement_date", "employment_status")
