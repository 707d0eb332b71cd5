"""The dashboards' reads: the home page (the actor's regions, the regions under them, counts per
region) and the campaign dashboard (indicators against targets, ranking, trend, drill-down)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import PERM_LABELS, Perm
from chunnuan.core.errors import PermissionDenied
from chunnuan.employers.selectors import employer_counts_by_prefix
from chunnuan.regions.models import PREFIX_LENGTH, Region, RegionLevel
from chunnuan.regions.selectors import jurisdiction_regions, region_ancestors
from chunnuan.reporting.choices import Indicator, Segment
from chunnuan.reporting.indicators import (
    Drilldown,
    IndicatorValue,
    RankRow,
    Trend,
    campaign_prefix,
    drilldown,
    indicator_values,
    ranking,
    ranking_coverage,
    trend,
)
from chunnuan.reporting.models import Campaign
from chunnuan.reporting.periods import local_today
from chunnuan.reporting.selectors import RegionCompleteness, campaign_list
from chunnuan.reporting.tallies import roster_due_signed
from chunnuan.workers.tallies import worker_counts


@dataclass
class RegionSummary:
    region: Region
    ancestors: list[Region]
    children: list[dict[str, Any]] = field(default_factory=list)
    workers: int = 0
    employers: int = 0

    @property
    def chart_id(self) -> str:
        return f"chart-data-{self.region.code}"

    @property
    def chart(self) -> dict[str, Any]:
        """Bar-chart data: people and employers per region below (for ECharts)."""
        return {
            "labels": [c["region"].name for c in self.children],
            "series": [
                {"name": str(_("台帐人数")), "data": [c["workers"] for c in self.children]},
                {"name": str(_("用人单位")), "data": [c["employers"] for c in self.children]},
            ],
        }


def _ancestors(region: Region) -> list[Region]:
    chain = []
    parent = region.parent
    while parent is not None:
        chain.append(parent)
        parent = parent.parent
    return list(reversed(chain))


def _employer_counts(actor: Actor, length: int, prefix: str) -> dict[str, int]:
    """Employers per ``length``-digit code prefix under ``prefix`` (none without VIEW_EMPLOYERS)."""
    if not actor.can(Perm.VIEW_EMPLOYERS):
        return {}
    return employer_counts_by_prefix(actor=actor, length=length, prefix=prefix)


def _worker_counts(actor: Actor, prefixes: list[str]) -> dict[str, int]:
    """People of the ledger per region prefix, from the maintained tally (``workers.tallies``): a person
    counts once for a region when their origin (户籍地) or place of work (务工地) lies in it."""
    if not actor.can(Perm.VIEW_WORKERS):
        return {}
    return worker_counts(actor=actor, prefixes=prefixes)


def home_overview(*, actor: Actor) -> list[RegionSummary]:
    """One summary per jurisdiction region: its place in the tree, and each child with counts."""
    if not actor.is_region_actor:
        return []
    prefixes = [p for p in actor.region_prefixes if p]
    if not prefixes:  # all of China: show the provinces
        regions = list(Region.objects.filter(level=RegionLevel.PROVINCE, valid_to__isnull=True))
        return [RegionSummary(region=r, ancestors=[]) for r in regions]
    summaries = []
    for region in actor_regions(actor=actor):
        summary = RegionSummary(region=region, ancestors=_ancestors(region))
        children = list(region.children.filter(valid_to__isnull=True).order_by("code"))
        length = PREFIX_LENGTH[RegionLevel(children[0].level)] if children else len(region.scope_prefix)
        own = region.scope_prefix
        workers = _worker_counts(actor, [own, *(c.code[:length] for c in children)])
        employers = _employer_counts(actor, length, own)
        summary.children = [
            {
                "region": c,
                "workers": workers.get(c.code[:length], 0),
                "employers": employers.get(c.code[:length], 0),
            }
            for c in children
        ]
        summary.workers = workers.get(own, 0)
        summary.employers = sum(employers.values())
        summaries.append(summary)
    return summaries


def without_contract_count(*, actor: Actor) -> int:
    """People on roll over a month without a written contract (超过一个月未签劳动合同) in the actor's
    first jurisdiction region — the total of the 用工统计 page — from the employers' roster tallies
    (名册统计, ``reporting.tallies``): due − signed, summed over one row per employer, never the
    rosters. The tallies follow every roster write and are recounted daily for what the calendar
    changes (an entry's first month running out)."""
    actor.require(Perm.VIEW_EMPLOYERS)
    own = jurisdiction_regions(actor)
    if not own:
        raise PermissionDenied("您的账号尚未设置管辖区域")
    due, signed = roster_due_signed(actor=actor, prefix=own[0].scope_prefix)
    return due - signed


def actor_regions(*, actor: Actor) -> list[Region]:
    """The current regions whose scope prefix is one of the actor's jurisdiction prefixes."""
    prefixes = {p for p in actor.region_prefixes if p}
    candidates = Region.objects.filter(code__in=[p.ljust(12, "0") for p in prefixes], valid_to__isnull=True)
    return [r for r in candidates.select_related("parent__parent__parent") if r.scope_prefix in prefixes]


def actor_abilities(*, actor: Actor) -> list[str]:
    return [str(PERM_LABELS[p]) for p in Perm if actor.can(p) and p in PERM_LABELS]


# ---------------------------------------------------------------------------------------------
# Campaign dashboard (专项行动看板): indicators vs targets, ranking, 旬 trend, drill-down
# ---------------------------------------------------------------------------------------------


def current_campaign(*, actor: Actor, today: dt.date | None = None) -> Campaign | None:
    """The campaign running today in the actor's reach, else the most recent one (None: none)."""
    if not actor.is_region_actor or not actor.can(Perm.VIEW_DASHBOARDS):
        return None
    today = today or local_today()
    campaigns = campaign_list(actor=actor)
    running = campaigns.filter(start_date__lte=today, end_date__gte=today).first()
    return running or campaigns.filter(start_date__lte=today).first() or campaigns.first()


def dashboard_campaigns(*, actor: Actor) -> list[Campaign]:
    return list(campaign_list(actor=actor)[:50])


@dataclass
class CampaignDashboard:
    campaign: Campaign
    region: Region
    level: str
    path: list[Region]  # the campaign's region → … → this region (each a drill-up link)
    indicator: str
    segment: str
    kpis: list[IndicatorValue]
    ranking: list[RankRow]
    trend: Trend
    drill: Drilldown
    ranking_coverage: RegionCompleteness | None = None  # which units below have figures to rank

    @property
    def indicator_label(self) -> str:
        return str(Indicator(self.indicator).label)

    @property
    def segment_label(self) -> str:
        return str(Segment(self.segment).label)

    @property
    def ranking_chart(self) -> dict[str, Any]:
        """Bars of the best and the worst (five each when there are more than ten), with the target."""
        rows = [r for r in self.ranking if r.actual is not None]
        if len(rows) > 10:
            rows = rows[:5] + rows[-5:]
        return {
            "labels": [r.name for r in rows],
            "series": [
                {"name": str(_("实际值（%）")), "data": [float(r.actual or 0) for r in rows]},
                {
                    "name": str(_("目标值（%）")),
                    "data": [float(r.target.value) if r.target else None for r in rows],
                },
            ],
        }

    @property
    def trend_chart(self) -> dict[str, Any]:
        return {
            "labels": [p.period.label for p in self.trend.points],
            "series": [
                {"name": f.label, "data": [p.values.get(f.code) for p in self.trend.points]}
                for f in self.trend.fields
            ],
        }


def campaign_dashboard(
    *, actor: Actor, campaign: Campaign, region_code: str, indicator: str, segment: str
) -> CampaignDashboard:
    kpis = indicator_values(actor=actor, campaign=campaign, region_code=region_code)
    drill = drilldown(actor=actor, campaign=campaign, region_code=region_code)
    prefix = campaign_prefix(campaign)
    path = [
        r
        for r in region_ancestors(drill.region)
        if r.code.startswith(prefix) and len(r.scope_prefix) >= len(prefix) and actor.covers(r.code)
    ]
    return CampaignDashboard(
        campaign=campaign,
        region=drill.region,
        level=str(drill.level),
        path=path,
        indicator=indicator,
        segment=segment,
        kpis=kpis,
        ranking=ranking(
            actor=actor, campaign=campaign, region_code=region_code, indicator=indicator, segment=segment
        ),
        trend=trend(actor=actor, campaign=campaign, region_code=region_code),
        drill=drill,
        ranking_coverage=ranking_coverage(
            actor=actor, campaign=campaign, region_code=region_code, indicator=indicator
        ),
    )
