from __future__ import annotations

from chunnuan.audit.models import AuditEvent
from chunnuan.audit.services import audit_bulk, snapshot


def test_audit_bulk_writes_one_row_per_entry_with_masked_values(personas):
    worker = personas.worker_record
    audit_bulk(
        actor=personas.actor("township_a"),
        entries=[("create", worker, {k: [None, v] for k, v in snapshot(worker).items()})],
        note="导入",
    )
    event = AuditEvent.objects.unscoped(reason="test").get(note="导入")
    assert event.changes["id_number"] == [None, "2207**********1238"]
    assert event.region_code == "220702001000" and event.actor_label == "township_a"
