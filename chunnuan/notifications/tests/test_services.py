from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from chunnuan.access.actor import system_actor
from chunnuan.access.permissions import Perm
from chunnuan.audit.models import AuditEvent
from chunnuan.core.crypto import lookup_hash
from chunnuan.core.errors import Conflict, NotFound, ValidationFailed
from chunnuan.notifications.channels import ChannelError
from chunnuan.notifications.choices import MessageStatus
from chunnuan.notifications.models import OutboxMessage
from chunnuan.notifications.services import (
    message_deliver,
    message_enqueue,
    message_retry,
    messages_retry_due,
    retry_delay,
)
from chunnuan.notifications.tests.conftest import HOME, OTHER, officer

pytestmark = pytest.mark.django_db

FAILING = {
    "sms": "chunnuan.notifications.tests.test_services.FailingChannel",
    "wechat": "chunnuan.notifications.tests.test_services.FailingChannel",
}


class FailingChannel:
    calls = 0

    def send(self, message: OutboxMessage) -> None:
        FailingChannel.calls += 1
        raise ChannelError("网关超时")


def _row(pk: int) -> OutboxMessage:
    return OutboxMessage.objects.unscoped(reason="test").get(pk=pk)


def _enqueue(**kwargs: Any) -> OutboxMessage:
    data: dict[str, Any] = {
        "actor": officer(HOME),
        "channel": "sms",
        "recipient": "13812345678",
        "body": "您的登录验证码是 123456",
        "purpose": "login_code",
    }
    data.update(kwargs)
    return message_enqueue(**data)


def test_enqueue_writes_encrypted_row_and_delivers_after_commit(
    django_capture_on_commit_callbacks: Any, capsys: Any, _outbox_log: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue(recipient="+86 138-1234-5678")
        assert _row(message.pk).status == MessageStatus.PENDING  # nothing sent before commit
    assert len(callbacks) == 1
    row = _row(message.pk)
    assert row.status == MessageStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert row.recipient == "13812345678"
    assert row.recipient_hash == lookup_hash("13812345678")
    assert row.region_code == "220702000000"
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient FROM notifications_outboxmessage WHERE id = %s", [message.pk])
        assert "13812345678" not in cursor.fetchone()[0]  # encrypted at rest
    assert "[短信] 13812345678 ← 您的登录验证码是 123456" in capsys.readouterr().out
    assert "13812345678 ← 您的登录验证码是 123456" in _outbox_log.read_text(encoding="utf-8")


def test_enqueue_only_queues_on_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = _enqueue()
    assert len(callbacks) == 1
    assert _row(message.pk).status == MessageStatus.PENDING


def test_enqueue_validates_channel_phone_and_scope() -> None:
    with pytest.raises(ValidationFailed):
        _enqueue(channel="fax")
    with pytest.raises(ValidationFailed):
        _enqueue(recipient="12345")
    with pytest.raises(NotFound):
        _enqueue(region_code="220721000000")
    assert not OutboxMessage.objects.unscoped(reason="test").exists()


def test_deliver_is_idempotent(django_capture_on_commit_callbacks: Any, capsys: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    capsys.readouterr()
    assert message_deliver(message_id=message.pk) is None
    assert _row(message.pk).attempts == 1
    assert capsys.readouterr().out == ""


def test_retry_delays_double() -> None:
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]


@override_settings(NOTIFICATION_CHANNELS=FAILING, NOTIFICATION_MAX_ATTEMPTS=5)
def test_channel_errors_back_off_then_fail(django_capture_on_commit_callbacks: Any) -> None:
    FailingChannel.calls = 0
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            message = _enqueue()
        row = _row(message.pk)
        assert (row.status, row.attempts) == (MessageStatus.PENDING, 1)
        assert row.next_attempt_at == start + dt.timedelta(minutes=1)
        assert "网关超时" in row.last_error

        # not due yet: a duplicate task does nothing
        assert message_deliver(message_id=message.pk) is None
        assert FailingChannel.calls == 1

        for attempt, wait in ((2, 1), (3, 2), (4, 4)):
            traveller.shift(dt.timedelta(minutes=wait))
            now = timezone.now()
            with django_capture_on_commit_callbacks(execute=True):
                message_deliver(message_id=message.pk)
            row = _row(message.pk)
            assert row.attempts == attempt
            assert row.next_attempt_at == now + retry_delay(attempt)

        traveller.shift(dt.timedelta(minutes=8))
        message_deliver(message_id=message.pk)
        row = _row(message.pk)
        assert (row.status, row.attempts, row.next_attempt_at) == (MessageStatus.FAILED, 5, None)
        assert "不再重试" in row.last_error
        assert message_deliver(message_id=message.pk) is None
        assert FailingChannel.calls == 5


@override_settings(
    NOTIFICATION_CHANNELS=FAILING, TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
)
def test_retry_is_deferred_on_backends_that_can(django_capture_on_commit_callbacks: Any) -> None:
    from django_tasks import default_task_backend

    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    results = default_task_backend.results  # type: ignore[attr-defined]
    assert len(results) == 1 and results[0].args == [message.pk]
    with django_capture_on_commit_callbacks(execute=True):
        message_deliver(message_id=message.pk)
    assert len(results) == 2
    assert results[1].task.run_after == _row(message.pk).next_attempt_at


def test_retry_due_resends_pending_messages(django_capture_on_commit_callbacks: Any) -> None:
    with override_settings(NOTIFICATION_CHANNELS=FAILING), django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    assert _row(message.pk).status == MessageStatus.PENDING
    actor = system_actor("outbox-flush")
    with django_capture_on_commit_callbacks(execute=True):
        assert messages_retry_due(actor=actor) == 0  # not due yet
    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert messages_retry_due(actor=actor) == 1
    assert _row(message.pk).status == MessageStatus.SENT


def test_stale_sending_message_is_reclaimed(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        message = _enqueue()
    OutboxMessage.objects.unscoped(reason="test").filter(pk=message.pk).update(
        status=MessageStatus.SENDING, next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert message_deliver(message_id=message.pk) is None  # another worker holds it
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert message_deliver(message_id=message.pk) is not None
    assert _row(message.pk).status == MessageStatus.SENT


def test_retry_failed_message_is_audited_and_sent(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        message = _enqueue()
    OutboxMessage.objects.unscoped(reason="test").filter(pk=message.pk).update(
        status=MessageStatus.FAILED, attempts=5
    )
    actor = officer(HOME, Perm.VIEW_OUTBOX)

    with pytest.raises(NotFound):
        message_retry(actor=officer(OTHER, Perm.VIEW_OUTBOX), pk=message.pk)
    assert _row(message.pk).status == MessageStatus.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        message_retry(actor=actor, pk=message.pk)
    row = _row(message.pk)
    assert (row.status, row.attempts) == (MessageStatus.SENT, 1)
    event = AuditEvent.objects.unscoped(reason="test").get(object_id=str(message.pk))
    assert event.changes == {"status": ["failed", "pending"]}
    assert "13812345678" not in event.object_repr

    with pytest.raises(Conflict):
        message_retry(actor=actor, pk=message.pk)
