"""Each role's home page (首页): what this person has to do or watch today, each item one click
from its list — and only links to pages the person can open (``chunnuan.access.pages``).

Reads go through the apps' scoped selectors; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.pages import link
from chunnuan.access.personal import masked
from chunnuan.core.errors import DomainError
from chunnuan.dashboards import selectors
from chunnuan.employers import selectors as employers
from chunnuan.regions.lookups import region_names
from chunnuan.reporting import selectors as reporting
from chunnuan.reporting.choices import IN_STATUSES, SubmissionStatus
from chunnuan.reporting.indicators import indicator_values
from chunnuan.reporting.periods import local_today
from chunnuan.workers.selectors import worker_self

# Everyday pages of an office, in the order a person reaches for them (shown when they can open them).
OFFICE_LINKS: list[tuple[str, str]] = [
    ("workers:worker_create", "登记农民工"),
    ("workers:worker_list", "实名制台帐"),
    ("employers:employer_list", "用人单位"),
    ("reporting:home", "报表填报"),
    ("reporting:status_board", "报送进度"),
    ("dashboards:campaign_index", "指标看板"),
    ("employers:region_stats", "用工统计"),
    ("batch:import_new", "导入台帐"),
]


def _status_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in SubmissionStatus.choices}


@dataclass
class Attention:
    """One figure that needs attention, with the list behind it ("" url: no page for this person)."""

    label: str
    count: int
    url: str = ""
    detail: str = ""


@dataclass
class CampaignBlock:
    campaign: Any
    url: str
    kpis: list[Any] = field(default_factory=list)
    coverage: Any = None  # RegionCompleteness of the campaign's reports in the person's region


def _links(actor: Actor, pages: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"url": url, "label": _(label)} for name, label in pages if (url := link(actor, name))]


def _campaign_block(actor: Actor) -> CampaignBlock | None:
    campaign = selectors.current_campaign(actor=actor)
    if campaign is None:
        return None
    block = CampaignBlock(campaign=campaign, url=link(actor, "dashboards:campaign_dashboard", campaign.code))
    try:
        region_code = reporting.campaign_home_region(actor=actor, campaign=campaign)
        block.kpis = indicator_values(actor=actor, campaign=campaign, region_code=region_code)
    except DomainError:  # the person's region does not report in this campaign
        return block
    block.coverage = next((k.coverage for k in block.kpis if k.coverage is not None), None)
    return block


def _officer_attention(actor: Actor, block: CampaignBlock | None) -> list[Attention]:
    found: list[Attention] = []
    if block and block.coverage is not None and block.coverage.missing:
        found.append(
            Attention(
                label=_("逾期未报的单位"),
                count=len(block.coverage.missing),
                url=block.url,
                detail=block.coverage.missing_text,
            )
        )
    stats_url = link(actor, "employers:region_stats")
    if stats_url:
        try:
            without = selectors.without_contract_count(actor=actor)
        except DomainError:
            without = 0
        if without:
            found.append(Attention(_("超过一个月未签劳动合同的人数"), without, stats_url))
    return found


def officer_home(actor: Actor) -> dict[str, Any]:
    block = _campaign_block(actor)
    return {
        "links": _links(actor, OFFICE_LINKS),
        "campaign_block": block,
        "attention": _officer_attention(actor, block),
        "summaries": selectors.home_overview(actor=actor),
    }


def employer_home(actor: Actor) -> dict[str, Any]:
    employer = employers.employer_get(actor=actor, pk=actor.employer_id) if actor.employer_id else None
    context: dict[str, Any] = {"employer": employer, "reports": [], "attention": []}
    if employer is None:
        return context
    today = local_today()
    labels = _status_labels()
    reports_url = link(actor, "reporting:home")
    context["reports"] = [
        {
            "name": e.form.short_name,
            "period": e.period.label,
            "deadline": e.deadline,
            "days_left": (e.deadline - today).days,
            "overdue_days": (today - e.deadline).days,
            "status": labels.get(e.status, _("未填报")),
            "done": e.status in IN_STATUSES,
        }
        for e in reporting.expected_reports(actor=actor, today=today)
    ]
    context["reports_url"] = reports_url
    roster_url = link(actor, "employers:roster_list", employer.pk)
    ending = employers.ending_soon_list(actor=actor, employer_id=employer.pk, today=today)
    without = employers.without_contract_list(actor=actor, employer_id=employer.pk, today=today, limit=100)
    context["ending"] = ending[:5]
    context["without"] = without[:5]
    context["attention"] = [
        Attention(_("劳动合同即将到期"), len(ending), roster_url),
        Attention(
            _("超过一个月未签劳动合同"), len(without), f"{roster_url}?contract=overdue" if roster_url else ""
        ),
    ]
    context["links"] = [
        {"url": url, "label": label}
        for url, label in (
            (roster_url, _("职工名册")),
            (link(actor, "employers:employer_detail", employer.pk), _("单位信息")),
            (reports_url, _("报表填报")),
        )
        if url
    ]
    return context


def worker_home(actor: Actor) -> dict[str, Any]:
    worker = worker_self(actor=actor)
    names = region_names([worker.origin_region_code, worker.work_region_code])
    return {
        "worker": worker,
        "id_number": masked(worker, "id_number"),
        "phone": masked(worker, "phone"),
        "origin": names.get(worker.origin_region_code, ""),
        "work": names.get(worker.work_region_code, ""),
        "my_record_url": link(actor, "workers:my_record"),
    }


def home_for(actor: Actor) -> tuple[str, dict[str, Any]]:
    """(template, context) of the actor's home page."""
    if actor.kind is ActorKind.WORKER:
        return "dashboards/home_worker.html", worker_home(actor)
    if actor.kind is ActorKind.EMPLOYER:
        return "dashboards/home_employer.html", employer_home(actor)
    return "dashboards/home_officer.html", officer_home(actor)
