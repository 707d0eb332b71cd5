"""台帐人数统计: how many people of the ledger each region has, kept in :class:`WorkerTally` so that the
home page reads a region's figure from one indexed row instead of counting the ledger.

A person belongs to a region when their 户籍地 (origin) or 务工地 (place of work) lies in it, and
counts once even when both do. Division codes are paths, so "lies in" is "starts with the region's
prefix": a person is counted in the row of every prefix (2, 4, 6, 9 and 12 digits) of either code —
the *set* of those prefixes, so a person who works where they come from is counted once.

When the tally changes:

* **single-record writes** (:mod:`chunnuan.workers.services` ``worker_register``, ``worker_update``,
  ``worker_self_update``; the roster's ``employment_add`` registers through ``worker_register``) call
  :func:`worker_tallies_move` with the person's codes before and after, *inside the write's
  transaction*: the tally commits or rolls back with the write. Each changed row is one
  ``INSERT … ON CONFLICT (prefix) DO UPDATE SET workers = workers + delta``: atomic on PostgreSQL
  and SQLite, so two writers never lose each other's change, and rows are touched in prefix order
  so two writers cannot deadlock.
* **imports** (the ledger import and the roster import) collect their batches' moves and apply them
  once in ``transaction.on_commit`` of the import's write transaction, in a short transaction of
  their own (:func:`worker_tallies_move_on_commit`): an import of 100,000 rows must not hold the
  province's row locked for minutes while single registrations wait. A dry run or a rolled-back
  import discards the callback; should the process die between the commit and the callback,
  :func:`worker_tallies_recount` (command ``workers_recount_tallies``) repairs the tally.
* **recount** (:func:`worker_tallies_recount`): the whole table from the ledger, in one
  ``GROUP BY (origin, work)`` pass; what the demo loader and the repair command call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Count

from chunnuan.access.actor import Actor
from chunnuan.workers.models import Worker, WorkerTally

LENGTHS = (2, 4, 6, 9, 12)  # the scope prefix lengths of province, city, county, township, village
CHUNK = 500

Codes = tuple[str, str]  # (origin_region_code, work_region_code)


def tally_prefixes(origin: str, work: str) -> set[str]:
    """Every prefix under which this person is counted (each once)."""
    return {code[:n] for code in (origin or "", work or "") for n in LENGTHS if len(code) >= n}


def tally_deltas(*, before: Iterable[Codes] = (), after: Iterable[Codes] = ()) -> dict[str, int]:
    """The change of each prefix's count when people move from ``before`` codes to ``after`` codes."""
    deltas: Counter[str] = Counter()
    for origin, work in before:
        deltas.subtract(tally_prefixes(origin, work))
    for origin, work in after:
        deltas.update(tally_prefixes(origin, work))
    return {prefix: n for prefix, n in deltas.items() if n}


def _apply(deltas: dict[str, int]) -> None:
    if not deltas:
        return
    connection = connections[router.db_for_write(WorkerTally)]
    quote = connection.ops.quote_name
    table = quote(WorkerTally._meta.db_table)
    items = sorted(deltas.items())  # one lock order for every writer
    with connection.cursor() as cursor:
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            sql = (
                f"INSERT INTO {table} ({quote('prefix')}, {quote('region_code')}, {quote('workers')}) "  # noqa: S608 — names from model metadata; values bound
                f"VALUES {values} ON CONFLICT ({quote('prefix')}) DO UPDATE "
                f"SET {quote('workers')} = {table}.{quote('workers')} + excluded.{quote('workers')}"
            )
            params = [v for prefix, n in chunk for v in (prefix, prefix.ljust(12, "0"), n)]
            cursor.execute(sql, params)


def worker_tallies_move(*, before: Iterable[Codes] = (), after: Iterable[Codes] = ()) -> None:
    """Apply the change of people moving from ``before`` codes to ``after`` codes (a new person:
    ``after`` only), in the caller's transaction."""
    _apply(tally_deltas(before=before, after=after))


def worker_tallies_move_on_commit(
    *, memo: dict[str, Any], before: Iterable[Codes] = (), after: Iterable[Codes] = ()
) -> None:
    """The same, applied once after the import's transaction commits (see the module docstring).
    ``memo`` is the import's per-run memo (``ImportContext.cache``): its batches add up their moves
    there, and the first registers the one ``transaction.on_commit`` that applies the sum."""
    pending: Counter[str] | None = memo.get("worker_tally")
    if pending is None:
        pending = memo["worker_tally"] = Counter()
        moves = pending

        def flush() -> None:
            memo.pop("worker_tally", None)
            _apply_atomic(moves)

        transaction.on_commit(flush)
    pending.update(tally_deltas(before=before, after=after))


@transaction.atomic
def _apply_atomic(deltas: Counter[str]) -> None:
    _apply({prefix: n for prefix, n in deltas.items() if n})


@transaction.atomic
def worker_tallies_recount() -> int:
    """Recount every region's figure from the ledger (repair; idempotent); returns the rows written.

    Empties the tally first: on PostgreSQL the table is locked against concurrent increments until
    this commits (a write that committed before is counted; one that waits adds its change after);
    SQLite serialises writers anyway."""
    connection = connections[router.db_for_write(WorkerTally)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(WorkerTally._meta.db_table)} IN EXCLUSIVE MODE"
            )
    WorkerTally.plain.all().delete()
    counts: Counter[str] = Counter()
    pairs = (
        Worker.objects.unscoped(reason="worker tallies: the recount of the whole ledger")
        .values_list("origin_region_code", "work_region_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    for origin, work, n in pairs:
        for prefix in tally_prefixes(origin, work):
            counts[prefix] += n
    WorkerTally.plain.bulk_create(
        [WorkerTally(prefix=p, region_code=p.ljust(12, "0"), workers=n) for p, n in sorted(counts.items())],
        batch_size=2000,
    )
    return len(counts)


def worker_counts(*, actor: Actor, prefixes: Iterable[str]) -> dict[str, int]:
    """The figure of each prefix (missing or out of reach: 0), in one indexed query. A prefix within
    the actor's jurisdiction counts only people the actor may see (their origin or work lies in it)."""
    wanted = sorted(set(prefixes))
    rows = WorkerTally.objects.visible_to(actor).filter(prefix__in=wanted).values_list("prefix", "workers")
    found = dict(rows)
    return {p: found.get(p, 0) for p in wanted}
