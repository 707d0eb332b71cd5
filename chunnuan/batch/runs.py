"""Run kinds defined by the batch app itself. Other apps put theirs in their own ``runs.py``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from pydantic import BaseModel, model_validator

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.audit.labels import present_events
from chunnuan.audit.models import AuditAction, AuditEvent
from chunnuan.audit.selectors import audit_event_list
from chunnuan.batch.models import Run
from chunnuan.batch.registry import Progress, run_handler
from chunnuan.batch.spreadsheets import MAX_ROWS, SheetWriter
from chunnuan.core.errors import ValidationFailed

AUDIT_EXPORT_HEADERS = ("时间", "操作人", "来源地址", "操作", "对象类型", "对象", "地区", "变更内容")
STEP_ROWS = 500


class AuditExportParams(BaseModel):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""

    @model_validator(mode="after")
    def _check(self) -> AuditExportParams:
        if self.action and self.action not in AuditAction.values:
            raise ValueError("未知的操作类型")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("截止日期不能早于起始日期")
        return self


@run_handler("audit_export", title="审计日志导出", perm=Perm.VIEW_AUDIT, params=AuditExportParams)
def audit_export(*, run: Run, actor: Actor, progress: Progress) -> None:
    """The audit events the actor may see, in the date range, as an .xlsx."""
    params = AuditExportParams.model_validate(run.params)
    events = audit_event_list(
        actor=actor,
        filters={
            "date_from": params.date_from.isoformat() if params.date_from else None,
            "date_to": params.date_to.isoformat() if params.date_to else None,
            "action": params.action,
        },
    )
    total = events.count()
    if total > MAX_ROWS:
        raise ValidationFailed(f"共 {total:,} 条，超过 Excel 单表上限，请缩小日期范围")
    progress.step(0, total, f"共 {total:,} 条审计记录待导出")

    sheet = SheetWriter("审计日志", AUDIT_EXPORT_HEADERS, widths=(20, 24, 16, 12, 14, 34, 24, 70))
    rows = events.order_by("created_at", "id")
    done = 0
    chunk: list[AuditEvent] = []

    def write(batch: list[AuditEvent]) -> None:
        for row in present_events(batch, actor=actor):
            sheet.append(
                (
                    row.event.created_at,
                    row.person,
                    row.event.ip or "",
                    row.action,
                    row.record_type,
                    row.record,
                    row.region,
                    "\n".join(filter(None, (row.changes_text, row.event.note))),
                )
            )

    for event in rows.iterator(chunk_size=STEP_ROWS):
        chunk.append(event)
        if len(chunk) == STEP_ROWS:
            write(chunk)
            done += len(chunk)
            chunk = []
            progress.step(done, total)
    write(chunk)
    done += len(chunk)
    progress.step(done, total, f"已写入 {done:,} 条")

    span = "-".join(d.strftime("%Y%m%d") for d in (params.date_from, params.date_to) if d)
    stamp = span or timezone.localtime().strftime("%Y%m%d")
    progress.attach(f"审计日志_{stamp}.xlsx", sheet.to_bytes())


from chunnuan.batch import imports as _imports  # noqa: E402, F401 — registers the "import" run kind
