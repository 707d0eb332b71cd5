from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from chunnuan.access.exports import export_require
from chunnuan.access.permissions import Perm
from chunnuan.core.errors import NotFound, ValidationFailed
from chunnuan.core.spreadsheets import export_response
from chunnuan.core.web import page
from chunnuan.dashboards import homes, selectors
from chunnuan.dashboards.forms import CampaignDashboardForm
from chunnuan.reporting.choices import Indicator, Segment, SubmissionStatus
from chunnuan.reporting.selectors import campaign_get, campaign_home_region


@page()
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home: what to do or watch today (see ``chunnuan.dashboards.homes``)."""
    template, context = homes.home_for(request.actor)  # type: ignore[attr-defined]
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------
# Campaign dashboard
# ---------------------------------------------------------------------------------------------


@page(Perm.VIEW_DASHBOARDS)
def campaign_index(request: HttpRequest) -> HttpResponseBase:
    """The campaign picker: ``?campaign=CODE`` (or the current campaign) → its dashboard."""
    actor = request.actor  # type: ignore[attr-defined]
    code = request.GET.get("campaign", "").strip()
    campaign = campaign_get(actor=actor, code=code) if code else selectors.current_campaign(actor=actor)
    if campaign is not None:
        return redirect("dashboards:campaign_dashboard", code=campaign.code)
    return render(request, "dashboards/campaign_none.html", {})


@page(Perm.VIEW_DASHBOARDS)
def campaign_dashboard(request: HttpRequest, code: str) -> HttpResponseBase:
    """Indicators of a campaign for a region against their targets, the regions below ranked, the
    旬 trend and the drill-down (city → county → township → employers); each table exports."""
    actor = request.actor  # type: ignore[attr-defined]
    campaign = campaign_get(actor=actor, code=code)
    form = CampaignDashboardForm(request.GET, actor=actor)
    form.is_valid()
    if "region" in form.errors:  # a region out of reach (or no region at all) does not exist here
        raise NotFound()
    chosen = form.cleaned_data.get("region")
    region_code = chosen.code if chosen else campaign_home_region(actor=actor, campaign=campaign)
    indicator = form.cleaned_data.get("indicator") or Indicator.CONTRACT_SIGNING_RATE
    segment = form.cleaned_data.get("segment") or Segment.ALL
    try:
        board = selectors.campaign_dashboard(
            actor=actor, campaign=campaign, region_code=region_code, indicator=indicator, segment=segment
        )
    except ValidationFailed as exc:
        return render(
            request,
            "dashboards/campaign_dashboard.html",
            {"campaign": campaign, "form": form, "error": exc.message, **_pickers(actor, campaign)},
            status=400,
        )
    export = request.GET.get("export", "")
    if export in EXPORTS:
        export_require(actor)
        return EXPORTS[export](board)
    query = {"indicator": indicator, "segment": segment}
    return render(
        request,
        "dashboards/campaign_dashboard.html",
        {
            "campaign": campaign,
            "board": board,
            "form": form,
            "query": urlencode(query),
            "here": urlencode({"region": board.region.code, **query}),
            "can_view_employers": actor.can(Perm.VIEW_EMPLOYERS),
            "statuses": dict(SubmissionStatus.choices),
            **_pickers(actor, campaign),
        },
    )


def _pickers(actor: Any, campaign: Any) -> dict[str, Any]:
    return {
        "campaigns": selectors.dashboard_campaigns(actor=actor),
        "index_url": reverse("dashboards:campaign_index"),
    }


def _pct(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _xlsx(
    board: selectors.CampaignDashboard,
    stem: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> HttpResponseBase:
    full = f"{board.campaign.name} {board.region.name} {title}"
    return export_response(
        "xlsx", f"{board.campaign.code}-{board.region.code}-{stem}", title, header, rows, title=full
    )


def _export_kpi(board: selectors.CampaignDashboard) -> HttpResponseBase:
    header = [
        _("指标"),
        _("企业范围"),
        _("实际值（%）"),
        _("目标值（%）"),
        _("差距"),
        _("是否达标"),
        _("分子"),
        _("分母"),
        _("目标来源"),
        _("数据说明"),
    ]
    rows = [
        [
            v.indicator_label,
            v.segment_label,
            _pct(v.actual),
            float(v.target.value),
            _pct(v.gap),
            _("无数据") if v.met is None else _("达标") if v.met else _("未达标"),
            v.measure.numerator,
            v.measure.denominator,
            f"{v.target_region_name}（{_('沿用上级目标') if v.inherited else _('本地区目标')}）",
            v.check.text if v.check.needs_note else "",
        ]
        for v in board.kpis
    ]
    return _xlsx(board, "indicators", _("指标完成情况"), header, rows)


def _export_ranking(board: selectors.CampaignDashboard) -> HttpResponseBase:
    header = [
        _("名次"),
        _("名称"),
        _("代码"),
        _("实际值（%）"),
        _("目标值（%）"),
        _("差距"),
        _("分子"),
        _("分母"),
    ]
    rows = [
        [
            r.rank,
            r.name,
            r.region_code,
            _pct(r.actual),
            float(r.target.value) if r.target else None,
            _pct(r.gap),
            r.measure.numerator,
            r.measure.denominator,
        ]
        for r in board.ranking
    ]
    return _xlsx(board, "ranking", f"{board.indicator_label} {board.segment_label} {_('排名')}", header, rows)


def _export_trend(board: selectors.CampaignDashboard) -> HttpResponseBase:
    header = [_("期间"), *[f.label for f in board.trend.fields], _("已审核单位"), _("应报单位")]
    rows = [
        [p.period.label, *[p.values.get(f.code) for f in board.trend.fields], p.reported, p.expected]
        for p in board.trend.points
    ]
    return _xlsx(board, "trend", _("旬报调度情况"), header, rows)


def _export_drilldown(board: selectors.CampaignDashboard) -> HttpResponseBase:
    fields = [
        _("在册职工人数"),
        _("应签订劳动合同人数"),
        _("已签订劳动合同人数"),
        _("劳动合同签订率（%）"),
        _("已办理劳动用工备案人数"),
        _("参加社会保险人数"),
    ]
    codes = ["on_roll", "due", "signed", "rate", "filed", "insured"]
    if board.drill.employers or board.level == "township":
        header = [_("用人单位"), _("状态"), *fields, _("逾期天数")]
        statuses = dict(SubmissionStatus.choices)
        rows: list[list[Any]] = [
            [e.name, str(statuses.get(e.status, e.status)), *[e.values.get(c) for c in codes], e.days_late]
            for e in board.drill.employers
        ]
        rows += [[u.name, _("未报或未审核"), *[None] * len(codes), None] for u in board.drill.missing]
    else:
        header = [_("地区"), _("区划代码"), *fields]
        rows = [[r.name, r.region_code, *[r.values.get(c) for c in codes]] for r in board.drill.regions]
    return _xlsx(board, "drilldown", _("分地区（单位）明细"), header, rows)


EXPORTS = {
    "kpi": _export_kpi,
    "ranking": _export_ranking,
    "trend": _export_trend,
    "drilldown": _export_drilldown,
}
