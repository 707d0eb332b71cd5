from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chunnuan.access.permissions import Perm
from chunnuan.audit import selectors
from chunnuan.audit.models import AuditAction
from chunnuan.core.errors import ValidationFailed
from chunnuan.core.pagination import paginate
from chunnuan.core.web import page


@page(Perm.VIEW_AUDIT)
def event_list(request: HttpRequest) -> HttpResponse:
    filters = request.GET.dict()
    try:
        events = selectors.audit_event_list(actor=request.actor, filters=filters)  # type: ignore[attr-defined]
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        events = selectors.audit_event_list(actor=request.actor, filters={})  # type: ignore[attr-defined]
    return render(
        request,
        "audit/event_list.html",
        {
            "page": paginate(events.select_related("actor_user"), request.GET.get("page")),
            "filters": filters,
            "actions": AuditAction.choices,
        },
    )
