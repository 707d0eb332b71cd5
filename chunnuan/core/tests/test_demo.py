from __future__ import annotations

import io

from django.core.management import call_command

from chunnuan.accounts.models import User
from chunnuan.audit.models import AuditEvent
from chunnuan.workers.models import Worker


def _counts() -> tuple[int, int, int]:
    return (
        Worker.objects.unscoped(reason="test").count(),
        User.objects.count(),
        AuditEvent.objects.unscoped(reason="test").count(),
    )


def test_load_demo_builds_songyuan_and_is_idempotent(db):
    call_command("load_demo", scale=0.1, stdout=io.StringIO())
    first = _counts()
    assert first[0] > 500
    call_command("load_demo", scale=0.1, stdout=io.StringIO())
    assert _counts() == first  # nothing created, nothing changed, nothing audited twice
    usernames = set(User.objects.values_list("username", flat=True))
    assert {
        "songyuan_city",
        "tuanjie_township",
        "wenhua_township",
        "chongqing_officer",
        "employer_clerk",
        "worker_demo",
        "songyuan_leader",
        "songyuan_api",
    } <= usernames
    township = User.objects.get(username="tuanjie_township")
    assert [r.name for r in township.regions.all()] == ["团结街道"]
