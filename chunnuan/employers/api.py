"""/api/v1/employers/ — employers, rosters, contracts and statistics (same services as the pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from chunnuan.access.actor import Actor
from chunnuan.access.personal import masked
from chunnuan.core.schemas import (
    API_ERRORS,
    VERSIONED_ERRORS,
    PageOut,
    PageQuery,
    RegionQuery,
    paged,
)
from chunnuan.core.versioning import IF_MATCH_DOC, if_match, set_etag
from chunnuan.employers import selectors, services
from chunnuan.employers.schemas import (
    ContractOut,
    EmployerFilter,
    EmployerOut,
    EmploymentOut,
    RegionStatsOut,
    RosterFilter,
    StatsOut,
)
from chunnuan.employers.types import (
    ContractChangeIn,
    ContractEndIn,
    ContractIn,
    ContractRenewIn,
    EmployerIn,
    EmploymentIn,
    SizeOverrideIn,
)

router = Router()


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _stats(stats: selectors.RosterStats) -> dict[str, Any]:
    names = (
        "on_roll",
        "on_post",
        "migrant",
        "due",
        "signed",
        "signing_rate",
        "without_contract",
        "deemed_open_ended",
        "dispatched",
        "non_dispatched",
        "dispatch_over_cap",
        "ending_soon",
        "employers",
    )
    return {n: getattr(stats, n) for n in names}


def _employment(actor: Actor, e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "version": e.version,
        "employer_id": e.employer_id,
        "worker_id": e.worker_id,
        "worker_name": e.worker.name,
        "id_number": masked(e.worker, "id_number"),  # masked in lists; whole numbers via the audited reveal
        "employment_form": e.employment_form,
        "post": e.post,
        "start_date": e.start_date,
        "end_date": e.end_date,
        "is_migrant_worker": e.is_migrant_worker,
        "is_on_post": e.is_on_post,
        "is_insured": e.is_insured,
        "has_contract": bool(getattr(e, "has_contract", False)),
    }


@router.get("/", response={200: PageOut[EmployerOut], **API_ERRORS}, summary="用人单位列表")
def list_employers(request: HttpRequest, filters: Query[EmployerFilter], page: Query[PageQuery]) -> Any:
    employers = selectors.employer_list(actor=_actor(request), filters=filters.dict())
    return paged(employers, page, lambda e: EmployerOut.from_orm(e))


@router.post("/", response={201: EmployerOut, **API_ERRORS}, summary="登记用人单位（按统一社会信用代码更新）")
def create_employer(request: HttpRequest, data: EmployerIn) -> Any:
    return 201, services.employer_register(actor=_actor(request), data=data)


@router.get(
    "/stats/regions", response={200: RegionStatsOut, **API_ERRORS}, summary="分地区用工与劳动合同统计"
)
def region_stats(request: HttpRequest, query: Query[RegionQuery]) -> Any:
    region = query.region
    rollup = selectors.region_stats(actor=_actor(request), region_code=region)
    return {
        "region_code": rollup.region.code,
        "region_name": rollup.region.name,
        "rows": [{"code": r.code, "name": r.name, "stats": _stats(r.stats)} for r in rollup.rows],
        "total": _stats(rollup.total),
    }


@router.get(
    "/{employer_id}", response={200: EmployerOut, **API_ERRORS}, summary="用人单位详情（ETag 为记录版本）"
)
def get_employer(request: HttpRequest, response: HttpResponse, employer_id: int) -> Any:
    employer = selectors.employer_get(actor=_actor(request), pk=employer_id)
    set_etag(response, employer)
    return employer


@router.put(
    "/{employer_id}",
    response={200: EmployerOut, **VERSIONED_ERRORS},
    summary="修改用人单位（If-Match 过期答 412）",
    openapi_extra=IF_MATCH_DOC,
)
def update_employer(request: HttpRequest, response: HttpResponse, employer_id: int, data: EmployerIn) -> Any:
    employer = services.employer_update(
        actor=_actor(request), employer_id=employer_id, data=data, expected_version=if_match(request)
    )
    set_etag(response, employer)
    return employer


@router.put(
    "/{employer_id}/size",
    response={200: EmployerOut, **VERSIONED_ERRORS},
    summary="人工认定企业规模",
    openapi_extra=IF_MATCH_DOC,
)
def set_size(request: HttpRequest, response: HttpResponse, employer_id: int, data: SizeOverrideIn) -> Any:
    employer = services.employer_set_size_override(
        actor=_actor(request), employer_id=employer_id, data=data, expected_version=if_match(request)
    )
    set_etag(response, employer)
    return employer


@router.get("/{employer_id}/stats", response={200: StatsOut, **API_ERRORS}, summary="用人单位用工统计")
def employer_stats(request: HttpRequest, employer_id: int) -> Any:
    actor = _actor(request)
    employer = selectors.employer_get(actor=actor, pk=employer_id)
    return _stats(selectors.employer_stats_one(actor=actor, employer=employer))


@router.get("/{employer_id}/roster", response={200: PageOut[EmploymentOut], **API_ERRORS}, summary="职工名册")
def roster(
    request: HttpRequest, employer_id: int, filters: Query[RosterFilter], page: Query[PageQuery]
) -> Any:
    actor = _actor(request)
    rows = selectors.roster_list(actor=actor, employer_id=employer_id, filters=filters.dict())
    return paged(rows, page, lambda e: _employment(actor, e))


@router.post(
    "/{employer_id}/roster", response={201: EmploymentOut, **API_ERRORS}, summary="录用职工（加入名册）"
)
def roster_add(request: HttpRequest, employer_id: int, data: EmploymentIn) -> Any:
    actor = _actor(request)
    return 201, _employment(actor, services.employment_add(actor=actor, employer_id=employer_id, data=data))


@router.post(
    "/roster/{employment_id}/contracts", response={201: ContractOut, **API_ERRORS}, summary="订立劳动合同"
)
def contract_sign(request: HttpRequest, response: HttpResponse, employment_id: int, data: ContractIn) -> Any:
    return 201, _contract(
        response, services.contract_sign(actor=_actor(request), employment_id=employment_id, data=data)
    )


def _contract(response: HttpResponse, contract: Any) -> Any:
    set_etag(response, contract)
    return contract


@router.post(
    "/contracts/{contract_id}/renew",
    response={200: ContractOut, **VERSIONED_ERRORS},
    summary="续订劳动合同",
    openapi_extra=IF_MATCH_DOC,
)
def contract_renew(
    request: HttpRequest, response: HttpResponse, contract_id: int, data: ContractRenewIn
) -> Any:
    return _contract(
        response,
        services.contract_renew(
            actor=_actor(request), contract_id=contract_id, data=data, expected_version=if_match(request)
        ),
    )


@router.post(
    "/contracts/{contract_id}/change",
    response={200: ContractOut, **VERSIONED_ERRORS},
    summary="变更劳动合同",
    openapi_extra=IF_MATCH_DOC,
)
def contract_change(
    request: HttpRequest, response: HttpResponse, contract_id: int, data: ContractChangeIn
) -> Any:
    return _contract(
        response,
        services.contract_change(
            actor=_actor(request), contract_id=contract_id, data=data, expected_version=if_match(request)
        ),
    )


@router.post(
    "/contracts/{contract_id}/dissolve",
    response={200: ContractOut, **VERSIONED_ERRORS},
    summary="解除劳动合同",
    openapi_extra=IF_MATCH_DOC,
)
def contract_dissolve(
    request: HttpRequest, response: HttpResponse, contract_id: int, data: ContractEndIn
) -> Any:
    return _contract(
        response,
        services.contract_dissolve(
            actor=_actor(request), contract_id=contract_id, data=data, expected_version=if_match(request)
        ),
    )


@router.post(
    "/contracts/{contract_id}/terminate",
    response={200: ContractOut, **VERSIONED_ERRORS},
    summary="终止劳动合同",
    openapi_extra=IF_MATCH_DOC,
)
def contract_terminate(
    request: HttpRequest, response: HttpResponse, contract_id: int, data: ContractEndIn
) -> Any:
    return _contract(
        response,
        services.contract_terminate(
            actor=_actor(request), contract_id=contract_id, data=data, expected_version=if_match(request)
        ),
    )
