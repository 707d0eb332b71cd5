from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from chunnuan.core.schemas import ErrorOut, PageOut, PageQuery, paged
from chunnuan.employers import selectors
from chunnuan.employers.schemas import EmployerFilter, EmployerOut

router = Router()
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/", response={200: PageOut[EmployerOut], **ERRORS}, summary="用人单位列表")
def list_employers(request: HttpRequest, filters: Query[EmployerFilter], page: Query[PageQuery]) -> Any:
    employers = selectors.employer_list(actor=request.auth, filters=filters.dict())  # type: ignore[attr-defined]
    return paged(employers, page, lambda e: EmployerOut.from_orm(e))


@router.get("/{employer_id}", response={200: EmployerOut, **ERRORS}, summary="用人单位详情")
def get_employer(request: HttpRequest, employer_id: int) -> Any:
    return selectors.employer_get(actor=request.auth, pk=employer_id)  # type: ignore[attr-defined]
