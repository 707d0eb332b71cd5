from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_POST

from chunnuan.access.permissions import Perm
from chunnuan.access.personal import masked, may_reveal, personal_reveal
from chunnuan.core.pagination import paginate
from chunnuan.core.spreadsheets import csv_response
from chunnuan.core.web import page
from chunnuan.regions.lookups import region_names
from chunnuan.workers import selectors
from chunnuan.workers.forms import WorkerFilterForm
from chunnuan.workers.models import Worker


@page(Perm.VIEW_WORKERS)
def worker_list(request: HttpRequest) -> HttpResponseBase:
    actor = request.actor  # type: ignore[attr-defined]
    form = WorkerFilterForm(request.GET or None, actor=actor)
    workers = selectors.worker_list(actor=actor, filters=form.filters())
    if request.GET.get("export") == "csv":
        rows = (
            [
                w.name,
                w.get_sex_display(),
                w.birth_date,
                masked(w, "id_number"),
                masked(w, "phone"),
                w.origin_region_code,
                w.work_region_code,
            ]
            for w in workers.iterator()
        )
        return csv_response(
            "workers.csv",
            ["姓名", "性别", "出生日期", "身份证号码", "联系电话", "户籍地区划代码", "务工地区划代码"],
            rows,
        )
    page_obj = paginate(workers, request.GET.get("page"))
    names = region_names({c for w in page_obj for c in (w.origin_region_code, w.work_region_code)})
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
    return render(request, "workers/worker_list.html", {"page": page_obj, "items": items, "form": form})


def _detail(request: HttpRequest, worker: Worker, template: str) -> HttpResponse:
    names = region_names({worker.origin_region_code, worker.work_region_code})
    actor = request.actor  # type: ignore[attr-defined]
    context = {
        "worker": worker,
        "id_number": masked(worker, "id_number"),
        "phone": masked(worker, "phone"),
        "may_reveal": may_reveal(actor, worker),
        "origin": names.get(worker.origin_region_code, ""),
        "work": names.get(worker.work_region_code, ""),
    }
    return render(request, template, context)


@page(Perm.VIEW_WORKERS)
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.worker_get(actor=request.actor, pk=pk), "workers/worker_detail.html")  # type: ignore[attr-defined]


@page()
@require_POST
def worker_reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """The "显示" button: the whole ID or phone number, written to the audit log."""
    actor = request.actor  # type: ignore[attr-defined]
    worker = selectors.worker_get(actor=actor, pk=pk)
    value = personal_reveal(actor=actor, obj=worker, field_name=field)
    return render(request, "partials/_revealed.html", {"value": value})


@page(Perm.SELF_SERVICE)
def my_record(request: HttpRequest) -> HttpResponse:
    return _detail(request, selectors.worker_self(actor=request.actor), "workers/my_record.html")  # type: ignore[attr-defined]
