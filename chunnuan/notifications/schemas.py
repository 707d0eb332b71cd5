"""API shapes of the outbox."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from chunnuan.notifications.models import OutboxMessage


class MessageOut(Schema):
    id: int
    channel: str
    channel_label: str
    recipient: str  # masked
    subject: str
    body: str
    purpose: str
    status: str
    status_label: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str
    sent_at: dt.datetime | None
    created_at: dt.datetime
    region_code: str

    @staticmethod
    def from_message(message: OutboxMessage) -> MessageOut:
        return MessageOut(
            id=message.pk,
            channel=message.channel,
            channel_label=str(message.get_channel_display()),
            recipient=message.recipient_masked,
            subject=message.subject,
            body=message.body,
            purpose=message.purpose,
            status=message.status,
            status_label=str(message.get_status_display()),
            attempts=message.attempts,
            next_attempt_at=message.next_attempt_at,
            last_error=message.last_error,
            sent_at=message.sent_at,
            created_at=message.created_at,
            region_code=message.region_code,
        )
