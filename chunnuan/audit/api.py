from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from chunnuan.audit import selectors
from chunnuan.audit.labels import EventView, present_events
from chunnuan.core.pagination import paginate
from chunnuan.core.schemas import API_ERRORS, Day, PageOut, PageQuery, RegionCode

router = Router()


class ChangeOut(Schema):
    field: str
    label: str
    old: str | None
    new: str


class AuditEventOut(Schema):
    """The stored codes (``action``, ``object_type``, ``changes`` …) and, beside them, what a person
    reads (``*_label``, ``person``, ``region_name``, ``change_list``)."""

    id: int
    created_at: dt.datetime
    actor_label: str
    person: str
    ip: str | None
    action: str
    action_label: str
    object_type: str
    object_type_label: str
    object_id: str
    object_repr: str
    object_label: str
    region_code: str
    region_name: str
    changes: dict[str, Any]
    change_list: list[ChangeOut]
    note: str

    @classmethod
    def of(cls, row: EventView) -> AuditEventOut:
        e = row.event
        return cls(
            id=e.pk,
            created_at=e.created_at,
            actor_label=e.actor_label,
            person=row.person,
            ip=e.ip,
            action=e.action,
            action_label=row.action,
            object_type=e.object_type,
            object_type_label=row.record_type,
            object_id=e.object_id,
            object_repr=e.object_repr,
            object_label=row.record,
            region_code=e.region_code,
            region_name=row.region,
            changes=e.changes,
            change_list=[ChangeOut(field=c.key, label=c.label, old=c.old, new=c.new) for c in row.changes],
            note=e.note,
        )


class AuditFilter(Schema):
    person: str = ""
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    region: RegionCode = ""
    date_from: Day | None = None
    date_to: Day | None = None


@router.get("/events", response={200: PageOut[AuditEventOut], **API_ERRORS}, summary="审计日志（只读）")
def list_events(request: HttpRequest, filters: Query[AuditFilter], page: Query[PageQuery]) -> Any:
    values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in filters.dict().items()}
    actor = request.auth  # type: ignore[attr-defined]
    events = selectors.audit_event_list(actor=actor, filters=values)
    found = paginate(events, page.page, per_page=page.page_size)
    return {
        "items": [AuditEventOut.of(row) for row in present_events(found.object_list, actor=actor)],
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
    }
