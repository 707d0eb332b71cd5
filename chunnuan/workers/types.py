"""Service input types of the real-name ledger (the API takes them as bodies; pages build them from forms)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from chunnuan.workers.choices import HELP_GROUPS, NEEDS

# The ledger fields a person's record carries besides identity and regions (one list for the form,
# the API, the import and the audit comparison).
TEXT_FIELDS = (
    "hukou_type",
    "origin_address",
    "current_address",
    "work_place",
    "education",
    "skills",
    "trade",
    "job_intention",
    "employment_status",
    "note",
)
INSURANCE_FIELDS = ("has_pension_insurance", "has_medical_insurance", "has_injury_insurance")
BOOL_FIELDS = (*HELP_GROUPS, *NEEDS, *INSURANCE_FIELDS)


class WorkerIn(BaseModel):
    """登记/修改农民工 — one person of the real-name ledger."""

    name: str = Field(min_length=1, max_length=60)
    id_number: str = Field(min_length=1, max_length=30)  # checked (in Chinese) by the service
    phone: str = Field(default="", max_length=30)
    origin_region_code: str = Field(pattern=r"^\d{12}$")
    work_region_code: str = Field(default="", pattern=r"^(\d{12})?$")
    hukou_type: str = Field(default="", max_length=10)
    origin_address: str = Field(default="", max_length=200)
    current_address: str = Field(default="", max_length=200)
    work_place: str = Field(default="", max_length=200)
    education: str = Field(default="", max_length=12)
    skills: str = Field(default="", max_length=200)
    trade: str = Field(default="", max_length=100)
    job_intention: str = Field(default="", max_length=200)
    is_poverty_alleviated: bool = False
    is_monitored_for_relapse: bool = False
    is_low_income: bool = False
    is_hardship_family: bool = False
    is_zero_employment_family: bool = False
    is_disabled: bool = False
    has_employment_difficulty: bool = False
    needs_employment: bool = False
    needs_training: bool = False
    needs_entrepreneurship: bool = False
    employment_status: str = Field(default="", max_length=16)
    has_pension_insurance: bool = False
    has_medical_insurance: bool = False
    has_injury_insurance: bool = False
    note: str = Field(default="", max_length=300)

    def ledger_values(self) -> dict[str, Any]:
        """The plain ledger fields (everything but name, ID, phone and regions)."""
        return {name: getattr(self, name) for name in (*TEXT_FIELDS, *BOOL_FIELDS)}


class WorkerSelfIn(BaseModel):
    """我的信息 — what a worker may change on their own record: contact phone, job intention, needs."""

    phone: str = Field(default="", max_length=30)
    job_intention: str = Field(default="", max_length=200)
    needs_employment: bool = False
    needs_training: bool = False
    needs_entrepreneurship: bool = False


class WorkerEventIn(BaseModel):
    """一条动态 — went out, returned, stayed for the festival, back to work, unemployed, employed."""

    kind: str = Field(max_length=24)
    date: dt.date
    place: str = Field(default="", max_length=200)
    region_code: str = Field(default="", pattern=r"^(\d{12})?$")
    note: str = Field(default="", max_length=300)


class WorkerFilters(BaseModel):
    """The ledger list's filters (pages, API and export share them)."""

    q: str = ""
    region: str = ""
    region_side: str = ""  # "" (origin or work) / "origin" / "work"
    groups: list[str] = Field(default_factory=list)  # help-group field names, all must hold
    needs: list[str] = Field(default_factory=list)  # need field names, all must hold
    employment_status: str = ""
    movement_status: str = ""
    education: str = ""
    sex: str = ""
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    moved_from: dt.date | None = None
    moved_to: dt.date | None = None


class DynamicLedgerFilters(BaseModel):
    """动态就业服务台帐: the returnees of a period with employment, training or entrepreneurship needs."""

    region: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    needs: list[str] = Field(default_factory=list)  # empty: any of the three needs
