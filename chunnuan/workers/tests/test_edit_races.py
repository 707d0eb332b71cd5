"""Parallel saves of one record (issue 9 defect 4): of many saves made on the same version, exactly one
is written; the others are refused with 412, also when they all passed the version check at once.

Each request runs in its own thread with its own database connection, released together by a
barrier; the check-to-write window is widened as a slow server would. Needs a database server: on
SQLite (one in-memory connection) it is skipped, and the serial cases are in test_edit_versions.py.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from django.test import Client

from chunnuan.core.testing import needs_postgres, run_parallel
from chunnuan.workers import services
from chunnuan.workers.models import Worker

PARALLEL = 12


@needs_postgres
def test_parallel_saves_on_one_version_write_exactly_one(transactional_db, personas, monkeypatch):
    record = personas.worker_record
    decide = services.worker_decide

    def slow_decide(**kwargs: Any) -> Any:  # every save has read version 1 before any writes
        time.sleep(0.1)
        return decide(**kwargs)

    monkeypatch.setattr(services, "worker_decide", slow_decide)
    body = {"name": record.name, "id_number": record.id_number, "origin_region_code": "220702001000"}

    def save(i: int) -> int:
        client = Client()
        client.force_login(personas.township_a)
        response = client.put(
            f"/api/v1/workers/{record.pk}",
            {**body, "trade": f"工种{i}"},
            content_type="application/json",
            HTTP_IF_MATCH='W/"1"',
        )
        return response.status_code

    results = run_parallel(PARALLEL, save)
    assert Counter(results) == {200: 1, 412: PARALLEL - 1}, results
    stored = Worker.objects.unscoped(reason="test").get(pk=record.pk)
    assert stored.version == 2 and stored.trade.startswith("工种")
