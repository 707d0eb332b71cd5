"""The ledger's region tally (台帐人数统计, issue 9 defect 12): equal to the live counts after every
kind of write, repaired by the recount, and what the home page reads — so the home page's queries do
not grow with the ledger."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from chunnuan.access.scoping import actor_scope
from chunnuan.core.importing.spec import ImportContext, Outcome, get_spec
from chunnuan.workers.models import Worker, WorkerTally
from chunnuan.workers.services import worker_register, worker_update, workers_bulk_upsert
from chunnuan.workers.tallies import LENGTHS
from chunnuan.workers.tests.test_bulk import _rows
from chunnuan.workers.types import WorkerIn

pytestmark = pytest.mark.django_db


def _live(prefix: str) -> int:
    """The count the home page used to make per request: origin or work under the prefix, once."""
    return (
        Worker.objects.unscoped(reason="test: the live count")
        .filter(Q(origin_region_code__startswith=prefix) | Q(work_region_code__startswith=prefix))
        .count()
    )


def assert_tallies_are_live() -> None:
    stored = dict(WorkerTally.plain.values_list("prefix", "workers"))
    codes = Worker.objects.unscoped(reason="test").values_list("origin_region_code", "work_region_code")
    prefixes = set(stored) | {c[:n] for pair in codes for c in pair for n in LENGTHS if len(c) >= n}
    wrong = {p: (stored.get(p, 0), _live(p)) for p in prefixes if stored.get(p, 0) != _live(p)}
    assert not wrong, f"prefix: (tally, live) {wrong}"
    assert prefixes, "nothing was counted"


def test_single_record_writes_keep_the_tally(personas):
    assert_tallies_are_live()  # the persona registered through the service
    actor = personas.actor("county")
    worker = worker_register(
        actor=actor,
        data=WorkerIn(
            name="乙", id_number="22070219900101001X", origin_region_code="220702002000", work_region_code=""
        ),
    )
    assert_tallies_are_live()
    assert WorkerTally.plain.get(prefix="220702002").workers == 1
    worker_update(  # starts working in 团结街道: counted there too, once in the county
        actor=actor,
        pk=worker.pk,
        data=WorkerIn(
            name="乙",
            id_number="22070219900101001X",
            origin_region_code="220702002000",
            work_region_code="220702001000",
        ),
    )
    assert_tallies_are_live()
    assert WorkerTally.plain.get(prefix="220702001").workers == 2
    assert WorkerTally.plain.get(prefix="220702").workers == 2


def test_a_refused_write_leaves_the_tally_alone(personas):
    from chunnuan.core.errors import DomainError

    before = dict(WorkerTally.plain.values_list("prefix", "workers"))
    with pytest.raises(DomainError):  # township_a may not place a person wholly outside its reach
        worker_update(
            actor=personas.actor("township_a"),
            pk=personas.worker_record.pk,
            data=WorkerIn(
                name="甲镇测试工人",
                id_number=personas.worker_record.id_number,
                origin_region_code="220702002000",
                work_region_code="220702002000",
            ),
        )
    assert dict(WorkerTally.plain.values_list("prefix", "workers")) == before


def test_the_ledger_import_moves_the_tally_when_it_commits(personas, django_capture_on_commit_callbacks):
    ctx = ImportContext(actor=personas.actor("county"), region_code="220702000000")
    rows = _rows(12, seed=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert {o.outcome for o in workers_bulk_upsert(ctx=ctx, rows=rows)} == {Outcome.CREATED}
    assert_tallies_are_live()
    for row in rows[:5]:  # five of them now work in 文化街道
        row.values["work_region_code"] = "220702002000"
    ctx = ImportContext(actor=personas.actor("county"), region_code="220702000000")  # a second import
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = workers_bulk_upsert(ctx=ctx, rows=rows)
    assert [o.outcome for o in outcomes].count(Outcome.UPDATED) == 5
    assert_tallies_are_live()
    assert WorkerTally.plain.get(prefix="220702002").workers == 5


def test_a_dry_run_import_moves_nothing(personas, django_capture_on_commit_callbacks):
    before = dict(WorkerTally.plain.values_list("prefix", "workers"))
    ctx = ImportContext(actor=personas.actor("county"), region_code="220702000000", dry_run=True)
    with django_capture_on_commit_callbacks(execute=True):
        workers_bulk_upsert(ctx=ctx, rows=_rows(4, seed=4))
    assert dict(WorkerTally.plain.values_list("prefix", "workers")) == before


def test_the_roster_import_and_a_roster_entry_count_new_people(personas, django_capture_on_commit_callbacks):
    import datetime as dt

    from chunnuan.employers.services import employment_add
    from chunnuan.employers.tests.test_spreadsheets import _roster_rows, _run
    from chunnuan.employers.types import EmploymentIn

    actor = personas.actor("township_a")
    employment_add(
        actor=actor,
        employer_id=personas.employer.pk,
        data=EmploymentIn(name="名册新人", id_number="220702198805050012", start_date=dt.date(2025, 3, 1)),
    )
    assert_tallies_are_live()
    ctx = ImportContext(actor=actor, employer_id=personas.employer.pk)
    with actor_scope(actor), django_capture_on_commit_callbacks(execute=True):
        assert set(_run(get_spec("roster"), ctx, _roster_rows(15))) == {Outcome.CREATED}
    assert_tallies_are_live()


def test_the_recount_repairs_the_tally(personas):
    rng = random.Random(5)
    WorkerTally.plain.filter(prefix="22").update(workers=999)
    WorkerTally.plain.filter(prefix="220702").delete()
    WorkerTally.objects.unscoped(reason="test").create(
        prefix="50", region_code="500000000000", workers=rng.randint(1, 9)
    )
    call_command("workers_recount_tallies", stdout=open("/dev/null", "w"))
    assert_tallies_are_live()
    assert not WorkerTally.plain.filter(prefix="50").exists()


def test_the_home_page_counts_come_from_the_tally(personas):
    from chunnuan.dashboards.selectors import home_overview

    (summary,) = home_overview(actor=personas.actor("county"))
    counts = {c["region"].code: c["workers"] for c in summary.children}
    assert counts["220702001000"] == _live("220702001") == 1 and summary.workers == _live("220702") == 1
    WorkerTally.plain.filter(prefix="220702001").update(workers=41)  # read from the tally, not the ledger
    (summary,) = home_overview(actor=personas.actor("county"))
    assert next(c["workers"] for c in summary.children if c["region"].code == "220702001000") == 41


def _home_queries(client) -> int:
    """How many queries the home page makes; none of them reads the ledger or the rosters."""
    from chunnuan.employers.models import Employment

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    for table in (Worker._meta.db_table, Employment._meta.db_table):
        assert not [q["sql"] for q in queries if f'"{table}"' in q["sql"]], f"the home page reads {table}"
    return len(queries)


@pytest.mark.parametrize("who", ["county", "city", "township_a"])
def test_the_home_page_queries_do_not_grow_with_the_ledger(
    personas, client, who, django_capture_on_commit_callbacks
):
    client.force_login(getattr(personas, who))
    _home_queries(client)  # warm the per-process caches
    few = _home_queries(client)
    ctx = ImportContext(actor=personas.actor("county"), region_code="220702000000")
    with django_capture_on_commit_callbacks(execute=True):
        workers_bulk_upsert(ctx=ctx, rows=_rows(60, seed=6, work_region_code="220702002000"))
    assert _home_queries(client) == few
    from chunnuan.dashboards.selectors import home_overview

    (summary,) = home_overview(actor=personas.actor(who))
    assert summary.workers == _live(summary.region.scope_prefix)
    assert all(c["workers"] == _live(c["region"].scope_prefix) for c in summary.children)
