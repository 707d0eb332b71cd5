"""My reports, and filling and approving submissions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunnuan.access.actor import Actor
from chunnuan.access.exports import export_require
from chunnuan.access.permissions import Perm
from chunnuan.access.personal import masked
from chunnuan.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from chunnuan.core.pagination import paginate
from chunnuan.core.spreadsheets import export_response
from chunnuan.core.versioning import StaleVersion, add_version_field, stale_page, typed_version
from chunnuan.core.web import add_domain_error, page
from chunnuan.employers.choices import SizeClass
from chunnuan.employers.selectors import section_choices
from chunnuan.regions.lookups import region_names
from chunnuan.reporting import selectors, services
from chunnuan.reporting.choices import SubmissionStatus
from chunnuan.reporting.definitions import (
    UNIT_LEVEL_LABELS,
    FieldKind,
    FormDef,
    UnitLevel,
    all_forms,
    get_form,
)
from chunnuan.reporting.forms import ReasonForm, SubmissionFilterForm, SubmissionValuesForm
from chunnuan.reporting.models import Submission
from chunnuan.reporting.periods import local_today
from chunnuan.reporting.views.common import _actor, _export_format, _fill_url, _status_label, page_links


@page(require=selectors.require_report_reader)
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
    context = {
        "items": items,
        "waiting": waiting,
        "may_fill": actor.can(Perm.FILL_REPORTS),
        **page_links(actor),
    }
    return render(request, "reporting/home.html", context)


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
    if "version" not in values_form.fields:
        add_version_field(values_form, sub)
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
            "formula": getattr(f.formula, "spec", None) if f.kind is FieldKind.COMPUTED else None,
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
                "size": SizeClass(r["size"]).label if r.get("size") in SizeClass.values else "",
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
        # the 更正 column: reasons while editing a base form, the corrections made once it is read-only
        "show_reasons": (actions.may_edit and not form.is_summary)
        or (not actions.may_edit and any(sub.corrections.get(f.code) for f in form.fields)),
        "may_decide": actions.may_decide,
        "may_approve": actions.may_decide and sub.status == SubmissionStatus.SUBMITTED,
        "may_return": actions.may_decide
        and sub.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED),
        "may_unlock": actions.may_decide
        and sub.status in (SubmissionStatus.APPROVED, SubmissionStatus.LOCKED),
        "error": error,
        "coverage": _coverage(actor, form, sub),
        **page_links(actor),
    }


def _coverage(actor: Actor, form: FormDef, sub: Submission) -> selectors.RegionCompleteness | None:
    """A summary's coverage of the units below (已报 x/y，缺：…), as the exports and dashboard say it."""
    if not form.is_summary:
        return None
    try:
        period, _campaign = selectors.resolve_period(actor=actor, form=form, key=sub.period_key)
        unit = selectors.unit_of_actor(actor=actor, form=form, region_code=sub.region_code)
        return selectors.rollup(actor=actor, form=form, period=period, unit=unit).coverage
    except DomainError:
        return None


@page()
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    sub = selectors.submission_get(actor=actor, pk=pk)
    if request.method != "POST":
        return render(request, "reporting/submission_detail.html", _detail_context(actor, sub))
    form = get_form(sub.form_code)
    data = request.POST.copy()
    values_form = SubmissionValuesForm(data, report_form=form, editable_values=not form.is_summary)
    add_version_field(values_form, sub)  # a save on an older version than the stored one is refused
    stale = None
    action = request.POST.get("action", "save")
    valid = values_form.is_valid()
    if action == "submit" and not values_form.cleaned_data.get("confirm"):
        # 上报 is a step that cannot be undone by the filler: it needs the box ticked (works without JS)
        values_form.add_error("confirm", _("请勾选“我已核对以上数据，确认上报”后再上报"))
        valid = False
    if valid:
        try:
            version = typed_version(values_form)
            if action == "submit":
                services.submission_submit(
                    actor=actor, submission=sub, data=values_form.to_input(), expected_version=version
                )
            else:
                services.submission_save(
                    actor=actor, submission=sub, data=values_form.to_input(), expected_version=version
                )
        except StaleVersion as exc:
            stale = stale_page(data, exc)
            status = exc.status
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            add_domain_error(values_form, exc)
            status = exc.status
        else:
            messages.success(request, _("已上报") if action == "submit" else _("已保存"))
            return redirect("reporting:submission_detail", pk=sub.pk)
    else:
        # a figure that is not a number: show it with every other problem, in one round
        problems = services.submission_problems(
            actor=actor, submission=sub, data=values_form.to_input(), final=action == "submit"
        )
        for name, field_messages in problems.items():
            if name in values_form.errors:
                continue
            for message in field_messages:
                values_form.add_error(name if name in values_form.fields else None, message)
        status = 400
    sub = selectors.submission_get(actor=actor, pk=pk)
    context = _detail_context(actor, sub, values_form=values_form)
    context["error"] = " ".join(str(e) for e in values_form.non_field_errors()) or _(
        "填写的内容有误，请检查标红的项目"
    )
    if stale is not None:
        context["stale"], context["error"] = stale, ""
        status = 409
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
        export_require(actor)
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
