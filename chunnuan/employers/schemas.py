"""API-only shapes of employers, rosters, contracts and statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from chunnuan.core.schemas import Day, OneOf, RegionCode, SearchText


class EmployerOut(Schema):
    id: int
    version: int = 1  # the record's version: its ETag, sent back as If-Match
    credit_code: str
    name: str
    region_code: str
    industry_code: str = ""
    industry_section: str = ""
    economic_type: str = ""
    address: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    staff_count: int | None = None
    revenue: Decimal | None = None
    assets: Decimal | None = None
    size_class: str = ""
    size_class_computed: str = ""
    size_class_override: str = ""
    size_override_reason: str = ""
    is_above_scale: bool = False
    is_key_contact: bool = False
    is_in_difficulty: bool = False
    is_dispatch_agency: bool = False
    credit_status: str = ""

    @staticmethod
    def resolve_industry_code(obj: object) -> str:
        industry = getattr(obj, "industry", None)
        return industry.code if industry is not None else ""


class EmployerFilter(Schema):
    q: SearchText = ""
    region: RegionCode = ""
    section: str = Field(default="", max_length=8)
    industry: str = Field(default="", max_length=8)
    size_class: str = Field(default="", max_length=20)
    above_scale: str = Field(default="", max_length=8)
    flag: str = Field(default="", max_length=40)
    credit_status: str = Field(default="", max_length=20)


class EmploymentOut(Schema):
    id: int
    version: int = 1  # the record's version (the roster pages send it back; a stale one is refused)
    employer_id: int
    worker_id: int
    worker_name: str
    id_number: str  # masked unless the role may see personal data
    employment_form: str
    post: str
    start_date: dt.date
    end_date: dt.date | None
    is_migrant_worker: bool
    is_on_post: bool
    is_insured: bool
    has_contract: bool = False


class RosterFilter(Schema):
    q: SearchText = ""
    employment_form: str = Field(default="", max_length=20)
    contract: Annotated[str, OneOf.of(("signed", "unsigned", "overdue"))] = ""
    migrant: str = Field(default="", max_length=8)
    on_post: str = Field(default="", max_length=8)
    status: Annotated[str, OneOf.of(("active", "left", "all"))] = Field(default="", description="空：在职")
    start_from: Day | None = None
    start_to: Day | None = None


class ContractOut(Schema):
    id: int
    employment_id: int
    contract_type: str
    signed_date: dt.date
    start_date: dt.date
    end_date: dt.date | None
    probation_months: int | None
    status: str
    ended_date: dt.date | None
    version: int = 1  # the record's version: its ETag, sent back as If-Match


class StatsOut(Schema):
    on_roll: int
    on_post: int
    migrant: int
    due: int
    signed: int
    signing_rate: int | None
    without_contract: int
    deemed_open_ended: int
    dispatched: int
    non_dispatched: int
    dispatch_over_cap: bool
    ending_soon: int
    employers: int = 0


class RegionStatsRowOut(Schema):
    code: str
    name: str
    stats: StatsOut


class RegionStatsOut(Schema):
    region_code: str
    region_name: str
    rows: list[RegionStatsRowOut]
    total: StatsOut
