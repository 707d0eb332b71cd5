from __future__ import annotations

import datetime as dt
import random

import pytest

from chunnuan.access.actor import system_actor
from chunnuan.audit.models import AuditEvent
from chunnuan.core import synthetic
from chunnuan.core.identifiers import parse_id_number
from chunnuan.core.importing.spec import ImportContext, Outcome
from chunnuan.workers.models import Worker, WorkerEvent
from chunnuan.workers.services import REGISTERED_ELSEWHERE, WorkerRow, workers_bulk_upsert

pytestmark = pytest.mark.django_db


def _rows(n: int, seed: int = 1, **values) -> list[WorkerRow]:
    rng = random.Random(seed)
    return [
        WorkerRow(
            info=parse_id_number(synthetic.id_number(rng, "220702")),
            values={
                "name": synthetic.person_name(rng),
                "phone": synthetic.phone(rng),
                "origin_region_code": "220702001000",
                **values,
            },
            events=[("returned", dt.date(2026, 1, 20))],
        )
        for _ in range(n)
    ]


def test_created_updated_unchanged_and_rejected(personas):
    ctx = ImportContext(actor=personas.actor("township_a"), region_code="220702001000")
    rows = _rows(5)
    assert {o.outcome for o in workers_bulk_upsert(ctx=ctx, rows=rows)} == {Outcome.CREATED}
    assert Worker.objects.unscoped(reason="t").filter(movement_status="returned").count() == 5
    assert [o.outcome for o in workers_bulk_upsert(ctx=ctx, rows=rows)] == [Outcome.UNCHANGED] * 5
    rows[0].values["trade"] = "建筑"
    outer = WorkerRow(info=parse_id_number(personas.worker_record.id_number), values={"name": "x"})
    elsewhere = _rows(1, seed=9, origin_region_code="220702002000")[0]
    outcomes = workers_bulk_upsert(ctx=ctx, rows=[rows[0], rows[1], elsewhere])
    assert [o.outcome for o in outcomes] == [Outcome.UPDATED, Outcome.UNCHANGED, Outcome.REJECTED]
    update = (
        AuditEvent.objects.unscoped(reason="t").filter(action="update", object_type="workers.Worker").get()
    )
    assert update.changes == {"trade": ["", "建筑"]}
    creates = AuditEvent.objects.unscoped(reason="t").filter(action="create", object_type="workers.Worker")
    assert creates.count() == 6 and all("*" in c.changes["id_number"][1] for c in creates)
    # a person registered by a region outside the actor's reach
    b = ImportContext(actor=personas.actor("township_b"), region_code="220702002000")
    outer.values["origin_region_code"] = "220702002000"
    (rejected,) = workers_bulk_upsert(ctx=b, rows=[outer])
    assert rejected.outcome == Outcome.REJECTED and rejected.errors[0].message == REGISTERED_ELSEWHERE
    assert Worker.objects.unscoped(reason="t").get(pk=personas.worker_record.pk).name == "甲镇测试工人"


def test_dry_run_writes_nothing(personas):
    ctx = ImportContext(actor=personas.actor("township_a"), dry_run=True)
    assert {o.outcome for o in workers_bulk_upsert(ctx=ctx, rows=_rows(3))} == {Outcome.CREATED}
    assert Worker.objects.unscoped(reason="t").count() == 1


@pytest.mark.parametrize("n", [10, 200])
def test_query_count_is_constant_per_batch(personas, django_assert_max_num_queries, n):
    ctx = ImportContext(actor=system_actor("import"))
    workers_bulk_upsert(ctx=ctx, rows=_rows(n // 2, seed=3))  # half exist already
    rows = _rows(n // 2, seed=3) + _rows(n // 2, seed=4)
    for r in rows[: n // 4]:
        r.values["trade"] = "餐饮"
    with django_assert_max_num_queries(12):
        outcomes = workers_bulk_upsert(ctx=ctx, rows=rows)
    counts = {k: sum(o.outcome == k for o in outcomes) for k in Outcome}
    assert counts[Outcome.CREATED] == n // 2 and counts[Outcome.UPDATED] == n // 4
    assert WorkerEvent.objects.unscoped(reason="t").count() == n


def test_blank_cells_never_erase_stored_values(personas):
    """Issue 8, defect 1 (import): an empty cell leaves the stored value alone."""
    ctx = ImportContext(actor=personas.actor("township_a"), region_code="220702001000")
    record = personas.worker_record
    Worker.objects.unscoped(reason="t").filter(pk=record.pk).update(trade="建筑", education="junior")
    row = WorkerRow(
        info=parse_id_number(record.id_number),
        values={"name": record.name, "phone": "", "trade": "", "education": None, "work_region_code": ""},
    )
    (outcome,) = workers_bulk_upsert(ctx=ctx, rows=[row])
    assert outcome.outcome == Outcome.UNCHANGED
    stored = Worker.objects.unscoped(reason="t").get(pk=record.pk)
    assert (stored.phone, stored.trade, stored.education) == ("13800138000", "建筑", "junior")
    assert stored.work_region_code == "220702001000"


def test_an_import_file_with_empty_cells_keeps_the_stored_values(personas):
    import io

    from chunnuan.core.importing.engine import run_import
    from chunnuan.core.importing.spec import get_spec

    record = personas.worker_record
    Worker.objects.unscoped(reason="t").filter(pk=record.pk).update(trade="建筑", skills="电焊")
    csv = (
        f"姓名,身份证号码,联系电话,从事工种,技能特长,就业意向\n{record.name},{record.id_number},,,,本地务工\n"
    )
    ctx = ImportContext(actor=personas.actor("township_a"), region_code="220702001000")
    result = run_import(
        spec=get_spec("workers"), source=io.BytesIO(csv.encode()), filename="台帐.csv", ctx=ctx
    )
    assert (result.rows, result.updated, result.rejected) == (1, 1, 0), result.errors
    stored = Worker.objects.unscoped(reason="t").get(pk=record.pk)
    assert (stored.phone, stored.trade, stored.skills) == ("13800138000", "建筑", "电焊")
    assert stored.job_intention == "本地务工"
