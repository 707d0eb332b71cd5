"""Employer pages: thin — parse the request, call a selector or a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.exports import export_require, export_reveal
from chunnuan.access.pages import REGION_ACTORS
from chunnuan.access.permissions import Perm
from chunnuan.access.personal import masked
from chunnuan.core.errors import DomainError, PermissionDenied
from chunnuan.core.pagination import paginate
from chunnuan.core.searches import search_params, search_redirect
from chunnuan.core.spreadsheets import export_response
from chunnuan.core.versioning import StaleVersion, add_version_field, stale_page, typed_version
from chunnuan.core.web import add_domain_error, page
from chunnuan.employers import selectors, services, types
from chunnuan.employers.forms import (
    ContractChangeForm,
    ContractEndForm,
    ContractRenewForm,
    ContractSignForm,
    EmployerFilterForm,
    EmployerForm,
    EmploymentAddForm,
    EmploymentEditForm,
    LeaveForm,
    RegionStatsForm,
    RosterFilterForm,
    SizeOverrideForm,
)
from chunnuan.employers.models import Employer, Employment
from chunnuan.regions.lookups import region_names


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def _export_format(params: Any) -> str:
    fmt = params.get("export", "")
    return fmt if fmt in ("xlsx", "csv") else ""


EMPLOYER_HEADER = [
    "统一社会信用代码",
    "单位名称",
    "所在地",
    "行业",
    "企业规模",
    "规模以上",
    "从业人数",
    "营业收入（万元）",
    "资产总额（万元）",
    "重点联系",
    "生产经营困难",
    "劳务派遣机构",
    "信用状况",
]


@page(Perm.VIEW_EMPLOYERS)
def employer_list(request: HttpRequest) -> HttpResponseBase:
    actor = _actor(request)
    form = EmployerFilterForm(request.GET or None, actor=actor, sections=selectors.section_choices())
    employers = selectors.employer_list(actor=actor, filters=form.filters())
    if fmt := _export_format(request.GET):
        export_require(actor)
        names = region_names(employers.values_list("region_code", flat=True).distinct())
        yes = {True: "是", False: "否"}
        rows = (
            [
                e.credit_code,
                e.name,
                names.get(e.region_code, e.region_code),
                str(e.industry or ""),
                e.get_size_class_display(),
                yes[e.is_above_scale],
                e.staff_count,
                e.revenue,
                e.assets,
                yes[e.is_key_contact],
                yes[e.is_in_difficulty],
                yes[e.is_dispatch_agency],
                e.get_credit_status_display(),
            ]
            for e in employers.iterator(chunk_size=2000)
        )
        return export_response(fmt, "employers", "用人单位", EMPLOYER_HEADER, rows, title="用人单位名录")
    page_obj = paginate(employers, request.GET.get("page"))
    stats = selectors.employer_stats(actor=actor, employer_ids=[e.pk for e in page_obj])
    names = region_names(e.region_code for e in page_obj)
    items = [
        {"employer": e, "stats": stats[e.pk], "region": names.get(e.region_code, e.region_code)}
        for e in page_obj
    ]
    return render(
        request,
        "employers/employer_list.html",
        {
            "page": page_obj,
            "items": items,
            "form": form,
            "may_manage": actor.can(Perm.MANAGE_EMPLOYERS) and actor.kind is not ActorKind.EMPLOYER,
            # 分地区统计 sums rosters over regions: an employer's clerk has no region to open it for
            "may_region_stats": actor.is_region_actor,
        },
    )


@page(Perm.VIEW_EMPLOYERS)
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    employer = selectors.employer_get(actor=actor, pk=pk)
    roster = selectors.roster_list(actor=actor, employer_id=employer.pk)
    context = {
        "employer": employer,
        "region_name": region_names([employer.region_code]).get(employer.region_code, ""),
        "stats": selectors.employer_stats_one(actor=actor, employer=employer),
        "size": selectors.size_explanation(employer),
        "without_contract": selectors.without_contract_list(actor=actor, employer_id=employer.pk, limit=100),
        "ending_soon": selectors.ending_soon_list(actor=actor, employer_id=employer.pk),
        "roster": [_roster_item(actor, e) for e in roster[:20]],
        "size_form": SizeOverrideForm(
            initial={"size_class": employer.size_class_override, "reason": employer.size_override_reason}
        ),
        "may_manage": actor.can(Perm.MANAGE_EMPLOYERS),
        "may_override_size": services.may_override_size(actor),
    }
    return render(request, "employers/employer_detail.html", context)


def _employer_in(data: dict[str, Any], *, region_code: str) -> types.EmployerIn:
    return types.EmployerIn(
        credit_code=data["credit_code"],
        name=data["name"],
        region_code=region_code,
        industry_code=data.get("industry_code") or "",
        economic_type=data.get("economic_type") or None,
        address=data.get("address") or "",
        legal_representative=data.get("legal_representative") or "",
        contact_person=data.get("contact_person") or "",
        contact_phone=data.get("contact_phone") or "",
        staff_count=data.get("staff_count"),
        revenue=data.get("revenue"),
        assets=data.get("assets"),
        is_above_scale=bool(data.get("is_above_scale")),
        is_key_contact=bool(data.get("is_key_contact")),
        is_in_difficulty=bool(data.get("is_in_difficulty")),
        is_dispatch_agency=bool(data.get("is_dispatch_agency")),
        credit_status=data.get("credit_status") or "good",
    )


def _form_page(
    request: HttpRequest, form: forms.Form, title: str, back: str, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, "employers/form.html", context, status=400 if form.errors else status)


@page(Perm.MANAGE_EMPLOYERS)
def employer_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = EmployerForm(request.POST or None, actor=actor, industries=selectors.industry_choices())
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_register(
                actor=actor,
                data=_employer_in(form.cleaned_data, region_code=form.cleaned_data["region"].code),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已登记用人单位 %(name)s") % {"name": employer.name})
            return redirect("employers:employer_detail", pk=employer.pk)
    return _form_page(request, form, _("登记用人单位"), "")


def _employer_initial(employer: Employer) -> dict[str, Any]:
    names = [n for n in services.EDITED_FIELDS if n not in ("region_code", "industry")]
    initial = {n: getattr(employer, n) for n in names}
    initial["region"] = employer.region_code
    initial["industry_code"] = employer.industry.code if employer.industry else ""
    return initial


@page(Perm.MANAGE_EMPLOYERS)
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改单位信息. A save on an older version than the stored one is refused: the page shows what is
    stored now beside what was typed (typed values kept) and carries the current version."""
    actor = _actor(request)
    employer = selectors.employer_get(actor=actor, pk=pk)
    is_clerk = actor.kind is ActorKind.EMPLOYER
    data = request.POST.copy() if request.method == "POST" else None
    form = EmployerForm(
        data,
        initial=_employer_initial(employer),
        actor=actor,
        industries=selectors.industry_choices(),
        lock_region=is_clerk,
    )
    add_version_field(form, employer)
    stale = None
    if data is not None and form.is_valid():
        region = form.cleaned_data.get("region")
        code = employer.region_code if is_clerk or region is None else region.code
        try:
            services.employer_update(
                actor=actor,
                employer_id=employer.pk,
                data=_employer_in(form.cleaned_data, region_code=code),
                expected_version=typed_version(form),
            )
        except StaleVersion as exc:
            stale = stale_page(data, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("employers:employer_detail", pk=employer.pk)
    title = _("修改用人单位信息")
    status = 409 if stale else 200
    return _form_page(request, form, title, employer.name, status=status, employer=employer, stale=stale)


@page(Perm.MANAGE_EMPLOYERS)
def employer_size(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    employer = selectors.employer_get(actor=actor, pk=pk)
    data = request.POST.copy() if request.method == "POST" else None
    form = SizeOverrideForm(data)
    add_version_field(form, employer)  # a decision on an older version of the employer is refused
    stale = None
    if data is not None and form.is_valid():
        try:
            services.employer_set_size_override(
                actor=actor,
                employer_id=employer.pk,
                data=types.SizeOverrideIn(
                    size_class=form.cleaned_data["size_class"] or None, reason=form.cleaned_data["reason"]
                ),
                expected_version=typed_version(form),
            )
        except PermissionDenied:
            raise  # an employer's own clerk: 403, not a form error
        except StaleVersion as exc:
            stale = stale_page(data, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存企业规模认定"))
            return redirect("employers:employer_detail", pk=employer.pk)
    title = _("人工认定企业规模")
    status = 409 if stale else 200
    return _form_page(request, form, title, employer.name, status=status, employer=employer, stale=stale)


def _roster_item(actor: Actor, e: Employment) -> dict[str, Any]:
    return {
        "employment": e,
        "id_number": masked(e.worker, "id_number"),
        "phone": masked(e.worker, "phone"),
    }


ROSTER_HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号码",
    "联系电话",
    "用工形式",
    "岗位",
    "入职日期",
    "离职日期",
    "农民工",
    "在岗",
    "参加社会保险",
    "合同类型",
    "合同终止日期",
    "合同状态",
]


ROSTER_SEARCHES_KEY = "roster_searches"


@page(Perm.VIEW_EMPLOYERS)
def roster_list(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = _actor(request)
    employer = selectors.employer_get(actor=actor, pk=pk)
    if request.method == "POST":  # the filter form posts: an ID number never goes into the URL
        return search_redirect(request, ROSTER_SEARCHES_KEY)
    params = search_params(request, ROSTER_SEARCHES_KEY)
    form = RosterFilterForm(params or None)
    roster = selectors.roster_list(actor=actor, employer_id=employer.pk, filters=form.filters())
    if fmt := _export_format(params):
        whole = export_reveal(actor=actor, asked=params.get("full") == "1", what="职工名册", obj=employer)
        rows = roster.iterator(chunk_size=2000)
        return export_response(
            fmt,
            "roster",
            "职工名册",
            ROSTER_HEADER,
            (_roster_row(e, whole) for e in rows),
            title=f"{employer.name} 职工名册",
        )
    page_obj = paginate(roster, params.get("page"))
    return render(
        request,
        "employers/roster_list.html",
        {
            "employer": employer,
            "form": form,
            "page": page_obj,
            "items": [_roster_item(actor, e) for e in page_obj],
            "may_manage": actor.can(Perm.MANAGE_EMPLOYERS),
            "may_export_full": actor.can(Perm.VIEW_PERSONAL_DATA),
        },
    )


def _roster_row(e: Any, whole: bool) -> list[Any]:
    from chunnuan.employers.choices import ContractStatus, ContractType

    yes = {True: "是", False: "否"}
    worker = e.worker
    return [
        worker.name,
        worker.get_sex_display(),
        worker.birth_date,
        worker.id_number if whole else masked(worker, "id_number"),
        worker.phone if whole else masked(worker, "phone"),
        e.get_employment_form_display(),
        e.post,
        e.start_date,
        e.end_date or "",
        yes[e.is_migrant_worker],
        yes[e.is_on_post],
        yes[e.is_insured],
        str(ContractType(e.contract_type).label) if e.contract_type else "未签订",
        e.contract_end or "",
        str(ContractStatus(e.contract_status).label) if e.contract_status else "",
    ]


@page(Perm.MANAGE_EMPLOYERS)
def employment_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    employer = selectors.employer_get(actor=actor, pk=pk)
    form = EmploymentAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employment = services.employment_add(
                actor=actor, employer_id=employer.pk, data=types.EmploymentIn(**form.cleaned_data)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已加入职工名册"))
            return redirect("employers:employment_detail", pk=employment.pk)
    return _form_page(request, form, _("录用职工（加入名册）"), employer.name, employer=employer)


@page(Perm.VIEW_EMPLOYERS)
def employment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    employment = selectors.employment_get(actor=actor, pk=pk)
    from chunnuan.access.personal import may_reveal

    return render(
        request,
        "employers/employment_detail.html",
        {
            "employment": employment,
            "worker": employment.worker,
            "id_number": masked(employment.worker, "id_number"),
            "may_reveal": may_reveal(actor, employment.worker),
            "contracts": selectors.contract_list(actor=actor, employment=employment),
            "may_manage": actor.can(Perm.MANAGE_EMPLOYERS),
        },
    )


def _employment_action(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    title: str,
    call: Callable[[Actor, Employment, dict[str, Any], int | None], Any],
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form about one roster entry. The form carries the entry's version: a save made on an older
    one is refused and the page shows what is stored now beside what was typed."""
    actor = _actor(request)
    employment = selectors.employment_get(actor=actor, pk=pk)
    data = request.POST.copy() if request.method == "POST" else None
    form = form_class(data, initial=initial or {})
    add_version_field(form, employment)
    stale = None
    if data is not None and form.is_valid():
        try:
            call(actor, employment, form.cleaned_data, typed_version(form))
        except StaleVersion as exc:
            stale = stale_page(data, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("employers:employment_detail", pk=employment.pk)
    back = f"{employment.worker.name} · {employment.employer.name}"
    return _form_page(request, form, title, back, status=409 if stale else 200, stale=stale)


@page(Perm.MANAGE_EMPLOYERS)
def employment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def call(actor: Actor, e: Employment, data: dict[str, Any], version: int | None) -> Any:
        data = {k: v for k, v in data.items() if k != "version"}
        return services.employment_update(
            actor=actor, employment_id=e.pk, data=types.EmploymentUpdateIn(**data), expected_version=version
        )

    employment = selectors.employment_get(actor=_actor(request), pk=pk)
    initial = {
        n: getattr(employment, n)
        for n in ("employment_form", "post", "start_date", "is_migrant_worker", "is_on_post", "is_insured")
    }
    return _employment_action(request, pk, EmploymentEditForm, _("修改用工信息"), call, initial)


@page(Perm.MANAGE_EMPLOYERS)
def employment_leave(request: HttpRequest, pk: int) -> HttpResponse:
    def call(actor: Actor, e: Employment, data: dict[str, Any], version: int | None) -> Any:
        data = {k: v for k, v in data.items() if k != "version"}
        return services.employment_leave(
            actor=actor, employment_id=e.pk, data=types.EmploymentLeaveIn(**data), expected_version=version
        )

    return _employment_action(request, pk, LeaveForm, _("办理离职"), call)


@page(Perm.MANAGE_EMPLOYERS)
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    def call(actor: Actor, e: Employment, data: dict[str, Any], version: int | None) -> Any:
        data = {k: v for k, v in data.items() if k != "version"}
        return services.contract_sign(actor=actor, employment_id=e.pk, data=types.ContractIn(**data))

    return _employment_action(request, pk, ContractSignForm, _("订立劳动合同"), call)


def _contract_action(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    title: str,
    call: Callable[[Actor, int, dict[str, Any], int | None], Any],
) -> HttpResponse:
    """An action on one contract; the form carries the contract's version (a stale one is refused)."""
    actor = _actor(request)
    contract = selectors.contract_get(actor=actor, pk=pk)
    data = request.POST.copy() if request.method == "POST" else None
    form = form_class(data)
    add_version_field(form, contract)
    stale = None
    if data is not None and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            call(actor, contract.pk, values, typed_version(form))
        except StaleVersion as exc:
            stale = stale_page(data, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("employers:employment_detail", pk=contract.employment_id)
    return _form_page(request, form, title, str(contract), status=409 if stale else 200, stale=stale)


@page(Perm.MANAGE_EMPLOYERS)
def contract_renew(request: HttpRequest, pk: int) -> HttpResponse:
    return _contract_action(
        request,
        pk,
        ContractRenewForm,
        _("续订劳动合同"),
        lambda a, c, d, v: services.contract_renew(
            actor=a, contract_id=c, data=types.ContractRenewIn(**d), expected_version=v
        ),
    )


@page(Perm.MANAGE_EMPLOYERS)
def contract_change(request: HttpRequest, pk: int) -> HttpResponse:
    return _contract_action(
        request,
        pk,
        ContractChangeForm,
        _("变更劳动合同"),
        lambda a, c, d, v: services.contract_change(
            actor=a, contract_id=c, data=types.ContractChangeIn(**d), expected_version=v
        ),
    )


@page(Perm.MANAGE_EMPLOYERS)
def contract_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _contract_action(
        request,
        pk,
        ContractEndForm,
        _("解除劳动合同"),
        lambda a, c, d, v: services.contract_dissolve(
            actor=a, contract_id=c, data=types.ContractEndIn(**d), expected_version=v
        ),
    )


@page(Perm.MANAGE_EMPLOYERS)
def contract_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    return _contract_action(
        request,
        pk,
        ContractEndForm,
        _("终止劳动合同"),
        lambda a, c, d, v: services.contract_terminate(
            actor=a, contract_id=c, data=types.ContractEndIn(**d), expected_version=v
        ),
    )


@page(Perm.VIEW_EMPLOYERS, kinds=REGION_ACTORS)  # roll-ups over regions: not for an employer
def region_stats(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = RegionStatsForm(request.GET or None, actor=actor)
    code = ""
    if form.is_bound and form.is_valid() and form.cleaned_data.get("region"):
        code = form.cleaned_data["region"].code
    rollup = selectors.region_stats(actor=actor, region_code=code)
    without = selectors.without_contract_list(actor=actor, region=rollup.region.code, limit=50)
    return render(
        request, "employers/region_stats.html", {"form": form, "rollup": rollup, "without_contract": without}
    )
