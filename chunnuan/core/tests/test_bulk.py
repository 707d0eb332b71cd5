from __future__ import annotations

import datetime as dt

from django.db import connection

from chunnuan.audit.models import AuditEvent
from chunnuan.core import crypto
from chunnuan.core.bulk import bulk_insert
from chunnuan.workers.models import Worker


def test_bulk_insert_encrypts_hashes_and_sets_pks(regions):
    people = [
        Worker(
            name=f"批量{i}",
            id_number=f"22070219900101{i:03d}X",
            sex="M",
            birth_date=dt.date(1990, 1, 1),
            phone=f"1380013{i:04d}",
            origin_region_code="220702001000",
            work_region_code="",
            is_low_income=bool(i % 2),
        )
        for i in range(3)
    ]
    for person in people:
        person.refresh_lookup_hashes()
    bulk_insert(Worker, people, key_fields=("id_number_hash",))
    assert all(p.pk for p in people)
    stored = Worker.objects.unscoped(reason="test").get(pk=people[1].pk)
    assert stored.id_number == "22070219900101001X" and stored.phone == "13800130001" and stored.is_low_income
    assert stored.created_at is not None and stored.birth_date == dt.date(1990, 1, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_hash FROM workers_worker WHERE id = %s", [people[1].pk])
        raw, digest = cursor.fetchone()
    assert "22070219900101001X" not in raw and digest == crypto.lookup_hash("22070219900101001X")


def test_bulk_insert_json_and_ip(db):
    bulk_insert(
        AuditEvent,
        [
            AuditEvent(
                actor_label="t",
                ip="127.0.0.1",
                action="create",
                changes={"名称": [None, "甲"]},
                region_code="220702001000",
            )
        ],
    )
    event = AuditEvent.objects.unscoped(reason="test").get()
    assert event.changes == {"名称": [None, "甲"]} and event.ip == "127.0.0.1" and event.created_at
