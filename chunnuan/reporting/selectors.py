"""Reads of campaigns, targets and submissions — scoped to the actor — and the two computations
every page and export share: the roll-up of a summary form and the late list (催报).

See docs/decisions/0009-reporting.md for the chain and the roll-up rule.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ancestor_codes, ensure_in_scope, get_visible
from chunnuan.core.errors import NotFound, ValidationFailed
from chunnuan.employers.models import Employer
from chunnuan.regions.lookups import region_names
from chunnuan.regions.models import Region
from chunnuan.regions.selectors import region_get
from chunnuan.reporting.choices import ACCEPTED_STATUSES, IN_STATUSES, Segment, SubmissionStatus
from chunnuan.reporting.definitions import LEVEL_ORDER, FieldKind, FormDef, UnitLevel, get_form
from chunnuan.reporting.models import Campaign, CampaignForm, CampaignStage, Submission, Target
from chunnuan.reporting.periods import (
    Period,
    PeriodKind,
    add_working_days,
    days_late,
    parse_period,
    periods_between,
)
from chunnuan.reporting.units import UNIT_DEPTH, UNIT_REGION_LEVEL, Unit, employer_unit, region_unit

DIMS = ("region", "section", "size", "above_scale")

# ---------------------------------------------------------------------------------------------
# Campaigns and periods
# ---------------------------------------------------------------------------------------------


def campaign_list(*, actor: Actor, q: str = "") -> QuerySet[Campaign]:
    """Campaigns in reach: an officer's own and those issued above; an employer's clerk sees the
    campaigns issued for the regions its employer lies in (a campaign is a public notice)."""
    if actor.employer_id and not actor.is_region_actor:
        employer = get_visible(actor, Employer, pk=actor.employer_id)
        codes = [*ancestor_codes(employer.region_code[:9]), employer.region_code[:9].ljust(12, "0")]
        campaigns = Campaign.objects.unscoped(reason="campaigns issued above the clerk's employer").filter(
            region_code__in=codes
        )
    else:
        campaigns = Campaign.objects.visible_to(actor)
    if q.strip():
        campaigns = campaigns.filter(Q(name__icontains=q.strip()) | Q(code__icontains=q.strip()))
    return campaigns.order_by("-start_date", "code")


def campaign_get(*, actor: Actor, pk: Any = None, code: str = "") -> Campaign:
    try:
        if code:
            return campaign_list(actor=actor).get(code=code)
        return campaign_list(actor=actor).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound("未找到该专项行动") from None


def campaign_period(campaign: Campaign) -> Period:
    return Period(PeriodKind.CAMPAIGN, campaign.code, campaign.start_date, campaign.end_date, campaign.name)


def resolve_period(*, actor: Actor, form: FormDef, key: str) -> tuple[Period, Campaign | None]:
    """The period ``key`` names for ``form`` (and the campaign it belongs to, if any)."""

    def lookup(code: str) -> Period | None:
        found = campaign_list(actor=actor).filter(code=code).first()
        return campaign_period(found) if found else None

    period = parse_period(key, campaign=lookup)
    if period.kind is not form.period_kind:
        from chunnuan.reporting.periods import PERIOD_KIND_LABELS

        raise ValidationFailed(
            f"“{form.short_name}”按{PERIOD_KIND_LABELS[form.period_kind]}填报，期间“{key}”不适用于该表",
            fields={"period": ["该表没有这个期间"]},
        )
    campaigns = campaign_list(actor=actor).filter(forms__form_code=form.code)
    if period.kind is PeriodKind.CAMPAIGN:
        campaign = campaigns.filter(code=period.key).first()
        if campaign is None:
            raise ValidationFailed(
                f"专项行动“{period.label}”没有使用“{form.short_name}”",
                fields={"period": ["该行动不使用此表"]},
            )
        return period, campaign
    campaign = campaigns.filter(start_date__lte=period.end, end_date__gte=period.start).first()
    return period, campaign


def form_periods(*, actor: Actor, form: FormDef) -> list[tuple[Period, Campaign | None]]:
    """The periods a form is filled for: its campaigns (or the periods inside their windows)."""
    result: list[tuple[Period, Campaign | None]] = []
    for campaign in campaign_list(actor=actor).filter(forms__form_code=form.code):
        if form.period_kind is PeriodKind.CAMPAIGN:
            result.append((campaign_period(campaign), campaign))
        else:
            result.extend(
                (p, campaign)
                for p in periods_between(form.period_kind, campaign.start_date, campaign.end_date)
            )
    return result


def deadline_for(*, form: FormDef, period: Period, level: UnitLevel, campaign: Campaign | None) -> dt.date:
    """N working days after the period ends (or the campaign's fixed date), later for higher levels."""
    own = _campaign_form(campaign, form.code)
    if form.is_summary and own is None:
        base = get_form(form.summary_of or "")
        first = deadline_for(form=base, period=period, level=base.first_level, campaign=campaign)
        return add_working_days(first, form.level_lag_working_days * (form.level_index(level) + 1))
    if own is not None and own.deadline is not None:
        start = own.deadline
    else:
        days = (
            own.deadline_working_days
            if own and own.deadline_working_days is not None
            else form.deadline_working_days
        )
        start = add_working_days(period.end, days)
    lag = form.level_lag_working_days * form.level_index(level)
    return add_working_days(start, lag) if lag else start


def campaign_forms(campaign: Campaign) -> list[CampaignForm]:
    """The forms of a campaign already in the caller's reach (its rows share its visibility)."""
    return list(
        CampaignForm.objects.unscoped(reason="children of a campaign already in reach").filter(
            campaign=campaign
        )
    )


def campaign_stages(campaign: Campaign) -> list[CampaignStage]:
    return list(
        CampaignStage.objects.unscoped(reason="children of a campaign already in reach").filter(
            campaign=campaign
        )
    )


def _campaign_form(campaign: Campaign | None, form_code: str) -> CampaignForm | None:
    if campaign is None:
        return None
    return next((cf for cf in campaign_forms(campaign) if cf.form_code == form_code), None)


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------


def unit_of_actor(*, actor: Actor, form: FormDef, region_code: str = "") -> Unit:
    """The unit the actor fills for: their employer, or a region in reach at a level the form has."""
    if actor.employer_id:
        employer = get_visible(actor, Employer, pk=actor.employer_id)
        unit = employer_unit(employer)
    else:
        region = region_get(code=region_code)
        ensure_in_scope(actor, region.code)
        found = region_unit(region)
        if found is None:
            raise ValidationFailed("该地区级别不填报此表", fields={"region": ["级别不对"]})
        unit = found
    if unit.level not in form.levels:
        raise ValidationFailed(
            f"“{form.short_name}”不由{unit.name}这一级填报", fields={"region": ["该级别不填报此表"]}
        )
    return unit


def unit_for_employer(*, actor: Actor, employer_id: Any) -> Unit:
    return employer_unit(get_visible(actor, Employer, pk=employer_id))


def expected_units(*, actor: Actor, level: UnitLevel, region_code: str) -> list[Unit]:
    """Every unit at ``level`` under the region that should report."""
    prefix = region_code[: UNIT_DEPTH.get(_region_level(region_code), 12)]
    if level is UnitLevel.EMPLOYER:
        employers = (
            Employer.objects.visible_to(actor)
            .filter(region_code__startswith=prefix)
            .only("id", "name", "region_code", "industry_section", "size_class", "is_above_scale")
            .order_by("region_code", "name")
        )
        return [employer_unit(e) for e in employers]
    regions = Region.objects.filter(
        valid_to__isnull=True, level=UNIT_REGION_LEVEL[level], code__startswith=prefix
    ).order_by("code")
    return [u for r in regions if (u := region_unit(r)) is not None and actor.covers(r.code)]


def _region_level(code: str) -> UnitLevel:
    for level in (UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWNSHIP):
        depth = UNIT_DEPTH[level]
        if code[depth:].strip("0") == "":
            return level
    return UnitLevel.EMPLOYER


def region_unit_level(code: str) -> UnitLevel:
    """The unit level a 12-digit region code stands for (city / county / township)."""
    return _region_level(code)


# ---------------------------------------------------------------------------------------------
# Submissions
# ---------------------------------------------------------------------------------------------


def submission_get(*, actor: Actor, pk: Any) -> Submission:
    require_report_reader(actor)
    return get_visible(actor, Submission, pk=pk)


def require_report_reader(actor: Actor) -> None:
    """Reading reports needs either filling them or reading dashboards (leaders, integration)."""
    if not (actor.can(Perm.FILL_REPORTS) or actor.can(Perm.VIEW_DASHBOARDS)):
        actor.require(Perm.FILL_REPORTS)


def submission_list(
    *,
    actor: Actor,
    form_code: str = "",
    period_key: str = "",
    region_code: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[Submission]:
    require_report_reader(actor)
    rows = Submission.objects.visible_to(actor).select_related("campaign", "employer")
    if form_code:
        rows = rows.filter(form_code=form_code)
    if period_key:
        rows = rows.filter(period_key=period_key)
    if region_code.strip():
        if not region_code.isdigit():
            raise ValidationFailed("区划代码应为数字", fields={"region": ["区划代码应为数字"]})
        rows = rows.filter(region_code__startswith=_prefix(region_code))
    if status:
        if status not in SubmissionStatus.values:
            raise ValidationFailed("状态不正确", fields={"status": ["状态不正确"]})
        rows = rows.filter(status=status)
    if q.strip():
        rows = rows.filter(unit_name__icontains=q.strip())
    return rows.order_by("form_code", "-period_key", "region_code", "unit_key")


def submission_for(*, actor: Actor, form: FormDef, period: Period, unit: Unit) -> Submission | None:
    return (
        Submission.objects.visible_to(actor)
        .filter(form_code=form.code, period_key=period.key, unit_key=unit.key)
        .first()
    )


def _prefix(code: str) -> str:
    return code[: UNIT_DEPTH[_region_level(code.ljust(12, "0"))]] if len(code) == 12 else code


# ---------------------------------------------------------------------------------------------
# Roll-up (汇总): a summary is the sum of its children's approved submissions
# ---------------------------------------------------------------------------------------------


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


def child_level_of(form: FormDef, level: UnitLevel) -> tuple[UnitLevel, FormDef]:
    """The level (and the form) a summary at ``level`` rolls up."""
    base = get_form(form.summary_of or "")
    below = LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]
    return below, (base if below in base.levels else form)


def _add(into: dict[str, int | None], values: dict[str, Any], codes: list[str]) -> None:
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
                _add(cells[key], row["values"], codes)
        else:
            township = sub.region_code[: UNIT_DEPTH[UnitLevel.TOWNSHIP]].ljust(12, "0")
            key = _dims(form, township, sub.industry_section, sub.size_class, sub.is_above_scale)
            _add(cells[key], sub.values, codes)
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
        _add(totals, row.values, codes)
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


# ---------------------------------------------------------------------------------------------
# Who is late (催报): every unit that should report, its status and days late
# ---------------------------------------------------------------------------------------------


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


@dataclass
class RegionCompleteness:
    region: str
    name: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0

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
        total = RegionCompleteness(region=self.region_code, name="合计")
        for r in self.by_region:
            total.expected += r.expected
            total.submitted += r.submitted
            total.on_time += r.on_time
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
        group = groups.setdefault(code, RegionCompleteness(region=code, name=""))
        group.expected += 1
        group.submitted += row.is_in
        group.on_time += row.on_time
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


# ---------------------------------------------------------------------------------------------
# Targets: own, or inherited from the nearest region above
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveTarget:
    indicator: str
    segment: str
    value: Decimal
    region_code: str  # where it was set
    inherited: bool


def target_list(*, actor: Actor, campaign: Campaign) -> QuerySet[Target]:
    return (
        Target.objects.visible_to(actor)
        .filter(campaign=campaign)
        .order_by("region_code", "indicator", "segment")
    )


def effective_targets(
    *, actor: Actor, campaign: Campaign, region_code: str
) -> dict[tuple[str, str], EffectiveTarget]:
    """{(indicator, segment): target} for a region: its own, else the nearest set above it."""
    chain = [region_code[:n].ljust(12, "0") for n in (2, 4, 6, 9) if region_code[n:].strip("0")] + [
        region_code
    ]
    found: dict[tuple[str, str], EffectiveTarget] = {}
    rows = Target.objects.visible_to(actor).filter(campaign=campaign, region_code__in=set(chain))
    depth = {code: i for i, code in enumerate(chain)}
    for t in sorted(rows, key=lambda t: depth[t.region_code]):
        found[(t.indicator, t.segment)] = EffectiveTarget(
            indicator=t.indicator,
            segment=t.segment,
            value=t.value,
            region_code=t.region_code,
            inherited=t.region_code != region_code,
        )
    return found


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
            _add(total, row.values, codes)
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


def campaign_or_404(*, actor: Actor, code: str) -> Campaign:
    try:
        return campaign_get(actor=actor, code=code)
    except NotFound:
        raise NotFound("未找到该专项行动") from None


# --- pages (helper) ---
# Reads the reporting pages and the API need beyond the chain itself.


def submission_events(*, actor: Actor, submission: Submission) -> QuerySet[Any]:
    """The history (填报记录) of a submission already in reach, oldest first."""
    from chunnuan.reporting.models import SubmissionEvent

    return (
        SubmissionEvent.objects.visible_to(actor)
        .filter(submission=submission)
        .select_related("actor_user")
        .order_by("at", "id")
    )


def campaign_search(*, actor: Actor, q: str = "", region_code: str = "") -> QuerySet[Campaign]:
    """Campaigns in reach, searched by name or code; with a region: the campaigns issued for it
    (by it, by a region above it, or by a region below it)."""
    campaigns = campaign_list(actor=actor, q=q)
    code = region_code.strip()
    if code:
        if not code.isdigit():
            raise ValidationFailed("区划代码应为数字", fields={"region": ["区划代码应为数字"]})
        full = code.ljust(12, "0")
        prefix = _prefix(full)
        campaigns = campaigns.filter(
            Q(region_code__startswith=prefix) | Q(region_code__in=ancestor_codes(prefix))
        )
    return campaigns


def target_get(*, actor: Actor, campaign: Campaign, pk: Any) -> Target:
    try:
        return target_list(actor=actor, campaign=campaign).get(pk=pk)
    except (Target.DoesNotExist, ValueError, TypeError):
        raise NotFound("未找到该目标") from None


@dataclass
class TargetCell:
    indicator: str
    segment: str
    value: Decimal
    set_in: str  # region code where it was set
    set_in_name: str
    inherited: bool
    own_id: int | None  # the region's own Target row (deletable override)


@dataclass
class RegionTargets:
    region_code: str
    name: str
    cells: list[TargetCell]
    is_own: bool  # the officer's own region (its targets are set by the level above)


def campaign_target_table(*, actor: Actor, campaign: Campaign, region_code: str) -> list[RegionTargets]:
    """The effective targets of a region and of each region directly under it: for each, whether
    it is set there (本级设定) or inherited (继承自 …)."""
    from chunnuan.regions.models import RegionLevel

    region = region_get(code=region_code)
    regions = [region] + [
        r
        for r in Region.objects.filter(parent__code=region.code, valid_to__isnull=True).order_by("code")
        if r.level <= RegionLevel.TOWNSHIP and actor.covers(r.code)
    ]
    own = {(t.region_code, t.indicator, t.segment): t.pk for t in target_list(actor=actor, campaign=campaign)}
    result: list[RegionTargets] = []
    effective = {
        r.code: effective_targets(actor=actor, campaign=campaign, region_code=r.code) for r in regions
    }
    names = region_names(
        {t.region_code for e in effective.values() for t in e.values()} | {r.code for r in regions}
    )
    for r in regions:
        cells = [
            TargetCell(
                indicator=t.indicator,
                segment=t.segment,
                value=t.value,
                set_in=t.region_code,
                set_in_name=names.get(t.region_code, t.region_code),
                inherited=t.inherited,
                own_id=own.get((r.code, t.indicator, t.segment)),
            )
            for t in sorted(effective[r.code].values(), key=lambda t: (t.indicator, t.segment))
        ]
        result.append(RegionTargets(region_code=r.code, name=r.name, cells=cells, is_own=r is region))
    return result


@dataclass
class SubmissionActions:
    may_edit: bool
    may_decide: bool


def submission_actions(*, actor: Actor, submission: Submission) -> SubmissionActions:
    """What the actor may be offered on a submission's page (the services check again)."""
    from chunnuan.reporting.choices import EDITABLE_STATUSES

    editable = submission.status in EDITABLE_STATUSES and actor.can(Perm.FILL_REPORTS)
    if actor.employer_id and not actor.is_region_actor:
        may_edit = editable and submission.employer_id == actor.employer_id
    else:
        may_edit = editable and actor.is_region_actor and actor.covers(submission.region_code)
    depth = UNIT_DEPTH[UnitLevel(submission.level)]
    oversees = actor.is_region_actor and any(
        submission.region_code.startswith(p) and len(p) < depth for p in actor.region_prefixes
    )
    may_decide = (
        actor.can(Perm.APPROVE_REPORTS)
        and oversees
        and submission.status in (*IN_STATUSES,)
        and not (submission.submitted_by_id is not None and submission.submitted_by_id == actor.user_id)
    )
    return SubmissionActions(may_edit=may_edit, may_decide=may_decide)


def awaiting_approval(*, actor: Actor) -> QuerySet[Submission]:
    """Submissions waiting for this officer's decision: submitted, in reach, one level below."""
    if not (actor.is_region_actor and actor.can(Perm.APPROVE_REPORTS)):
        return Submission.objects.none()
    levels = {UNIT_DEPTH[lv]: lv for lv in LEVEL_ORDER}
    q = Q(pk__in=[])
    for prefix in actor.region_prefixes:
        depth = len(prefix)
        own = next((lv for d, lv in levels.items() if d == depth), None)
        if own is None or own is UnitLevel.EMPLOYER:
            continue
        below = LEVEL_ORDER[LEVEL_ORDER.index(own) - 1]
        q |= Q(region_code__startswith=prefix, level=below)
    rows = Submission.objects.visible_to(actor).filter(q, status=SubmissionStatus.SUBMITTED)
    if actor.user_id is not None:
        rows = rows.exclude(submitted_by_id=actor.user_id)
    return rows.order_by("deadline", "form_code", "region_code")


@dataclass
class ExpectedReport:
    form: FormDef
    period: Period
    campaign: Campaign | None
    unit: Unit
    deadline: dt.date
    submission: Submission | None

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else "missing"


def expected_reports(*, actor: Actor, today: dt.date, horizon_days: int = 30) -> list[ExpectedReport]:
    """The forms and periods the actor is expected to fill now: of campaigns in reach whose window
    covers today or whose deadlines fall within ``horizon_days`` of today — and anything overdue
    from the past year that is still not in (a late unit must keep seeing what it owes)."""
    from chunnuan.regions.selectors import jurisdiction_regions

    if not actor.can(Perm.FILL_REPORTS):
        return []
    if actor.employer_id and not actor.is_region_actor:
        units = [employer_unit(get_visible(actor, Employer, pk=actor.employer_id))]
    else:
        units = [u for r in jurisdiction_regions(actor) if (u := region_unit(r)) is not None]
    if not units:
        return []
    window = dt.timedelta(days=horizon_days)
    campaigns = campaign_list(actor=actor).filter(
        start_date__lte=today + window, end_date__gte=today - dt.timedelta(days=365)
    )
    found: list[ExpectedReport] = []
    for campaign in campaigns:
        for cf in campaign_forms(campaign):
            try:
                form = get_form(cf.form_code)
            except ValidationFailed:
                continue
            for unit in units:
                if unit.level not in form.levels:
                    continue
                if form.period_kind is PeriodKind.CAMPAIGN:
                    periods = [campaign_period(campaign)]
                else:
                    periods = periods_between(form.period_kind, campaign.start_date, campaign.end_date)
                for period in periods:
                    try:
                        deadline = deadline_for(form=form, period=period, level=unit.level, campaign=campaign)
                    except ValidationFailed:
                        continue
                    current = period.start <= today <= period.end
                    due_soon = abs((deadline - today).days) <= horizon_days and period.start <= today
                    if current or due_soon or deadline < today:
                        found.append(ExpectedReport(form, period, campaign, unit, deadline, None))
    if found:
        keys = {(e.form.code, e.period.key, e.unit.key) for e in found}
        subs = Submission.objects.visible_to(actor).filter(
            form_code__in={k[0] for k in keys}, period_key__in={k[1] for k in keys}
        )
        by_key = {(s.form_code, s.period_key, s.unit_key): s for s in subs}
        for e in found:
            e.submission = by_key.get((e.form.code, e.period.key, e.unit.key))
        recent = today - window
        found = [
            e
            for e in found
            if e.deadline >= recent or e.submission is None or e.submission.status not in IN_STATUSES
        ]
    return sorted(found, key=lambda e: (e.deadline, e.form.code, e.unit.key))
