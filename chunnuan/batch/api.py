"""/api/v1/runs/ — start a background run, follow it, download its result."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Query, Router, Status

from chunnuan.access.actor import Actor
from chunnuan.batch.schemas import RunOut, RunSummary
from chunnuan.batch.selectors import run_get, run_list
from chunnuan.batch.services import run_download, run_start
from chunnuan.batch.types import RunFilter, RunIn
from chunnuan.core.schemas import PageOut, PageQuery, paged

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
    return paged(run_list(actor=_actor(request), filters=filters), page, RunSummary.from_run)


@router.get("/{int:run_id}", response=RunOut, url_name="run_get")
def get_run(request: HttpRequest, run_id: int) -> RunOut:
    return RunOut.from_run(run_get(actor=_actor(request), pk=run_id))


@router.get("/{int:run_id}/download", url_name="run_download")
def download_run(request: HttpRequest, run_id: int) -> FileResponse:
    run = run_download(actor=_actor(request), pk=run_id)
    return FileResponse(run.result_file.open("rb"), as_attachment=True, filename=run.result_name)
