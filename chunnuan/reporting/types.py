"""Service inputs of campaigns, targets and submissions (validated by Pydantic)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from chunnuan.core.inputs import Percent


class StageIn(BaseModel):
    kind: str
    start_date: dt.date
    end_date: dt.date
    note: str = Field(default="", max_length=300)


class CampaignFormIn(BaseModel):
    form_code: str
    deadline: dt.date | None = None
    deadline_working_days: int | None = Field(default=None, ge=0, le=60)


class CampaignIn(BaseModel):
    code: str = Field(max_length=40)
    name: str = Field(min_length=1, max_length=100)
    region_code: str
    start_date: dt.date
    end_date: dt.date
    focus_sections: list[str] = []
    description: str = ""
    stages: list[StageIn] = []
    forms: list[CampaignFormIn] = []


class TargetIn(BaseModel):
    region_code: str
    indicator: str
    segment: str = "all"
    value: Percent
    note: str = Field(default="", max_length=200)


class SubmissionValuesIn(BaseModel):
    values: dict[str, int | None] = {}
    reasons: dict[str, str] = {}  # why a prefilled figure was corrected
    filler_name: str = Field(default="", max_length=60)
    filler_phone: str = Field(default="", max_length=30)
    missing_note: str = Field(default="", max_length=500)
