"""Pages of report exports and the campaign's written summary (总结) — thin: parse, call, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chunnuan.access.actor import Actor
from chunnuan.access.exports import export_require, may_export
from chunnuan.access.permissions import Perm
from chunnuan.core.errors import DomainError, NotFound, PermissionDenied
from chunnuan.core.web import page
from chunnuan.reporting import exports, selectors, services
from chunnuan.reporting.definitions import all_forms

FORMAT_CHOICES = [("xlsx", "Excel（xlsx）"), ("pdf", "PDF"), ("json", "JSON")]


class ExportForm(forms.Form):
    form = forms.ChoiceField(label=gettext_lazy("报表"), choices=())
    region = forms.CharField(
        label=gettext_lazy("地区区划代码"), max_length=12, help_text=gettext_lazy("6、9或12位区划代码")
    )
    period = forms.CharField(
        label=gettext_lazy("报表期间"),
        max_length=40,
        help_text=gettext_lazy("如 2026、2026Q1、2026-02、2026-02D2（2月中旬）、2026W07 或专项行动代码"),
    )
    format = forms.ChoiceField(label=gettext_lazy("格式"), choices=FORMAT_CHOICES, initial="xlsx")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f.code, f"{f.short_name}（{f.code}）") for f in all_forms()]
        self.fields["form"].choices = choices  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@page(require=export_require)
def export(request: HttpRequest) -> HttpResponseBase:
    """``/reports/export/?form=&region=&period=&format=xlsx|pdf|json`` — the form's figures as a
    file; without parameters, the page to choose them. Errors: JSON 4xx or the page with the message."""
    actor = _actor(request)
    params = request.GET
    fmt = (params.get("format") or "xlsx").strip().lower()
    if not any(params.get(k) for k in ("form", "region", "period")):
        initial = {"format": "xlsx", "region": actor.home_region_code}
        return render(request, "reporting/export_form.html", {"form": ExportForm(initial=initial)})
    try:
        data = exports.report_data(
            actor=actor,
            form_code=params.get("form", ""),
            region_code=params.get("region", ""),
            period_key=params.get("period", ""),
        )
        if fmt == "json":
            return JsonResponse(data.as_json(), json_dumps_params={"ensure_ascii": False})
        content, content_type, filename = exports.report_bytes(data, fmt)
    except DomainError as exc:
        if fmt == "json":
            return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})
        if isinstance(exc, NotFound | PermissionDenied):
            raise
        return render(
            request,
            "reporting/export_form.html",
            {"form": ExportForm(params), "error": exc.message},
            status=400,
        )
    return _download(content, content_type, filename)


@page(Perm.VIEW_DASHBOARDS)
def campaign_summary(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The campaign's 总结 for a region: the generated text and figures, and the officer's own text
    (editable by an officer who manages the campaign)."""
    actor = _actor(request)
    campaign = selectors.campaign_get(actor=actor, pk=pk)
    error = ""
    if request.method == "POST":
        text = request.POST.get("summary_text", "")
        try:
            services.campaign_summary_text_set(actor=actor, campaign=campaign, text=text)
        except PermissionDenied:
            raise
        except DomainError as exc:
            error = exc.message
            campaign.summary_text = text
        else:
            messages.success(request, _("总结正文已保存"))
            return redirect(request.get_full_path())
    region_code = request.GET.get("region", "")
    try:
        summary = exports.campaign_summary(actor=actor, campaign=campaign, region_code=region_code)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        return render(request, "error.html", {"status": 400, "message": exc.message}, status=400)
    can_edit = actor.can(Perm.MANAGE_CAMPAIGNS) and actor.covers(campaign.region_code)
    return render(
        request,
        "reporting/campaign_summary.html",
        {
            "campaign": campaign,
            "summary": summary,
            "can_edit": can_edit,
            "error": error,
            "may_export": may_export(actor),
        },
        status=400 if error else 200,
    )


@page(Perm.VIEW_DASHBOARDS)
def campaign_summary_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = _actor(request)
    export_require(actor)
    campaign = selectors.campaign_get(actor=actor, pk=pk)
    try:
        summary = exports.campaign_summary(
            actor=actor, campaign=campaign, region_code=request.GET.get("region", "")
        )
        content = exports.campaign_summary_pdf(summary)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        return render(request, "error.html", {"status": 400, "message": exc.message}, status=400)
    return _download(content, "application/pdf", f"{campaign.code}_{summary.region_code}_总结.pdf")
