"""Service input types for accounts (shared by pages and the API)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class UserIn(BaseModel):
    username: str = Field(min_length=3, max_length=150, pattern=r"^[A-Za-z0-9_.@+-]+$")
    full_name: str = Field(default="", max_length=60)
    kind: str = "officer"
    role_codes: list[str] = Field(default_factory=list)
    region_codes: list[str] = Field(default_factory=list)
    employer_id: int | None = None
    password: str | None = None
    is_active: bool = True


class ApiTokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(default=365, ge=1, le=3650)
