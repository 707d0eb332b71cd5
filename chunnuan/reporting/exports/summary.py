"""The campaign's written summary (总结), assembled from its figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from chunnuan.access.actor import Actor
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.core.errors import DomainError, NotFound, PermissionDenied
from chunnuan.employers.rules import whole_percent
from chunnuan.regions.models import Region, RegionLevel
from chunnuan.regions.selectors import region_get
from chunnuan.reporting import indicators, selectors
from chunnuan.reporting.choices import Indicator, Segment
from chunnuan.reporting.definitions import FieldKind, FormDef, UnitLevel, get_form
from chunnuan.reporting.exports.data import ReportData, _build, _date_text, normalize_region_code
from chunnuan.reporting.models import Campaign
from chunnuan.reporting.periods import Period, PeriodKind, local_today, periods_between
from chunnuan.reporting.units import REGION_UNIT_LEVEL, UNIT_DEPTH


@dataclass
class TargetCheck:
    indicator: str
    indicator_label: str
    segment: str
    segment_label: str
    target: Decimal
    actual: Decimal | None  # a percentage with one decimal
    inherited: bool
    note: str = ""  # "报送 97.8%（已报 1/5 …）· 台帐实时 88.7%" when the figure is incomplete or differs

    @property
    def is_met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.target

    @property
    def target_text(self) -> str:
        return _number(self.target)

    @property
    def actual_text(self) -> str:
        return "" if self.actual is None else _number(self.actual)


def _number(value: Decimal) -> str:
    """90.00 → "90", 77.80 → "77.8"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Completeness:
    form: FormDef
    period: Period
    expected: int
    submitted: int
    on_time: int
    missing: list[str] = field(default_factory=list)  # names of the units not in

    @property
    def missing_text(self) -> str:
        return selectors.RegionCompleteness(region="", name="", missing=self.missing).missing_text

    @property
    def rate(self) -> int | None:
        return whole_percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> int | None:
        return whole_percent(self.on_time, self.expected)


@dataclass
class CampaignSummary:
    campaign: Campaign
    region_code: str
    region_name: str
    as_of: dt.date
    reports: list[ReportData]
    targets: list[TargetCheck]
    completeness: list[Completeness]
    paragraphs: list[str]
    notes: list[str]  # figures that could not be assembled, and why

    @property
    def title(self) -> str:
        return f"{self.campaign.name}工作总结"

    @property
    def own_text(self) -> str:
        return self.campaign.summary_text

    @property
    def own_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.campaign.summary_text.splitlines() if p.strip()]

    @property
    def text(self) -> str:
        return "".join(self.paragraphs)


def default_region_for(actor: Actor, campaign: Campaign) -> str:
    """The campaign's own region when in reach, else the actor's own jurisdiction."""
    if actor.covers(campaign.region_code):
        return campaign.region_code
    return actor.home_region_code or campaign.region_code


def _campaign_period(form: FormDef, campaign: Campaign, as_of: dt.date) -> Period:
    if form.period_kind is PeriodKind.CAMPAIGN:
        return selectors.campaign_period(campaign)
    periods = periods_between(form.period_kind, campaign.start_date, campaign.end_date)
    ended = [p for p in periods if p.end <= as_of]
    return (ended or periods)[-1]


def _summary_pairs(campaign: Campaign) -> list[tuple[FormDef, FormDef | None]]:
    """(base form, its summary) for each form pair the campaign uses, in the campaign's order."""
    from chunnuan.reporting.definitions import summary_form_for

    used = [get_form(cf.form_code) for cf in selectors.campaign_forms(campaign)]
    pairs: list[tuple[FormDef, FormDef | None]] = []
    seen: set[str] = set()
    for form in used:
        base = get_form(form.summary_of) if form.summary_of else form
        if base.code in seen:
            continue
        seen.add(base.code)
        summary = summary_form_for(base.code)
        pairs.append((base, summary if summary and any(f.code == summary.code for f in used) else None))
    return pairs


def campaign_summary(*, actor: Actor, campaign: Campaign, region_code: str = "") -> CampaignSummary:
    """The campaign's written summary for a region, assembled from its figures: each form's totals,
    each target against its actual, the completeness of the base forms, a generated paragraph — and
    the officer's own words (``campaign.summary_text``)."""
    selectors.require_report_reader(actor)
    region = region_get(code=normalize_region_code(region_code or default_region_for(actor, campaign)))
    ensure_in_scope(actor, region.code)
    issued = campaign.region_code[: UNIT_DEPTH[selectors.region_unit_level(campaign.region_code)]]
    if not region.code.startswith(issued):
        raise NotFound("该地区不在此专项行动的范围内")
    today = local_today()
    as_of = min(max(today, campaign.start_date), campaign.end_date)
    level = REGION_UNIT_LEVEL.get(RegionLevel(region.level))
    reports: list[ReportData] = []
    completeness: list[Completeness] = []
    notes: list[str] = []
    for base, summary in _summary_pairs(campaign):
        period = _campaign_period(base, campaign, as_of)
        form = summary if summary is not None and level in summary.levels else base
        try:
            reports.append(_build(actor=actor, form=form, region=region, period=period))
        except DomainError as exc:
            notes.append(f"{form.short_name}：{exc.message}")
        try:
            board = selectors.status_board(
                actor=actor, form=base, period=period, campaign=campaign, region_code=region.code
            )
        except DomainError:
            continue
        t = board.totals
        completeness.append(Completeness(base, period, t.expected, t.submitted, t.on_time, list(t.missing)))
    targets = _target_checks(actor, campaign, region, notes)
    paragraphs = _paragraphs(campaign, region, as_of, reports, completeness, targets)
    return CampaignSummary(
        campaign=campaign,
        region_code=region.code,
        region_name=region.name,
        as_of=as_of,
        reports=reports,
        targets=targets,
        completeness=completeness,
        paragraphs=paragraphs,
        notes=notes,
    )


def _target_checks(actor: Actor, campaign: Campaign, region: Region, notes: list[str]) -> list[TargetCheck]:
    """Every target in effect for the region against its actual (the indicator pages' numbers)."""

    try:
        values = indicators.indicator_values(actor=actor, campaign=campaign, region_code=region.code)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        notes.append(f"目标完成情况：{exc.message}")
        return []
    return [
        TargetCheck(
            indicator=v.indicator,
            indicator_label=v.indicator_label,
            segment=v.segment,
            segment_label=v.segment_label,
            target=v.target.value,
            actual=v.actual,
            inherited=v.inherited,
            note=v.check.text if v.check.needs_note else "",
        )
        for v in values
    ]


def _paragraphs(
    campaign: Campaign,
    region: Region,
    as_of: dt.date,
    reports: list[ReportData],
    completeness: list[Completeness],
    targets: list[TargetCheck],
) -> list[str]:
    first = f"截至{_date_text(as_of)}，{region.name}"
    parts: list[str] = []
    employer_board = next((c for c in completeness if c.form.first_level is UnitLevel.EMPLOYER), None)
    if employer_board is not None:
        rate = "" if employer_board.rate is None else f"，报送率{employer_board.rate}%"
        parts.append(
            f"共有{employer_board.submitted}家用人单位报送基层表（应报{employer_board.expected}家{rate}）"
        )
    contract = next((d for d in reports if {"due", "signed"} <= set(d.form.field_codes)), None)
    if contract is not None:
        due, signed = contract.totals.get("due") or 0, contract.totals.get("signed") or 0
        rate_value = indicators.percent(signed, due)  # one decimal, as the dashboard gives it
        text = f"应签订劳动合同{due}人，已签订{signed}人"
        if rate_value is not None:
            text += f"，签订率{_number(rate_value)}%"
        if contract.coverage is not None and not contract.coverage.is_complete:
            text += f"（仅含已报数据：{contract.coverage.note}）"
        goal = next(
            (
                t
                for t in targets
                if t.indicator == Indicator.CONTRACT_SIGNING_RATE and t.segment == Segment.ALL
            ),
            None,
        )
        if goal is not None:
            done = goal.is_met
            verdict = "已完成目标" if done else "未完成目标" if done is False else "尚无数据"
            text += f"，目标{goal.target_text}%，{verdict}"
        live = next((c for c in contract.checks if c.differs), None)
        if live is not None and live.live is not None:
            text += f"；按台帐实时统计，签订率{_number(live.live)}%"
        parts.append(text)
    if not parts:
        parts.append("尚无已审核的报表数据")
    paragraphs = [first + "，".join(parts) + "。"]
    for data in reports:
        if data is contract:
            continue
        shown = [f for f in data.form.fields if f.kind is not FieldKind.COMPUTED][:4]
        figures = "，".join(
            f"{f.label}{data.totals.get(f.code) if data.totals.get(f.code) is not None else '—'}{f.unit}"
            for f in shown
        )
        cover = data.coverage
        scope = f"（仅含已报数据：{cover.note}）" if cover is not None and not cover.is_complete else ""
        paragraphs.append(f"{data.form.short_name}（{data.period.label}）{scope}：{figures}。")
    others = [
        t
        for t in targets
        if not (t.indicator == Indicator.CONTRACT_SIGNING_RATE and t.segment == Segment.ALL)
    ]
    if others:
        items = []
        for t in others:
            actual = "尚无数据" if t.actual is None else f"{t.actual_text}%"
            verdict = "" if t.is_met is None else "，已完成" if t.is_met else "，未完成"
            label = t.indicator_label.replace("（%）", "")
            scope = "" if t.segment == Segment.ALL else f"（{t.segment_label}）"
            items.append(f"{label}{scope}{actual}，目标{t.target_text}%{verdict}")
        paragraphs.append("其他目标：" + "；".join(items) + "。")
    return paragraphs
