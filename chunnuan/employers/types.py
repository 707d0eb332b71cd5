"""Service input types (shared by the pages, the API and the import)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from chunnuan.core.inputs import Amount
from chunnuan.employers.choices import ContractType, CreditStatus, EconomicType, EmploymentForm, SizeClass


class EmployerIn(BaseModel):
    credit_code: str = Field(min_length=18, max_length=30)
    name: str = Field(min_length=1, max_length=200)
    region_code: str = Field(pattern=r"^\d{12}$")
    industry_code: str = Field(default="", max_length=4, description="GB/T 4754-2017 大类代码，如 47")
    economic_type: EconomicType | None = None
    address: str = Field(default="", max_length=200)
    legal_representative: str = Field(default="", max_length=60)
    contact_person: str = Field(default="", max_length=60)
    contact_phone: str = Field(default="", max_length=30)
    staff_count: int | None = Field(default=None, ge=0)
    revenue: Amount | None = None
    assets: Amount | None = None
    is_above_scale: bool = False
    is_key_contact: bool = False
    is_in_difficulty: bool = False
    is_dispatch_agency: bool = False
    credit_status: CreditStatus = CreditStatus.GOOD


class SizeOverrideIn(BaseModel):
    """人工认定规模: an empty ``size_class`` clears the override."""

    size_class: SizeClass | None = None
    reason: str = Field(default="", max_length=200)


class EmploymentIn(BaseModel):
    """A person onto a roster: by ``worker_id`` or by ID number (registered when new)."""

    worker_id: int | None = None
    id_number: str = Field(default="", max_length=30)
    name: str = Field(default="", max_length=60)
    phone: str = Field(default="", max_length=30)
    origin_region_code: str = Field(default="", pattern=r"^(\d{12})?$")
    employment_form: EmploymentForm = EmploymentForm.FULL_TIME
    post: str = Field(default="", max_length=100)
    start_date: dt.date
    is_migrant_worker: bool = True
    is_on_post: bool = True
    is_insured: bool = False


class EmploymentUpdateIn(BaseModel):
    employment_form: EmploymentForm = EmploymentForm.FULL_TIME
    post: str = Field(default="", max_length=100)
    start_date: dt.date
    is_migrant_worker: bool = True
    is_on_post: bool = True
    is_insured: bool = False


class EmploymentLeaveIn(BaseModel):
    end_date: dt.date
    note: str = Field(default="", max_length=300)


class ContractIn(BaseModel):
    """订立劳动合同."""

    contract_type: ContractType
    signed_date: dt.date
    start_date: dt.date
    end_date: dt.date | None = None
    probation_months: int | None = Field(default=None, ge=0, le=6)
    note: str = Field(default="", max_length=300)


class ContractRenewIn(BaseModel):
    """续订: a new term from ``start_date`` (the day after the old end by default)."""

    contract_type: ContractType = ContractType.FIXED_TERM
    signed_date: dt.date
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    note: str = Field(default="", max_length=300)


class ContractChangeIn(BaseModel):
    """变更: a change agreed in writing; may move the end date."""

    date: dt.date
    new_end_date: dt.date | None = None
    note: str = Field(min_length=1, max_length=300)


class ContractEndIn(BaseModel):
    """解除 (dissolve) or 终止 (terminate)."""

    date: dt.date
    note: str = Field(default="", max_length=300)
    leave_employment: bool = True
