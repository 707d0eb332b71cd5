"""Service input types for regions (shared by the API body and the HTML form)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class RegionUnitIn(BaseModel):
    """A functional unit (开发区/工业园区/管委会) or a township under one, added by hand.

    Kept loose on purpose: ``region_add_unit`` validates every field with Chinese messages, so the
    page and the API give the same answers.
    """

    model_config = ConfigDict(str_strip_whitespace=True)

    parent_code: str
    code: str
    name: str
    short_name: str = ""
    kind: str
    valid_from: date | None = None


class RegionFilter(BaseModel):
    """Filters of the management list (``region_list``)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    q: str = ""
    level: int | None = None
    kind: str = ""
    parent: str = ""
    include_retired: bool = False
