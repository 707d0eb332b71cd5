from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from chunnuan.access.permissions import Perm
from chunnuan.audit import selectors
from chunnuan.audit.forms import AuditFilterForm
from chunnuan.audit.labels import present_events
from chunnuan.core.errors import NotFound
from chunnuan.core.pagination import paginate
from chunnuan.core.web import page


@page(Perm.VIEW_AUDIT)
def event_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = AuditFilterForm(request.GET or None, actor=actor)
    events = selectors.audit_event_list(actor=actor, filters=form.filters())
    events_page = paginate(events, request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"page": events_page, "rows": present_events(events_page.object_list, actor=actor), "form": form},
    )


@page(Perm.VIEW_AUDIT)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    try:
        event = selectors.audit_event_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "audit/event_detail.html", {"row": present_events([event], actor=actor)[0]})
