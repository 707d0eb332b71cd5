from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chunnuan.access.actor import ActorKind
from chunnuan.access.personal import masked
from chunnuan.core.web import page
from chunnuan.dashboards import selectors
from chunnuan.employers.selectors import employer_get
from chunnuan.regions.lookups import region_names
from chunnuan.workers.selectors import worker_self


@page()
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    context: dict[str, object] = {"abilities": selectors.actor_abilities(actor=actor)}
    if actor.kind is ActorKind.WORKER:
        worker = worker_self(actor=actor)
        names = region_names([worker.origin_region_code, worker.work_region_code])
        context.update(
            worker=worker,
            id_number=masked(worker, "id_number"),
            phone=masked(worker, "phone"),
            origin=names.get(worker.origin_region_code, ""),
            work=names.get(worker.work_region_code, ""),
        )
        return render(request, "dashboards/home_worker.html", context)
    if actor.kind is ActorKind.EMPLOYER:
        context["employer"] = employer_get(actor=actor, pk=actor.employer_id) if actor.employer_id else None
        return render(request, "dashboards/home_employer.html", context)
    context["summaries"] = selectors.home_overview(actor=actor)
    return render(request, "dashboards/home_officer.html", context)
