"""API shapes for regions."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from chunnuan.regions.models import Region


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: int
    level_label: str
    kind: str
    kind_label: str
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None

    @staticmethod
    def resolve_level_label(obj: Region) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_kind_label(obj: Region) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class RegionPageOut(Schema):
    items: list[RegionOut]
    count: int
    page: int
    pages: int


class RegionListQuery(Schema):
    q: str = Field("", max_length=50, description="名称、简称或代码开头")
    level: int | None = Field(None, ge=1, le=5, description="级别 1省 2地 3县 4乡 5村")
    kind: str = Field("", max_length=32)
    parent: str = Field("", max_length=12, description="上级区划代码：只列其直接下级")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=500)


class RegionUnitBody(Schema):
    """添加功能区 — the body of ``POST /regions/{code}/units`` (the parent is ``{code}``)."""

    code: str = Field(..., max_length=20, description="12位区划代码")
    name: str = Field(..., max_length=200)
    short_name: str = Field("", max_length=100)
    kind: str = Field(
        ..., max_length=32, description="development_zone / industrial_park / admin_committee …"
    )
    valid_from: date | None = None
