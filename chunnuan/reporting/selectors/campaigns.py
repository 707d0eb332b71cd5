"""Campaigns in reach, their periods, forms, stages and deadlines, and their targets (own or
inherited from the nearest region above)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from chunnuan.access.actor import Actor
from chunnuan.access.scoping import ancestor_codes, code_prefix, get_visible
from chunnuan.core.errors import NotFound, ValidationFailed
from chunnuan.employers.models import Employer
from chunnuan.regions.lookups import region_names
from chunnuan.regions.models import Region
from chunnuan.regions.selectors import region_get
from chunnuan.reporting.definitions import FormDef, UnitLevel, get_form
from chunnuan.reporting.models import Campaign, CampaignForm, CampaignStage, Target
from chunnuan.reporting.periods import Period, PeriodKind, add_working_days, parse_period, periods_between
from chunnuan.reporting.selectors.reach import _prefix


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
    chain = [*ancestor_codes(code_prefix(region_code)), region_code]
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


def campaign_or_404(*, actor: Actor, code: str) -> Campaign:
    try:
        return campaign_get(actor=actor, code=code)
    except NotFound:
        raise NotFound("未找到该专项行动") from None


def campaign_home_region(*, actor: Actor, campaign: Campaign) -> str:
    """Where an officer's view of a campaign starts (its dashboard, its target table): their own
    region if it lies in the campaign's, else the campaign's region."""
    from chunnuan.regions.selectors import jurisdiction_regions

    inside = code_prefix(campaign.region_code)
    own = [r.code for r in jurisdiction_regions(actor) if r.code.startswith(inside)]
    return own[0] if own else campaign.region_code


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
