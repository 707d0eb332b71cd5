"""Reads of employers, rosters and contracts, always scoped to the actor; and the statistics.

Statistics (per employer and rolled up per region) are a few GROUP BY queries, never per row.
Definitions (see docs/decisions/0008-employers.md):

* on roll (在册): roster entries that started on or before ``today`` and have not ended;
* contract-bearing: on roll, not part-time (an oral agreement is allowed) and not dispatched to a
  user employer (their contract is with the dispatch agency);
* signed (已签): contract-bearing with a labour contract in force;
* due (应签): contract-bearing whose first month is over, or who already signed — so signed ≤ due;
* without contract (未签超一个月): contract-bearing, first month over, no contract in force;
* dispatch cap: dispatched / (non-dispatched on roll + dispatched) > 10% (not for dispatch agencies);
* ending soon: contracts in force ending within the next 30 days (today included).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import code_prefix, get_visible
from chunnuan.core import crypto
from chunnuan.core.errors import PermissionDenied
from chunnuan.core.identifiers import normalize_id_number
from chunnuan.employers import rules
from chunnuan.employers.choices import ContractStatus, ContractType, EmploymentForm
from chunnuan.employers.models import ContractEvent, Employer, Employment, Industry, LabourContract
from chunnuan.regions.models import PREFIX_LENGTH, Region, RegionLevel
from chunnuan.regions.selectors import jurisdiction_regions

YES = {"1", "true", "True", "yes", "on"}
NO = {"0", "false", "False", "no", "off"}
FLAGS = {
    "key_contact": "is_key_contact",
    "in_difficulty": "is_in_difficulty",
    "dispatch_agency": "is_dispatch_agency",
}


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value or "")
    return True if text in YES else False if text in NO else None


# ---------------------------------------------------------------------------------------------
# Employers
# ---------------------------------------------------------------------------------------------


def industry_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Divisions grouped by section, for a select (reference data)."""
    rows = list(Industry.objects.order_by("section", "code"))
    sections = {i.section: f"{i.code} {i.name}" for i in rows if i.is_section}
    grouped: dict[str, list[tuple[str, str]]] = {}
    for industry in rows:
        if not industry.is_section:
            grouped.setdefault(industry.section, []).append(
                (industry.code, f"{industry.code} {industry.name}")
            )
    return [(sections.get(s, s), divisions) for s, divisions in grouped.items()]


def section_choices() -> list[tuple[str, str]]:
    return [(i.code, f"{i.code} {i.name}") for i in Industry.objects.filter(code__regex=r"^[A-Z]$")]


def employer_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Employer]:
    """Employers in reach. Filters: q (name or credit code), region, section, industry (division),
    size_class, above_scale, flag (key_contact / in_difficulty / dispatch_agency), credit_status."""
    actor.require(Perm.VIEW_EMPLOYERS)
    filters = filters or {}
    employers = Employer.objects.visible_to(actor).select_related("industry")
    if q := str(filters.get("q") or "").strip():
        code = normalize_id_number(q)
        employers = employers.filter(Q(name__contains=q) | Q(credit_code=code))
    if region := str(filters.get("region") or "").strip():
        employers = employers.filter(region_code__startswith=_prefix(region))
    if section := filters.get("section"):
        employers = employers.filter(industry_section=section)
    if industry := filters.get("industry"):
        employers = employers.filter(industry__code=industry)
    if size := filters.get("size_class"):
        employers = employers.filter(size_class=size)
    if (above := _bool(filters.get("above_scale"))) is not None:
        employers = employers.filter(is_above_scale=above)
    if (flag := filters.get("flag")) in FLAGS:
        employers = employers.filter(**{FLAGS[str(flag)]: True})
    if credit := filters.get("credit_status"):
        employers = employers.filter(credit_status=credit)
    return employers.order_by("region_code", "name", "id")


def _prefix(region_code: str) -> str:
    """The scope prefix of a 12-digit code (220702000000 → 220702); longer codes stay as given."""
    return code_prefix(region_code)


def employer_get(*, actor: Actor, pk: Any) -> Employer:
    actor.require(Perm.VIEW_EMPLOYERS)
    return get_visible(actor, Employer, pk=pk)


def size_explanation(employer: Employer) -> dict[str, Any]:
    """What the size table says for this employer: its sector, the thresholds and the suggestion."""
    sector = rules.size_sector(
        section=employer.industry_section,
        division=employer.industry.code if employer.industry_id and employer.industry else "",
        name=employer.name,
    )
    ruleset = rules.size_ruleset(region_code=employer.region_code)
    rule = ruleset.sectors.get(sector) or ruleset.sectors["other"]
    return {
        "sector": sector,
        "rule": rule,
        "source": ruleset.source,
        "above_scale_suggestion": rules.above_scale_suggestion(
            sector=sector, section=employer.industry_section, revenue=employer.revenue
        ),
    }


# ---------------------------------------------------------------------------------------------
# Roster
# ---------------------------------------------------------------------------------------------


def _in_force() -> Exists:
    return Exists(
        LabourContract.objects.unscoped(reason="correlated subquery of an already scoped roster").filter(
            employment=OuterRef("pk"), status=ContractStatus.IN_FORCE
        )
    )


def _current_contract(field_name: str) -> Any:
    from django.db.models import Subquery

    return Subquery(
        LabourContract.objects.unscoped(reason="correlated subquery of an already scoped roster")
        .filter(employment=OuterRef("pk"))
        .order_by("-start_date", "-id")
        .values(field_name)[:1]
    )


def overdue_cutoff(today: dt.date) -> dt.date:
    """The latest start date whose first month is over on ``today`` (add_months(start, 1) ≤ today)."""
    cutoff = rules.add_months(today, -1)
    while rules.add_months(cutoff + dt.timedelta(days=1), 1) <= today:
        cutoff += dt.timedelta(days=1)
    return cutoff


def employment_list(
    *, actor: Actor, filters: dict[str, Any] | None = None, today: dt.date | None = None
) -> QuerySet[Employment]:
    """Roster entries in reach (an employer's region, or the worker's origin). Filters: employer,
    q (name, or a whole ID number looked up by its hash), employment_form, migrant, on_post,
    status (active / left / all; default active), contract (signed / unsigned / overdue),
    start_from, start_to, region."""
    actor.require(Perm.VIEW_EMPLOYERS)
    filters = filters or {}
    today = today or dt.date.today()
    rows = (
        Employment.objects.visible_to(actor)
        .select_related("worker", "employer")
        .annotate(
            has_contract=_in_force(),
            contract_type=_current_contract("contract_type"),
            contract_end=_current_contract("end_date"),
            contract_status=_current_contract("status"),
            contract_id=_current_contract("id"),
        )
    )
    if employer := filters.get("employer"):
        rows = rows.filter(employer_id=employer)
    if region := str(filters.get("region") or "").strip():
        rows = rows.filter(region_code__startswith=_prefix(region))
    if q := str(filters.get("q") or "").strip():
        number = normalize_id_number(q)
        if len(number) in (15, 18) and number[:6].isdigit():
            rows = rows.filter(worker__id_number_hash=crypto.lookup_hash(number))
        else:
            rows = rows.filter(worker__name__contains=q)
    if form := filters.get("employment_form"):
        rows = rows.filter(employment_form=form)
    if (migrant := _bool(filters.get("migrant"))) is not None:
        rows = rows.filter(is_migrant_worker=migrant)
    if (on_post := _bool(filters.get("on_post"))) is not None:
        rows = rows.filter(is_on_post=on_post)
    status = filters.get("status") or "active"
    if status == "active":
        rows = rows.filter(end_date__isnull=True)
    elif status == "left":
        rows = rows.filter(end_date__isnull=False)
    contract = filters.get("contract")
    if contract == "signed":
        rows = rows.filter(has_contract=True)
    elif contract == "unsigned":
        rows = rows.filter(has_contract=False)
    elif contract == "overdue":
        rows = rows.filter(has_contract=False, end_date__isnull=True, start_date__lte=overdue_cutoff(today))
    if start_from := filters.get("start_from"):
        rows = rows.filter(start_date__gte=start_from)
    if start_to := filters.get("start_to"):
        rows = rows.filter(start_date__lte=start_to)
    return rows.order_by("-start_date", "-id")


def roster_list(
    *, actor: Actor, employer_id: Any, filters: dict[str, Any] | None = None, today: dt.date | None = None
) -> QuerySet[Employment]:
    employer = employer_get(actor=actor, pk=employer_id)
    return employment_list(actor=actor, filters={**(filters or {}), "employer": employer.pk}, today=today)


def employment_get(*, actor: Actor, pk: Any) -> Employment:
    actor.require(Perm.VIEW_EMPLOYERS)
    return get_visible(actor, Employment, pk=pk)


def contract_list(*, actor: Actor, employment: Employment) -> list[LabourContract]:
    """An employment's contracts, newest first, each with its events (two queries)."""
    contracts = list(
        LabourContract.objects.visible_to(actor).filter(employment=employment).order_by("-start_date", "-id")
    )
    events: dict[int, list[ContractEvent]] = {}
    for event in (
        ContractEvent.objects.visible_to(actor).filter(contract__in=contracts).order_by("date", "id")
    ):
        events.setdefault(event.contract_id, []).append(event)
    for contract in contracts:
        contract.history = events.get(contract.pk, [])  # type: ignore[attr-defined]
    return contracts


def contract_get(*, actor: Actor, pk: Any) -> LabourContract:
    actor.require(Perm.VIEW_EMPLOYERS)
    return get_visible(actor, LabourContract, pk=pk)


# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------


@dataclass
class RosterStats:
    on_roll: int = 0
    on_post: int = 0
    migrant: int = 0
    due: int = 0
    signed: int = 0
    without_contract: int = 0
    deemed_open_ended: int = 0
    dispatched: int = 0
    non_dispatched: int = 0
    ending_soon: int = 0
    is_dispatch_agency: bool = False
    employers: int = 0

    @property
    def signing_rate(self) -> int | None:
        """Whole percent, half up; None when nothing is due."""
        return rules.whole_percent(self.signed, self.due)

    @property
    def dispatch_over_cap(self) -> bool:
        return not self.is_dispatch_agency and rules.dispatch_over_cap(self.dispatched, self.non_dispatched)

    @property
    def dispatch_percent(self) -> int | None:
        return rules.whole_percent(self.dispatched, self.dispatched + self.non_dispatched)

    def add(self, other: RosterStats) -> None:
        for name in (*STAT_NAMES, "ending_soon", "employers"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _active(today: dt.date) -> Q:
    return Q(end_date__isnull=True, start_date__lte=today)


def _bearing() -> Q:
    return ~Q(employment_form=EmploymentForm.PART_TIME) & ~Q(
        employment_form=EmploymentForm.DISPATCHED, employer__is_dispatch_agency=False
    )


def _stat_aggregates(today: dt.date) -> dict[str, Count]:
    active, bearing = _active(today), _bearing()
    overdue = Q(start_date__lte=overdue_cutoff(today))
    year_cutoff = rules.add_months(today, -rules.DEEMED_OPEN_ENDED_MONTHS)
    signed = Q(has_contract=True)
    dispatched_form = Q(employment_form=EmploymentForm.DISPATCHED)
    dispatched = dispatched_form & Q(
        employer__is_dispatch_agency=False
    )  # an agency's own staff are not "used"
    return {
        "on_roll": Count("id", filter=active),
        "on_post": Count("id", filter=active & Q(is_on_post=True)),
        "migrant": Count("id", filter=active & Q(is_migrant_worker=True)),
        "due": Count("id", filter=active & bearing & (overdue | signed)),
        "signed": Count("id", filter=active & bearing & signed),
        "without_contract": Count("id", filter=active & bearing & overdue & ~signed),
        "deemed_open_ended": Count("id", filter=active & bearing & ~signed & Q(start_date__lte=year_cutoff)),
        "dispatched": Count("id", filter=active & dispatched),
        "non_dispatched": Count("id", filter=active & ~dispatched_form),
    }


STAT_NAMES = (
    "on_roll",
    "on_post",
    "migrant",
    "due",
    "signed",
    "without_contract",
    "deemed_open_ended",
    "dispatched",
    "non_dispatched",
)


def _fill(stats: RosterStats, row: dict[str, Any]) -> None:
    for name in STAT_NAMES:
        setattr(stats, name, row[name])


def _ending_soon(actor: Actor, today: dt.date) -> QuerySet[LabourContract]:
    return LabourContract.objects.visible_to(actor).filter(
        status=ContractStatus.IN_FORCE,
        end_date__gte=today,
        end_date__lte=today + dt.timedelta(days=rules.ENDING_SOON_DAYS),
        employment__end_date__isnull=True,
    )


def employer_stats(
    *, actor: Actor, employer_ids: list[int], today: dt.date | None = None
) -> dict[int, RosterStats]:
    """Roster statistics of the given employers (in reach), two GROUP BY queries in all."""
    actor.require(Perm.VIEW_EMPLOYERS)
    today = today or dt.date.today()
    ids = list(employer_ids)
    result = {pk: RosterStats() for pk in ids}
    if not ids:
        return result
    rows = (
        Employment.objects.visible_to(actor)
        .filter(employer_id__in=ids)
        .annotate(has_contract=_in_force())
        .values("employer_id", "employer__is_dispatch_agency")
        .annotate(**_stat_aggregates(today))
        .order_by()
    )
    for row in rows:
        stats = result[row["employer_id"]]
        _fill(stats, row)
        stats.is_dispatch_agency = row["employer__is_dispatch_agency"]
    ending = (
        _ending_soon(actor, today)
        .filter(employment__employer_id__in=ids)
        .values("employment__employer_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in ending:
        result[row["employment__employer_id"]].ending_soon = row["n"]
    return result


def employer_stats_one(*, actor: Actor, employer: Employer, today: dt.date | None = None) -> RosterStats:
    stats = employer_stats(actor=actor, employer_ids=[employer.pk], today=today)[employer.pk]
    stats.is_dispatch_agency = employer.is_dispatch_agency
    return stats


@dataclass
class NoContractRow:
    employment: Employment
    exposure: rules.NoContractExposure


def without_contract_list(
    *,
    actor: Actor,
    employer_id: int | None = None,
    region: str = "",
    today: dt.date | None = None,
    limit: int = 500,
) -> list[NoContractRow]:
    """Everyone working more than a month without a written contract, longest first, with the
    days without a contract and the double-wage exposure in days."""
    actor.require(Perm.VIEW_EMPLOYERS)
    today = today or dt.date.today()
    rows = (
        Employment.objects.visible_to(actor)
        .filter(_active(today) & _bearing(), start_date__lte=overdue_cutoff(today))
        .annotate(has_contract=_in_force())
        .filter(has_contract=False)
        .select_related("worker", "employer")
        .order_by("start_date", "id")
    )
    if employer_id is not None:
        rows = rows.filter(employer_id=employer_id)
    if region:
        rows = rows.filter(region_code__startswith=_prefix(region))
    return [NoContractRow(e, rules.no_contract_exposure(e.start_date, today)) for e in rows[:limit]]


def ending_soon_list(*, actor: Actor, employer_id: int, today: dt.date | None = None) -> list[LabourContract]:
    actor.require(Perm.VIEW_EMPLOYERS)
    today = today or dt.date.today()
    return list(
        _ending_soon(actor, today)
        .filter(employment__employer_id=employer_id)
        .select_related("employment__worker")
        .order_by("end_date", "id")
    )


@dataclass
class RegionStatsRow:
    code: str
    name: str
    stats: RosterStats = field(default_factory=RosterStats)


@dataclass
class RegionRollup:
    region: Region
    rows: list[RegionStatsRow]
    total: RosterStats

    @property
    def chart_id(self) -> str:
        return f"signing-rate-{self.region.code}"

    @property
    def chart(self) -> dict[str, Any]:
        rows = [r for r in self.rows if r.stats.due]
        return {
            "labels": [r.name for r in rows],
            "series": [{"name": "劳动合同签订率（%）", "data": [r.stats.signing_rate for r in rows]}],
        }


def region_stats(*, actor: Actor, region_code: str = "", today: dt.date | None = None) -> RegionRollup:
    """Roster statistics per child region of ``region_code`` (default: the actor's first
    jurisdiction region), plus a row for employers placed at the region itself (本级)."""
    actor.require(Perm.VIEW_EMPLOYERS)
    if not actor.is_region_actor:
        raise PermissionDenied()
    today = today or dt.date.today()
    region = Region.objects.filter(code=region_code, valid_to__isnull=True).first() if region_code else None
    if region is None or not (actor.covers(region.code) or "" in actor.region_prefixes):
        own = jurisdiction_regions(actor)
        if not own:
            raise PermissionDenied("您的账号尚未设置管辖区域")
        region = own[0]
    prefix = region.scope_prefix
    children = list(Region.objects.filter(parent=region, valid_to__isnull=True).order_by("code"))
    length = PREFIX_LENGTH[RegionLevel(min(region.level + 1, RegionLevel.VILLAGE))]
    rows = {c.scope_prefix: RegionStatsRow(c.code, c.name) for c in children}
    own_row = RegionStatsRow(region.code, f"{region.name}（本级）")

    def row_for(key: str) -> RegionStatsRow:
        return rows.get(key, own_row)

    grouped = (
        Employment.objects.visible_to(actor)
        .filter(region_code__startswith=prefix)
        .annotate(has_contract=_in_force(), p=Substr("region_code", 1, length))
        .values("p")
        .annotate(**_stat_aggregates(today))
        .order_by()
    )
    for item in grouped:
        target = RosterStats()
        _fill(target, item)
        row_for(item["p"]).stats.add(target)
    ending = (
        _ending_soon(actor, today)
        .filter(employment__region_code__startswith=prefix)
        .annotate(p=Substr("employment__region_code", 1, length))
        .values("p")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in ending:
        row_for(item["p"]).stats.ending_soon += item["n"]
    for key, count in employer_counts_by_prefix(actor=actor, length=length, prefix=prefix).items():
        row_for(key).stats.employers += count
    result = list(rows.values())
    if own_row.stats.on_roll or own_row.stats.employers:
        result.append(own_row)
    total = RosterStats()
    for row in result:
        total.add(row.stats)
    return RegionRollup(region=region, rows=result, total=total)


# ---------------------------------------------------------------------------------------------
# Figures of the 春暖行动 labour-contract form (基层表), for many employers at once
# ---------------------------------------------------------------------------------------------

CONTRACT_FIGURES = (
    "on_roll",
    "on_post",
    "migrant",
    "due",
    "signed",
    "signed_fixed",
    "signed_open",
    "signed_task",
    "filed",
    "insured",
)


def employer_contract_figures(
    *, actor: Actor, employer_ids: list[int], today: dt.date | None = None
) -> dict[int, dict[str, int]]:
    """Per employer: on roll, at post, migrant workers, contracts due and signed (by the term of the
    contract in force), filed (every roster entry is a filing, 劳动用工备案) and insured — the same
    definitions as the roster statistics, in three GROUP BY queries however many employers."""
    today = today or dt.date.today()
    stats = employer_stats(actor=actor, employer_ids=employer_ids, today=today)
    result = {
        pk: {name: 0 for name in CONTRACT_FIGURES}
        | {n: getattr(s, n) for n in ("on_roll", "on_post", "migrant", "due", "signed")}
        for pk, s in stats.items()
    }
    if not employer_ids:
        return result
    active, bearing = _active(today), _bearing()
    rows = (
        Employment.objects.visible_to(actor)
        .filter(employer_id__in=list(employer_ids))
        .annotate(has_contract=_in_force(), term=_current_in_force("contract_type"))
        .values("employer_id")
        .annotate(
            insured=Count("id", filter=active & Q(is_insured=True)),
            signed_fixed=Count(
                "id", filter=active & bearing & Q(has_contract=True, term=ContractType.FIXED_TERM)
            ),
            signed_open=Count(
                "id", filter=active & bearing & Q(has_contract=True, term=ContractType.OPEN_ENDED)
            ),
            signed_task=Count(
                "id", filter=active & bearing & Q(has_contract=True, term=ContractType.TASK_BASED)
            ),
        )
        .order_by()
    )
    for row in rows:
        figures = result[row["employer_id"]]
        for name in ("insured", "signed_fixed", "signed_open", "signed_task"):
            figures[name] = row[name]
        figures["filed"] = figures["on_roll"]
    return result


def _current_in_force(field_name: str) -> Any:
    from django.db.models import Subquery

    return Subquery(
        LabourContract.objects.unscoped(reason="correlated subquery of an already scoped roster")
        .filter(employment=OuterRef("pk"), status=ContractStatus.IN_FORCE)
        .order_by("-start_date", "-id")
        .values(field_name)[:1]
    )


def employer_counts_by_prefix(*, actor: Actor, length: int, prefix: str) -> dict[str, int]:
    """Employers in reach under ``prefix``, counted per ``length``-digit code prefix (one row per
    employer: bounded by the employers of the region, not by the ledger or the rosters)."""
    rows = (
        Employer.objects.visible_to(actor)
        .filter(region_code__startswith=prefix)
        .annotate(p=Substr("region_code", 1, length))
        .values("p")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["p"]: row["n"] for row in rows}
