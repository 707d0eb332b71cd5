"""Who is late (报送进度)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from chunnuan.access.exports import export_require
from chunnuan.access.permissions import Perm
from chunnuan.core.errors import DomainError, NotFound, ValidationFailed
from chunnuan.core.pagination import paginate
from chunnuan.core.spreadsheets import export_response
from chunnuan.core.web import add_domain_error, page
from chunnuan.regions.lookups import region_names
from chunnuan.regions.selectors import jurisdiction_regions
from chunnuan.reporting import selectors
from chunnuan.reporting.definitions import UNIT_LEVEL_LABELS, all_forms, get_form
from chunnuan.reporting.forms import StatusBoardForm
from chunnuan.reporting.periods import local_today
from chunnuan.reporting.views.common import _actor, _export_format, _fill_url, _status_label

STATUS_HEADER = ["填报单位", "所在地", "状态", "上报时间", "截止日期", "逾期天数"]


@page(Perm.VIEW_DASHBOARDS)
def status_board(request: HttpRequest) -> HttpResponseBase:
    actor = _actor(request)
    if _export_format(request):  # refused before any work, whatever else is missing
        export_require(actor)
    report_forms = all_forms()
    form_code = request.GET.get("form") or report_forms[0].code
    try:
        report_form = get_form(form_code)
    except ValidationFailed:
        report_form = report_forms[0]
    periods = selectors.form_periods(actor=actor, form=report_form)
    period_choices = [(p.key, p.label) for p, _c in periods]
    mine = jurisdiction_regions(actor)
    data = request.GET.copy()
    if "form" not in data:
        data["form"] = report_form.code
    if not data.get("region") and not data.get("region__pick") and mine:
        data["region"] = mine[0].code
    if not data.get("period") and period_choices:
        data["period"] = _current_period_key(periods)
    form = StatusBoardForm(data, actor=actor, report_forms=report_forms, periods=period_choices)
    context: dict[str, Any] = {"form": form, "board": None, "report_form": report_form}
    if not actor.is_region_actor:
        context["notice"] = _("报送进度由各级人社部门查看；用人单位请在“报表填报”中查看本单位的报表。")
        return render(request, "reporting/status_board.html", context)
    filters = form.filters()
    if form.errors:  # e.g. a region out of reach: say so, never fall back silently
        return render(request, "reporting/status_board.html", context, status=400)
    period_key = filters.get("period", "")
    region_code = filters.get("region", "") or (mine[0].code if mine else "")
    if not (period_key and region_code):
        context["notice"] = _("请选择报表、报表期间和地区")
        return render(request, "reporting/status_board.html", context)
    try:
        period, campaign = selectors.resolve_period(actor=actor, form=report_form, key=period_key)
        board = selectors.status_board(
            actor=actor, form=report_form, period=period, campaign=campaign, region_code=region_code
        )
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        add_domain_error(form, exc)
        return render(request, "reporting/status_board.html", context, status=400)
    rows = board.late if filters.get("only_late") else board.rows
    if q := filters.get("q", ""):
        rows = [r for r in rows if q in r.unit.name]
    names = region_names({r.unit.region_code for r in rows})
    if fmt := _export_format(request):
        out = (
            [
                r.unit.name,
                names.get(r.unit.region_code, r.unit.region_code),
                _status_label(r.status),
                r.submission.submitted_at.strftime("%Y-%m-%d %H:%M")
                if r.submission and r.submission.submitted_at
                else "",
                r.deadline,
                r.days_late,
            ]
            for r in rows
        )
        title = f"{report_form.short_name} {period.label} 报送进度"
        return export_response(fmt, "report_status", "报送进度", STATUS_HEADER, out, title=title)
    page_obj = paginate(rows, request.GET.get("page"))
    may_fill_for = actor.can(Perm.FILL_REPORTS)
    items = [
        {
            "row": r,
            "region": names.get(r.unit.region_code, r.unit.region_code),
            "status": _status_label(r.status),
            "url": reverse("reporting:submission_detail", args=[r.submission.pk]) if r.submission else "",
            "fill_url": _fill_url(
                report_form, period.key, region=r.unit.region_code, employer=r.unit.employer_id
            )
            if may_fill_for and r.submission is None
            else "",
        }
        for r in page_obj
    ]
    chart_id = "status-chart-data"
    chart = {
        "labels": [g.name for g in board.by_region],
        "series": [
            {"name": _("上报率（%）"), "data": [g.completeness or 0 for g in board.by_region]},
            {"name": _("按时上报率（%）"), "data": [g.on_time_rate or 0 for g in board.by_region]},
        ],
    }
    context.update(
        {
            "board": board,
            "period": period,
            "page": page_obj,
            "items": items,
            "chart": chart,
            "chart_id": chart_id,
            "level_label": UNIT_LEVEL_LABELS[board.level],
        }
    )
    return render(request, "reporting/status_board.html", context)


def _current_period_key(periods: list[Any]) -> str:
    today = local_today()
    for p, _c in periods:
        if p.start <= today <= p.end:
            return str(p.key)
    past = [p for p, _c in periods if p.end < today]
    return str((past[-1] if past else periods[0][0]).key)
