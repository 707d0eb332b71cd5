"""/api/v1/runs/ — start a background run, follow it, download its result."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile

from chunnuan.access.actor import Actor
from chunnuan.batch.models import Run
from chunnuan.batch.schemas import ImportResultOut, RunOut, RunSummary
from chunnuan.batch.selectors import run_creators, run_get, run_list, runs_live
from chunnuan.batch.services import (
    import_start,
    import_upload_delete,
    import_upload_save,
    run_download,
    run_restart,
    run_start,
    run_sweep_now_and_then,
)
from chunnuan.batch.types import RunFilter, RunIn
from chunnuan.core.schemas import API_ERRORS, PageOut, PageQuery, paged

router = Router()


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    return actor


@router.post("/", response={201: RunOut}, url_name="run_create")
def create_run(request: HttpRequest, payload: RunIn) -> Status[RunOut]:
    run = run_start(actor=_actor(request), kind=payload.kind, params=payload.params)
    return Status(201, RunOut.from_run(run))


@router.get("/", response=PageOut[RunSummary], url_name="run_list")
def list_runs(request: HttpRequest, filters: Query[RunFilter], page: Query[PageQuery]) -> Any:
    run_sweep_now_and_then()  # runs whose worker died show as failed, not "running" forever
    result = paged(run_list(actor=_actor(request), filters=filters), page)
    result["items"] = [RunSummary.from_run(run) for run in run_creators(runs_live(result["items"]))]
    return result


@router.get("/{int:run_id}", response=RunOut, url_name="run_get")
def get_run(request: HttpRequest, run_id: int) -> RunOut:
    return RunOut.from_run(run_get(actor=_actor(request), pk=run_id))


@router.get("/{int:run_id}/download", url_name="run_download")
def download_run(request: HttpRequest, run_id: int) -> FileResponse:
    """The result file (decrypted; every download is recorded in the audit log)."""
    result = run_download(actor=_actor(request), pk=run_id)
    return FileResponse(io.BytesIO(result.data), as_attachment=True, filename=result.name)


@router.post("/{int:run_id}/restart", response={201: RunOut, **API_ERRORS}, url_name="run_restart")
def restart_run(request: HttpRequest, run_id: int) -> Status[RunOut]:
    """重新开始 a failed run as a new run (an import: while its uploaded file is kept)."""
    return Status(201, RunOut.from_run(run_restart(actor=_actor(request), pk=run_id)))


@router.post("/imports", response={200: ImportResultOut, 202: RunOut}, url_name="import_create")
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[str],
    region: Form[str] = "",
    employer: Form[str] = "",
    mode: Form[str] = "valid-rows",
    dry_run: Form[bool] = False,
) -> Any:
    """Import a spreadsheet (multipart). A small file is imported at once and answers the result
    (as the command's --json); a big one answers 202 with a run to follow at /runs/{id}."""
    actor = _actor(request)
    upload = import_upload_save(
        actor=actor, chunks=file.chunks(), filename=file.name or "", size=file.size or 0
    )
    try:
        outcome = import_start(
            actor=actor,
            kind=kind,
            upload=upload,
            region_code=region or None,
            employer=employer or None,
            mode=mode,
            dry_run=dry_run,
        )
    except Exception:
        import_upload_delete(upload_id=upload.id)
        raise
    if isinstance(outcome, Run):
        return Status(202, RunOut.from_run(outcome))
    if dry_run:
        import_upload_delete(upload_id=upload.id)
    return outcome.to_dict()
