"""指标: a campaign's indicators for a region — the actual value from the reported figures set
against the target in effect (own or inherited), the ranking of the regions below, the 旬 trend of
the dispatch figures and the drill-down to the employers behind a township's number.

Everything here is *reported* figures: the roll-up of the children's approved submissions
(:func:`chunnuan.reporting.selectors.rollup`), never the live roster. A county's number is the sum
of its townships' approved summaries; a township's the sum of its employers' approved base forms.

Rates are percentages with one decimal (half up), so 89.96 % does not pass as 90 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from chunnuan.access.actor import Actor
from chunnuan.access.scoping import code_prefix, ensure_in_scope
from chunnuan.core.errors import NotFound, PermissionDenied, ValidationFailed
from chunnuan.regions.lookups import region_names
from chunnuan.regions.models import Region
from chunnuan.regions.selectors import region_get
from chunnuan.reporting import selectors
from chunnuan.reporting.choices import ACCEPTED_STATUSES, Indicator, Segment
from chunnuan.reporting.definitions import FieldDef, FormDef, UnitLevel, get_form
from chunnuan.reporting.models import Campaign, Submission
from chunnuan.reporting.periods import Period, PeriodKind, periods_between
from chunnuan.reporting.selectors import EffectiveTarget, SummaryRow
from chunnuan.reporting.units import UNIT_DEPTH, Unit, region_unit

CONTRACT_BASE = "CN_CONTRACT_BASE"
CONTRACT_SUMMARY = "CN_CONTRACT_SUMMARY"
DISPATCH = "SF_DISPATCH"
DISPATCH_SUMMARY = "SF_DISPATCH_SUMMARY"
RETURNEE = "RETURNEE_EMPLOYMENT"
RETURNEE_SUMMARY = "RETURNEE_EMPLOYMENT_SUMMARY"

# indicator → (summary form, numerator field, denominator field)
RATE_SOURCES: dict[str, tuple[str, str, str]] = {
    Indicator.CONTRACT_SIGNING_RATE: (CONTRACT_SUMMARY, "signed", "due"),
    Indicator.INSURED_RATE: (CONTRACT_SUMMARY, "insured", "on_roll"),
    Indicator.FILING_RATE: (CONTRACT_SUMMARY, "filed", "on_roll"),
    Indicator.RETURNEE_EMPLOYMENT_RATE: (RETURNEE_SUMMARY, "employed", "returnees"),
}
TREND_FIELDS = ("returnees", "stayers", "gone_out", "p2p_passengers")
# the figures a drill-down row shows (the contract summary's)
DRILL_FIELDS = ("on_roll", "due", "signed", "rate", "filed", "insured")

_INDICATOR_ORDER = {code: i for i, code in enumerate(Indicator.values)}
_SEGMENT_ORDER = {code: i for i, code in enumerate(Segment.values)}
_TENTH = Decimal("0.1")


def percent(part: int | None, whole: int | None) -> Decimal | None:
    """part / whole as a percentage with one decimal (half up); None when there is nothing to divide."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def rate_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportedVsLive:
    """A reported rate beside what stands behind it: which units the roll-up covers and the same
    rate counted live from the roster (台帐实时) —
    "报送 96.8%（已报 1/5 个县（市、区），缺：前郭尔罗斯蒙古族自治县…）· 台帐实时 89.0%"."""

    label: str
    reported: Decimal | None
    coverage: selectors.RegionCompleteness | None = None
    live: Decimal | None = None

    @property
    def is_incomplete(self) -> bool:
        return self.coverage is not None and not self.coverage.is_complete

    @property
    def differs(self) -> bool:
        return self.live is not None and self.live != self.reported

    @property
    def needs_note(self) -> bool:
        return self.is_incomplete or self.differs

    @property
    def text(self) -> str:
        text = f"报送 {rate_text(self.reported)}"
        if self.is_incomplete and self.coverage is not None:
            text += f"（{self.coverage.note}）"
        if self.differs:
            text += f"{'' if text.endswith('）') else ' '}· 台帐实时 {rate_text(self.live)}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "reported": None if self.reported is None else str(self.reported),
            "live": None if self.live is None else str(self.live),
            "coverage": self.coverage.as_dict() if self.coverage else None,
            "text": self.text,
        }


def live_signing(*, actor: Actor, region_code: str) -> Measure | None:
    """The labour-contract signing rate of the region's rosters today (台帐实时), counted as the
    用工统计 page counts it — read from the employers' roster tallies (名册统计), so a home page or a
    dashboard never scans the rosters; None when the actor may not read rosters."""
    from chunnuan.access.permissions import Perm
    from chunnuan.regions.models import Region
    from chunnuan.reporting.tallies import roster_due_signed

    if not actor.is_region_actor or not actor.can(Perm.VIEW_EMPLOYERS) or not actor.covers(region_code):
        return None
    region = Region.objects.filter(code=region_code, valid_to__isnull=True).first()
    if region is None:
        return None
    due, signed = roster_due_signed(actor=actor, prefix=region.scope_prefix)
    return Measure(signed, due)


def signing_check(
    *, actor: Actor, region_code: str, signed: int | None, due: int | None, coverage: Any
) -> ReportedVsLive:
    """The reported signing rate (signed / due) of a region with its coverage and the live rate."""
    live = live_signing(actor=actor, region_code=region_code)
    return ReportedVsLive(
        label=str(Indicator.CONTRACT_SIGNING_RATE.label),
        reported=percent(signed, due),
        coverage=coverage,
        live=None if live is None else live.value,
    )


@dataclass(frozen=True)
class Measure:
    """An actual value and the two counts it comes from (on time / expected for completeness)."""

    numerator: int | None = None
    denominator: int | None = None

    @property
    def value(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)


@dataclass(frozen=True)
class IndicatorValue:
    indicator: str
    segment: str
    measure: Measure
    target: EffectiveTarget
    target_region_name: str = ""
    coverage: selectors.RegionCompleteness | None = None  # which units the reported figure covers
    live: Decimal | None = None  # the same rate from the roster today, where the system counts it

    @property
    def actual(self) -> Decimal | None:
        return self.measure.value

    @property
    def check(self) -> ReportedVsLive:
        return ReportedVsLive(
            label=self.indicator_label, reported=self.actual, coverage=self.coverage, live=self.live
        )

    @property
    def indicator_label(self) -> str:
        return str(Indicator(self.indicator).label)

    @property
    def segment_label(self) -> str:
        return str(Segment(self.segment).label)

    @property
    def met(self) -> bool | None:
        """True / False against the target; None while there are no reported figures."""
        return None if self.actual is None else self.actual >= self.target.value

    @property
    def gap(self) -> Decimal | None:
        """actual − target (negative: short of the target)."""
        return None if self.actual is None else self.actual - self.target.value

    @property
    def inherited(self) -> bool:
        return self.target.inherited


@dataclass(frozen=True)
class RankRow:
    region_code: str
    name: str
    measure: Measure
    target: EffectiveTarget | None
    employer_id: int | None = None
    rank: int | None = None

    @property
    def actual(self) -> Decimal | None:
        return self.measure.value

    @property
    def met(self) -> bool | None:
        if self.actual is None or self.target is None:
            return None
        return self.actual >= self.target.value

    @property
    def gap(self) -> Decimal | None:
        if self.actual is None or self.target is None:
            return None
        return self.actual - self.target.value


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    values: dict[str, int | None]
    reported: int  # children with an approved submission
    expected: int
    coverage: selectors.RegionCompleteness | None = None


@dataclass(frozen=True)
class Trend:
    form: FormDef | None
    fields: list[FieldDef]
    points: list[TrendPoint]


@dataclass(frozen=True)
class DrillRegion:
    region_code: str
    name: str
    level: UnitLevel
    values: dict[str, int | None]
    has_figures: bool


@dataclass(frozen=True)
class DrillEmployer:
    employer_id: int | None
    name: str
    status: str
    values: dict[str, Any]
    submitted_at: dt.datetime | None
    days_late: int


@dataclass
class Drilldown:
    region: Region
    level: UnitLevel
    regions: list[DrillRegion] = field(default_factory=list)
    employers: list[DrillEmployer] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)  # expected employers without an approved form


# ---------------------------------------------------------------------------------------------
# The region, the unit and the campaign's forms
# ---------------------------------------------------------------------------------------------


def campaign_region_unit(*, actor: Actor, campaign: Campaign, region_code: str) -> Unit:
    """The reporting unit of a region the actor may look at within the campaign (NotFound outside
    the actor's reach or the campaign's region; ValidationFailed for a level that does not report)."""
    if not actor.is_region_actor:
        raise PermissionDenied()
    selectors.require_report_reader(actor)
    region = region_get(code=region_code)
    ensure_in_scope(actor, region.code)
    if not region.code.startswith(campaign_prefix(campaign)):
        raise NotFound(_("该地区不在此专项行动的范围内"))
    unit = region_unit(region)
    if unit is None:
        raise ValidationFailed(
            _("请选择市、县（市、区）或乡镇（街道）"), fields={"region": [_("该级别没有汇总数据")]}
        )
    return unit


def campaign_prefix(campaign: Campaign) -> str:
    return code_prefix(campaign.region_code)


def campaign_form_codes(campaign: Campaign) -> set[str]:
    return {cf.form_code for cf in selectors.campaign_forms(campaign)}


def _reported_rows(
    *, actor: Actor, form: FormDef, period: Period, unit: Unit
) -> tuple[list[SummaryRow], selectors.RegionCompleteness]:
    """(rows, coverage) of a summary form for a unit — the roll-up where the unit's level files the
    summary, else the unit's own approved base submission as one row."""
    own = selectors.RegionCompleteness(region=unit.region_code, name=unit.name, level=unit.level)
    if unit.level in form.levels:
        roll = selectors.rollup(actor=actor, form=form, period=period, unit=unit)
        return roll.rows, roll.coverage
    base = get_form(form.summary_of or "")
    if unit.level not in base.levels:
        return [], own
    own.expected = 1
    sub = selectors.submission_for(actor=actor, form=base, period=period, unit=unit)
    if sub is None or sub.status not in ACCEPTED_STATUSES:
        own.missing = [unit.name]
        return [], own
    own.submitted = 1
    values = base.complete({k: v for k, v in sub.values.items() if isinstance(v, int)})
    return [SummaryRow(region=unit.region_code, values=values)], own


def _returnee_rows(
    *, actor: Actor, campaign: Campaign, unit: Unit
) -> tuple[list[SummaryRow], selectors.RegionCompleteness | None]:
    """The latest month of the campaign window with reported returnee-employment figures."""
    form = get_form(RETURNEE_SUMMARY)
    for period in reversed(periods_between(PeriodKind.MONTH, campaign.start_date, campaign.end_date)):
        rows, coverage = _reported_rows(actor=actor, form=form, period=period, unit=unit)
        if rows:
            return rows, coverage
    return [], None


class _Figures:
    """The reported rows of one region in one campaign, read once and shared by every indicator."""

    def __init__(self, *, actor: Actor, campaign: Campaign, unit: Unit) -> None:
        self.actor, self.campaign, self.unit = actor, campaign, unit
        self.forms = campaign_form_codes(campaign)
        self.parks = selectors.park_region_codes(unit.prefix)
        self._rows: dict[str, list[SummaryRow]] = {}
        self._coverage: dict[str, selectors.RegionCompleteness | None] = {}
        self._board: selectors.StatusBoard | bool | None = False
        self._live: dict[str, Measure | None] = {}

    def rows(self, summary_code: str) -> list[SummaryRow]:
        if summary_code not in self._rows:
            form = get_form(summary_code)
            coverage: selectors.RegionCompleteness | None = None
            if summary_code not in self.forms and form.summary_of not in self.forms:
                rows: list[SummaryRow] = []
            elif summary_code == RETURNEE_SUMMARY:
                rows, coverage = _returnee_rows(actor=self.actor, campaign=self.campaign, unit=self.unit)
            else:
                period = selectors.campaign_period(self.campaign)
                rows, coverage = _reported_rows(actor=self.actor, form=form, period=period, unit=self.unit)
            self._rows[summary_code], self._coverage[summary_code] = rows, coverage
        return self._rows[summary_code]

    def coverage(self, indicator: str) -> selectors.RegionCompleteness | None:
        """Which units the indicator's reported figures cover (None for 按时上报率 itself)."""
        source = RATE_SOURCES.get(indicator)
        if source is None:
            return None
        self.rows(source[0])
        return self._coverage.get(source[0])

    def live(self, indicator: str, segment: str) -> Decimal | None:
        """The rate counted from the roster today, for the indicators the roster answers."""
        if indicator != Indicator.CONTRACT_SIGNING_RATE or segment != Segment.ALL:
            return None
        if indicator not in self._live:
            self._live[indicator] = live_signing(actor=self.actor, region_code=self.unit.region_code)
        measure = self._live[indicator]
        return None if measure is None else measure.value

    def board(self) -> selectors.StatusBoard | None:
        """The late list of the campaign's base form (按时上报率) under the region."""
        if self._board is False:
            self._board = None
            if CONTRACT_BASE in self.forms:
                self._board = selectors.status_board(
                    actor=self.actor,
                    form=get_form(CONTRACT_BASE),
                    period=selectors.campaign_period(self.campaign),
                    campaign=self.campaign,
                    region_code=self.unit.region_code,
                )
        return self._board if isinstance(self._board, selectors.StatusBoard) else None

    def measure(
        self, indicator: str, segment: str, *, within: Callable[[str], bool] | None = None
    ) -> Measure:
        """The indicator's counts for a segment, over the rows whose region ``within`` accepts."""
        if indicator == Indicator.REPORT_COMPLETENESS:
            board = self.board()
            if board is None:
                return Measure()
            picked = [
                r
                for r in board.rows
                if (within is None or within(r.unit.region_code))
                and _unit_in_segment(r.unit, segment, self.parks)
            ]
            return Measure(sum(r.on_time for r in picked), len(picked)) if picked else Measure()
        source = RATE_SOURCES.get(indicator)
        if source is None:
            return Measure()
        summary_code, part, whole = source
        rows = [r for r in self.rows(summary_code) if within is None or within(r.region)]
        if not rows:
            return Measure()
        values = selectors.values_for_segment(get_form(summary_code), rows, segment, self.parks)
        return Measure(values.get(part), values.get(whole))


def _under(prefix: str) -> Callable[[str], bool]:
    def within(code: str) -> bool:
        return code.startswith(prefix)

    return within


def _unit_in_segment(unit: Unit, segment: str, parks: set[str]) -> bool:
    township = unit.region_code[: UNIT_DEPTH[UnitLevel.TOWNSHIP]].ljust(12, "0")
    row = SummaryRow(region=township, size=unit.size_class, above_scale=unit.is_above_scale)
    return bool(selectors.SEGMENT_FILTERS[segment](row, township in parks))


# ---------------------------------------------------------------------------------------------
# Indicators of a region
# ---------------------------------------------------------------------------------------------


def indicator_values(*, actor: Actor, campaign: Campaign, region_code: str) -> list[IndicatorValue]:
    """Every target in effect for the region, with its actual value from the reported figures."""
    unit = campaign_region_unit(actor=actor, campaign=campaign, region_code=region_code)
    targets = selectors.effective_targets(actor=actor, campaign=campaign, region_code=unit.region_code)
    figures = _Figures(actor=actor, campaign=campaign, unit=unit)
    names = region_names({t.region_code for t in targets.values()})
    result = [
        IndicatorValue(
            indicator=t.indicator,
            segment=t.segment,
            measure=figures.measure(t.indicator, t.segment),
            target=t,
            target_region_name=names.get(t.region_code, t.region_code),
            coverage=figures.coverage(t.indicator),
            live=figures.live(t.indicator, t.segment),
        )
        for t in targets.values()
    ]
    result.sort(key=lambda v: (_INDICATOR_ORDER.get(v.indicator, 99), _SEGMENT_ORDER.get(v.segment, 99)))
    return result


def child_units(*, actor: Actor, unit: Unit) -> list[Unit]:
    """The regions one level below (counties of a city, townships of a county) within reach."""
    if unit.level not in (UnitLevel.CITY, UnitLevel.COUNTY):
        return []
    below = UnitLevel.COUNTY if unit.level is UnitLevel.CITY else UnitLevel.TOWNSHIP
    return selectors.expected_units(actor=actor, level=below, region_code=unit.region_code)


def ranking(
    *, actor: Actor, campaign: Campaign, region_code: str, indicator: str, segment: str = Segment.ALL
) -> list[RankRow]:
    """The subordinate regions (for a township: its employers) by the indicator, best first; those
    without reported figures last. Each with its own effective target."""
    if indicator not in Indicator.values:
        raise ValidationFailed(_("指标不正确"), fields={"indicator": [_("指标不正确")]})
    if segment not in Segment.values:
        raise ValidationFailed(_("企业范围不正确"), fields={"segment": [_("企业范围不正确")]})
    unit = campaign_region_unit(actor=actor, campaign=campaign, region_code=region_code)
    if unit.level is UnitLevel.TOWNSHIP:
        rows = _employer_ranking(
            actor=actor, campaign=campaign, unit=unit, indicator=indicator, segment=segment
        )
    else:
        figures = _Figures(actor=actor, campaign=campaign, unit=unit)
        rows = []
        for child in child_units(actor=actor, unit=unit):
            targets = selectors.effective_targets(
                actor=actor, campaign=campaign, region_code=child.region_code
            )
            rows.append(
                RankRow(
                    region_code=child.region_code,
                    name=child.name,
                    measure=figures.measure(indicator, segment, within=_under(child.prefix)),
                    target=targets.get((indicator, segment)),
                )
            )
    return _ranked(rows)


def ranking_coverage(
    *, actor: Actor, campaign: Campaign, region_code: str, indicator: str
) -> selectors.RegionCompleteness | None:
    """Which units below the region have figures behind the ranking of ``indicator``."""
    unit = campaign_region_unit(actor=actor, campaign=campaign, region_code=region_code)
    figures = _Figures(actor=actor, campaign=campaign, unit=unit)
    if indicator == Indicator.REPORT_COMPLETENESS:
        board = figures.board()
        return board.totals if board else None
    return figures.coverage(indicator)


def _employer_ranking(
    *, actor: Actor, campaign: Campaign, unit: Unit, indicator: str, segment: str
) -> list[RankRow]:
    source = RATE_SOURCES.get(indicator)
    if source is None or source[0] != CONTRACT_SUMMARY:
        return []
    _summary, part, whole = source
    target = selectors.effective_targets(actor=actor, campaign=campaign, region_code=unit.region_code).get(
        (indicator, segment)
    )
    parks = selectors.park_region_codes(unit.prefix)
    rows = []
    for sub in _approved_base(actor=actor, campaign=campaign, unit=unit):
        employer = Unit(
            level=UnitLevel.EMPLOYER,
            region_code=sub.region_code,
            name=sub.unit_name,
            employer_id=sub.employer_id,
            size_class=sub.size_class,
            is_above_scale=sub.is_above_scale,
        )
        if not _unit_in_segment(employer, segment, parks):
            continue
        rows.append(
            RankRow(
                region_code=sub.region_code,
                name=sub.unit_name,
                measure=Measure(_int(sub.values.get(part)), _int(sub.values.get(whole))),
                target=target,
                employer_id=sub.employer_id,
            )
        )
    return rows


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _ranked(rows: Iterable[RankRow]) -> list[RankRow]:
    with_value = sorted(
        (r for r in rows if r.actual is not None),
        key=lambda r: (-(r.actual or Decimal(0)), r.region_code, r.name),
    )
    without = sorted((r for r in rows if r.actual is None), key=lambda r: (r.region_code, r.name))
    ranked = [
        RankRow(
            region_code=r.region_code,
            name=r.name,
            measure=r.measure,
            target=r.target,
            employer_id=r.employer_id,
            rank=i,
        )
        for i, r in enumerate(with_value, start=1)
    ]
    return ranked + without


# ---------------------------------------------------------------------------------------------
# Trend of a periodic form (旬报) within the campaign window
# ---------------------------------------------------------------------------------------------


def trend(*, actor: Actor, campaign: Campaign, region_code: str, form_code: str = DISPATCH_SUMMARY) -> Trend:
    """Reported totals of a periodic summary form for each of its periods within the campaign window
    (SF_DISPATCH_SUMMARY by 旬: returnees, stayers, gone out, point-to-point passengers)."""
    unit = campaign_region_unit(actor=actor, campaign=campaign, region_code=region_code)
    form = get_form(form_code)
    if not form.is_summary:
        summary = next(
            (
                f
                for f in (get_form(DISPATCH_SUMMARY), get_form(RETURNEE_SUMMARY))
                if f.summary_of == form.code
            ),
            None,
        )
        if summary is None:
            raise ValidationFailed(_("该报表没有汇总表"), fields={"form": [_("不是周期报表")]})
        form = summary
    codes = campaign_form_codes(campaign)
    if form.period_kind is PeriodKind.CAMPAIGN or not ({form.code, form.summary_of} & codes):
        return Trend(form=None, fields=[], points=[])
    wanted = [f for f in form.fields if f.code in TREND_FIELDS] or form.input_fields
    points = []
    for period in periods_between(form.period_kind, campaign.start_date, campaign.end_date):
        rows, coverage = _reported_rows(actor=actor, form=form, period=period, unit=unit)
        totals: dict[str, int | None] = {}
        for row in rows:
            selectors.add_values(totals, row.values, [f.code for f in wanted])
        points.append(
            TrendPoint(
                period=period,
                values={f.code: totals.get(f.code) for f in wanted},
                reported=coverage.submitted,
                expected=coverage.expected,
                coverage=coverage,
            )
        )
    return Trend(form=form, fields=wanted, points=points)


# ---------------------------------------------------------------------------------------------
# Drill-down: city → counties → townships → employers
# ---------------------------------------------------------------------------------------------


def _approved_base(*, actor: Actor, campaign: Campaign, unit: Unit) -> list[Submission]:
    return list(
        selectors.submission_list(
            actor=actor, form_code=CONTRACT_BASE, period_key=campaign.code, region_code=unit.region_code
        )
        .filter(status__in=ACCEPTED_STATUSES, level=UnitLevel.EMPLOYER)
        .order_by("unit_name", "pk")
    )


def drilldown(*, actor: Actor, campaign: Campaign, region_code: str) -> Drilldown:
    """What a region's number is made of: for a county or city, its child regions' reported figures;
    for a township, the employers' approved base forms (and the employers still missing)."""
    unit = campaign_region_unit(actor=actor, campaign=campaign, region_code=region_code)
    region = region_get(code=unit.region_code)
    result = Drilldown(region=region, level=unit.level)
    if CONTRACT_SUMMARY not in campaign_form_codes(campaign):
        return result
    form = get_form(CONTRACT_SUMMARY)
    if unit.level is UnitLevel.TOWNSHIP:
        board = _Figures(actor=actor, campaign=campaign, unit=unit).board()
        late = {r.unit.key: r.days_late for r in board.rows} if board else {}
        for sub in _approved_base(actor=actor, campaign=campaign, unit=unit):
            result.employers.append(
                DrillEmployer(
                    employer_id=sub.employer_id,
                    name=sub.unit_name,
                    status=sub.status,
                    values={k: sub.values.get(k) for k in DRILL_FIELDS},
                    submitted_at=sub.submitted_at,
                    days_late=late.get(sub.unit_key, 0),
                )
            )
        shown = {f"E{e.employer_id}" for e in result.employers}
        result.missing = [r.unit for r in (board.rows if board else []) if r.unit.key not in shown]
        return result
    figures = _Figures(actor=actor, campaign=campaign, unit=unit)
    rows = figures.rows(CONTRACT_SUMMARY)
    for child in child_units(actor=actor, unit=unit):
        mine = [r for r in rows if r.region.startswith(child.prefix)]
        values = selectors.values_for_segment(form, mine, Segment.ALL, set())
        result.regions.append(
            DrillRegion(
                region_code=child.region_code,
                name=child.name,
                level=child.level,
                values={k: values.get(k) for k in DRILL_FIELDS},
                has_figures=bool(mine),
            )
        )
    return result
