"""Writing to the outbox (消息发件箱) and delivering its messages.

A message is a row first and a delivery second: :func:`message_enqueue` writes it and, after the
transaction commits, enqueues the ``deliver_message`` task. :func:`message_deliver` claims the
row (``pending`` → ``sending`` in one UPDATE, so two workers never send the same message), sends
it through the channel adapter and records the outcome. A failed send is retried with
exponential back-off (1, 2, 4, 8 … minutes) until ``settings.NOTIFICATION_MAX_ATTEMPTS``, then the
message is ``failed`` and waits for an administrator's retry. ``outbox_flush`` (run every minute)
re-enqueues whatever is due, which also covers task backends that cannot defer and deliveries
lost to a crashed worker.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_record
from chunnuan.core.errors import Conflict, ValidationFailed
from chunnuan.core.identifiers import normalize_phone
from chunnuan.notifications.channels import ChannelError, get_channel
from chunnuan.notifications.choices import MessageChannel, MessageStatus
from chunnuan.notifications.models import OutboxMessage
from chunnuan.notifications.selectors import message_get

logger = logging.getLogger(__name__)

# A claimed message not finished within this time is treated as lost and sent again by the flush.
SENDING_LEASE = dt.timedelta(minutes=5)
_WORKER_REASON = "outbox delivery: the worker delivers messages of every region"


def retry_delay(attempts: int) -> dt.timedelta:
    """Back-off after the ``attempts``-th failed try: 1, 2, 4, 8 … minutes (at most a day)."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 24 * 60))


def _enqueue_delivery(message_id: int, run_after: dt.datetime | None = None) -> None:
    """After commit: hand the message to the task queue. If the queue cannot take it (or cannot
    defer), the row stays ``pending`` with ``next_attempt_at`` set and ``outbox_flush`` sends it."""
    from chunnuan.notifications.tasks import deliver_message

    task = deliver_message
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return
            task = task.using(run_after=run_after)
        task.enqueue(message_id)
    except Exception:
        logger.exception(
            "outbox: could not enqueue delivery of message %s; outbox_flush will retry", message_id
        )


def message_enqueue(
    *,
    actor: Actor,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    purpose: str = "",
    region_code: str = "",
) -> OutboxMessage:
    """Write a message to the outbox; it is delivered by a task once the caller's transaction commits."""
    if channel not in MessageChannel.values or channel not in settings.NOTIFICATION_CHANNELS:
        raise ValidationFailed(f"不支持的消息渠道“{channel}”", fields={"channel": ["不支持的消息渠道"]})
    recipient = recipient.strip()
    if channel == MessageChannel.SMS:
        recipient = normalize_phone(recipient)
    if not recipient:
        raise ValidationFailed("请填写接收人", fields={"recipient": ["必填"]})
    if not body.strip():
        raise ValidationFailed("消息内容不能为空", fields={"body": ["必填"]})
    if region_code:
        ensure_in_scope(actor, region_code)
    else:
        region_code = actor.home_region_code
    with transaction.atomic():
        message = OutboxMessage(
            channel=channel,
            recipient=recipient,
            subject=subject[:200],
            body=body,
            purpose=purpose[:40],
            region_code=region_code,
            status=MessageStatus.PENDING,
            next_attempt_at=timezone.now(),
        )
        message.save()
        transaction.on_commit(partial(_enqueue_delivery, message.pk))
    return message


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Take the message for sending; False when it is sent, failed, not yet due or taken by another worker."""
    due = Q(status=MessageStatus.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    stale = Q(status=MessageStatus.SENDING, next_attempt_at__lte=now)
    claimed = (
        OutboxMessage.objects.unscoped(reason=_WORKER_REASON)
        .filter(due | stale, pk=message_id)
        .update(status=MessageStatus.SENDING, next_attempt_at=now + SENDING_LEASE)
    )
    return claimed == 1


def message_deliver(*, message_id: int) -> OutboxMessage | None:
    """Send one message (the task body). Idempotent: a sent, failed or busy message is left alone.

    Returns the message after the attempt, or None when there was nothing to do.
    """
    now = timezone.now()
    if not _claim(message_id, now):
        return None
    message = OutboxMessage.objects.unscoped(reason=_WORKER_REASON).get(pk=message_id)
    error = ""
    try:
        get_channel(message.channel).send(message)
    except ChannelError as exc:
        error = str(exc) or exc.__class__.__name__
    except Exception as exc:  # an adapter bug must not leave the row "sending"
        logger.exception("outbox: channel %s raised while sending message %s", message.channel, message_id)
        error = f"渠道程序出错：{exc.__class__.__name__}: {exc}"

    finished = timezone.now()
    message.attempts += 1
    retry_at: dt.datetime | None = None
    if not error:
        message.status = MessageStatus.SENT
        message.sent_at = finished
        message.next_attempt_at = None
        message.last_error = ""
    elif message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
        message.last_error = f"第{message.attempts}次发送失败，不再重试：{error}"[:2000]
    else:
        retry_at = finished + retry_delay(message.attempts)
        message.status = MessageStatus.PENDING
        message.next_attempt_at = retry_at
        message.last_error = f"第{message.attempts}次发送失败：{error}"[:2000]
    with transaction.atomic():
        message.save(update_fields=["status", "attempts", "sent_at", "next_attempt_at", "last_error"])
        if retry_at is not None:
            transaction.on_commit(partial(_enqueue_delivery, message.pk, retry_at))
    return message


def messages_retry_due(*, actor: Actor) -> int:
    """Re-enqueue every message in the actor's reach that is due (``outbox_flush``). Returns the count."""
    now = timezone.now()
    due = (
        Q(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=MessageStatus.PENDING, next_attempt_at__isnull=True)
        | Q(status=MessageStatus.SENDING, next_attempt_at__lte=now)
    )
    ids = list(
        OutboxMessage.objects.visible_to(actor)
        .filter(due)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for message_id in ids:
            transaction.on_commit(partial(_enqueue_delivery, message_id))
    return len(ids)


def message_retry(*, actor: Actor, pk: int) -> OutboxMessage:
    """An administrator sends a failed message again (with a fresh round of attempts)."""
    actor.require(Perm.VIEW_OUTBOX)
    with transaction.atomic():
        message = message_get(actor=actor, pk=pk)
        if message.status != MessageStatus.FAILED:
            raise Conflict("只有发送失败的消息可以重发")
        message.status = MessageStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=message,
            changes={"status": [MessageStatus.FAILED.value, MessageStatus.PENDING.value]},
            note="重发消息",
        )
        transaction.on_commit(partial(_enqueue_delivery, message.pk))
    return message
