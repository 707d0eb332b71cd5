"""Input types of the run selectors and services (shared by the page and the API)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class RunFilter(BaseModel):
    kind: str = ""
    status: str = ""


class RunIn(BaseModel):
    kind: str = Field(max_length=40)
    params: dict[str, Any] = Field(default_factory=dict)
