from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from chunnuan.batch.models import Run


@admin.register(Run)
class RunAdmin(admin.ModelAdmin[Run]):
    """Read-only: runs are started and finished by services."""

    list_display = ("created_at", "title", "status", "progress", "created_by_label", "region_code")
    list_filter = ("kind", "status")
    readonly_fields = (
        "kind",
        "title",
        "status",
        "progress",
        "total",
        "done",
        "log",
        "params",
        "result_file",
        "result_name",
        "error",
        "created_by",
        "created_by_label",
        "employer_id",
        "region_code",
        "created_at",
        "started_at",
        "finished_at",
        "task_id",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Run | None = None) -> bool:
        return False
