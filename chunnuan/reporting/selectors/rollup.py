"""Roll-up (汇总): a summary is the sum of its children's approved submissions; and a summary's
figures restricted to one employer segment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from chunnuan.access.actor import Actor
from chunnuan.core.errors import ValidationFailed
from chunnuan.regions.models import Region
from chunnuan.reporting.choices import ACCEPTED_STATUSES, Segment
from chunnuan.reporting.definitions import LEVEL_ORDER, FieldKind, FormDef, UnitLevel, get_form
from chunnuan.reporting.models import Submission
from chunnuan.reporting.periods import Period
from chunnuan.reporting.selectors.reach import expected_units
from chunnuan.reporting.selectors.status import RegionCompleteness
from chunnuan.reporting.units import UNIT_DEPTH, Unit

DIMS = ("region", "section", "size", "above_scale")


@dataclass
class SummaryRow:
    region: str
    section: str = ""
    size: str = ""
    above_scale: bool | None = None
    values: dict[str, int | None] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "section": self.section,
            "size": self.size,
            "above_scale": self.above_scale,
            "values": self.values,
        }


@dataclass
class Rollup:
    form: FormDef
    period: Period
    unit: Unit
    rows: list[SummaryRow]
    totals: dict[str, int | None]
    children_expected: list[Unit]
    children_in: list[str]  # unit keys with an approved submission
    child_level: UnitLevel

    @property
    def missing(self) -> list[Unit]:
        got = set(self.children_in)
        return [u for u in self.children_expected if u.key not in got]

    @property
    def coverage(self) -> RegionCompleteness:
        """Which of the expected children the summed figures cover (已报 x/y，缺：…)."""
        got = set(self.children_in)
        covered = [u for u in self.children_expected if u.key in got]
        return RegionCompleteness(
            region=self.unit.region_code,
            name=self.unit.name,
            expected=len(self.children_expected),
            submitted=len(covered),
            level=self.child_level,
            missing=[u.name for u in self.missing],
        )


def child_level_of(form: FormDef, level: UnitLevel) -> tuple[UnitLevel, FormDef]:
    """The level (and the form) a summary at ``level`` rolls up."""
    base = get_form(form.summary_of or "")
    below = LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]
    return below, (base if below in base.levels else form)


def add_values(into: dict[str, int | None], values: dict[str, Any], codes: list[str]) -> None:
    """Add the figures ``codes`` of ``values`` into ``into`` (a figure nobody gave stays None)."""
    for code in codes:
        value = values.get(code)
        if isinstance(value, int):
            into[code] = (into.get(code) or 0) + value
        else:
            into.setdefault(code, into.get(code))


def _dims(form: FormDef, region: str, section: str, size: str, above: bool | None) -> tuple[Any, ...]:
    full = {"region": region, "section": section, "size": size, "above_scale": above}
    return tuple(full[d] if d in form.breakdown else None for d in DIMS)


def rollup(*, actor: Actor, form: FormDef, period: Period, unit: Unit) -> Rollup:
    """The summary of ``form`` for ``unit``: its children's approved submissions added up, by the
    form's breakdown. Reads only the level just below (a city reads its counties' summaries), so
    the cost does not grow with the roster."""
    if not form.is_summary:
        raise ValidationFailed(f"“{form.short_name}”不是汇总表", fields={"form": ["不是汇总表"]})
    child_level, child_form = child_level_of(form, unit.level)
    codes = [f.code for f in form.input_fields]
    cells: dict[tuple[Any, ...], dict[str, int | None]] = defaultdict(dict)
    children = (
        Submission.objects.visible_to(actor)
        .filter(
            form_code=child_form.code,
            period_key=period.key,
            level=child_level,
            region_code__startswith=unit.prefix,
            status__in=ACCEPTED_STATUSES,
        )
        .only("unit_key", "region_code", "industry_section", "size_class", "is_above_scale", "values", "rows")
    )
    got: list[str] = []
    for sub in children.iterator(chunk_size=2000):
        got.append(sub.unit_key)
        if child_form is form:
            for row in sub.rows:
                key = _dims(
                    form, row["region"], row.get("section", ""), row.get("size", ""), row.get("above_scale")
                )
                add_values(cells[key], row["values"], codes)
        else:
            township = sub.region_code[: UNIT_DEPTH[UnitLevel.TOWNSHIP]].ljust(12, "0")
            key = _dims(form, township, sub.industry_section, sub.size_class, sub.is_above_scale)
            add_values(cells[key], sub.values, codes)
    rows = [
        SummaryRow(
            region=k[0] or unit.region_code,
            section=k[1] or "",
            size=k[2] or "",
            above_scale=k[3],
            values=form.complete(v),
        )
        for k, v in sorted(cells.items(), key=lambda kv: tuple("" if x is None else str(x) for x in kv[0]))
    ]
    totals: dict[str, int | None] = {}
    for row in rows:
        add_values(totals, row.values, codes)
    expected = expected_units(actor=actor, level=child_level, region_code=unit.region_code)
    return Rollup(
        form=form,
        period=period,
        unit=unit,
        rows=rows,
        totals=form.complete(totals) if rows else form.complete({}),
        children_expected=expected,
        children_in=got,
        child_level=child_level,
    )


SEGMENT_FILTERS: dict[str, Any] = {
    Segment.ALL: lambda row, park: True,
    Segment.ABOVE_SCALE: lambda row, park: bool(row.above_scale),
    Segment.SMALL_MICRO: lambda row, park: row.size in ("small", "micro"),
    Segment.INDUSTRIAL_PARK: lambda row, park: park,
    Segment.OTHER_URBAN: lambda row, park: not park,
}


def values_for_segment(
    form: FormDef, rows: list[SummaryRow], segment: str, park_codes: set[str]
) -> dict[str, int | None]:
    """A summary's figures restricted to one employer segment (above-scale, small and micro …)."""
    pick = SEGMENT_FILTERS[segment]
    codes = [f.code for f in form.fields if f.kind is not FieldKind.COMPUTED]
    total: dict[str, int | None] = {}
    for row in rows:
        if pick(row, row.region in park_codes):
            add_values(total, row.values, codes)
    return form.complete(total)


def park_region_codes(prefix: str) -> set[str]:
    """Township-level units that are development zones or industrial parks (工业园区)."""
    from chunnuan.regions.models import RegionKind

    return set(
        Region.objects.filter(
            valid_to__isnull=True,
            code__startswith=prefix,
            kind__in=[RegionKind.DEVELOPMENT_ZONE, RegionKind.INDUSTRIAL_PARK, RegionKind.ADMIN_COMMITTEE],
        ).values_list("code", flat=True)
    )
