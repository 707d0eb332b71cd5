from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.exports import export_require, export_reveal
from chunnuan.access.permissions import Perm
from chunnuan.access.personal import masked, may_reveal, personal_reveal
from chunnuan.core.errors import DomainError
from chunnuan.core.htmx import render_page
from chunnuan.core.searches import search_params, search_redirect
from chunnuan.core.spreadsheets import export_response, xlsx_response
from chunnuan.core.versioning import StaleVersion
from chunnuan.core.web import add_domain_error, page
from chunnuan.workers import selectors, services
from chunnuan.workers.choices import HELP_GROUPS, NEEDS
from chunnuan.workers.forms import (
    DynamicLedgerForm,
    WorkerEventForm,
    WorkerFilterForm,
    WorkerForm,
    WorkerSelfForm,
)
from chunnuan.workers.models import Worker
from chunnuan.workers.spreadsheets import EXPORT_HEADER, export_rows, import_template

EXPORT_FORMATS = ("xlsx", "csv")
INSURANCE = {
    "has_pension_insurance": "养老保险",
    "has_medical_insurance": "医疗保险",
    "has_injury_insurance": "工伤保险",
}


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def _export_rows(workers: Any, *, reveal: bool) -> Iterator[list[Any]]:
    """Stream the export in chunks, naming each chunk's regions with one query."""
    iterator = workers.iterator(chunk_size=2000)
    while chunk := list(islice(iterator, 2000)):
        yield from export_rows(chunk, names=selectors.worker_region_names(chunk), reveal=reveal)


def _export(
    request: HttpRequest, workers: Any, stem: str, title: str, params: QueryDict | None = None
) -> HttpResponseBase:
    """``?export=xlsx|csv``: for roles that may export; masked, unless ``&full=1`` asks for whole ID
    and phone numbers and the role may see them — then audited (``chunnuan.access.exports``)."""
    params = request.GET if params is None else params
    reveal = export_reveal(
        actor=_actor(request),
        asked=params.get("full") == "1",
        what=title,
        object_type="workers.Worker",
        params=params.urlencode(),
    )
    rows = _export_rows(workers, reveal=reveal)
    return export_response(str(params.get("export")), stem, title[:31], EXPORT_HEADER, rows, title=title)


# The ledger's filter form posts: a search holding a number is kept out of the URL (core.searches).
SEARCHES_KEY = "worker_searches"


@page(Perm.VIEW_WORKERS)
def worker_list(request: HttpRequest) -> HttpResponseBase:
    if request.method == "POST":
        return search_redirect(request, SEARCHES_KEY)
    actor = _actor(request)
    params = search_params(request, SEARCHES_KEY)
    form = WorkerFilterForm(params or None, actor=actor)
    workers = selectors.worker_list(actor=actor, filters=form.worker_filters())
    if params.get("export") in EXPORT_FORMATS:
        return _export(request, workers, "workers", "农民工实名制台帐", params)
    page_obj = selectors.worker_page(workers, params.get("page"))
    names = selectors.worker_region_names(page_obj)
    items = [
        {
            "worker": w,
            "id_number": masked(w, "id_number"),
            "phone": masked(w, "phone"),
            "origin": names.get(w.origin_region_code, w.origin_region_code),
            "work": names.get(w.work_region_code, w.work_region_code),
        }
        for w in page_obj
    ]
    context = {
        "page": page_obj,
        "items": items,
        "form": form,
        "capped": page_obj.paginator.is_capped,  # type: ignore[attr-defined]
        "cap": selectors.COUNT_CAP,
        "may_manage": actor.can(Perm.MANAGE_WORKERS),
        "may_export_full": actor.can(Perm.VIEW_PERSONAL_DATA),
        # On a phone the filters fold behind one "筛选" control, unfolded while any is set.
        "filters_active": len({k for k, v in params.items() if v and k not in ("page", "export", "s")}),
    }
    return render(request, "workers/worker_list.html", context)


def _detail_context(request: HttpRequest, worker: Worker) -> dict[str, Any]:
    actor = _actor(request)
    names = selectors.worker_region_names([worker])
    return {
        "worker": worker,
        "id_number": masked(worker, "id_number"),
        "phone": masked(worker, "phone"),
        "may_reveal": may_reveal(actor, worker),
        "origin": names.get(worker.origin_region_code, ""),
        "work": names.get(worker.work_region_code, ""),
        "groups": [label for name, label in HELP_GROUPS.items() if getattr(worker, name)],
        "needs": [label for name, label in NEEDS.items() if getattr(worker, name)],
        "insurance": [label for name, label in INSURANCE.items() if getattr(worker, name)],
        "timeline": selectors.worker_timeline(actor=actor, worker=worker),
        "may_manage": actor.can(Perm.MANAGE_WORKERS),
    }


@page(Perm.VIEW_WORKERS)
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get(actor=_actor(request), pk=pk)
    context = _detail_context(request, worker)
    context["event_form"] = WorkerEventForm()
    return render(request, "workers/worker_detail.html", context)


@page(Perm.MANAGE_WORKERS)
@require_POST
def worker_event_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a timeline entry; an htmx request gets the timeline section back, others a redirect."""
    actor = _actor(request)
    worker = selectors.worker_get(actor=actor, pk=pk)
    form = WorkerEventForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.worker_event_add(actor=actor, worker_id=worker.pk, data=form.event_in())
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 400
        else:
            if not getattr(request, "htmx", False):
                messages.success(request, _("已记录动态"))
                return redirect("workers:worker_detail", pk=worker.pk)
            form = WorkerEventForm()
            worker = selectors.worker_get(actor=actor, pk=pk)
    else:
        status = 400
    # htmx: the timeline, and the statuses an event may have changed, swapped out of band.
    is_htmx = bool(getattr(request, "htmx", False))
    context = {**_detail_context(request, worker), "event_form": form, "status_oob": is_htmx}
    return render_page(
        request,
        "workers/worker_detail.html",
        context,
        partial="workers/partials/_timeline.html",
        status=status,
    )


@page(Perm.MANAGE_WORKERS)
def worker_create(request: HttpRequest) -> HttpResponse:
    """登记. An ID number already in the ledger opens a comparison (stored vs typed, field by field):
    the officer opens the existing record or applies the ticked changes (``apply_changes``)."""
    actor = _actor(request)
    # 户籍地 starts at the officer's own region, pre-selected down to their level.
    form = WorkerForm(request.POST or None, actor=actor, initial={"origin_region": actor.home_region_code})
    comparison = None
    if request.method == "POST" and form.is_valid():
        # "更新所选项" with nothing ticked (or Enter pressed in a field) shows the comparison again.
        update = request.POST.get("apply_changes") == "1" and bool(request.POST.getlist("apply"))
        try:
            worker = services.worker_register(
                actor=actor,
                data=form.worker_in(),
                update_existing=update,
                chosen=request.POST.getlist("apply") if update else None,
            )
        except services.AlreadyRegistered as exc:
            comparison = {"worker_id": exc.worker_id, "differences": exc.differences, "message": exc.message}
        except DomainError as exc:
            add_domain_error(form, exc)
        except ValueError as exc:  # pydantic: lengths and patterns the form did not already check
            form.add_error(None, str(exc))
        else:
            done = _("已更新 %(name)s 的所选项") if update else _("已保存 %(name)s")
            messages.success(request, done % {"name": worker.name})
            return redirect("workers:worker_detail", pk=worker.pk)
    status = 409 if comparison else 400 if form.errors else 200
    context = {"form": form, "comparison": comparison}
    return render(request, "workers/worker_form.html", context, status=status)


@page(Perm.MANAGE_WORKERS)
def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改: the whole record; a field emptied here is cleared (the one place clearing happens). The ID
    number and phone are shown masked (empty = keep). A save made on an older version than the stored
    one is refused: the page shows what is stored now beside what was typed (typed values kept), and
    carries the current version, so that saving again is a deliberate choice."""
    actor = _actor(request)
    worker = selectors.worker_get(actor=actor, pk=pk)
    form = WorkerForm(
        request.POST or None, initial=WorkerForm.initial_of(worker), actor=actor, editing=worker
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.worker_update(
                actor=actor,
                pk=worker.pk,
                data=form.worker_in(whole_record=True),
                expected_version=form.typed_version(),
            )
        except StaleVersion as exc:
            stale = {"message": exc.message, "differences": exc.differences}
            worker = selectors.worker_get(actor=actor, pk=pk)
            typed = request.POST.copy()
            typed["version"] = str(exc.current)
            form = WorkerForm(typed, initial=WorkerForm.initial_of(worker), actor=actor, editing=worker)
            form.is_valid()
        except DomainError as exc:
            add_domain_error(form, exc)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存 %(name)s") % {"name": saved.name})
            return redirect("workers:worker_detail", pk=saved.pk)
    context = {
        "form": form,
        "target": worker,
        "stale": stale,
        "id_number": masked(worker, "id_number"),
        "phone": masked(worker, "phone"),
    }
    status = 409 if stale else 400 if form.errors else 200
    return render(request, "workers/worker_form.html", context, status=status)


@page(Perm.MANAGE_WORKERS)
def import_template_download(request: HttpRequest) -> HttpResponse:
    """导入模板: the header row and one synthetic example row."""
    response = HttpResponse(
        import_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('实名制台帐导入模板.xlsx')}"
    return response


@page(Perm.VIEW_WORKERS)
def ledger_dynamic(request: HttpRequest) -> HttpResponseBase:
    """动态就业服务台帐: returnees of a period with needs, counted by township, and the list."""
    actor = _actor(request)
    form = DynamicLedgerForm(request.GET or None, actor=actor)
    filters = form.ledger_filters()
    try:
        workers = selectors.dynamic_ledger(actor=actor, filters=filters)
        counts = selectors.dynamic_ledger_counts(actor=actor, filters=filters)
    except DomainError as exc:
        add_domain_error(form, exc)
        workers = selectors.dynamic_ledger(actor=actor)
        counts = selectors.dynamic_ledger_counts(actor=actor)
    export = request.GET.get("export")
    if export == "counts":
        export_require(actor)
        header = ["乡镇（街道）", "区划代码", "返乡有需求人数", "就业需求", "培训需求", "创业需求"]
        rows = ([c.name, c.code, c.total, c.employment, c.training, c.entrepreneurship] for c in counts)
        return xlsx_response(
            "动态就业服务台帐汇总.xlsx", "汇总", header, rows, title="动态就业服务台帐（按乡镇汇总）"
        )
    if export in EXPORT_FORMATS:
        return _export(request, workers, "dynamic_ledger", "动态就业服务台帐")
    page_obj = selectors.worker_page(workers, request.GET.get("page"))
    names = selectors.worker_region_names(page_obj)
    items = [
        {
            "worker": w,
            "phone": masked(w, "phone"),
            "origin": names.get(w.origin_region_code, w.origin_region_code),
        }
        for w in page_obj
    ]
    chart = {
        "labels": [c.name for c in counts],
        "series": [
            {"name": _("就业需求"), "data": [c.employment for c in counts]},
            {"name": _("培训需求"), "data": [c.training for c in counts]},
            {"name": _("创业需求"), "data": [c.entrepreneurship for c in counts]},
        ],
    }
    context = {
        "form": form,
        "counts": counts,
        "total": sum(c.total for c in counts),
        "chart": chart,
        "page": page_obj,
        "items": items,
        "may_export_full": actor.can(Perm.VIEW_PERSONAL_DATA),
    }
    return render(request, "workers/ledger_dynamic.html", context)


@page()
@require_POST
def worker_reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """The "显示" button: the whole ID or phone number, written to the audit log each time.

    htmx gets the value alone (swapped in place); without JavaScript the form posts here and gets the
    record's page back with the value shown — the officer's page, or the worker's own page."""
    actor = _actor(request)
    worker = selectors.worker_get(actor=actor, pk=pk)
    value = personal_reveal(actor=actor, obj=worker, field_name=field)
    if getattr(request, "htmx", False):
        response = render(request, "partials/_revealed.html", {"value": value})
    else:
        context = {**_detail_context(request, worker), "revealed": {field: value}}
        own = actor.worker_id is not None and actor.worker_id == worker.pk
        if not own:
            context["event_form"] = WorkerEventForm()
        response = render(request, "workers/my_record.html" if own else "workers/worker_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@page(Perm.SELF_SERVICE, kinds=frozenset({ActorKind.WORKER}))  # an administrator is no worker
def my_record(request: HttpRequest) -> HttpResponse:
    worker = selectors.worker_self(actor=_actor(request))
    return render(request, "workers/my_record.html", _detail_context(request, worker))


@page(Perm.SELF_SERVICE, kinds=frozenset({ActorKind.WORKER}))
def my_record_edit(request: HttpRequest) -> HttpResponse:
    """我的信息：修改 — the worker's own phone, job intention and needs, through the ledger's service."""
    actor = _actor(request)
    worker = selectors.worker_self(actor=actor)
    form = WorkerSelfForm(request.POST or None, initial=WorkerSelfForm.initial_of(worker))
    if request.method == "POST" and form.is_valid():
        try:
            services.worker_self_update(actor=actor, data=form.self_in())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("workers:my_record")
    context = {"form": form, "worker": worker, "phone": masked(worker, "phone")}
    return render(request, "workers/my_record_edit.html", context, status=400 if form.errors else 200)
