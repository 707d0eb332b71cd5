from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from chunnuan.access.permissions import Perm
from chunnuan.core.pagination import paginate
from chunnuan.core.spreadsheets import csv_response
from chunnuan.core.web import page
from chunnuan.employers import selectors
from chunnuan.employers.forms import EmployerFilterForm
from chunnuan.regions.lookups import region_names


@page(Perm.VIEW_EMPLOYERS)
def employer_list(request: HttpRequest) -> HttpResponseBase:
    actor = request.actor  # type: ignore[attr-defined]
    form = EmployerFilterForm(request.GET or None, actor=actor)
    employers = selectors.employer_list(actor=actor, filters=form.filters())
    if request.GET.get("export") == "csv":
        rows = ([e.credit_code, e.name, e.region_code] for e in employers.iterator())
        return csv_response("employers.csv", ["统一社会信用代码", "单位名称", "所在地区划代码"], rows)
    page_obj = paginate(employers, request.GET.get("page"))
    names = region_names(e.region_code for e in page_obj)
    return render(request, "employers/employer_list.html", {"page": page_obj, "form": form, "names": names})


@page(Perm.VIEW_EMPLOYERS)
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = selectors.employer_get(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    names = region_names([employer.region_code])
    return render(
        request,
        "employers/employer_detail.html",
        {"employer": employer, "region_name": names.get(employer.region_code, "")},
    )
