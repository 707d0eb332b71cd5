"""Shapes shared by every API router."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ninja import Schema
from pydantic import Field

from chunnuan.core.pagination import paginate

T = TypeVar("T")


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


# The error responses every operation documents (one shape: ErrorOut).
API_ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 401, 403, 404, 409, 413, 422)}


class PageOut(Schema, Generic[T]):
    items: list[T]
    count: int
    page: int
    pages: int


class PageQuery(Schema):
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=50, ge=1, le=500)


def paged(queryset: Any, query: PageQuery, convert: Callable[[Any], Any] = lambda x: x) -> dict[str, Any]:
    page = paginate(queryset, query.page, per_page=query.page_size)
    return {
        "items": [convert(item) for item in page.object_list],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }
