"""Region pages: list (with CSV export), detail, add a functional unit, retire, and the picker partial."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chunnuan.access.actor import Actor
from chunnuan.access.exports import export_require
from chunnuan.access.pages import PageRule, declare
from chunnuan.access.permissions import Perm
from chunnuan.core.errors import NotFound, ValidationFailed
from chunnuan.core.errors import PermissionDenied as DomainPermissionDenied
from chunnuan.core.htmx import render_page
from chunnuan.core.pagination import paginate
from chunnuan.regions import selectors
from chunnuan.regions.forms import (
    PICK_SUFFIX,
    PICKER_TEMPLATE,
    RegionFilterForm,
    RegionRetireForm,
    RegionUnitForm,
    picker_context,
)
from chunnuan.regions.models import UNIT_KINDS, Region, RegionLevel
from chunnuan.regions.selectors import jurisdiction_regions, region_ancestors, region_children, region_get
from chunnuan.regions.services import DATA_SOURCE, MANUAL_SOURCE
from chunnuan.regions.services import region_add_unit as add_unit_service
from chunnuan.regions.services import region_retire as retire_service
from chunnuan.regions.types import RegionFilter, RegionUnitIn

View = Callable[..., HttpResponseBase]
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
CSV_HEADER = ["区划代码", "名称", "简称", "级别", "类型", "上级代码", "上级名称", "启用日期", "停用日期"]


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def domain_view(perm: Perm | None = Perm.VIEW_REGIONS) -> Callable[[View], View]:
    """Login required, the permission checked, and DomainErrors turned into 404/403 pages."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                if perm is not None:
                    _actor(request).require(perm)
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc

        declare(wrapper, PageRule(perm=str(perm) if perm else None))
        return wrapper

    return decorate


def _can_add_unit(actor: Actor, region: Region) -> bool:
    if not actor.can(Perm.MANAGE_REGIONS) or not actor.covers(region.code):
        return False
    if region.level == RegionLevel.CITY:
        return True
    if region.level == RegionLevel.PROVINCE:
        return region.kind == "municipality"
    return region.level == RegionLevel.COUNTY


@require_GET
@domain_view()
def region_list(request: HttpRequest) -> HttpResponseBase:
    actor = _actor(request)
    form = RegionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = RegionFilter(
        q=data.get("q") or "",
        level=data.get("level"),
        kind=data.get("kind") or "",
        parent=data.get("parent") or "",
    )
    regions = selectors.region_list(actor=actor, filters=filters)
    if request.GET.get("format") == "csv":
        export_require(actor)
        return _csv_response(regions)
    parent = None
    if filters.parent:
        try:
            parent = region_get(code=filters.parent)
        except NotFound:
            parent = None
    context = {
        "form": form,
        "page": paginate(regions, request.GET.get("page")),
        "jurisdiction": jurisdiction_regions(actor),
        "parent": parent,
        "parent_path": region_ancestors(parent) if parent else [],
        "csv_query": _query_with(request, format="csv"),
    }
    return render_page(
        request, "regions/region_list.html", context, partial="regions/partials/_region_table.html"
    )


def _query_with(request: HttpRequest, **params: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


def _csv_response(regions: Any) -> StreamingHttpResponse:
    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(CSV_HEADER)
        for r in regions.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    r.code,
                    r.name,
                    r.short_name,
                    r.get_level_display(),
                    r.get_kind_display(),
                    r.parent.code if r.parent_id else "",
                    r.parent.name if r.parent_id else "",
                    r.valid_from or "",
                    r.valid_to or "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="regions.csv"'
    return response


# Where a region's row came from, as a reader names it (the stored ``source`` is the loader's tag),
# and the attribution the data's licence requires (CC BY 4.0 for the township-level data).
_SOURCES = {
    DATA_SOURCE: (
        gettext_lazy("民政部中国·国家地名信息库（2026年9月11日数据）"),
        gettext_lazy("乡级区划数据 © real-china-division 贡献者，依 CC BY 4.0 许可使用"),
    ),
    MANUAL_SOURCE: (gettext_lazy("本系统手工维护（功能区）"), ""),
}
_TOOL_TAG = re.compile(r"\s*[（(][A-Za-z0-9_.\- ]+[)）]\s*$")


def source_text(source: str) -> tuple[str, str]:
    """``(sentence, attribution)`` for a region's stored source; a loader's package tag is dropped."""
    if source in _SOURCES:
        sentence, attribution = _SOURCES[source]
        return str(sentence), str(attribution)
    return _TOOL_TAG.sub("", source), ""


@require_GET
@domain_view()
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    region = region_get(code=code)
    source, attribution = source_text(region.source)
    can_manage = actor.can(Perm.MANAGE_REGIONS) and actor.covers(region.code)
    context = {
        "region": region,
        "path": region_ancestors(region),
        "children": list(region_children(code=region.code)),
        "can_add_unit": _can_add_unit(actor, region),
        "can_retire": can_manage and region.scope_prefix not in actor.region_prefixes,
        "is_unit": region.kind in UNIT_KINDS,
        "retire_form": RegionRetireForm(),
        "source": source,
        "attribution": attribution,
    }
    return render_page(request, "regions/region_detail.html", context)


@require_http_methods(["GET", "POST"])
@domain_view(Perm.MANAGE_REGIONS)
def region_add_unit(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    parent = region_get(code=code)
    if not _can_add_unit(actor, parent):
        if not actor.covers(parent.code):
            raise NotFound()
        raise Http404(_("只能在地级市（直辖市）或县级区划之下添加功能区"))
    form = RegionUnitForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = RegionUnitIn(parent_code=parent.code, **form.cleaned_data)
        try:
            unit = add_unit_service(actor=actor, data=data)
        except ValidationFailed as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已添加：%(name)s") % {"name": unit.name})
            return redirect("regions:region_detail", code=unit.code)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "parent": parent, "path": region_ancestors(parent)}
    return render_page(request, "regions/region_add_unit.html", context, status=status)


def _add_errors(form: Any, exc: ValidationFailed) -> None:
    if not exc.fields:
        form.add_error(None, exc.message)
    for name, errors in exc.fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


@require_POST
@domain_view(Perm.MANAGE_REGIONS)
def region_retire(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    region = region_get(code=code)
    form = RegionRetireForm(request.POST)
    if form.is_valid():
        try:
            retire_service(actor=actor, code=region.code, valid_to=form.cleaned_data["valid_to"])
        except ValidationFailed as exc:
            messages.error(request, exc.message)
            return redirect("regions:region_detail", code=region.code)
        messages.success(request, _("已停用：%(name)s") % {"name": region.name})
        if region.parent is not None:
            return redirect("regions:region_detail", code=region.parent.code)
        return redirect("regions:region_list")
    messages.error(request, _("请填写有效的停用日期"))
    return redirect("regions:region_detail", code=region.code)


@require_GET
@domain_view(perm=None)
def region_picker(request: HttpRequest) -> HttpResponse:
    """The picker partial (htmx). Any signed-in user may use it: division names are public.
    ``root`` (one or more codes, comma-separated) must lie within the actor's jurisdiction."""
    actor = _actor(request)
    name = request.GET.get("name", "region")
    if not _FIELD_NAME.match(name):
        raise Http404()
    try:
        max_level = int(request.GET.get("max_level", RegionLevel.TOWNSHIP))
    except ValueError:
        max_level = RegionLevel.TOWNSHIP
    max_level = min(max(max_level, RegionLevel.PROVINCE), RegionLevel.VILLAGE)
    roots: list[Region] = []
    for code in filter(None, request.GET.get("root", "").split(",")[:20]):
        root = region_get(code=code.strip())
        if not actor.covers(root.code):
            raise NotFound()
        roots.append(root)
    picks = request.GET.getlist(name + PICK_SUFFIX)
    value = picks[-1] if picks else request.GET.get("value", "")
    context = picker_context(
        name=name,
        value=(value or "").strip(),
        roots=roots,
        max_level=max_level,
        html_id=request.GET.get("id", "") if _FIELD_NAME.match(request.GET.get("id", "")) else "",
    )
    return render_page(request, PICKER_TEMPLATE, context)
