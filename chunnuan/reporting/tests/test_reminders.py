"""Reminders go through the outbox before and after the deadline, once a day per unit."""

from __future__ import annotations

import datetime as dt

from chunnuan.access.actor import system_actor
from chunnuan.notifications.models import OutboxMessage
from chunnuan.reporting import services


def _count() -> int:
    return OutboxMessage.objects.unscoped(reason="test").filter(purpose="report_reminder").count()


def test_reminders_before_and_after_the_deadline(personas, campaign):
    actor = system_actor("report_remind")
    # SF_DISPATCH 2026-02D1 is due on 2026-02-12: two working days before is the 10th
    sent = services.reminders_send(actor=actor, today=dt.date(2026, 2, 10))
    assert sent > 0
    assert _count() == sent
    # not on an ordinary day between
    before = _count()
    services.reminders_send(actor=actor, today=dt.date(2026, 1, 1))
    assert _count() == before
    # one day overdue
    assert services.reminders_send(actor=actor, today=dt.date(2026, 2, 13)) > 0
