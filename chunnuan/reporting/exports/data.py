"""The data every export format shares: :func:`report_data` (a form's figures for a region and a
period) and the labels and text helpers the layouts use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chunnuan.access.actor import Actor
from chunnuan.access.personal import masked
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.core.errors import DomainError, ValidationFailed
from chunnuan.employers.choices import SizeClass
from chunnuan.employers.selectors import section_choices
from chunnuan.regions.lookups import region_names
from chunnuan.regions.models import Region
from chunnuan.regions.selectors import region_get
from chunnuan.reporting import selectors
from chunnuan.reporting.choices import IN_STATUSES
from chunnuan.reporting.definitions import FieldDef, FormDef, UnitLevel, get_form
from chunnuan.reporting.indicators import ReportedVsLive, signing_check
from chunnuan.reporting.models import Submission
from chunnuan.reporting.periods import Period, local_today
from chunnuan.reporting.units import region_unit

DIM_HEADERS = {"region": "地区", "section": "行业门类", "size": "企业规模", "above_scale": "规模以上"}


@dataclass
class ReportRow:
    region: str
    label: str
    values: dict[str, int | None]
    cells: tuple[str, ...] = ()  # the text of the leading columns (unit / region, section, size …)

    def as_json(self) -> dict[str, Any]:
        return {"region": self.region, "label": self.label, "values": self.values}


@dataclass
class ReportData:
    form: FormDef
    region_code: str
    region_name: str
    period: Period
    rows: list[ReportRow]
    totals: dict[str, int | None]
    dim_headers: tuple[str, ...]
    filler_unit: str = ""
    filler_name: str = ""
    filler_phone: str = ""  # always masked
    fill_date: dt.date | None = None
    summary_rows: list[selectors.SummaryRow] = field(default_factory=list)  # a roll-up's own rows
    coverage: selectors.RegionCompleteness | None = None  # which units the figures cover
    checks: list[ReportedVsLive] = field(default_factory=list)  # reported rates beside the roster's

    @property
    def coverage_note(self) -> str:
        """“数据范围：已报 1/5 个县（市、区），缺：…” (says so when the figures are incomplete)."""
        if self.coverage is None or not self.coverage.expected:
            return ""
        prefix = "数据不完整" if not self.coverage.is_complete else "数据范围"
        return f"{prefix}：{self.coverage.note}"

    @property
    def notes(self) -> list[str]:
        """The lines an export prints under its title: coverage, then each rate beside the roster's."""
        notes = [self.coverage_note] if self.coverage_note else []
        notes += [f"{c.label}：{c.text}" for c in self.checks if c.differs]
        return notes

    @property
    def title(self) -> str:
        return f"{self.region_name}{self.form.name}"

    @property
    def period_key(self) -> str:
        return self.period.key

    @property
    def units_note(self) -> str:
        units: list[str] = []
        for f in self.form.fields:
            unit = "%" if f.is_rate else f.unit
            if unit not in units:
                units.append(unit)
        return "单位：" + "、".join(units)

    @property
    def total_items(self) -> list[dict[str, Any]]:
        """The totals as (label, value, unit) items, a field's group named before its label."""
        return [
            {
                "label": f"{f.group} · {f.label}" if f.group else f.label,
                "value": self.totals.get(f.code),
                "unit": "%" if f.is_rate else f.unit,
            }
            for f in self.form.fields
        ]

    @property
    def filename_stem(self) -> str:
        return f"{self.form.code}_{self.region_code}_{self.period.key}"

    def as_json(self) -> dict[str, Any]:
        return {
            "form": self.form.code,
            "region": self.region_code,
            "period": self.period.key,
            "rows": [r.as_json() for r in self.rows],
            "totals": self.totals,
            "coverage": self.coverage.as_dict() if self.coverage else None,
            "checks": [c.as_dict() for c in self.checks],
            "notes": self.notes,
        }


def normalize_region_code(text: str) -> str:
    """``220702`` / ``220702001`` / a 12-digit code → the 12-digit code."""
    code = "".join((text or "").split())
    if code.isdigit() and len(code) in (2, 4, 6, 9):
        return code.ljust(12, "0")
    return code


def report_data(*, actor: Actor, form_code: str, region_code: str, period_key: str) -> ReportData:
    """A form's figures for a region and a period: the units' submissions of a base form, or the
    roll-up of a summary form. Unknown form or period → ValidationFailed; region out of reach →
    NotFound."""
    selectors.require_report_reader(actor)
    form = get_form((form_code or "").strip())
    if not (region_code or "").strip():
        raise ValidationFailed("请选择地区", fields={"region": ["请选择地区"]})
    region = region_get(code=normalize_region_code(region_code))
    ensure_in_scope(actor, region.code)
    period, _campaign = selectors.resolve_period(actor=actor, form=form, key=period_key)
    return _build(actor=actor, form=form, region=region, period=period)


def _build(*, actor: Actor, form: FormDef, region: Region, period: Period) -> ReportData:
    if form.is_summary:
        return _summary_data(actor, form, region, period)
    return _base_data(actor, form, region, period)


def _base_data(actor: Actor, form: FormDef, region: Region, period: Period) -> ReportData:
    subs = list(
        selectors.submission_list(
            actor=actor, form_code=form.code, period_key=period.key, region_code=region.code
        )
        .filter(status__in=IN_STATUSES)
        .order_by("region_code", "unit_name", "unit_key")
    )
    by_employer = form.first_level is UnitLevel.EMPLOYER
    names = region_names(s.region_code for s in subs)
    rows = [
        ReportRow(
            region=s.region_code,
            label=s.unit_name,
            values=form.complete(s.values),
            cells=(s.unit_name, names.get(s.region_code, s.region_code)) if by_employer else (s.unit_name,),
        )
        for s in subs
    ]
    codes = [f.code for f in form.input_fields]
    totals: dict[str, int | None] = {}
    for row in rows:
        selectors.add_values(totals, row.values, codes)
    own = subs[0] if len(subs) == 1 and subs[0].region_code == region.code else None
    if own is None:
        own = _own_summary(actor, form, region, period)
    data = ReportData(
        form=form,
        region_code=region.code,
        region_name=region.name,
        period=period,
        rows=rows,
        totals=form.complete(totals),
        dim_headers=("填报单位", "所在地区") if by_employer else ("地区",),
        coverage=_base_coverage(actor, form, region, subs),
    )
    _footer(data, own, region)
    _add_checks(actor, data)
    return data


def _base_coverage(
    actor: Actor, form: FormDef, region: Region, subs: list[Submission]
) -> selectors.RegionCompleteness | None:
    """Of the units that fill a base form under the region, which have reported."""
    unit = region_unit(region)
    if unit is None:
        return None
    try:
        expected = selectors.expected_units(actor=actor, level=form.first_level, region_code=region.code)
    except DomainError:
        return None
    got = {s.unit_key for s in subs}
    return selectors.RegionCompleteness(
        region=region.code,
        name=region.name,
        expected=len(expected),
        submitted=sum(1 for u in expected if u.key in got),
        level=form.first_level,
        missing=[u.name for u in expected if u.key not in got],
    )


def _add_checks(actor: Actor, data: ReportData) -> None:
    """A contract form's signing rate beside the roster's (台帐实时)."""
    if {"due", "signed"} <= set(data.form.field_codes):
        data.checks.append(
            signing_check(
                actor=actor,
                region_code=data.region_code,
                signed=data.totals.get("signed"),
                due=data.totals.get("due"),
                coverage=data.coverage,
            )
        )


def _own_summary(actor: Actor, form: FormDef, region: Region, period: Period) -> Submission | None:
    """The region's own summary of this base form (its filler signs the export), if it has one."""
    from chunnuan.reporting.definitions import summary_form_for

    summary = summary_form_for(form.code)
    unit = region_unit(region)
    if summary is None or unit is None:
        return None
    return selectors.submission_for(actor=actor, form=summary, period=period, unit=unit)


def _summary_data(actor: Actor, form: FormDef, region: Region, period: Period) -> ReportData:
    unit = selectors.unit_of_actor(actor=actor, form=form, region_code=region.code)
    roll = selectors.rollup(actor=actor, form=form, period=period, unit=unit)
    names = region_names(r.region for r in roll.rows)
    sections = section_names()
    sizes = {str(k): str(v) for k, v in SizeClass.choices}
    dims = [d for d in selectors.DIMS if d in form.breakdown] or ["region"]
    rows = []
    for r in roll.rows:
        text = {
            "region": names.get(r.region, r.region),
            "section": sections.get(r.section, r.section) if r.section else "未分行业",
            "size": sizes.get(r.size, r.size) if r.size else "未分规模",
            "above_scale": "规模以上" if r.above_scale else "规模以下",
        }
        cells = tuple(text[d] for d in dims)
        rows.append(ReportRow(region=r.region, label=" · ".join(cells), values=dict(r.values), cells=cells))
    own = selectors.submission_for(actor=actor, form=form, period=period, unit=unit)
    data = ReportData(
        form=form,
        region_code=region.code,
        region_name=region.name,
        period=period,
        rows=rows,
        totals=dict(roll.totals),
        dim_headers=tuple(DIM_HEADERS[d] for d in dims),
        summary_rows=roll.rows,
        coverage=roll.coverage,
    )
    _footer(data, own, region)
    _add_checks(actor, data)
    return data


def _footer(data: ReportData, own: Submission | None, region: Region) -> None:
    data.filler_unit = region.name
    if own is not None:
        data.filler_name = own.filler_name
        data.filler_phone = masked(own, "filler_phone")
        if own.submitted_at is not None and own.status in IN_STATUSES:
            data.fill_date = local_today(own.submitted_at)
    if data.fill_date is None:
        data.fill_date = local_today()


def section_names() -> dict[str, str]:
    """{"C": "C 制造业", …} from the industry table (the letter alone when it is not loaded)."""
    return dict(section_choices())


def _header_label(f: FieldDef) -> str:
    return f"{f.label}（%）" if f.is_rate and "%" not in f.label else f.label


def _fmt(value: Any, f: FieldDef | None = None) -> str:
    if value is None:
        return ""
    return f"{value}%" if f is not None and f.is_rate else str(value)


def _date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _header_groups(fields: Iterable[FieldDef]) -> list[tuple[str, int, int]]:
    """(group, first index, last index) for each run of neighbouring fields sharing a group."""
    runs: list[tuple[str, int, int]] = []
    for i, f in enumerate(fields):
        if f.group and runs and runs[-1][0] == f.group and runs[-1][2] == i - 1:
            runs[-1] = (f.group, runs[-1][1], i)
        elif f.group:
            runs.append((f.group, i, i))
    return runs


def _footer_texts(data: ReportData) -> list[str]:
    return [
        f"填报单位：{data.filler_unit}",
        f"填表人：{data.filler_name}",
        f"联系电话：{data.filler_phone}",
        f"填报日期：{_date_text(data.fill_date)}",
    ]
