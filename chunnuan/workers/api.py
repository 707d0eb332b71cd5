from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router

from chunnuan.access.personal import personal_reveal
from chunnuan.core.schemas import ErrorOut, PageOut, PageQuery, paged
from chunnuan.workers import selectors
from chunnuan.workers.schemas import RevealOut, WorkerFilter, WorkerOut

router = Router()
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/", response={200: PageOut[WorkerOut], **ERRORS}, summary="实名制台帐列表（证件号、电话脱敏）")
def list_workers(request: HttpRequest, filters: Query[WorkerFilter], page: Query[PageQuery]) -> Any:
    workers = selectors.worker_list(actor=request.auth, filters=filters.dict())  # type: ignore[attr-defined]
    return paged(workers, page, WorkerOut.of)


@router.get("/{worker_id}", response={200: WorkerOut, **ERRORS}, summary="农民工详情（脱敏）")
def get_worker(request: HttpRequest, worker_id: int) -> Any:
    return WorkerOut.of(selectors.worker_get(actor=request.auth, pk=worker_id))  # type: ignore[attr-defined]


@router.post(
    "/{worker_id}/reveal/{field}",
    response={200: RevealOut, **ERRORS},
    summary="查看完整身份证号或手机号（记入审计日志）",
)
def reveal(request: HttpRequest, worker_id: int, field: Literal["id_number", "phone"]) -> Any:
    actor = request.auth  # type: ignore[attr-defined]
    worker = selectors.worker_get(actor=actor, pk=worker_id)
    return RevealOut(field=field, value=personal_reveal(actor=actor, obj=worker, field_name=field))
