from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chunnuan.workers.selectors import dynamic_ledger, dynamic_ledger_counts, worker_list
from chunnuan.workers.services import worker_event_add, worker_register
from chunnuan.workers.types import DynamicLedgerFilters, WorkerEventIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(personas, person):
    actor = personas.actor("county")
    a = worker_register(
        actor=actor,
        data=person(
            name="甲",
            is_poverty_alleviated=True,
            needs_training=True,
            employment_status="unemployed",
            education="junior",
        ),
    )
    b = worker_register(
        actor=actor,
        data=person(
            origin="220702002000",
            work="500103000000",
            name="乙",
            is_disabled=True,
            needs_employment=True,
            education="senior",
        ),
    )
    return {"a": a, "b": b, "actor": actor}


def _names(actor, **filters) -> set[str]:
    return {w.name for w in worker_list(actor=actor, filters=filters)}


def test_each_filter(personas, ledger):
    actor = ledger["actor"]
    assert _names(actor) == {"甲", "乙", "甲镇测试工人"}
    assert _names(actor, region="220702002000") == {"乙"}
    assert _names(actor, region="500103000000") == {"乙"}
    assert _names(actor, region="500103000000", region_side="origin") == set()
    assert _names(actor, region="220702000000", region_side="work") == {"甲镇测试工人"}
    assert _names(actor, groups=["is_poverty_alleviated"]) == {"甲"}
    assert _names(actor, groups=["is_disabled"], needs=["needs_employment"]) == {"乙"}
    assert _names(actor, needs=["needs_training"]) == {"甲"}
    assert _names(actor, employment_status="unemployed") == {"甲"}
    assert _names(actor, education="senior") == {"乙"}
    assert _names(actor, sex=ledger["a"].sex) >= {"甲"}
    age = (dt.date.today() - ledger["a"].birth_date).days // 366
    assert "甲" in _names(actor, age_min=age - 1, age_max=age + 1)
    assert "甲" not in _names(actor, age_min=age + 3)
    today = dt.date.today()
    assert _names(actor, registered_from=today, registered_to=today) >= {"甲", "乙"}
    assert _names(actor, registered_to=today - dt.timedelta(days=1)) == set()


def test_search_by_name_full_id_hash_and_phone(personas, ledger):
    actor = ledger["actor"]
    a = ledger["a"]
    assert _names(actor, q=a.id_number) == {"甲"}
    assert _names(actor, q=a.id_number.lower()[:-1] + a.id_number[-1].lower()) == {"甲"}
    assert _names(actor, q=a.phone) == {"甲"}
    assert _names(actor, q=a.id_number[:10]) == set()  # partial IDs are not searchable
    assert _names(actor, q="测试") == {"甲镇测试工人"}


def test_scope_origin_destination_third(personas, ledger):
    assert _names(personas.actor("elsewhere")) == {"乙"}
    assert _names(personas.actor("township_a")) == {"甲", "甲镇测试工人"}
    assert _names(personas.actor("township_b")) == {"乙"}
    # a filter on someone else's region does not widen the reach
    assert _names(personas.actor("township_a"), region="220702002000") == set()


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_dynamic_ledger_counts_returnees_with_needs_by_township(personas, ledger, person):
    actor = ledger["actor"]
    idle = worker_register(actor=actor, data=person(name="丙"))  # no needs
    for w in (ledger["a"], ledger["b"], idle):
        worker_event_add(actor=actor, worker_id=w.pk, data=WorkerEventIn(kind="returned", date="2026-01-20"))
    worker_event_add(
        actor=actor, worker_id=ledger["a"].pk, data=WorkerEventIn(kind="returned", date="2025-01-20")
    )
    period = DynamicLedgerFilters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 2, 28))
    counts = {
        c.name: (c.total, c.employment, c.training)
        for c in dynamic_ledger_counts(actor=actor, filters=period)
    }
    assert counts == {"团结街道": (1, 0, 1), "文化街道": (1, 1, 0)}
    assert {w.name for w in dynamic_ledger(actor=actor, filters=period)} == {"甲", "乙"}
    only_training = period.model_copy(update={"needs": ["needs_training"]})
    assert [c.name for c in dynamic_ledger_counts(actor=actor, filters=only_training)] == ["团结街道"]
    assert dynamic_ledger_counts(actor=personas.actor("township_b"), filters=period)[0].name == "文化街道"
    assert len(dynamic_ledger_counts(actor=personas.actor("township_b"), filters=period)) == 1
