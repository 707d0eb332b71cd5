"""Ledger list benchmark: ``/workers/`` over 1,000,000 people, filtered by a township and a help group.

    python bench/ledger_list.py [--workers 1000000] [--requests 200] [--pg]

What it does, all in-process or on loopback, all bounded:

1. a throwaway database — SQLite in a temp dir, or with ``--pg`` a throwaway PostgreSQL server from
   ``tests/infra/with_pg.sh`` (this script re-runs itself under it; the machine's :5432 is never
   touched); ``migrate``, ``collectstatic``, and ``load_demo`` at ``CHUNNUAN_DEMO_SCALE=0.02``
   (regions, accounts);
2. ``--workers`` people written straight to the worker table (SQLite ``executemany``, PostgreSQL
   ``COPY``) in batches: a pool of 20,000 people from ``chunnuan.core.synthetic.generate_workers``
   (origins over the city's 115 townships, 15% from labour-exporting counties working in the city,
   ~10% 脱贫人口) varied into unique valid ID numbers; every ID number and phone is encrypted and
   hashed per row as the application does;
3. GETs through Django's test ``Client`` (the whole middleware stack, templates, DEBUG off) as a
   township officer (团结街道) and a city officer (松原市): 10 warm-up requests, then
   ``--requests`` measured; p50 / p95 per target;
4. beside them, the same filter as plain SQL (one ``COUNT`` + one page of 20 ``ORDER BY id DESC``,
   the least any list page must do) and as a naive ORM query (``startswith`` on both region
   columns, no range rewrite): p50 / p95 and ratios.

Figures are for comparing revisions on the same machine, not for capacity planning.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOWNSHIP = "220702001000"  # 团结街道, 宁江区
GROUP = "is_poverty_alleviated"
POOL = 20_000
BATCH = 20_000


def prepare_environment(tmp: Path) -> None:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CHUNNUAN_DATA_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "CHUNNUAN_VAR_DIR": str(tmp / "var"),
        "CHUNNUAN_DEMO_SCALE": "0.02",
        "LOG_LEVEL": "WARNING",
    })  # fmt: skip
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def insert_workers(n: int) -> float:
    """Write ``n`` synthetic people to the worker table; return seconds."""
    from django.db import connection, transaction
    from django.utils import timezone

    from chunnuan.core import crypto, synthetic
    from chunnuan.core.fields import EncryptedCharField
    from chunnuan.workers.models import Worker

    t0 = time.perf_counter()
    rng = random.Random(20261122)
    outside = [c for county in synthetic.EXPORTING_COUNTIES for c in synthetic.townships(county)]
    pool = list(synthetic.generate_workers(rng, POOL, outside_region_codes=outside, outside_share=0.15,
                                           timeline=False))  # fmt: skip
    fields = [f for f in Worker._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    hash_of = {f.hash_field: f.attname for f in fields if isinstance(f, EncryptedCharField) and f.hash_field}
    encrypted = {f.attname for f in fields if isinstance(f, EncryptedCharField)}
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    taken: set[str] = set(
        Worker.objects.unscoped(reason="bench").values_list("id_number", flat=True)
    )  # the demo's
    table = Worker._meta.db_table
    connection.ensure_connection()
    is_pg = connection.vendor == "postgresql"
    write = _writer(connection, table, columns)

    def rows(start: int, stop: int) -> list[tuple[Any, ...]]:
        out = []
        for i in range(start, stop):
            base = pool[i % POOL]
            number = ""
            birth = base["birth_date"]
            while not number or number in taken:
                birth = base["birth_date"] + dt.timedelta(days=rng.randint(-1500, 1500))
                seq = rng.randint(0, 499) * 2 + (1 if base["sex"] == "M" else 0)
                number = synthetic.id_from_parts(base["origin_region_code"][:6], birth, seq)
            taken.add(number)
            person = {**base, "id_number": number, "birth_date": birth, "phone": synthetic.phone(rng)}
            values: list[Any] = []
            for f in fields:
                name = f.attname
                if name in encrypted:
                    value: Any = crypto.encrypt(person[name]) if person.get(name) else ""
                elif name in hash_of:
                    plain = person.get(hash_of[name])
                    value = crypto.lookup_hash(plain) if plain else None
                elif name in ("created_at", "updated_at"):
                    value = now
                elif name in person:
                    value = person[name]
                    if isinstance(value, dt.date) and not is_pg:
                        value = ops.adapt_datefield_value(value)
                else:
                    value = f.get_default()
                values.append(value)
            out.append(tuple(values))
        return out

    with connection.cursor() as cursor:
        if not is_pg:  # a bulk load: a bigger page cache than the default 2 MB (this connection only)
            cursor.execute("PRAGMA cache_size = -400000")
        for start in range(0, n, BATCH):
            batch = rows(start, min(n, start + BATCH))
            with transaction.atomic():
                write(cursor, batch)
            if start % 200_000 == 0:
                print(f"  inserted {start + len(batch)} in {time.perf_counter() - t0:.0f}s", flush=True)
    return time.perf_counter() - t0


def _writer(connection: Any, table: str, columns: list[str]) -> Callable[[Any, list[tuple[Any, ...]]], None]:
    def write(cursor: Any, batch: list[tuple[Any, ...]]) -> None:
        if connection.vendor == "postgresql":
            raw = connection.connection
            with raw.cursor() as pgcur, pgcur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, batch)

    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    return write


def analyze() -> float:
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0


def timed(fn: Callable[[], Any], n: int, *, warmup: int = 10) -> list[float]:
    """Milliseconds of ``n`` calls of ``fn`` after ``warmup`` calls (shared by the benchmarks)."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def measure(n: int, label: str) -> list[tuple[str, list[float], str]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Q
    from django.test import Client

    from chunnuan.workers.models import Worker

    results: list[tuple[str, list[float], str]] = []
    users = get_user_model().objects
    query = f"?region={TOWNSHIP}&groups={GROUP}"
    targets = [
        ("tuanjie_township", f"/workers/{query}", "township officer, own township + 脱贫人口"),
        ("songyuan_city", f"/workers/{query}", "city officer, township + 脱贫人口"),
        ("songyuan_city", "/workers/", "city officer, no filter (first page of 10^6)"),
        ("tuanjie_township", f"/workers/{query}&page=5", "township officer, page 5"),
    ]
    for username, path, note in targets:
        client = Client()
        client.force_login(users.get(username=username))
        status = client.get(path).status_code
        if status != 200:
            results.append((f"`{path}` as {username}", [], f"answered {status}"))
            continue

        def get(c: Client = client, p: str = path) -> Any:
            return c.get(p)

        results.append((f"`{path}` as {username}", timed(get, n), note))

    lo, hi = TOWNSHIP, TOWNSHIP[:9] + "999"
    table = Worker._meta.db_table
    where = (f"((origin_region_code >= %s AND origin_region_code <= %s) OR "
             f"(work_region_code >= %s AND work_region_code <= %s)) AND {GROUP}")  # fmt: skip
    params = [lo, hi, lo, hi]
    true = " = true" if connection.vendor == "postgresql" else ""

    def raw_sql() -> None:
        with connection.cursor() as cursor:
            count_sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {where}{true} LIMIT 10001) t"  # noqa: S608
            cursor.execute(count_sql, params)
            cursor.fetchone()
            cursor.execute(f"SELECT * FROM {table} WHERE {where}{true} ORDER BY id DESC LIMIT 20", params)  # noqa: S608
            cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}{true}", params)  # noqa: S608
        matching = cursor.fetchone()[0]
    results.append(
        (
            "plain SQL: capped COUNT + page of 20",
            timed(raw_sql, n),
            f"floor: no Django, no decryption; the filter matches {matching} people",
        )
    )
    prefix = TOWNSHIP[:9]

    def naive() -> None:
        qs = (
            Worker.objects.unscoped(reason="bench")
            .filter(
                Q(origin_region_code__startswith=prefix) | Q(work_region_code__startswith=prefix),
                **{GROUP: True},
            )
            .order_by("-id")
        )
        qs.count()
        list(qs[:20])

    results.append(
        ("naive ORM: startswith + full COUNT + page", timed(naive, n), "baseline: LIKE, uncapped count")
    )
    print(f"\n{label}\n")
    print("| target | n | p50 ms | p95 ms | p95 ÷ plain-SQL p95 | note |")
    print("|---|---:|---:|---:|---:|---|")
    floor = next(v for name, v, _ in results if name.startswith("plain SQL"))
    for name, values, note in results:
        if not values:
            print(f"| {name} | 0 | — | — | — | {note} |")
            continue
        ratio = pct(values, 95) / pct(floor, 95) if floor else float("nan")
        print(
            f"| {name} | {len(values)} | {pct(values, 50):.1f} | {pct(values, 95):.1f} | {ratio:.1f} | {note} |"
        )
    return results


def run(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="chunnuan-bench-ledger-"))
    try:
        prepare_environment(tmp)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", "--noinput", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))
        n = max(1000, min(args.workers, 2_000_000))
        print(f"{connection.vendor}: inserting {n} workers …", flush=True)
        seconds = insert_workers(n)
        print(f"inserted {n} workers in {seconds:.0f}s", flush=True)
        requests = max(10, min(args.requests, 2000))
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) + f" · load average {load}"
        if connection.vendor == "sqlite":
            measure(requests, f"{connection.vendor} · {n} workers · before ANALYZE · {when}")
        a = analyze()
        measure(requests, f"{connection.vendor} · {n} workers · after ANALYZE ({a:.1f}s) · {when}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cli(run: Callable[[argparse.Namespace], int], *, doc: str, script: str, requests: int) -> int:
    """The benchmarks' command line: ``--workers``, ``--requests``, ``--pg`` (re-run ``script`` on a
    throwaway PostgreSQL through tests/infra/with_pg.sh)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=requests)
    parser.add_argument(
        "--pg", action="store_true", help="on a throwaway PostgreSQL (tests/infra/with_pg.sh)"
    )
    args = parser.parse_args()
    if args.pg and "DATABASE_URL" not in os.environ:
        cmd = ["bash", str(ROOT / "tests/infra/with_pg.sh"), sys.executable, str(Path(script).resolve()),
               "--workers", str(args.workers), "--requests", str(args.requests), "--pg"]  # fmt: skip
        return subprocess.run(cmd, cwd=ROOT, check=False).returncode
    return run(args)


def main() -> int:
    return cli(run, doc=__doc__ or "", script=__file__, requests=200)


if __name__ == "__main__":
    sys.exit(main())
