from __future__ import annotations

from pydantic import BaseModel, Field


class EmployerIn(BaseModel):
    credit_code: str = Field(min_length=18, max_length=30)
    name: str = Field(min_length=1, max_length=200)
    region_code: str = Field(pattern=r"^\d{12}$")
