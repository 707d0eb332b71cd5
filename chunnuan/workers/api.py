from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from chunnuan.access.actor import Actor
from chunnuan.access.personal import personal_reveal
from chunnuan.core.schemas import API_ERRORS, VERSIONED_ERRORS, PageOut, PageQuery
from chunnuan.core.versioning import IF_MATCH_DOC, if_match, set_etag
from chunnuan.workers import selectors, services
from chunnuan.workers.schemas import (
    DynamicFilter,
    RevealOut,
    TownshipCountOut,
    WorkerEventOut,
    WorkerFilter,
    WorkerOut,
    WorkerSearchIn,
)
from chunnuan.workers.types import DynamicLedgerFilters, WorkerEventIn, WorkerFilters, WorkerIn

router = Router()


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _page_out(workers: Any, page: PageQuery) -> dict[str, Any]:
    result = selectors.worker_page(workers, page.page, per_page=page.page_size)
    return {
        "items": [WorkerOut.of(w) for w in result.object_list],
        "count": result.paginator.count,
        "page": result.number,
        "pages": result.paginator.num_pages,
    }


@router.get(
    "/",
    response={200: PageOut[WorkerOut], **API_ERRORS},
    summary="实名制台帐列表（证件号、电话脱敏；count 最多计到 10001）",
)
def list_workers(request: HttpRequest, filters: Query[WorkerFilter], page: Query[PageQuery]) -> Any:
    workers = selectors.worker_list(actor=_actor(request), filters=WorkerFilters(**filters.dict()))
    return _page_out(workers, page)


@router.post(
    "/",
    response={200: WorkerOut, **API_ERRORS},
    summary="登记农民工（身份证号已登记的答 409 并列出不同的字段；update=true 时按本次填写更新，空白不清除）",
)
def create_worker(request: HttpRequest, data: WorkerIn, update: bool = False) -> Any:
    """An ID number already in the ledger answers 409 ``already_registered`` with the differing fields
    (``fields``: stored vs sent). With ``?update=true`` the sent fields are applied; blank or omitted
    fields keep their stored values."""
    return WorkerOut.of(services.worker_register(actor=_actor(request), data=data, update_existing=update))


@router.post(
    "/search",
    response={200: PageOut[WorkerOut], **API_ERRORS},
    summary="按完整身份证号、手机号或姓名检索（号码在请求体中，不进入网址和访问日志）",
)
def search_workers(request: HttpRequest, data: WorkerSearchIn, page: Query[PageQuery]) -> Any:
    workers = selectors.worker_list(actor=_actor(request), filters=WorkerFilters(q=data.q))
    return _page_out(workers, page)


@router.get(
    "/dynamic", response={200: list[TownshipCountOut], **API_ERRORS}, summary="动态就业服务台帐：按乡镇汇总"
)
def dynamic_counts(request: HttpRequest, filters: Query[DynamicFilter]) -> Any:
    counts = selectors.dynamic_ledger_counts(
        actor=_actor(request), filters=DynamicLedgerFilters(**filters.dict())
    )
    return [TownshipCountOut.of(c) for c in counts]


@router.get(
    "/{worker_id}", response={200: WorkerOut, **API_ERRORS}, summary="农民工详情（脱敏；ETag 为记录版本）"
)
def get_worker(request: HttpRequest, response: HttpResponse, worker_id: int) -> Any:
    worker = selectors.worker_get(actor=_actor(request), pk=worker_id)
    set_etag(response, worker)
    return WorkerOut.of(worker)


@router.put(
    "/{worker_id}",
    response={200: WorkerOut, **VERSIONED_ERRORS},
    summary="修改农民工信息（发送的字段按发送的值保存，空值即清除；未发送的字段保持不变）",
    openapi_extra=IF_MATCH_DOC,
)
def update_worker(request: HttpRequest, response: HttpResponse, worker_id: int, data: WorkerIn) -> Any:
    """Send ``If-Match`` with the ``ETag`` of the GET you edited: when the record changed since, the
    answer is 412 ``stale_version`` and nothing is saved. Without ``If-Match`` the save is not checked
    against a version (the last write wins)."""
    worker = services.worker_update(
        actor=_actor(request), pk=worker_id, data=data, expected_version=if_match(request)
    )
    set_etag(response, worker)
    return WorkerOut.of(worker)


@router.get(
    "/{worker_id}/events", response={200: list[WorkerEventOut], **API_ERRORS}, summary="动态（时间线）"
)
def list_events(request: HttpRequest, worker_id: int) -> Any:
    actor = _actor(request)
    worker = selectors.worker_get(actor=actor, pk=worker_id)
    return [WorkerEventOut.of(e) for e in selectors.worker_timeline(actor=actor, worker=worker)]


@router.post("/{worker_id}/events", response={200: WorkerEventOut, **API_ERRORS}, summary="记录一条动态")
def add_event(request: HttpRequest, worker_id: int, data: WorkerEventIn) -> Any:
    return WorkerEventOut.of(services.worker_event_add(actor=_actor(request), worker_id=worker_id, data=data))


@router.post(
    "/{worker_id}/reveal/{field}",
    response={200: RevealOut, **API_ERRORS},
    summary="查看完整身份证号或手机号（记入审计日志）",
)
def reveal(request: HttpRequest, worker_id: int, field: Literal["id_number", "phone"]) -> Any:
    actor = _actor(request)
    worker = selectors.worker_get(actor=actor, pk=worker_id)
    return RevealOut(field=field, value=personal_reveal(actor=actor, obj=worker, field_name=field))
