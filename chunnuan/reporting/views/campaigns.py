"""Campaign pages: list, publish, edit, detail and the targets set on it."""

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
from chunnuan.access.exports import export_require
from chunnuan.access.permissions import Perm
from chunnuan.core.errors import DomainError, NotFound, ValidationFailed
from chunnuan.core.pagination import paginate
from chunnuan.core.spreadsheets import export_response
from chunnuan.core.web import add_domain_error, page
from chunnuan.employers.selectors import section_choices
from chunnuan.regions.lookups import region_names
from chunnuan.reporting import selectors, services
from chunnuan.reporting.choices import Indicator, Segment, StageKind
from chunnuan.reporting.definitions import UNIT_LEVEL_LABELS, all_forms, get_form
from chunnuan.reporting.forms import CampaignEditForm, CampaignFilterForm, TargetForm
from chunnuan.reporting.models import Campaign
from chunnuan.reporting.periods import local_today
from chunnuan.reporting.views.common import _actor, _export_format, page_links

CAMPAIGN_HEADER = ["行动代码", "行动名称", "发起地区", "开始日期", "结束日期", "重点行业门类"]


@page(require=selectors.require_report_reader)
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
        export_require(actor)
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
    return selectors.campaign_home_region(actor=actor, campaign=campaign)


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
        **page_links(actor),
    }


@page(require=selectors.require_report_reader)
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
