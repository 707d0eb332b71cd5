from __future__ import annotations

from pydantic import BaseModel, Field


class WorkerIn(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    id_number: str = Field(min_length=15, max_length=30)
    phone: str = ""
    origin_region_code: str = Field(pattern=r"^\d{12}$")
    work_region_code: str = Field(default="", pattern=r"^(\d{12})?$")
