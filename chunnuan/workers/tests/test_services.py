from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chunnuan.access.scoping import get_visible
from chunnuan.audit.models import AuditEvent
from chunnuan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from chunnuan.workers.models import Worker, WorkerEvent
from chunnuan.workers.services import (
    REGISTERED_ELSEWHERE,
    AlreadyRegistered,
    worker_event_add,
    worker_register,
    worker_update,
)
from chunnuan.workers.types import WorkerEventIn, WorkerIn

pytestmark = pytest.mark.django_db


def _audits(action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.unscoped(reason="test").filter(action=action, object_type="workers.Worker")
    )


def test_register_reads_sex_and_birth_from_the_id_and_audits_masked(personas, person):
    actor = personas.actor("township_a")
    worker = worker_register(
        actor=actor,
        data=person(
            id_number="22070219900101028x", phone="138 0013 8001", is_disabled=True, needs_training=True
        ),
    )
    assert worker.id_number == "22070219900101028X" and worker.sex == "F"
    assert worker.birth_date == dt.date(1990, 1, 1) and worker.phone == "13800138001"
    assert worker.is_disabled and worker.needs_training
    event = next(e for e in _audits("create") if e.object_id == str(worker.pk))
    assert event.changes["id_number"] == [None, "2207**********028X"]
    assert event.changes["phone"] == [None, "138****8001"]
    assert "22070219900101028X" not in str(event.changes)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("220702199001010021", "校验位不正确"),
        ("22070219900101", "应为18位"),
        ("22070220990101002X", "不合理"),
    ],
)
def test_bad_id_numbers_are_refused_on_the_field(personas, person, number, message):
    with pytest.raises(ValidationFailed) as exc:
        worker_register(actor=personas.actor("township_a"), data=person(id_number=number))
    assert message in exc.value.fields["id_number"][0]


def test_region_must_exist_and_be_within_reach(personas, person):
    actor = personas.actor("township_a")
    with pytest.raises(ValidationFailed) as exc:
        worker_register(actor=actor, data=person(origin="220702009000"))
    assert "不存在" in exc.value.fields["origin_region_code"][0]
    with pytest.raises(ValidationFailed) as exc:
        worker_register(actor=actor, data=person(origin="220702002000", work="500103000000"))
    assert "管辖范围" in exc.value.message
    # a destination officer may register someone from anywhere who works in their region
    worker = worker_register(
        actor=personas.actor("elsewhere"), data=person(origin="220702002000", work="500103000000")
    )
    assert worker.pk


def test_permission_is_required(personas, person):
    from chunnuan.core.testing import make_user

    leader = make_user("leader1", "leader", ["220700000000"])
    from chunnuan.access.auth import actor_for_user

    with pytest.raises(PermissionDenied):
        worker_register(actor=actor_for_user(leader), data=person())
    assert Worker.objects.unscoped(reason="test").count() == 1


def test_register_of_a_registered_id_changes_nothing_and_lists_the_differences(personas, person):
    """Issue 8, defect 1: 登记 with an ID already in the ledger silently overwrote the person."""
    actor = personas.actor("township_a")
    first = worker_register(
        actor=actor,
        data=person(name="张春生", trade="建筑", education="junior", work="220702001000", is_disabled=True),
    )
    stored = Worker.objects.unscoped(reason="test").values().get(pk=first.pk)
    typed = WorkerIn(
        name="测试甲", id_number=first.id_number, origin_region_code="220702001000", trade="餐饮"
    )
    with pytest.raises(AlreadyRegistered) as exc:
        worker_register(actor=actor, data=typed)
    assert exc.value.worker_id == first.pk and exc.value.status == 409
    assert {d.name for d in exc.value.differences} == {"name", "trade"}  # blanks are not differences
    name = next(d for d in exc.value.differences if d.name == "name")
    assert (name.label, name.stored, name.typed) == ("姓名", "张春生", "测试甲")
    assert Worker.objects.unscoped(reason="test").values().get(pk=first.pk) == stored
    assert not [e for e in _audits("update") if e.object_id == str(first.pk)]


def test_update_existing_applies_the_chosen_fields_and_blanks_never_erase(personas, person):
    actor = personas.actor("township_a")
    first = worker_register(
        actor=actor, data=person(trade="建筑", education="junior", work="220702001000", is_disabled=True)
    )
    phone = first.phone
    typed = WorkerIn(
        name="别名", id_number=first.id_number, origin_region_code="220702001000", trade="餐饮", skills="电焊"
    )
    worker_register(actor=actor, data=typed, update_existing=True, chosen=["trade"])
    worker = Worker.objects.unscoped(reason="test").get(pk=first.pk)
    assert (worker.name, worker.trade, worker.skills) == (first.name, "餐饮", "")
    assert (worker.phone, worker.education, worker.work_region_code) == (phone, "junior", "220702001000")
    assert worker.is_disabled
    (update,) = [e for e in _audits("update") if e.object_id == str(first.pk)]
    assert update.changes == {"trade": ["建筑", "餐饮"]}
    worker_register(actor=actor, data=typed, update_existing=True)  # all typed, still no erasing
    worker = Worker.objects.unscoped(reason="test").get(pk=first.pk)
    assert (worker.name, worker.skills, worker.education, worker.phone) == ("别名", "电焊", "junior", phone)


def test_update_clears_only_what_it_sends(personas, person):
    actor = personas.actor("township_a")
    first = worker_register(actor=actor, data=person(trade="建筑", skills="电焊"))
    sent = WorkerIn(name=first.name, id_number=first.id_number, origin_region_code="220702001000", trade="")
    worker_update(actor=actor, pk=first.pk, data=sent)
    worker = Worker.objects.unscoped(reason="test").get(pk=first.pk)
    assert (worker.trade, worker.skills, worker.phone) == ("", "电焊", first.phone)


def test_person_registered_by_another_region_is_refused_without_details(personas, person):
    record = personas.worker_record
    before = list(Worker.objects.unscoped(reason="test").values())
    with pytest.raises(Conflict) as exc:
        worker_register(
            actor=personas.actor("township_b"),
            data=person(origin="220702002000", id_number=record.id_number, name="别的名字"),
        )
    assert exc.value.message == REGISTERED_ELSEWHERE and record.name not in exc.value.message
    assert list(Worker.objects.unscoped(reason="test").values()) == before


def test_origin_and_destination_officers_both_see_a_third_region_does_not(personas, person):
    worker = worker_register(actor=personas.actor("township_a"), data=person(work="500103000000"))
    assert get_visible(personas.actor("township_a"), Worker, pk=worker.pk)
    assert get_visible(personas.actor("elsewhere"), Worker, pk=worker.pk)
    with pytest.raises(NotFound):
        get_visible(personas.actor("township_b"), Worker, pk=worker.pk)


def test_update_keeps_the_record_within_reach(personas, person):
    actor = personas.actor("township_a")
    worker = worker_register(actor=actor, data=person())
    with pytest.raises(ValidationFailed):
        worker_update(
            actor=actor, pk=worker.pk, data=person(origin="220702002000", id_number=worker.id_number)
        )
    with pytest.raises(NotFound):
        worker_update(actor=personas.actor("township_b"), pk=worker.pk, data=person(origin="220702002000"))
    updated = worker_update(actor=actor, pk=worker.pk, data=person(id_number=worker.id_number, name="改名"))
    assert updated.name == "改名"


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_timeline_updates_the_current_statuses_when_latest(personas):
    actor = personas.actor("township_a")
    worker = personas.worker_record

    def add(kind: str, date: str) -> None:
        worker_event_add(actor=actor, worker_id=worker.pk, data=WorkerEventIn(kind=kind, date=date))

    add("went_out", "2025-03-01")
    add("returned", "2026-01-20")
    w = Worker.objects.unscoped(reason="test").get(pk=worker.pk)
    assert (w.movement_status, w.movement_date) == ("returned", dt.date(2026, 1, 20))
    add("went_out", "2024-02-01")  # older: on the timeline, status unchanged
    w.refresh_from_db()
    assert w.movement_status == "returned"
    add("employed", "2026-02-10")
    add("unemployed_registered", "2026-01-01")  # older than the employment
    w.refresh_from_db()
    assert w.employment_status == "employed"
    assert WorkerEvent.objects.unscoped(reason="test").filter(worker=worker).count() == 5


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_event_dates_cannot_be_in_the_future_or_before_birth(personas):
    actor = personas.actor("township_a")
    worker = personas.worker_record
    for date, message in (("2026-03-02", "晚于今天"), ("1989-01-01", "早于出生日期")):
        with pytest.raises(ValidationFailed) as exc:
            worker_event_add(actor=actor, worker_id=worker.pk, data=WorkerEventIn(kind="returned", date=date))
        assert message in exc.value.fields["date"][0]
    with pytest.raises(NotFound):
        worker_event_add(
            actor=personas.actor("township_b"),
            worker_id=worker.pk,
            data=WorkerEventIn(kind="returned", date="2026-01-01"),
        )
    assert not WorkerEvent.objects.unscoped(reason="test").exists()
