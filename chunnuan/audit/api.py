from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from chunnuan.audit import selectors
from chunnuan.core.schemas import API_ERRORS, PageOut, PageQuery, paged

router = Router()


class AuditEventOut(Schema):
    id: int
    created_at: dt.datetime
    actor_label: str
    ip: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    region_code: str
    changes: dict[str, Any]
    note: str


class AuditFilter(Schema):
    person: str = ""
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    region: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/events", response={200: PageOut[AuditEventOut], **API_ERRORS}, summary="审计日志（只读）")
def list_events(request: HttpRequest, filters: Query[AuditFilter], page: Query[PageQuery]) -> Any:
    values = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in filters.dict().items()}
    events = selectors.audit_event_list(actor=request.auth, filters=values)  # type: ignore[attr-defined]
    return paged(events, page, lambda e: AuditEventOut.from_orm(e))
