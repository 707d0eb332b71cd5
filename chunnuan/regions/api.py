"""/api/v1/regions/ — division codes (public reference data) and functional units."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.core.pagination import paginate
from chunnuan.regions.schemas import RegionListQuery, RegionOut, RegionPageOut, RegionUnitBody
from chunnuan.regions.selectors import region_children, region_get, region_list
from chunnuan.regions.services import region_add_unit
from chunnuan.regions.types import RegionFilter, RegionUnitIn

router = Router()


def _actor(request: HttpRequest, perm: Perm) -> Actor:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    actor.require(perm)
    return actor


@router.get("/", response=RegionPageOut, summary="区划列表（管辖范围内，可检索）")
def list_regions(request: HttpRequest, query: Query[RegionListQuery]) -> dict[str, object]:
    actor = _actor(request, Perm.VIEW_REGIONS)
    filters = RegionFilter(q=query.q, level=query.level, kind=query.kind, parent=query.parent)
    page = paginate(region_list(actor=actor, filters=filters), query.page, per_page=query.page_size)
    return {
        "items": list(page.object_list),
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


@router.get("/{code}", response=RegionOut, summary="按代码查询区划")
def get_region(request: HttpRequest, code: str) -> object:
    _actor(request, Perm.VIEW_REGIONS)
    return region_get(code=code)


@router.get("/{code}/children", response=list[RegionOut], summary="直接下级区划")
def get_children(request: HttpRequest, code: str) -> object:
    _actor(request, Perm.VIEW_REGIONS)
    parent = region_get(code=code)
    return list(region_children(code=parent.code).select_related("parent"))


@router.post("/{code}/units", response={201: RegionOut}, summary="添加开发区/工业园区/管委会等功能区")
def add_unit(request: HttpRequest, code: str, body: RegionUnitBody) -> Status[object]:
    actor = _actor(request, Perm.MANAGE_REGIONS)
    data = RegionUnitIn(parent_code=code, **body.dict())
    return Status(201, region_add_unit(actor=actor, data=data))
