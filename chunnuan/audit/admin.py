from __future__ import annotations

from typing import Any

from django.contrib import admin

from chunnuan.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the audit log is never edited."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_repr", "region_code"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "object_id", "region_code"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
