"""Who is late (催报): every unit that should report, its status and days late, and completeness
per subordinate region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chunnuan.access.actor import Actor
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.core.errors import ValidationFailed
from chunnuan.regions.lookups import region_names
from chunnuan.reporting.choices import IN_STATUSES
from chunnuan.reporting.definitions import LEVEL_ORDER, UNIT_LEVEL_LABELS, FormDef, UnitLevel
from chunnuan.reporting.models import Campaign, Submission
from chunnuan.reporting.periods import Period, days_late
from chunnuan.reporting.selectors.campaigns import deadline_for
from chunnuan.reporting.selectors.reach import _prefix, _region_level, expected_units
from chunnuan.reporting.units import UNIT_DEPTH, Unit


@dataclass
class StatusRow:
    unit: Unit
    submission: Submission | None
    deadline: dt.date
    days_late: int

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else "missing"

    @property
    def is_in(self) -> bool:
        return self.submission is not None and self.submission.status in IN_STATUSES

    @property
    def on_time(self) -> bool:
        return self.is_in and self.days_late == 0


# how many missing units a note names before it says "等N个"
MISSING_NAMED = 8


@dataclass
class RegionCompleteness:
    """How complete a region's figures are: of the units expected to report (at ``level``), how many
    are in, and which are missing. The one computation behind every "已报 1/5 个县（市、区），缺：…"
    note — on the pages, in the xlsx and PDF exports and in the API."""

    region: str
    name: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    level: UnitLevel | None = None
    missing: list[str] = field(default_factory=list)  # names of the expected units not in

    @property
    def is_complete(self) -> bool:
        return self.submitted >= self.expected

    @property
    def unit_label(self) -> str:
        if self.level is None:
            return "个单位"
        return "家用人单位" if self.level is UnitLevel.EMPLOYER else f"个{UNIT_LEVEL_LABELS[self.level]}"

    @property
    def missing_text(self) -> str:
        names = "、".join(self.missing[:MISSING_NAMED])
        more = len(self.missing) - MISSING_NAMED
        return names + (f"等{len(self.missing)}个" if more > 0 else "")

    @property
    def note(self) -> str:
        """“已报 1/5 个县（市、区），缺：前郭尔罗斯蒙古族自治县、…” ("" when nothing is expected)."""
        if not self.expected:
            return ""
        text = f"已报 {self.submitted}/{self.expected} {self.unit_label}"
        if self.missing:
            text += f"，缺：{self.missing_text}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "expected": self.expected,
            "submitted": self.submitted,
            "level": str(self.level) if self.level else None,
            "missing": list(self.missing),
            "is_complete": self.is_complete,
            "note": self.note,
        }

    @property
    def completeness(self) -> int | None:
        from chunnuan.employers.rules import whole_percent

        return whole_percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> int | None:
        from chunnuan.employers.rules import whole_percent

        return whole_percent(self.on_time, self.expected)


@dataclass
class StatusBoard:
    form: FormDef
    period: Period
    region_code: str
    level: UnitLevel
    deadline: dt.date
    rows: list[StatusRow]
    by_region: list[RegionCompleteness]

    @property
    def late(self) -> list[StatusRow]:
        return [r for r in self.rows if r.days_late > 0]

    @property
    def totals(self) -> RegionCompleteness:
        total = RegionCompleteness(region=self.region_code, name="合计", level=self.level)
        for r in self.by_region:
            total.expected += r.expected
            total.submitted += r.submitted
            total.on_time += r.on_time
            total.missing += r.missing
        return total


def status_board(
    *,
    actor: Actor,
    form: FormDef,
    period: Period,
    campaign: Campaign | None,
    region_code: str,
    level: UnitLevel | None = None,
    now: dt.datetime | None = None,
) -> StatusBoard:
    """For the officer's region and a period: every unit that should report this form, its status
    and days late, and completeness / on-time rates per subordinate region."""
    ensure_in_scope(actor, region_code)
    own_level = _region_level(region_code)
    if level is None:
        below = [lv for lv in form.levels if LEVEL_ORDER.index(lv) < LEVEL_ORDER.index(own_level)]
        if not below:
            raise ValidationFailed(
                f"本级以下没有填报“{form.short_name}”的单位", fields={"level": ["没有下级填报单位"]}
            )
        level = below[-1] if form.is_summary else below[0]
    deadline = deadline_for(form=form, period=period, level=level, campaign=campaign)
    units = expected_units(actor=actor, level=level, region_code=region_code)
    subs = {
        s.unit_key: s
        for s in Submission.objects.visible_to(actor).filter(
            form_code=form.code,
            period_key=period.key,
            level=level,
            region_code__startswith=_prefix(region_code),
        )
    }
    rows: list[StatusRow] = []
    for unit in units:
        sub = subs.get(unit.key)
        done = sub.submitted_at if sub is not None and sub.status in IN_STATUSES else None
        rows.append(
            StatusRow(unit=unit, submission=sub, deadline=deadline, days_late=days_late(deadline, done, now))
        )
    # completeness per subordinate region (one level below the officer's region)
    child_depth = _child_depth(own_level)
    groups: dict[str, RegionCompleteness] = {}
    for row in rows:
        code = row.unit.region_code[:child_depth].ljust(12, "0") if child_depth else row.unit.region_code
        group = groups.setdefault(code, RegionCompleteness(region=code, name="", level=level))
        group.expected += 1
        group.submitted += row.is_in
        group.on_time += row.on_time
        if not row.is_in:
            group.missing.append(row.unit.name)
    names = region_names(groups)
    for code, group in groups.items():
        group.name = names.get(code, code)
    return StatusBoard(
        form=form,
        period=period,
        region_code=region_code,
        level=level,
        deadline=deadline,
        rows=rows,
        by_region=sorted(groups.values(), key=lambda g: g.region),
    )


def _child_depth(level: UnitLevel) -> int:
    i = LEVEL_ORDER.index(level)
    return UNIT_DEPTH[LEVEL_ORDER[i - 1]] if i > 1 else UNIT_DEPTH[UnitLevel.TOWNSHIP]
