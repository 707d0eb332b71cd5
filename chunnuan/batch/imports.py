"""The background run of an import (kind "import"): big files, with a progress bar.

Started by ``batch.services.import_start``; the handler runs the same ``import_execute`` as a small
file does, stores the result summary in ``run.params["result"]`` (shown on the run page and by the
API, masked) and attaches the rejected-rows workbook as the run's result file (encrypted at rest,
decrypted by the audited download).

A run kind has one permission; the import's own (the spec's) is checked again in the service. The
run kind asks for VIEW_PERSONAL_DATA because the error report holds whole ID and phone numbers:
only officers who may see those see colleagues' import runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.batch.masking import mask_result
from chunnuan.batch.models import Run
from chunnuan.batch.registry import Progress, run_handler

MAX_ERRORS_SHOWN = 100


class ImportParams(BaseModel):
    kind: str = Field(max_length=40)
    upload_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    filename: str = Field(default="", max_length=200)
    region_code: str = Field(default="", pattern=r"^([0-9]{12})?$")
    employer_id: int | None = None
    mode: Literal["valid-rows", "all-or-nothing"] = "valid-rows"
    dry_run: bool = False


def report_name(filename: str) -> str:
    stem = Path(filename).stem or "导入"
    return f"{stem}_未导入的行.xlsx"


@run_handler("import", title="数据导入", perm=Perm.VIEW_PERSONAL_DATA, params=ImportParams)
def import_run(*, run: Run, actor: Actor, progress: Progress) -> None:
    from chunnuan.batch.services import import_execute, import_upload_delete, import_upload_get

    params = ImportParams.model_validate({k: v for k, v in run.params.items() if k != "result"})
    upload = import_upload_get(actor=actor, upload_id=params.upload_id)
    progress.log(f"开始读取文件：{params.filename}")
    try:
        result = import_execute(
            actor=actor,
            kind=params.kind,
            source=upload.path,
            filename=params.filename,
            region_code=params.region_code or None,
            employer=params.employer_id,
            mode=params.mode,
            dry_run=params.dry_run,
            # The engine measures its two passes in lines of the sheet (title and header rows
            # included): good for the bar, not as counts. The counts are the data rows, below.
            progress=progress.fraction,
        )
    finally:
        if not params.dry_run:
            import_upload_delete(upload_id=params.upload_id)
    summary = result.to_dict()
    summary["errors_total"] = len(result.errors)
    summary["errors"] = result.errors[:MAX_ERRORS_SHOWN]
    summary["warning_list"] = result.warning_list[:MAX_ERRORS_SHOWN]
    # Kept with the run and returned by the API: no whole ID or phone number (issue 9 defect 2).
    run.params = {**run.params, "result": mask_result(summary)}
    run.save(update_fields=["params"])
    progress.step(result.rows, result.rows)
    progress.log(result.summary)
    if result.note:
        progress.log(result.note)
    if result.error_report:
        report = Path(result.error_report)
        progress.attach(report_name(params.filename), report.read_bytes())
        report.unlink(missing_ok=True)
