"""Summary-form benchmark: serving 松原市's 春暖行动 summary (汇总表) over a 2,000,000-row roster,
beside a DuckDB scan of the same roster and the naive ORM GROUP BY, then again with 10× the rows.

    python bench/report_summary.py [--db sqlite|postgres] [--rows 2000000] [--scale 10] [--repeat 5]

What it does, all local and all bounded (each size in a fresh process and a fresh database):

1. a throwaway database — SQLite in a temp dir, or with ``--db postgres`` a throwaway PostgreSQL
   server from ``tests/infra/with_pg.sh`` (the machine's :5432 is never touched); ``migrate``,
   ``load_regions --province 22`` (the real 松原市: its counties and townships);
2. synthetic data written straight to the tables (SQLite ``executemany``, PostgreSQL ``COPY``), with
   explicit ids: ``rows / 50`` employers over the city's townships, sections B C E F G H O L, size
   classes (micro … large, roster sizes by class), above-scale flags, a few dispatch agencies; a
   pool of workers (no ID number or phone: the benchmark never reads them; ``Employment``'s unique
   (employer, worker, start date) only needs distinct workers within one employer); ``rows`` roster
   entries (full-time / part-time / dispatched / other, ~12% ended, ~5% in their first month,
   migrant, on post, insured) and labour contracts for most contract-bearing entries (fixed term,
   open-ended, task-based; some with an earlier terminated contract);
3. the chain as the system builds it (setup, timed separately): the roster tallies by
   ``roster_tallies_refresh_all`` (twice: the second must change nothing), one approved base form
   per employer with the tally's figures, every township's summary and every county's summary by
   ``selectors.rollup`` stored as approved submissions;
4. measured, ``--repeat`` times each (median), every result checked equal to ours:
   - **ours**: ``selectors.rollup`` of the city (reads the counties' approved summaries), and
     ``tallies.live_contract_rows`` of the city (one GROUP BY over one tally row per employer);
   - **(a) DuckDB 2.0** scanning the same roster: the sqlite/postgres scanner extensions are not
     available offline, so the needed columns of the roster, contracts and employers are copied
     into an in-memory DuckDB (pandas transfer, before timing) and only the GROUP BY is timed;
   - **(b) naive ORM**: one GROUP BY over ``Employment`` joined to ``Employer`` with the
     conditional counts of ``chunnuan.employers.selectors`` (correlated contract subqueries).
     Repeated until ``--repeat`` runs or 300 s, whichever first (the count is printed).

Figures are for comparing revisions on the same machine, not for capacity planning.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CITY = "220700000000"  # 松原市
SEED = 20261122
BATCH = 50_000
SLOW_BUDGET_S = 300.0

SECTIONS = {"B": 3, "C": 28, "E": 14, "F": 12, "G": 16, "H": 13, "O": 6, "L": 3, "I": 5}
# size class: share of employers, roster weight range, share above scale
SIZES = {
    "micro": (0.45, 2, 12, 0.0),
    "small": (0.33, 15, 60, 0.3),
    "medium": (0.17, 80, 250, 0.8),
    "large": (0.05, 300, 1200, 1.0),
}
TERMS = (("fixed_term", 0.75), ("open_ended", 0.18), ("task_based", 0.07))


def base_env(tmp: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CHUNNUAN_DATA_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "CHUNNUAN_VAR_DIR": str(tmp / "var"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


# --- writing rows fast ---------------------------------------------------------------------------


class Table:
    """Raw writes to one model's table: the given columns per row, every other column its default."""

    def __init__(self, model: Any, varying: list[str]) -> None:
        from django.db import connection
        from django.utils import timezone

        self.connection = connection
        self.is_pg = connection.vendor == "postgresql"
        now = connection.ops.adapt_datetimefield_value(timezone.now()) if not self.is_pg else timezone.now()
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        fixed = [f for f in model._meta.concrete_fields if f.attname not in varying]
        fixed_values: list[Any] = []
        for f in fixed:
            if f.attname in ("created_at", "updated_at"):
                fixed_values.append(now)
            elif f.null and not f.has_default():
                fixed_values.append(None)
            else:
                fixed_values.append(f.get_default())
        self.columns = [by_name[n].column for n in varying] + [f.column for f in fixed]
        self.fixed = tuple(fixed_values)
        self.table = model._meta.db_table
        cols = ", ".join(self.columns)
        self.sql = f"INSERT INTO {self.table} ({cols}) VALUES ({', '.join(['%s'] * len(self.columns))})"  # noqa: S608

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        from django.db import transaction

        fixed = self.fixed
        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.is_pg:
                raw = self.connection.connection
                copy_sql = f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"
                with raw.cursor() as pgcur, pgcur.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row + fixed)
            else:
                cursor.executemany(self.sql, [row + fixed for row in rows])

    def reset_sequence(self) -> None:
        if self.is_pg:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {self.table}))"
                )


def _weighted(rng: random.Random, table: dict[str, float]) -> Callable[[], str]:
    keys, weights = list(table), list(table.values())
    return lambda: rng.choices(keys, weights)[0]


def generate(rows: int, today: dt.date) -> dict[str, Any]:
    """Employers, workers, roster entries and contracts; returns counts and seconds."""
    from chunnuan.employers.models import Employer, Employment, LabourContract
    from chunnuan.regions.models import Region, RegionLevel
    from chunnuan.workers.models import Worker

    t0 = time.perf_counter()
    rng = random.Random(SEED)
    townships = list(
        Region.objects.filter(code__startswith=CITY[:4], level=RegionLevel.TOWNSHIP, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    employers_table = Table(
        Employer,
        ["id", "credit_code", "name", "region_code", "industry_section", "size_class_computed", "size_class",
         "is_above_scale", "is_dispatch_agency"],
    )  # fmt: skip
    section_of = _weighted(rng, SECTIONS)
    size_of = _weighted(rng, {k: v[0] for k, v in SIZES.items()})
    n_emp = max(10, rows // 50)
    employers: list[tuple[Any, ...]] = []
    weights: list[float] = []
    for i in range(1, n_emp + 1):
        size = size_of()
        _, lo, hi, above_share = SIZES[size]
        section = section_of()
        township = rng.choice(townships)
        agency = section == "L" and rng.random() < 0.5
        employers.append((i, f"91{i:016d}", f"松原测试单位{i}", township, section, size, size,
                          rng.random() < above_share, agency))  # fmt: skip
        weights.append(rng.uniform(lo, hi))
    for start in range(0, n_emp, BATCH):
        employers_table.write(employers[start : start + BATCH])
    employers_table.reset_sequence()
    total = sum(weights)
    sizes = [int(w * rows / total) for w in weights]
    for _ in range(rows - sum(sizes)):
        sizes[rng.randrange(n_emp)] += 1
    biggest = max(sizes)
    n_workers = max(biggest + 1, min(rows // 10, 200_000))

    workers_table = Table(
        Worker, ["id", "name", "sex", "birth_date", "origin_region_code", "work_region_code"]
    )
    is_pg = workers_table.is_pg
    epoch = dt.date(1970, 1, 1)
    day_cache: dict[int, Any] = {}

    def day(n: int) -> Any:  # days since 1970 → the value the driver binds
        value = day_cache.get(n)
        if value is None:
            d = epoch + dt.timedelta(days=n)
            value = day_cache[n] = d if is_pg else d.isoformat()
        return value

    birth = day((dt.date(1985, 6, 1) - epoch).days)
    origins = [rng.choice(townships) for _ in range(n_workers)]
    for start in range(0, n_workers, BATCH):
        workers_table.write([(i + 1, "测试职工", "M", birth, origins[i], origins[i])
                             for i in range(start, min(n_workers, start + BATCH))])  # fmt: skip
    workers_table.reset_sequence()

    emp_table = Table(
        Employment,
        ["id", "employer_id", "worker_id", "region_code", "worker_origin_region_code", "employment_form",
         "start_date", "end_date", "is_migrant_worker", "is_on_post", "is_insured"],
    )  # fmt: skip
    con_table = Table(
        LabourContract,
        ["id", "employment_id", "contract_type", "signed_date", "start_date", "end_date", "status", "ended_date"],
    )  # fmt: skip
    today_n = (today - epoch).days
    six_years = 6 * 365
    term_keys, term_weights = [t for t, _ in TERMS], [w for _, w in TERMS]
    emp_rows: list[tuple[Any, ...]] = []
    con_rows: list[tuple[Any, ...]] = []
    emp_id = con_id = 0
    written = contracts = 0
    rand = rng.random
    for e_index, n in enumerate(sizes):
        employer = employers[e_index]
        eid, region, agency = employer[0], employer[3], employer[8]
        first_worker = rng.randrange(n_workers)
        for k in range(n):
            emp_id += 1
            worker = (first_worker + k) % n_workers
            r = rand()
            form = (
                "full_time"
                if r < 0.80
                else "part_time"
                if r < 0.87
                else "dispatched"
                if r < 0.95
                else "other"
            )
            start = today_n - (rng.randrange(40) if rand() < 0.05 else rng.randrange(40, six_years))
            ended = rand() < 0.12
            end = start + rng.randrange(1, max(2, today_n - start)) if ended else None
            emp_rows.append((emp_id, eid, worker + 1, region, origins[worker], form, day(start),
                             day(end) if end is not None else None, rand() < 0.72,
                             (not ended) and rand() < 0.93, rand() < 0.58))  # fmt: skip
            bearing = form not in ("part_time", "dispatched") or (form == "dispatched" and agency)
            share = 0.85 if bearing else 0.15
            if rand() < share:
                term = rng.choices(term_keys, term_weights)[0]
                c_start = start
                if rand() < 0.1 and today_n - start > 400:  # an earlier contract, ended, then the current one
                    con_id += 1
                    old_end = start + 364
                    con_rows.append((con_id, emp_id, "fixed_term", day(start), day(start), day(old_end),
                                     "terminated", day(old_end)))  # fmt: skip
                    c_start = old_end + 1
                con_id += 1
                c_end = c_start + 3 * 365 if term == "fixed_term" else None
                status = "terminated" if ended else "in_force"
                con_rows.append((con_id, emp_id, term, day(c_start), day(c_start),
                                 day(c_end) if c_end else None, status, day(end) if ended else None))  # fmt: skip
            if len(emp_rows) >= BATCH:  # the roster first: contracts refer to it
                emp_table.write(emp_rows)
                con_table.write(con_rows)
                written += len(emp_rows)
                contracts += len(con_rows)
                emp_rows, con_rows = [], []
                if written % 1_000_000 == 0:
                    print(f"    {written:,} roster rows in {time.perf_counter() - t0:.0f}s", flush=True)
    emp_table.write(emp_rows)
    con_table.write(con_rows)
    written += len(emp_rows)
    contracts += len(con_rows)
    emp_table.reset_sequence()
    con_table.reset_sequence()
    return {"employers": n_emp, "workers": n_workers, "roster": written, "contracts": contracts,
            "townships": len(townships), "biggest_roster": biggest,
            "seconds": time.perf_counter() - t0}  # fmt: skip


def analyze() -> float:
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0


# --- the chain ------------------------------------------------------------------------------------


def build_chain(today: dt.date) -> dict[str, Any]:
    """One approved base form per employer (the tally's figures), then township and county summaries."""
    from chunnuan.access.actor import system_actor
    from chunnuan.core.bulk import bulk_insert
    from chunnuan.regions.models import Region, RegionLevel
    from chunnuan.reporting import selectors
    from chunnuan.reporting.definitions import UnitLevel, get_form
    from chunnuan.reporting.models import Campaign, CampaignForm, RosterTally, Submission
    from chunnuan.reporting.units import Unit

    t0 = time.perf_counter()
    actor = system_actor("bench", region_prefixes=(CITY[:4],))
    base, summary = get_form("CN_CONTRACT_BASE"), get_form("CN_CONTRACT_SUMMARY")
    campaign = Campaign.plain.create(code="CN2026", name="2026年春暖行动", region_code=CITY,
                                     start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 3, 31))  # fmt: skip
    for code in (base.code, summary.code):
        CampaignForm.plain.create(campaign=campaign, form_code=code)
    period = selectors.campaign_period(campaign)
    deadline = dt.date(2026, 4, 3)
    codes = [f.code for f in base.input_fields]

    def sub(level: str, region: str, key: str, name: str, values: dict[str, Any], **extra: Any) -> Any:
        return Submission(form_code=extra.pop("form_code", summary.code), period_key=period.key,
                          campaign=campaign, level=level, region_code=region, unit_key=key, unit_name=name,
                          status="approved", values=values, deadline=deadline, **extra)  # fmt: skip

    tallies = RosterTally.objects.unscoped(reason="bench").order_by("employer_id")
    batch: list[Any] = []
    n_base = 0
    for t in tallies.iterator(chunk_size=5000):
        values = base.complete({c: getattr(t, c) for c in codes})
        batch.append(sub("employer", t.region_code, f"E{t.employer_id}", f"单位{t.employer_id}", values,
                         form_code=base.code, employer_id=t.employer_id, industry_section=t.industry_section,
                         size_class=t.size_class, is_above_scale=t.is_above_scale))  # fmt: skip
        if len(batch) >= 5000:
            bulk_insert(Submission, batch)
            n_base += len(batch)
            batch = []
    bulk_insert(Submission, batch)
    n_base += len(batch)
    base_s = time.perf_counter() - t0
    levels = ((RegionLevel.TOWNSHIP, UnitLevel.TOWNSHIP), (RegionLevel.COUNTY, UnitLevel.COUNTY))
    counts = {}
    for region_level, unit_level in levels:
        regions = Region.objects.filter(code__startswith=CITY[:4], level=region_level, valid_to__isnull=True)
        made = []
        for region in regions.order_by("code"):
            unit = Unit(level=unit_level, region_code=region.code, name=region.name)
            roll = selectors.rollup(actor=actor, form=summary, period=period, unit=unit)
            made.append(sub(unit_level.value, region.code, region.code, region.name, roll.totals,
                            rows=[r.as_dict() for r in roll.rows]))  # fmt: skip
        bulk_insert(Submission, made)
        counts[unit_level.value] = len(made)
    return {"base": n_base, **counts, "base_s": base_s, "seconds": time.perf_counter() - t0}


# --- the contenders -------------------------------------------------------------------------------


def ours_rollup() -> Callable[[], Any]:
    from chunnuan.access.actor import system_actor
    from chunnuan.reporting import selectors
    from chunnuan.reporting.definitions import UnitLevel, get_form
    from chunnuan.reporting.models import Campaign
    from chunnuan.reporting.units import Unit

    actor = system_actor("bench-city", region_prefixes=(CITY[:4],))
    form = get_form("CN_CONTRACT_SUMMARY")
    period = selectors.campaign_period(Campaign.objects.unscoped(reason="bench").get(code="CN2026"))
    unit = Unit(level=UnitLevel.CITY, region_code=CITY, name="松原市")
    return lambda: selectors.rollup(actor=actor, form=form, period=period, unit=unit).rows


def ours_live() -> Callable[[], Any]:
    from chunnuan.access.actor import system_actor
    from chunnuan.reporting.tallies import live_contract_rows

    actor = system_actor("bench-city", region_prefixes=(CITY[:4],))
    return lambda: live_contract_rows(actor=actor, region_code=CITY)


def naive_orm(today: dt.date) -> Callable[[], Any]:
    """The plain implementation: one GROUP BY over the roster with conditional counts."""
    from django.db.models import Count, Q
    from django.db.models.functions import Substr

    from chunnuan.employers.choices import ContractType
    from chunnuan.employers.models import Employment
    from chunnuan.employers.selectors import _active, _bearing, _current_in_force, _in_force, overdue_cutoff

    def run() -> list[dict[str, Any]]:
        active, bearing = _active(today), _bearing()
        overdue = Q(start_date__lte=overdue_cutoff(today))
        signed = Q(has_contract=True)
        return list(
            Employment.objects.unscoped(reason="bench: the naive baseline")
            .filter(region_code__startswith=CITY[:4])
            .annotate(
                has_contract=_in_force(),
                term=_current_in_force("contract_type"),
                township=Substr("region_code", 1, 9),
            )
            .values(
                "township", "employer__industry_section", "employer__size_class", "employer__is_above_scale"
            )
            .annotate(
                on_roll=Count("id", filter=active),
                on_post=Count("id", filter=active & Q(is_on_post=True)),
                migrant=Count("id", filter=active & Q(is_migrant_worker=True)),
                due=Count("id", filter=active & bearing & (overdue | signed)),
                signed=Count("id", filter=active & bearing & signed),
                signed_fixed=Count("id", filter=active & bearing & signed & Q(term=ContractType.FIXED_TERM)),
                signed_open=Count("id", filter=active & bearing & signed & Q(term=ContractType.OPEN_ENDED)),
                signed_task=Count("id", filter=active & bearing & signed & Q(term=ContractType.TASK_BASED)),
                insured=Count("id", filter=active & Q(is_insured=True)),
            )
            .order_by()
        )

    return run


def duckdb_copy(today: dt.date) -> tuple[Any, float, str]:
    """Copy the roster, contracts and employers into an in-memory DuckDB (not timed as the query)."""
    import duckdb
    import pandas as pd
    from django.db import connection

    t0 = time.perf_counter()
    db = duckdb.connect()
    pg = connection.vendor == "postgresql"
    days = "({} - DATE '1970-01-01')" if pg else "CAST(julianday({}) - 2440587.5 AS INTEGER)"
    tables = {
        "employment": ("id, employer_id, region_code, employment_form, {s} AS start_day, {e} AS end_day, "
                       "is_migrant_worker, is_on_post, is_insured FROM employers_employment").format(
            s=days.format("start_date"), e=days.format("end_date")),
        "contract": "id, employment_id, contract_type, status, {s} AS start_day FROM employers_labourcontract".format(
            s=days.format("start_date")),
        "employer": "id, industry_section, size_class, is_above_scale, is_dispatch_agency FROM employers_employer",
    }  # fmt: skip
    for name, select in tables.items():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select}")
            columns = [c[0] for c in cursor.description]
            first = True
            while chunk := cursor.fetchmany(500_000):
                frame = pd.DataFrame.from_records(chunk, columns=columns)
                for col in (
                    "is_migrant_worker",
                    "is_on_post",
                    "is_insured",
                    "is_above_scale",
                    "is_dispatch_agency",
                ):
                    if col in frame:
                        frame[col] = frame[col].astype(bool)
                for col in ("start_day", "end_day"):
                    if col in frame:
                        frame[col] = frame[col].astype("Int64")
                db.register("chunk", frame)
                db.execute(
                    f"CREATE TABLE {name} AS SELECT * FROM chunk"  # noqa: S608 — our table names
                    if first
                    else f"INSERT INTO {name} SELECT * FROM chunk"  # noqa: S608
                )
                db.unregister("chunk")
                first = False
    how = "copied via pandas (sqlite/postgres scanner extensions not available offline)"
    return db, time.perf_counter() - t0, how


def duckdb_query(db: Any, today: dt.date) -> Callable[[], Any]:
    from chunnuan.employers.selectors import overdue_cutoff

    epoch = dt.date(1970, 1, 1)
    today_n, cutoff_n = (today - epoch).days, (overdue_cutoff(today) - epoch).days
    sql = f"""
    WITH cur AS (
        SELECT employment_id, arg_max(contract_type, {{'s': start_day, 'i': id}}) AS term
        FROM contract WHERE status = 'in_force' GROUP BY employment_id
    ), x AS (
        SELECT substr(e.region_code, 1, 9) AS township, r.industry_section, r.size_class, r.is_above_scale,
               e.end_day IS NULL AND e.start_day <= {today_n} AS active,
               e.employment_form <> 'part_time'
                 AND NOT (e.employment_form = 'dispatched' AND NOT r.is_dispatch_agency) AS bearing,
               e.start_day <= {cutoff_n} AS overdue, cur.term IS NOT NULL AS signed, cur.term,
               e.is_on_post, e.is_migrant_worker, e.is_insured
        FROM employment e JOIN employer r ON r.id = e.employer_id
        LEFT JOIN cur ON cur.employment_id = e.id
        WHERE e.region_code LIKE '{CITY[:4]}%'
    )
    SELECT township, industry_section, size_class, is_above_scale,
        count(*) FILTER (WHERE active) AS on_roll,
        count(*) FILTER (WHERE active AND is_on_post) AS on_post,
        count(*) FILTER (WHERE active AND is_migrant_worker) AS migrant,
        count(*) FILTER (WHERE active AND bearing AND (overdue OR signed)) AS due,
        count(*) FILTER (WHERE active AND bearing AND signed) AS signed,
        count(*) FILTER (WHERE active AND bearing AND term = 'fixed_term') AS signed_fixed,
        count(*) FILTER (WHERE active AND bearing AND term = 'open_ended') AS signed_open,
        count(*) FILTER (WHERE active AND bearing AND term = 'task_based') AS signed_task,
        count(*) FILTER (WHERE active AND is_insured) AS insured
    FROM x GROUP BY ALL
    """  # noqa: S608
    return lambda: db.execute(sql).fetchall()


# --- comparing results ---------------------------------------------------------------------------

FIGURES = ("on_roll", "on_post", "migrant", "due", "signed", "signed_fixed", "signed_open", "signed_task",
           "filed", "insured")  # fmt: skip


def _cells(items: Iterator[tuple[tuple[Any, ...], dict[str, int]]]) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """{(township, section, size, above): figures}, all-zero cells dropped (a scan has no row for an
    employer without roster entries)."""
    out: dict[tuple[Any, ...], tuple[int, ...]] = {}
    for key, values in items:
        figures = tuple(int(values.get(f) or 0) for f in FIGURES)
        if any(figures):
            out[key] = figures
    return out


def cells_of_rows(rows: list[Any]) -> dict[tuple[Any, ...], tuple[int, ...]]:
    return _cells(((r.region, r.section, r.size, bool(r.above_scale)), r.values) for r in rows)


def cells_of_dicts(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], tuple[int, ...]]:
    return _cells(
        ((r["township"].ljust(12, "0"), r["employer__industry_section"], r["employer__size_class"],
          bool(r["employer__is_above_scale"])), {**r, "filed": r["on_roll"]})
        for r in rows
    )  # fmt: skip


def cells_of_tuples(rows: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[int, ...]]:
    names = (
        "on_roll",
        "on_post",
        "migrant",
        "due",
        "signed",
        "signed_fixed",
        "signed_open",
        "signed_task",
        "insured",
    )
    return _cells(
        ((t[0].ljust(12, "0"), t[1], t[2], bool(t[3])), {**dict(zip(names, t[4:], strict=True)), "filed": t[4]})
        for t in rows
    )  # fmt: skip


def timed(fn: Callable[[], Any], repeat: int, budget: float | None = None) -> tuple[list[float], Any]:
    """``repeat`` timed runs after a warm-up whose result is returned; with a ``budget`` (seconds)
    the warm-up counts as the first run and no run starts after the budget is spent."""
    t0 = time.perf_counter()
    result = fn()
    first = time.perf_counter() - t0
    out: list[float] = [first] if budget is not None else []
    spent = first if budget is not None else 0.0
    if budget is not None and spent > budget:
        return out, result
    for _ in range(repeat - len(out)):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
        spent += out[-1]
        if budget is not None and spent > budget:
            break
    return out, result


# --- one size: the phase (a fresh process, DATABASE_URL set) -------------------------------------


def phase(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from chunnuan.access.actor import system_actor
    from chunnuan.access.scoping import actor_scope
    from chunnuan.reporting.models import RosterTally
    from chunnuan.reporting.periods import local_today
    from chunnuan.reporting.tallies import roster_tallies_refresh_all

    res: dict[str, Any] = {"vendor": connection.vendor, "rows": args.rows}
    t0 = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_regions", provinces=["22"], stdout=open(os.devnull, "w"))
    res["setup_s"] = time.perf_counter() - t0
    today = local_today()
    res["today"] = today.isoformat()
    with actor_scope(system_actor("bench")):
        print(f"  {connection.vendor} · {args.rows:,} rows: generating …", flush=True)
        res["data"] = generate(args.rows, today)
        print(f"  generated in {res['data']['seconds']:.0f}s: {res['data']}", flush=True)
        res["analyze_s"] = analyze()
        t0 = time.perf_counter()
        roster_tallies_refresh_all(today)
        res["tallies_s"] = time.perf_counter() - t0
        first = sorted(RosterTally.objects.unscoped(reason="bench").values_list(
            "employer_id", *FIGURES[:5], "signed_fixed", "signed_open", "signed_task", "filed", "insured"))  # fmt: skip
        t0 = time.perf_counter()
        roster_tallies_refresh_all(today)
        res["tallies_again_s"] = time.perf_counter() - t0
        again = sorted(RosterTally.objects.unscoped(reason="bench").values_list(
            "employer_id", *FIGURES[:5], "signed_fixed", "signed_open", "signed_task", "filed", "insured"))  # fmt: skip
        res["tallies_idempotent"] = first == again
        print(f"  tallies in {res['tallies_s']:.0f}s (again {res['tallies_again_s']:.0f}s)", flush=True)
        res["chain"] = build_chain(today)
        print(f"  chain in {res['chain']['seconds']:.0f}s: {res['chain']}", flush=True)
        analyze()

        timings: dict[str, Any] = {}
        rollup_times, rollup_rows = timed(ours_rollup(), args.repeat)
        live_times, live_rows = timed(ours_live(), args.repeat)
        ours = cells_of_rows(rollup_rows)
        exact = [(r.region, r.section, r.size, r.above_scale, r.values) for r in rollup_rows]
        exact_live = [(r.region, r.section, r.size, r.above_scale, r.values) for r in live_rows]
        timings["ours_rollup"] = {"times": rollup_times, "cells": len(rollup_rows), "equal": True}
        timings["ours_live"] = {"times": live_times, "cells": len(live_rows), "equal": exact_live == exact}
        print(f"  ours: rollup {statistics.median(rollup_times) * 1000:.1f} ms, live "
              f"{statistics.median(live_times) * 1000:.1f} ms", flush=True)  # fmt: skip

        db, copy_s, how = duckdb_copy(today)
        duck_times, duck_rows = timed(duckdb_query(db, today), args.repeat)
        timings["duckdb"] = {"times": duck_times, "cells": len(duck_rows), "equal": cells_of_tuples(duck_rows) == ours,
                             "copy_s": copy_s, "how": how}  # fmt: skip
        db.close()
        print(f"  duckdb {statistics.median(duck_times) * 1000:.1f} ms (copy {copy_s:.0f}s)", flush=True)
        naive_times, naive_rows = timed(naive_orm(today), args.repeat, budget=SLOW_BUDGET_S)
        timings["naive"] = {
            "times": naive_times,
            "cells": len(naive_rows),
            "equal": cells_of_dicts(naive_rows) == ours,
        }
        print(f"  naive {statistics.median(naive_times) * 1000:.1f} ms", flush=True)
        res["timings"] = timings
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    res["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) + f" · load average {load}"
    Path(args.out).write_text(json.dumps(res, default=str))
    return 0


# --- the report ----------------------------------------------------------------------------------


def report(results: list[dict[str, Any]], note: str) -> None:
    def ms(times: list[float]) -> float:
        return statistics.median(times) * 1000

    vendor = results[0]["vendor"]
    print(f"\n### {vendor} · {results[-1]['when']}\n")
    if note:
        print(note + "\n")
    print("| roster rows | employers | contracts | generate s | tallies s (again, idempotent) | chain setup s | "
          "DuckDB copy s |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        d, t = r["data"], r["timings"]
        print(f"| {d['roster']:,} | {d['employers']:,} | {d['contracts']:,} | {d['seconds']:.0f} | "
              f"{r['tallies_s']:.0f} ({r['tallies_again_s']:.0f}, {'yes' if r['tallies_idempotent'] else 'NO'}) | "
              f"{r['chain']['seconds']:.0f} | {t['duckdb']['copy_s']:.0f} |")  # fmt: skip
    print("\n| roster rows | contender | runs | median ms | result equal to ours | ours (rollup) ÷ this |")
    print("|---:|---|---:|---:|---|---:|")
    labels = {
        "ours_rollup": "**ours**: `selectors.rollup` of the city (county summaries)",
        "ours_live": "ours: `live_contract_rows` of the city (tallies)",
        "duckdb": "(a) DuckDB 2.0 GROUP BY over the copied roster",
        "naive": "(b) naive ORM GROUP BY over the roster",
    }
    for r in results:
        t = r["timings"]
        ours = ms(t["ours_rollup"]["times"])
        for key, label in labels.items():
            m = ms(t[key]["times"])
            print(f"| {r['data']['roster']:,} | {label} | {len(t[key]['times'])} | {m:.1f} | "
                  f"{'yes' if t[key]['equal'] else 'NO'} ({t[key]['cells']} cells) | {ours / m:.4f} |")  # fmt: skip
    if len(results) > 1:
        a, b = results[0], results[-1]
        growth = b["data"]["roster"] / a["data"]["roster"]
        print(f"\nGrowth from {a['data']['roster']:,} to {b['data']['roster']:,} rows ({growth:.0f}×):")
        for key, label in labels.items():
            ratio = ms(b["timings"][key]["times"]) / ms(a["timings"][key]["times"])
            print(f"- {label}: {ratio:.2f}×")
    print(f"\n{results[0]['timings']['duckdb']['how']}.")
    for r in results:
        t = r["timings"]
        ok = ms(t["ours_rollup"]["times"]) <= ms(t["duckdb"]["times"])
        print(f"- {r['data']['roster']:,} rows: ours no slower than DuckDB: {'met' if ok else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--scale", type=int, default=10, help="then again with rows × scale (1: once)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--note", default="", help="a line printed above the tables")
    parser.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return phase(args)
    sizes = [max(1000, args.rows)] + ([max(1000, args.rows) * args.scale] if args.scale > 1 else [])
    tmp = Path(tempfile.mkdtemp(prefix="chunnuan-bench-summary-", dir="/tmp"))
    os.chmod(tmp, 0o755)  # noqa: S103 — the throwaway PostgreSQL runs as another user
    results = []
    try:
        for rows in sizes:
            out = tmp / f"{rows}.json"
            cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", "--rows", str(rows),
                   "--repeat", str(args.repeat), "--out", str(out)]  # fmt: skip
            env = {**os.environ, **base_env(tmp)}
            if args.db == "postgres":
                env.pop("DATABASE_URL", None)
                cmd = ["bash", str(ROOT / "tests/infra/with_pg.sh"), *cmd]
            else:
                env["DATABASE_URL"] = f"sqlite:///{tmp / f'bench-{rows}.sqlite3'}"
            subprocess.run(cmd, cwd=ROOT, check=True, env=env)
            results.append(json.loads(out.read_text()))
            (tmp / f"bench-{rows}.sqlite3").unlink(missing_ok=True)
        report(results, args.note)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
