"""Shapes shared by every API router."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from ninja import Schema
from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import core_schema

from chunnuan.core.inputs import Day as Day  # re-exported: the query schemas take it from here
from chunnuan.core.pagination import paginate

T = TypeVar("T")


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


# The error responses every operation documents (one shape: ErrorOut).
API_ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 401, 403, 404, 409, 413, 422, 429)}
# ... and a conditional write (If-Match): a stale version is refused with 412 (core.versioning).
VERSIONED_ERRORS: dict[int, Any] = {**API_ERRORS, 412: ErrorOut}


# --- Query parameter types: what the OpenAPI document says is exactly what the code accepts -------
# (issue 9 defect 7: a filter checked inside the view answered 500 or 400; checked here it is a 422
# with the usual error shape, and Schemathesis can hold the document to it.)

RegionCode = Annotated[
    str,
    Field(max_length=12, pattern=r"^[0-9]*$", description="区划代码（数字，至多12位；含下级）"),
]
"""A division code or its prefix (digits only, at most 12); empty: no filter."""

SearchText = Annotated[str, Field(max_length=100)]


class RegionQuery(Schema):
    """``?region=``: a division code or prefix (operations that take nothing else)."""

    region: RegionCode = ""


@dataclass(frozen=True)
class OneOf:
    """``Annotated[str, OneOf(values)]``: one of ``values`` (or empty, when ``blank``), an ``enum`` in
    the OpenAPI document and a 422 otherwise — for choices kept as dicts or TextChoices."""

    values: tuple[str, ...]
    blank: bool = True

    @classmethod
    def of(cls, values: Iterable[str], *, blank: bool = True) -> OneOf:
        return cls(tuple(str(v) for v in values), blank)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        allowed = ("", *self.values) if self.blank else self.values
        return core_schema.literal_schema(list(allowed))


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
