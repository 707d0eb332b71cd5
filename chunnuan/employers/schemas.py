from __future__ import annotations

from ninja import Schema


class EmployerOut(Schema):
    id: int
    credit_code: str
    name: str
    region_code: str


class EmployerFilter(Schema):
    q: str = ""
    region: str = ""
