"""API-only shapes of campaigns, targets, submissions and the late list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from chunnuan.core.schemas import OneOf, RegionCode, SearchText
from chunnuan.reporting.choices import SubmissionStatus


class StageOut(Schema):
    kind: str
    start_date: dt.date
    end_date: dt.date
    note: str = ""


class CampaignFormOut(Schema):
    form_code: str
    deadline: dt.date | None = None
    deadline_working_days: int | None = None


class CampaignOut(Schema):
    id: int
    code: str
    name: str
    region_code: str
    start_date: dt.date
    end_date: dt.date
    focus_sections: list[str] = []
    description: str = ""
    stages: list[StageOut] = []
    forms: list[CampaignFormOut] = []


class CampaignFilter(Schema):
    q: SearchText = ""
    region: RegionCode = ""


class TargetOut(Schema):
    id: int
    region_code: str
    indicator: str
    segment: str
    value: Decimal
    note: str = ""


class EffectiveTargetOut(Schema):
    indicator: str
    segment: str
    value: Decimal
    set_in: str  # the region code where it was set
    inherited: bool


class TargetsOut(Schema):
    region_code: str
    effective: list[EffectiveTargetOut]
    own: list[TargetOut]  # the rows set in reach (overrides included)


class SubmissionOpenIn(Schema):
    form: str = Field(max_length=40)
    period: str = Field(max_length=40)
    region: str = Field(default="", max_length=12)
    employer: int | None = None


class ReasonIn(Schema):
    reason: str = Field(default="", max_length=500)


class SubmissionFilter(Schema):
    form: str = Field(default="", max_length=40, description="报表代码（GET /reporting/forms）")
    period: str = Field(default="", max_length=40, description="期间代码，如 2026-03-2（旬）")
    region: RegionCode = ""
    status: Annotated[str, OneOf.of(SubmissionStatus.values)] = ""
    q: SearchText = ""


class TargetsQuery(Schema):
    region: str = Field(default="", pattern=r"^([0-9]{12})?$", description="12位区划代码；空：行动的本级")


class StatusQuery(Schema):
    form: str = Field(max_length=40, description="报表代码（GET /reporting/forms）")
    period: str = Field(max_length=40, description="期间代码")
    region: str = Field(default="", pattern=r"^([0-9]{12})?$", description="12位区划代码；空：本人辖区")


class SubmissionEventOut(Schema):
    kind: str
    actor_label: str
    reason: str
    at: dt.datetime


class SubmissionOut(Schema):
    id: int
    version: int = 1  # the record's version: its ETag, sent back as If-Match
    form_code: str
    period_key: str
    campaign_code: str = ""
    level: str
    region_code: str
    employer_id: int | None = None
    unit_name: str
    status: str
    deadline: dt.date
    values: dict[str, Any]
    proposed: dict[str, Any] = {}
    corrections: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    missing_note: str = ""
    filler_name: str = ""
    filler_phone: str = ""  # masked
    submitted_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    return_reason: str = ""
    events: list[SubmissionEventOut] = []


class SubmissionBriefOut(Schema):
    id: int
    form_code: str
    period_key: str
    level: str
    region_code: str
    employer_id: int | None = None
    unit_name: str
    status: str
    deadline: dt.date
    submitted_at: dt.datetime | None = None


class StatusRowOut(Schema):
    unit_key: str
    unit_name: str
    region_code: str
    employer_id: int | None = None
    status: str
    submission_id: int | None = None
    submitted_at: dt.datetime | None = None
    deadline: dt.date
    days_late: int


class CompletenessOut(Schema):
    region_code: str
    name: str
    expected: int
    submitted: int
    on_time: int
    completeness: int | None = None
    on_time_rate: int | None = None
    missing: list[str] = []  # names of the units not in
    note: str = ""  # 已报 x/y …，缺：…


class StatusOut(Schema):
    form: str
    period: str
    region_code: str
    level: str
    deadline: dt.date
    rows: list[StatusRowOut]
    late: list[StatusRowOut]
    by_region: list[CompletenessOut]
    total: CompletenessOut
