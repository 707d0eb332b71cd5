from __future__ import annotations

from ninja import Schema
from pydantic import Field

from chunnuan.accounts.models import User
from chunnuan.core.schemas import RegionCode, SearchText


class MeOut(Schema):
    kind: str
    label: str
    region_prefixes: list[str]
    permissions: list[str]
    employer_id: int | None
    worker_id: int | None


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    kind: str
    is_active: bool
    roles: list[str]
    regions: list[str]
    employer_id: int | None

    @staticmethod
    def of(user: User) -> UserOut:
        return UserOut(
            id=user.pk,
            username=user.username,
            full_name=user.full_name,
            kind=user.kind,
            is_active=user.is_active,
            roles=[r.code for r in user.roles.all()],
            regions=[r.code for r in user.regions.all()],
            employer_id=user.employer_id,
        )


class UserFilter(Schema):
    q: SearchText = ""
    role: str = Field(default="", max_length=64)
    kind: str = Field(default="", max_length=20)
    region: RegionCode = ""
