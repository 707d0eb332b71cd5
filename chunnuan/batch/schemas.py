"""API shapes of background runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Schema

from chunnuan.batch.models import Run


def _creator(run: Run) -> str:
    from chunnuan.batch.selectors import run_creators

    if not hasattr(run, "creator"):
        run_creators([run])
    return str(run.creator)  # type: ignore[attr-defined]


class RunOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    status_label: str
    progress: int
    done: int
    total: int
    log_tail: str
    error: str
    created_by: str  # the login name (or system:<name>)
    created_by_name: str  # the person's name and office, 张三（松原市人社局）
    region_code: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result_name: str
    download_url: str | None
    result: dict[str, Any] | None = None  # an import's outcome (counts, first errors)

    @staticmethod
    def from_run(run: Run) -> RunOut:
        return RunOut(
            id=run.pk,
            kind=run.kind,
            title=run.title,
            status=run.status,
            status_label=str(run.get_status_display()),
            progress=run.progress,
            done=run.done,
            total=run.total,
            log_tail=run.log_tail(30),
            error=run.error,
            created_by=run.created_by_label,
            created_by_name=_creator(run),
            region_code=run.region_code,
            created_at=run.created_at,
            started_at=run.started_at,
            finished_at=run.finished_at,
            result_name=run.result_name if run.has_result else "",
            download_url=reverse("api:run_download", kwargs={"run_id": run.pk}) if run.has_result else None,
            result=run.params.get("result") if isinstance(run.params, dict) else None,
        )


class RunSummary(Schema):
    id: int
    kind: str
    title: str
    status: str
    status_label: str
    progress: int
    created_by: str
    created_by_name: str
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def from_run(run: Run) -> RunSummary:
        return RunSummary(
            id=run.pk,
            kind=run.kind,
            title=run.title,
            status=run.status,
            status_label=str(run.get_status_display()),
            progress=run.progress,
            created_by=run.created_by_label,
            created_by_name=_creator(run),
            created_at=run.created_at,
            finished_at=run.finished_at,
        )


class ImportIssueOut(Schema):
    row: int
    column: str
    message: str


class ImportResultOut(Schema):
    """The outcome of an import done at once: the command's --json object and a little more."""

    kind: str
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int
    errors: list[ImportIssueOut]
    error_report: str | None
    ignored_columns: list[str]
    warning_list: list[ImportIssueOut]
    dry_run: bool
    written: bool
    note: str
