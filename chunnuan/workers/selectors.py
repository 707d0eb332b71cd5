"""Reads of the real-name ledger, always scoped to the actor (``Worker.objects.visible_to``).

The list is built to stay fast at a city's scale (10^6 people): region filters are code *ranges*
(``code BETWEEN '220702001000' AND '220702001999'``), which both SQLite and PostgreSQL answer from
the (region, id) indexes — a ``LIKE 'prefix%'`` is not indexable on SQLite's default collation —
the order is newest first by primary key (keyset-friendly: ``id < last_seen`` continues a page),
and the count behind the pager stops at ``COUNT_CAP`` (see ``CappedPaginator``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.functional import cached_property

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import code_prefix, get_visible
from chunnuan.core import crypto
from chunnuan.core.errors import NotFound, ValidationFailed
from chunnuan.core.identifiers import normalize_id_number, to_halfwidth
from chunnuan.core.pagination import MAX_PAGE_SIZE, PAGE_SIZE
from chunnuan.regions.lookups import region_names
from chunnuan.workers.choices import HELP_GROUPS, NEEDS, EventKind
from chunnuan.workers.models import Worker, WorkerEvent
from chunnuan.workers.types import DynamicLedgerFilters, WorkerFilters

COUNT_CAP = 10_000  # the pager counts at most this many rows; beyond it the list says "10000+"


TOWNSHIP_PREFIX = 9  # a township's share of a city's ledger is small enough to read by index


def _code_range(field: str, prefix: str) -> Q:
    """``field`` lies under ``prefix`` — as a range, so an index on ``field`` answers it."""
    return Q(**{f"{field}__gte": prefix.ljust(12, "0"), f"{field}__lte": prefix.ljust(12, "9")})


def _under(field: str, prefix: str) -> Q:
    """``field`` lies under ``prefix``, written for the planner (measured on 10^6 rows, see
    docs/decisions/0007-ledger.md): a township or smaller is a *range*, answered from the
    (region, id) index; a county or larger is a ``startswith``, which leaves the planner walking
    the primary key newest-first and stopping after a page — reading a county's 10^5 rows by index
    and sorting them costs ten times more."""
    if len(prefix) >= TOWNSHIP_PREFIX:
        return _code_range(field, prefix)
    return Q(**{f"{field}__startswith": prefix})


def _indexed_scope(actor: Actor, workers: QuerySet[Worker]) -> QuerySet[Worker]:
    """For township officers, repeat their reach as code ranges. ``visible_to`` says
    ``LIKE 'prefix%'``, which SQLite cannot answer from an index (its LIKE is case-insensitive,
    the columns BINARY), so without this a township's list scans the whole table. Same rows."""
    prefixes = actor.region_prefixes
    if not actor.is_region_actor or not prefixes or any(len(p) < TOWNSHIP_PREFIX for p in prefixes):
        return workers
    reach = Q()
    for prefix in prefixes:
        reach |= _code_range("origin_region_code", prefix) | _code_range("work_region_code", prefix)
    return workers.filter(reach)


def _age_bound(years: int, *, today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _search(workers: QuerySet[Worker], q: str) -> QuerySet[Worker]:
    """By full ID number or phone (their keyed hashes: exact only), otherwise by name."""
    text = to_halfwidth(q).strip()
    number = normalize_id_number(text)
    if len(number) == 18 and number[:17].isdigit():
        return workers.filter(id_number_hash=crypto.lookup_hash(number))
    digits = number.removeprefix("+86")
    if len(digits) == 11 and digits.isdigit() and digits.startswith("1"):
        return workers.filter(phone_hash=crypto.lookup_hash(digits))
    return workers.filter(name__contains=text)


def worker_list(*, actor: Actor, filters: WorkerFilters | dict[str, Any] | None = None) -> QuerySet[Worker]:
    """The ledger list, newest registrations first."""
    actor.require(Perm.VIEW_WORKERS)
    f = filters if isinstance(filters, WorkerFilters) else WorkerFilters(**(filters or {}))
    workers: QuerySet[Worker] = Worker.objects.visible_to(actor)
    region = f.region.strip()
    if not region or len(code_prefix(region.ljust(12, "0"))) < TOWNSHIP_PREFIX:
        workers = _indexed_scope(actor, workers)
    if f.q.strip():
        workers = _search(workers, f.q)
    if region:
        if not (region.isdigit() and len(region) <= 12):
            raise ValidationFailed("区划代码应为数字", fields={"region": ["区划代码应为数字"]})
        prefix = code_prefix(region.ljust(12, "0"))
        if f.region_side == "origin":
            workers = workers.filter(_under("origin_region_code", prefix))
        elif f.region_side == "work":
            workers = workers.filter(_under("work_region_code", prefix))
        else:
            workers = workers.filter(
                _under("origin_region_code", prefix) | _under("work_region_code", prefix)
            )
    for name in f.groups:
        if name not in HELP_GROUPS:
            raise ValidationFailed("帮扶对象类别不正确", fields={"groups": ["帮扶对象类别不正确"]})
        workers = workers.filter(**{name: True})
    for name in f.needs:
        if name not in NEEDS:
            raise ValidationFailed("需求类别不正确", fields={"needs": ["需求类别不正确"]})
        workers = workers.filter(**{name: True})
    for name in ("employment_status", "movement_status", "education", "sex"):
        if value := getattr(f, name):
            workers = workers.filter(**{name: value})
    today = timezone.localdate()
    if f.age_min is not None:
        workers = workers.filter(birth_date__lte=_age_bound(f.age_min, today=today))
    if f.age_max is not None:
        workers = workers.filter(birth_date__gt=_age_bound(f.age_max + 1, today=today))
    if f.registered_from:
        workers = workers.filter(created_at__date__gte=f.registered_from)
    if f.registered_to:
        workers = workers.filter(created_at__date__lte=f.registered_to)
    if f.moved_from:
        workers = workers.filter(movement_date__gte=f.moved_from)
    if f.moved_to:
        workers = workers.filter(movement_date__lte=f.moved_to)
    return workers.order_by("-id")


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``COUNT_CAP`` + 1 rows: counting a whole city's ledger on
    every page view costs more than the page itself. ``is_capped`` tells the page to say "10000+"."""

    @cached_property
    def count(self) -> int:
        qs: Any = self.object_list
        if isinstance(qs, QuerySet):
            return int(qs.order_by()[: COUNT_CAP + 1].count())
        return len(qs)

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP


def worker_page(workers: QuerySet[Worker], page: Any, *, per_page: int = PAGE_SIZE) -> Page[Worker]:
    per_page = max(1, min(int(per_page), MAX_PAGE_SIZE))
    return CappedPaginator(workers, per_page).get_page(page)


def worker_get(*, actor: Actor, pk: Any) -> Worker:
    if actor.worker_id is None or str(actor.worker_id) != str(pk):
        actor.require(Perm.VIEW_WORKERS)
    return get_visible(actor, Worker, pk=pk)


def worker_self(*, actor: Actor) -> Worker:
    """A signed-in worker's own record."""
    if actor.worker_id is None:
        raise NotFound()
    return get_visible(actor, Worker, pk=actor.worker_id)


def worker_timeline(*, actor: Actor, worker: Worker) -> QuerySet[WorkerEvent]:
    """A person's timeline (动态), newest first; the worker themself may read their own."""
    return (
        WorkerEvent.objects.visible_to(actor)
        .filter(worker_id=worker.pk)
        .select_related("created_by")
        .order_by("-date", "-id")
    )


def worker_region_names(workers: Any) -> dict[str, str]:
    """Names of the origin and work regions of a page of people (one query)."""
    return region_names({c for w in workers for c in (w.origin_region_code, w.work_region_code)})


@dataclass
class TownshipCount:
    code: str  # the 12-digit township code (origin)
    name: str
    total: int
    employment: int
    training: int
    entrepreneurship: int


def _returnees(actor: Actor, f: DynamicLedgerFilters) -> QuerySet[Worker]:
    actor.require(Perm.VIEW_WORKERS)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise ValidationFailed("开始日期不能晚于结束日期", fields={"date_from": ["开始日期不能晚于结束日期"]})
    returned = WorkerEvent.objects.visible_to(actor).filter(kind=EventKind.RETURNED)
    if f.date_from:
        returned = returned.filter(date__gte=f.date_from)
    if f.date_to:
        returned = returned.filter(date__lte=f.date_to)
    needs = f.needs or list(NEEDS)
    if any(n not in NEEDS for n in needs):
        raise ValidationFailed("需求类别不正确", fields={"needs": ["需求类别不正确"]})
    need_q = Q()
    for name in needs:
        need_q |= Q(**{name: True})
    workers = _indexed_scope(actor, Worker.objects.visible_to(actor)).filter(
        need_q, pk__in=returned.values("worker_id")
    )
    if region := f.region.strip():
        if not (region.isdigit() and len(region) <= 12):
            raise ValidationFailed("区划代码应为数字", fields={"region": ["区划代码应为数字"]})
        workers = workers.filter(_under("origin_region_code", code_prefix(region.ljust(12, "0"))))
    return workers


def dynamic_ledger(*, actor: Actor, filters: DynamicLedgerFilters | None = None) -> QuerySet[Worker]:
    """动态就业服务台帐: the people who returned home in the period and need employment, training or
    entrepreneurship services (the saved view of the ledger), by origin township then newest first."""
    return _returnees(actor, filters or DynamicLedgerFilters()).order_by("origin_region_code", "-id")


def dynamic_ledger_counts(
    *, actor: Actor, filters: DynamicLedgerFilters | None = None
) -> list[TownshipCount]:
    """The same people counted by origin township (one GROUP BY), with a count per need."""
    rows: list[dict[str, Any]] = list(
        _returnees(actor, filters or DynamicLedgerFilters())
        .annotate(township=Substr("origin_region_code", 1, 9))
        .values("township")
        .annotate(
            total=Count("id"),
            employment=Count("id", filter=Q(needs_employment=True)),
            training=Count("id", filter=Q(needs_training=True)),
            entrepreneurship=Count("id", filter=Q(needs_entrepreneurship=True)),
        )
        .order_by("township")
    )
    names = region_names({r["township"] + "000" for r in rows})
    return [
        TownshipCount(
            code=r["township"] + "000",
            name=names.get(r["township"] + "000", r["township"] + "000"),
            total=r["total"],
            employment=int(r["employment"] or 0),
            training=int(r["training"] or 0),
            entrepreneurship=int(r["entrepreneurship"] or 0),
        )
        for r in rows
    ]


# ---------------------------------------------------------------------------------------------
# Figures for periodic reports (调度表, 返乡就业情况表): counted from the ledger, origin side
# ---------------------------------------------------------------------------------------------


def _events_in(actor: Actor, prefix: str, kinds: list[str], start: dt.date, end: dt.date) -> QuerySet[Worker]:
    events = WorkerEvent.objects.visible_to(actor).filter(kind__in=kinds, date__gte=start, date__lte=end)
    return _indexed_scope(actor, Worker.objects.visible_to(actor)).filter(
        _under("origin_region_code", prefix), pk__in=events.values("worker_id")
    )


def township_dispatch_figures(
    *, actor: Actor, region_code: str, start: dt.date, end: dt.date
) -> dict[str, int]:
    """春节期间调度表 figures for the people whose 户籍 lies in ``region_code``, for events dated in
    [start, end]: returned home (and of them with any need), stayed where they work for the
    festival, went (back) out to work."""
    actor.require(Perm.VIEW_WORKERS)
    prefix = code_prefix(region_code)
    any_need = Q()
    for name in NEEDS:
        any_need |= Q(**{name: True})
    returned = _events_in(actor, prefix, [EventKind.RETURNED], start, end).aggregate(
        total=Count("id"), with_needs=Count("id", filter=any_need)
    )
    return {
        "returnees": returned["total"],
        "returnees_with_needs": returned["with_needs"],
        "stayers": _events_in(actor, prefix, [EventKind.STAYING_FOR_FESTIVAL], start, end).count(),
        "gone_out": _events_in(
            actor, prefix, [EventKind.BACK_TO_WORK, EventKind.WENT_OUT], start, end
        ).count(),
    }


def returnee_employment_figures(
    *, actor: Actor, region_code: str, start: dt.date, end: dt.date
) -> dict[str, int]:
    """返乡农民工就业情况 for the people of ``region_code`` who came home within the 12 months up to
    ``end``: employed locally, gone back out to work, self-employed, still seeking work."""
    from chunnuan.workers.choices import EmploymentStatus, MovementStatus

    actor.require(Perm.VIEW_WORKERS)
    prefix = code_prefix(region_code)
    since = end - dt.timedelta(days=365)
    away = Q(movement_status__in=[MovementStatus.BACK_TO_WORK, MovementStatus.WORKING_AWAY])
    local_job = Q(employment_status__in=[EmploymentStatus.EMPLOYED, EmploymentStatus.FLEXIBLE])
    own = Q(employment_status=EmploymentStatus.SELF_EMPLOYED)
    row = _events_in(actor, prefix, [EventKind.RETURNED], since, end).aggregate(
        returnees=Count("id"),
        employed_away=Count("id", filter=away),
        employed_local=Count("id", filter=~away & local_job),
        self_employed=Count("id", filter=~away & own),
        seeking=Count("id", filter=~away & ~local_job & ~own & Q(needs_employment=True)),
    )
    figures = {k: int(v or 0) for k, v in row.items()}
    figures["employed"] = figures["employed_local"] + figures["employed_away"] + figures["self_employed"]
    return figures
