from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from chunnuan.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    """Read-only: messages are written by services; retries go through the outbox page."""

    list_display = (
        "created_at",
        "channel",
        "recipient_masked",
        "purpose",
        "status",
        "attempts",
        "region_code",
    )
    list_filter = ("channel", "status", "purpose")
    exclude = ("recipient", "recipient_hash")
    readonly_fields = (
        "channel",
        "recipient_masked",
        "subject",
        "body",
        "purpose",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
        "region_code",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False
