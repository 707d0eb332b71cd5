"""Reporting pages: campaigns, filling and approving submissions, who is late, my reports.

Thin: parse the request, call a selector or a service, render. Every DomainError is shown on the
page in Chinese (an out-of-reach record is a 404, a refused role a 403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.personal import masked
from chunnuan.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from chunnuan.core.pagination import paginate
from chunnuan.core.spreadsheets import export_response
from chunnuan.core.web import add_domain_error, page
from chunnuan.employers.selectors import section_choices
from chunnuan.regions.lookups import region_names
from chunnuan.regions.selectors import jurisdiction_regions
from chunnuan.reporting import selectors, services
from chunnuan.reporting.choices import Indicator, Segment, StageKind, SubmissionStatus
from chunnuan.reporting.definitions import (
    UNIT_LEVEL_LABELS,
    FieldKind,
    FormDef,
    UnitLevel,
    all_forms,
    get_form,
)
from chunnuan.reporting.forms import (
    CampaignEditForm,
    CampaignFilterForm,
    ReasonForm,
    StatusBoardForm,
    SubmissionFilterForm,
    SubmissionValuesForm,
    TargetForm,
)
from chunnuan.reporting.models import Campaign, Submission
from chunnuan.reporting.periods import local_today

STATUS_LABELS: dict[str, str] = {**{k: str(v) for k, v in SubmissionStatus.choices}, "missing": "未填报"}


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def _export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("export", "")
    return fmt if fmt in ("xlsx", "csv") else ""


def _status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def _fill_url(form: FormDef, period_key: str, *, region: str = "", employer: Any = None) -> str:
    query: dict[str, Any] = {"form": form.code, "period": period_key}
    if employer:
        query["employer"] = employer
    elif region:
        query["region"] = region
    return reverse("reporting:submission_open") + "?" + urlencode(query)


# ---------------------------------------------------------------------------------------------
# My reports
# ---------------------------------------------------------------------------------------------


@page()
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    selectors.require_report_reader(actor)
    expected = selectors.expected_reports(actor=actor, today=local_today())
    today = local_today()
    items = [
        {
            "e": e,
            "status": _status_label(e.status),
            "days_left": (e.deadline - today).days,
            "url": reverse("reporting:submission_detail", args=[e.submission.pk])
            if e.submission
            else _fill_url(e.form, e.period.key, region="" if e.unit.employer_id else e.unit.region_code),
        }
        for e in expected
    ]
    waiting = list(selectors.awaiting_approval(actor=actor)[:100])
    return render(request, "reporting/home.html", {"items": items, "waiting": waiting})


# ---------------------------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------------------------

CAMPAIGN_HEADER = ["行动代码", "行动名称", "发起地区", "开始日期", "结束日期", "重点行业门类"]


@page()
def campaign_list(request: HttpRequest) -> HttpResponseBase:
    actor = _actor(request)
    selectors.require_report_reader(actor)
    form = CampaignFilterForm(request.GET or None, actor=actor)
    filters = form.filters()
    try:
        campaigns = selectors.campaign_search(
            actor=actor, q=filters.get("q", ""), region_code=filters.get("region", "")
        )
    except ValidationFailed as exc:
        add_domain_error(form, exc)
        campaigns = selectors.campaign_search(actor=actor)
    if fmt := _export_format(request):
        names = region_names(campaigns.values_list("region_code", flat=True).distinct())
        rows = (
            [
                c.code,
                c.name,
                names.get(c.region_code, c.region_code),
                c.start_date,
                c.end_date,
                "、".join(c.focus_sections or []),
            ]
            for c in campaigns
        )
        return export_response(fmt, "campaigns", "专项行动", CAMPAIGN_HEADER, rows, title="专项行动")
    page_obj = paginate(campaigns, request.GET.get("page"))
    names = region_names(c.region_code for c in page_obj)
    items = [{"campaign": c, "region": names.get(c.region_code, c.region_code)} for c in page_obj]
    return render(
        request,
        "reporting/campaign_list.html",
        {"form": form, "page": page_obj, "items": items, "may_manage": actor.can(Perm.MANAGE_CAMPAIGNS)},
    )


def _campaign_form_page(
    request: HttpRequest, form: CampaignEditForm, title: str, campaign: Any = None
) -> HttpResponse:
    return render(
        request,
        "reporting/campaign_form.html",
        {"form": form, "title": title, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@page(Perm.MANAGE_CAMPAIGNS)
def campaign_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = CampaignEditForm(
        request.POST or None, actor=actor, sections=section_choices(), report_forms=all_forms()
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=actor, data=form.to_input(region_code=form.cleaned_data["region"].code)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已发布专项行动 %(name)s") % {"name": campaign.name})
            return redirect("reporting:campaign_detail", pk=campaign.pk)
    return _campaign_form_page(request, form, _("发布专项行动"))


@page(Perm.MANAGE_CAMPAIGNS)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    campaign = selectors.campaign_get(actor=actor, pk=pk)
    initial = CampaignEditForm.initial_for(
        campaign, selectors.campaign_stages(campaign), selectors.campaign_forms(campaign)
    )
    form = CampaignEditForm(
        request.POST or None,
        initial=initial,
        actor=actor,
        sections=section_choices(),
        report_forms=all_forms(),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                actor=actor,
                campaign=campaign,
                data=form.to_input(region_code=campaign.region_code, code=campaign.code),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("reporting:campaign_detail", pk=campaign.pk)
    return _campaign_form_page(request, form, _("修改专项行动"), campaign)


def _officer_region(actor: Actor, campaign: Campaign) -> str:
    """The region whose targets the detail page starts at: the officer's own (or the campaign's)."""
    own = [r.code for r in jurisdiction_regions(actor) if r.code.startswith(campaign.region_code.rstrip("0"))]
    return own[0] if own else campaign.region_code


def _campaign_detail_context(actor: Actor, campaign: Campaign, target_form: TargetForm) -> dict[str, Any]:
    period = selectors.campaign_period(campaign)
    forms_rows = []
    today = local_today()
    for cf in selectors.campaign_forms(campaign):
        try:
            form = get_form(cf.form_code)
        except ValidationFailed:
            continue
        periods = [p for p, c in selectors.form_periods(actor=actor, form=form) if c and c.pk == campaign.pk]
        shown = next((p for p in periods if p.start <= today <= p.end), periods[-1] if periods else period)
        deadlines = []
        for level in form.levels:
            try:
                when = selectors.deadline_for(form=form, period=shown, level=level, campaign=campaign)
            except ValidationFailed:
                when = None
            deadlines.append({"level": UNIT_LEVEL_LABELS[level], "deadline": when})
        forms_rows.append(
            {
                "form": form,
                "cf": cf,
                "period": shown,
                "periods": len(periods),
                "deadlines": deadlines,
                "status_url": reverse("reporting:status_board")
                + "?"
                + urlencode({"form": form.code, "period": shown.key}),
            }
        )
    region_code = _officer_region(actor, campaign)
    try:
        targets = selectors.campaign_target_table(actor=actor, campaign=campaign, region_code=region_code)
    except NotFound:
        targets = []
    indicator_labels = dict(Indicator.choices)
    segment_labels = dict(Segment.choices)
    target_rows = [
        {
            "region": t,
            "cells": [
                {
                    "cell": c,
                    "indicator": indicator_labels.get(c.indicator, c.indicator),
                    "segment": segment_labels.get(c.segment, c.segment),
                }
                for c in t.cells
            ],
        }
        for t in targets
    ]
    sections = dict(section_choices())
    stage_labels = dict(StageKind.choices)
    return {
        "campaign": campaign,
        "region_name": region_names([campaign.region_code]).get(campaign.region_code, campaign.region_code),
        "stages": [
            {"stage": s, "label": stage_labels.get(s.kind, s.kind)}
            for s in selectors.campaign_stages(campaign)
        ],
        "forms": forms_rows,
        "targets": target_rows,
        "focus": [sections.get(code, code) for code in campaign.focus_sections or []],
        "target_form": target_form,
        "may_manage": actor.can(Perm.MANAGE_CAMPAIGNS) and actor.is_region_actor,
    }


@page()
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    selectors.require_report_reader(actor)
    campaign = selectors.campaign_get(actor=actor, pk=pk)
    target_form = TargetForm(actor=actor, initial={"region": _officer_region(actor, campaign)})
    return render(
        request, "reporting/campaign_detail.html", _campaign_detail_context(actor, campaign, target_form)
    )


@page(Perm.MANAGE_CAMPAIGNS)
@require_POST
def target_set(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    campaign = selectors.campaign_get(actor=actor, pk=pk)
    form = TargetForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            services.target_set(actor=actor, campaign=campaign, data=form.to_input())
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存目标"))
            return redirect("reporting:campaign_detail", pk=campaign.pk)
    return render(
        request, "reporting/campaign_detail.html", _campaign_detail_context(actor, campaign, form), status=400
    )


@page(Perm.MANAGE_CAMPAIGNS)
@require_POST
def target_delete(request: HttpRequest, pk: int, target_id: int) -> HttpResponse:
    actor = _actor(request)
    campaign = selectors.campaign_get(actor=actor, pk=pk)
    target = selectors.target_get(actor=actor, campaign=campaign, pk=target_id)
    try:
        services.target_delete(actor=actor, target=target)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除本级设定，恢复继承上级目标"))
    return redirect("reporting:campaign_detail", pk=campaign.pk)


# ---------------------------------------------------------------------------------------------
# Submissions
# ---------------------------------------------------------------------------------------------


@page(Perm.FILL_REPORTS)
def submission_open(request: HttpRequest) -> HttpResponse:
    """``?form=CODE&period=KEY[&region=CODE|&employer=ID]``: open (create on first visit) and go."""
    actor = _actor(request)
    params = request.GET
    error = ""
    if params.get("form") and params.get("period"):
        try:
            sub = services.submission_open(
                actor=actor,
                form_code=params["form"],
                period_key=params["period"],
                region_code=params.get("region", ""),
                employer_id=params.get("employer") or None,
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("reporting:submission_detail", pk=sub.pk)
    elif params:
        error = _("请选择报表和报表期间")
    return render(
        request,
        "reporting/submission_open.html",
        {"error": error, "report_forms": all_forms(), "params": params},
        status=400 if error else 200,
    )


def _history(actor: Actor, sub: Submission) -> list[Any]:
    return list(selectors.submission_events(actor=actor, submission=sub))


def _detail_context(
    actor: Actor,
    sub: Submission,
    values_form: SubmissionValuesForm | None = None,
    reason_form: ReasonForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    form = get_form(sub.form_code)
    actions = selectors.submission_actions(actor=actor, submission=sub)
    editable_values = not form.is_summary
    if values_form is None:
        initial: dict[str, Any] = {"filler_name": sub.filler_name, "missing_note": sub.missing_note}
        for f in form.input_fields:
            initial[f.code] = sub.values.get(f.code)
            if f.kind is FieldKind.PREFILLED:
                initial[f"reason_{f.code}"] = (sub.corrections.get(f.code) or {}).get("reason", "")
        values_form = SubmissionValuesForm(initial=initial, report_form=form, editable_values=editable_values)
    groups: list[dict[str, Any]] = []
    for f in form.fields:
        row = {
            "field": f,
            "unit": "%" if f.is_rate else f.unit,
            "value": sub.values.get(f.code),
            "proposed": sub.proposed.get(f.code),
            "correction": sub.corrections.get(f.code),
            "input": values_form[f.code] if f.code in values_form.fields else None,
            "reason": values_form[f"reason_{f.code}"] if f"reason_{f.code}" in values_form.fields else None,
            "is_computed": f.kind is FieldKind.COMPUTED,
            "is_prefilled": f.kind is FieldKind.PREFILLED,
        }
        if groups and groups[-1]["group"] == f.group and f.group:
            groups[-1]["rows"].append(row)
        else:
            groups.append({"group": f.group, "rows": [row]})
    rows: list[dict[str, Any]] = []
    if form.is_summary and sub.rows:
        names = region_names({r["region"] for r in sub.rows})
        sections = dict(section_choices()) if "section" in form.breakdown else {}
        rows = [
            {
                "region": names.get(r["region"], r["region"]),
                "section": sections.get(r.get("section") or "", r.get("section") or ""),
                "size": r.get("size") or "",
                "above_scale": r.get("above_scale"),
                "values": [r["values"].get(f.code) for f in form.fields],
            }
            for r in sub.rows
        ]
    return {
        "sub": sub,
        "form": form,
        "level_label": UNIT_LEVEL_LABELS.get(UnitLevel(sub.level), sub.level),
        "status_label": _status_label(sub.status),
        "phone": masked(sub, "filler_phone"),
        "events": _history(actor, sub),
        "groups": groups,
        "summary_rows": rows,
        "values_form": values_form,
        "reason_form": reason_form or ReasonForm(),
        "may_edit": actions.may_edit,
        "may_decide": actions.may_decide,
        "may_approve": actions.may_decide and sub.status == SubmissionStatus.SUBMITTED,
        "may_return": actions.may_decide
        and sub.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED),
        "may_unlock": actions.may_decide
        and sub.status in (SubmissionStatus.APPROVED, SubmissionStatus.LOCKED),
        "error": error,
    }


@page()
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    sub = selectors.submission_get(actor=actor, pk=pk)
    if request.method != "POST":
        return render(request, "reporting/submission_detail.html", _detail_context(actor, sub))
    form = get_form(sub.form_code)
    values_form = SubmissionValuesForm(request.POST, report_form=form, editable_values=not form.is_summary)
    action = request.POST.get("action", "save")
    if values_form.is_valid():
        try:
            if action == "submit":
                services.submission_submit(actor=actor, submission=sub, data=values_form.to_input())
            else:
                services.submission_save(actor=actor, submission=sub, data=values_form.to_input())
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            add_domain_error(values_form, exc)
            status = exc.status
        else:
            messages.success(request, _("已上报") if action == "submit" else _("已保存"))
            return redirect("reporting:submission_detail", pk=sub.pk)
    else:
        status = 400
    sub = selectors.submission_get(actor=actor, pk=pk)
    context = _detail_context(actor, sub, values_form=values_form)
    context["error"] = " ".join(str(e) for e in values_form.non_field_errors()) or _(
        "填写的内容有误，请检查标红的项目"
    )
    return render(request, "reporting/submission_detail.html", context, status=status)


def _decision(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    actor = _actor(request)
    sub = selectors.submission_get(actor=actor, pk=pk)
    reason_form = ReasonForm(request.POST)
    reason_form.is_valid()
    reason = reason_form.cleaned_data.get("reason", "") if hasattr(reason_form, "cleaned_data") else ""
    try:
        if act == "approve":
            services.submission_approve(actor=actor, submission=sub)
        elif act == "return":
            services.submission_return(actor=actor, submission=sub, reason=reason)
        else:
            services.submission_unlock(actor=actor, submission=sub, reason=reason)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        add_domain_error(reason_form, exc)
        sub = selectors.submission_get(actor=actor, pk=pk)
        context = _detail_context(actor, sub, reason_form=reason_form, error=exc.message)
        return render(request, "reporting/submission_detail.html", context, status=exc.status)
    done = {"approve": _("已审核通过"), "return": _("已退回"), "unlock": _("已解锁，退回填报单位更正")}
    messages.success(request, done[act])
    return redirect("reporting:submission_detail", pk=sub.pk)


@page(Perm.APPROVE_REPORTS)
@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, "approve")


@page(Perm.APPROVE_REPORTS)
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, "return")


@page(Perm.APPROVE_REPORTS)
@require_POST
def submission_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, "unlock")


SUBMISSION_HEADER = [
    "报表",
    "报表期间",
    "填报单位",
    "所在地",
    "填报层级",
    "状态",
    "截止日期",
    "上报时间",
    "填表人",
]


@page()
def submission_list(request: HttpRequest) -> HttpResponseBase:
    actor = _actor(request)
    forms_ = all_forms()
    form = SubmissionFilterForm(request.GET or None, actor=actor, report_forms=forms_)
    filters = form.filters()
    try:
        subs = selectors.submission_list(
            actor=actor,
            form_code=filters.get("form", ""),
            period_key=filters.get("period", ""),
            region_code=filters.get("region", ""),
            status=filters.get("status", ""),
            q=filters.get("q", ""),
        )
    except ValidationFailed as exc:
        add_domain_error(form, exc)
        subs = selectors.submission_list(actor=actor)
    short = {f.code: f.short_name for f in forms_}
    if fmt := _export_format(request):
        names = region_names(subs.values_list("region_code", flat=True).distinct())
        rows = (
            [
                short.get(s.form_code, s.form_code),
                s.period_key,
                s.unit_name,
                names.get(s.region_code, s.region_code),
                UNIT_LEVEL_LABELS.get(UnitLevel(s.level), s.level),
                _status_label(s.status),
                s.deadline,
                s.submitted_at.strftime("%Y-%m-%d %H:%M") if s.submitted_at else "",
                s.filler_name,
            ]
            for s in subs.iterator(chunk_size=2000)
        )
        return export_response(fmt, "submissions", "报表填报", SUBMISSION_HEADER, rows, title="报表填报情况")
    page_obj = paginate(subs, request.GET.get("page"))
    names = region_names(s.region_code for s in page_obj)
    items = [
        {
            "sub": s,
            "form": short.get(s.form_code, s.form_code),
            "region": names.get(s.region_code, s.region_code),
            "status": _status_label(s.status),
        }
        for s in page_obj
    ]
    return render(request, "reporting/submission_list.html", {"form": form, "page": page_obj, "items": items})


# ---------------------------------------------------------------------------------------------
# Who is late (报送进度)
# ---------------------------------------------------------------------------------------------

STATUS_HEADER = ["填报单位", "所在地", "状态", "上报时间", "截止日期", "逾期天数"]


@page(Perm.FILL_REPORTS)
def status_board(request: HttpRequest) -> HttpResponseBase:
    actor = _actor(request)
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
