from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chunnuan.access.permissions import Perm
from chunnuan.audit import selectors
from chunnuan.audit.forms import AuditFilterForm
from chunnuan.core.pagination import paginate
from chunnuan.core.web import page


@page(Perm.VIEW_AUDIT)
def event_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = AuditFilterForm(request.GET or None, actor=actor)
    events = selectors.audit_event_list(actor=actor, filters=form.filters())
    return render(
        request,
        "audit/event_list.html",
        {
            "page": paginate(events.select_related("actor_user"), request.GET.get("page")),
            "form": form,
        },
    )
