"""Home page benchmark: the city officer's home (首页) over 1,000,000 workers, from the maintained
tallies and — in the same run, on the same data — with the per-request counting it replaced.

    python bench/bench_home.py [--workers 1000000] [--requests 50] [--pg]

What it does, all in-process or on loopback, all bounded:

1. a throwaway database — SQLite in a temp dir, or with ``--pg`` a throwaway PostgreSQL server from
   ``tests/infra/with_pg.sh`` (this script re-runs itself under it; the machine's :5432 is never
   touched); ``migrate``, ``collectstatic``, ``load_demo`` at ``CHUNNUAN_DEMO_SCALE=0.02`` (regions,
   accounts, employers with rosters and their 名册统计);
2. ``--workers`` synthetic people written straight to the worker table (``bench.ledger_list``'s
   loader: SQLite ``executemany`` / PostgreSQL ``COPY``, ID numbers and phones encrypted and hashed
   as the application does), then the region tally (台帐人数统计) recounted from the ledger with
   ``workers_recount_tallies``' function — a load that bypasses the services is reconciled the way
   the repair command does it; the recount is timed; ``ANALYZE``;
3. the home page through Django's test ``Client`` (whole middleware stack, template, DEBUG off) as the
   city officer ``songyuan_city``: 5 warm-ups, then ``--requests`` measured — first with our code,
   then with the baseline: the counting the home page did per request before the tallies (kept
   below as :func:`baseline_home_overview` and :func:`baseline_without_contract`, patched in for the
   second series); p50 / p95 of each and their ratio;
4. a check that both give the same figures.

Figures are for comparing revisions on the same machine, not for capacity planning.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ledger_list import analyze, cli, insert_workers, pct, prepare_environment, timed  # noqa: E402

OFFICER = "songyuan_city"
WARMUP = 5


# ---------------------------------------------------------------------------------------------
# The baseline: what the home page computed per request before the tallies (kept verbatim)
# ---------------------------------------------------------------------------------------------


def _baseline_counts_by_prefix(actor: Any, length: int, prefix: str) -> tuple[dict[str, int], dict[str, int]]:
    from django.db.models import Count, F
    from django.db.models.functions import Substr

    from chunnuan.access.permissions import Perm
    from chunnuan.employers.models import Employer
    from chunnuan.workers.models import Worker

    workers: dict[str, int] = {}
    if actor.can(Perm.VIEW_WORKERS):
        visible = Worker.objects.visible_to(actor)
        for fieldname in ("origin_region_code", "work_region_code"):
            rows = (
                visible.filter(**{f"{fieldname}__startswith": prefix})
                .annotate(p=Substr(fieldname, 1, length))
                .values("p")
                .annotate(n=Count("id"))
            )
            for row in rows:
                workers[row["p"]] = workers.get(row["p"], 0) + row["n"]
        both = (
            visible.filter(origin_region_code__startswith=prefix)
            .annotate(p=Substr("origin_region_code", 1, length), w=Substr("work_region_code", 1, length))
            .filter(p=F("w"))
            .values("p")
            .annotate(n=Count("id"))
        )
        for row in both:
            workers[row["p"]] -= row["n"]
    employers: dict[str, int] = {}
    if actor.can(Perm.VIEW_EMPLOYERS):
        employer_rows = (
            Employer.objects.visible_to(actor)
            .filter(region_code__startswith=prefix)
            .annotate(p=Substr("region_code", 1, length))
            .values("p")
            .annotate(n=Count("id"))
        )
        employers = {row["p"]: row["n"] for row in employer_rows}
    return workers, employers


def baseline_home_overview(*, actor: Any) -> list[Any]:
    """``dashboards.selectors.home_overview`` as it was: counting the ledger on every request."""
    from chunnuan.dashboards.selectors import RegionSummary, _ancestors, actor_regions
    from chunnuan.regions.models import PREFIX_LENGTH, Region, RegionLevel

    if not actor.is_region_actor:
        return []
    prefixes = [p for p in actor.region_prefixes if p]
    if not prefixes:
        regions = list(Region.objects.filter(level=RegionLevel.PROVINCE, valid_to__isnull=True))
        return [RegionSummary(region=r, ancestors=[]) for r in regions]
    summaries = []
    for region in actor_regions(actor=actor):
        summary = RegionSummary(region=region, ancestors=_ancestors(region))
        children = list(region.children.filter(valid_to__isnull=True).order_by("code"))
        if children:
            length = PREFIX_LENGTH[RegionLevel(children[0].level)]
            workers, employers = _baseline_counts_by_prefix(actor, length, region.scope_prefix)
            summary.children = [
                {
                    "region": c,
                    "workers": workers.get(c.code[:length], 0),
                    "employers": employers.get(c.code[:length], 0),
                }
                for c in children
            ]
        own_workers, own_employers = _baseline_counts_by_prefix(
            actor, len(region.scope_prefix), region.scope_prefix
        )
        summary.workers = own_workers.get(region.scope_prefix, 0)
        summary.employers = own_employers.get(region.scope_prefix, 0)
        summaries.append(summary)
    return summaries


def baseline_without_contract(*, actor: Any) -> int:
    """The home's "over a month without a contract" as it was: the 用工统计 roll-up over the rosters."""
    from chunnuan.employers.selectors import region_stats

    return region_stats(actor=actor).total.without_contract


# ---------------------------------------------------------------------------------------------


def timed_home(get: Any, n: int) -> list[float]:
    def checked() -> None:
        response = get()
        assert response.status_code == 200, response.status_code

    return timed(checked, n, warmup=WARMUP)


def figures(actor: Any) -> tuple[list[tuple[str, int, int, int]], int]:
    from chunnuan.dashboards import selectors

    rows = []
    for summary in selectors.home_overview(actor=actor):
        rows.append((summary.region.code, summary.workers, summary.employers, 0))
        rows += [(c["region"].code, c["workers"], c["employers"], 1) for c in summary.children]
    return rows, selectors.without_contract_count(actor=actor)


def measure(n: int, label: str) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from chunnuan.access.auth import actor_for_user
    from chunnuan.access.scoping import actor_scope
    from chunnuan.dashboards import selectors

    user = get_user_model().objects.get(username=OFFICER)
    client = Client()
    client.force_login(user)
    actor = actor_for_user(user, ip="127.0.0.1")
    with actor_scope(actor):
        ours_figures = figures(actor)
    ours = timed_home(lambda: client.get("/"), n)
    with (
        mock.patch.object(selectors, "home_overview", baseline_home_overview),
        mock.patch.object(selectors, "without_contract_count", baseline_without_contract),
    ):
        with actor_scope(actor):
            base_figures = figures(actor)
        base = timed_home(lambda: client.get("/"), n)
    same = ours_figures == base_figures
    people = ours_figures[0][0][1] if ours_figures[0] else 0
    print(f"\n{label}\n")
    print(f"city officer `{OFFICER}`: {people} people in the city's ledger, "
          f"{ours_figures[1]} without a contract; tally figures equal the live counts: {same}\n")  # fmt: skip
    print("| home page `/` | n | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    print(f"| maintained tallies (this revision) | {len(ours)} | {pct(ours, 50):.1f} | {pct(ours, 95):.1f} |")
    print(f"| baseline: counting per request | {len(base)} | {pct(base, 50):.1f} | {pct(base, 95):.1f} |")
    print(
        f"\nbaseline ÷ tallies: p50 {pct(base, 50) / pct(ours, 50):.1f}×, p95 {pct(base, 95) / pct(ours, 95):.1f}×"
    )
    if not same:
        print("MISMATCH:", ours_figures, base_figures)


def run(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="chunnuan-bench-home-"))
    try:
        prepare_environment(tmp)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from chunnuan.workers.tallies import worker_tallies_recount

        call_command("migrate", "--noinput", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))
        n = max(1000, min(args.workers, 2_000_000))
        print(f"{connection.vendor}: inserting {n} workers …", flush=True)
        seconds = insert_workers(n)
        t0 = time.perf_counter()
        regions = worker_tallies_recount()
        recount = time.perf_counter() - t0
        print(
            f"inserted {n} workers in {seconds:.0f}s; recounted the tally ({regions} regions) in {recount:.1f}s"
        )
        a = analyze()
        requests = max(10, min(args.requests, 500))
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) + f" · load average {load}"
        measure(requests, f"{connection.vendor} · {n} workers · after ANALYZE ({a:.1f}s) · {when}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    return cli(run, doc=__doc__ or "", script=__file__, requests=50)


if __name__ == "__main__":
    sys.exit(main())
