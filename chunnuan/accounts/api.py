from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from chunnuan.accounts import selectors, services
from chunnuan.accounts.schemas import MeOut, UserFilter, UserOut
from chunnuan.accounts.types import UserIn
from chunnuan.core.schemas import API_ERRORS, PageOut, PageQuery, paged

router = Router()


@router.get("/me", response={200: MeOut, **API_ERRORS}, summary="当前身份")
def me(request: HttpRequest) -> Any:
    actor = request.auth  # type: ignore[attr-defined]
    return MeOut(
        kind=str(actor.kind),
        label=actor.label,
        region_prefixes=list(actor.region_prefixes),
        permissions=sorted(actor.permissions),
        employer_id=actor.employer_id,
        worker_id=actor.worker_id,
    )


@router.get("/users", response={200: PageOut[UserOut], **API_ERRORS}, summary="用户列表")
def list_users(request: HttpRequest, filters: Query[UserFilter], page: Query[PageQuery]) -> Any:
    users = selectors.user_list(actor=request.auth, filters=filters.dict())  # type: ignore[attr-defined]
    return paged(users, page, UserOut.of)


@router.post("/users", response={201: UserOut, **API_ERRORS}, summary="新建用户")
def create_user(request: HttpRequest, payload: UserIn) -> Any:
    return Status(201, UserOut.of(services.user_create(actor=request.auth, data=payload)))  # type: ignore[attr-defined]


@router.get("/users/{user_id}", response={200: UserOut, **API_ERRORS}, summary="用户详情")
def get_user(request: HttpRequest, user_id: int) -> Any:
    return UserOut.of(selectors.user_get(actor=request.auth, pk=user_id))  # type: ignore[attr-defined]


@router.put("/users/{user_id}", response={200: UserOut, **API_ERRORS}, summary="修改用户")
def update_user(request: HttpRequest, user_id: int, payload: UserIn) -> Any:
    return UserOut.of(services.user_update(actor=request.auth, user_id=user_id, data=payload))  # type: ignore[attr-defined]
