from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from chunnuan.access.personal import masked
from chunnuan.core.schemas import Day, OneOf, RegionCode, SearchText
from chunnuan.workers.choices import HELP_GROUPS, NEEDS, Education, EmploymentStatus, MovementStatus, Sex
from chunnuan.workers.models import Worker, WorkerEvent
from chunnuan.workers.selectors import TownshipCount


class WorkerOut(Schema):
    id: int
    version: int = 1  # the record's version: its ETag, sent back as If-Match
    name: str
    sex: str
    birth_date: dt.date
    id_number_masked: str
    phone_masked: str
    origin_region_code: str
    work_region_code: str
    hukou_type: str = ""
    origin_address: str = ""
    current_address: str = ""
    work_place: str = ""
    education: str = ""
    skills: str = ""
    trade: str = ""
    job_intention: str = ""
    groups: list[str] = Field(default_factory=list, description="帮扶对象（字段名）")
    needs: list[str] = Field(default_factory=list, description="需求（字段名）")
    employment_status: str = ""
    movement_status: str = ""
    movement_date: dt.date | None = None
    has_pension_insurance: bool = False
    has_medical_insurance: bool = False
    has_injury_insurance: bool = False
    note: str = ""

    @staticmethod
    def of(worker: Worker) -> WorkerOut:
        plain = {
            name: getattr(worker, name)
            for name in WorkerOut.model_fields
            if name not in ("id_number_masked", "phone_masked", "groups", "needs", "id")
            and hasattr(worker, name)
        }
        return WorkerOut(
            id=worker.pk,
            id_number_masked=masked(worker, "id_number"),
            phone_masked=masked(worker, "phone"),
            groups=[k for k in HELP_GROUPS if getattr(worker, k)],
            needs=[k for k in NEEDS if getattr(worker, k)],
            **plain,
        )


HelpGroup = Annotated[str, OneOf.of(HELP_GROUPS, blank=False)]
Need = Annotated[str, OneOf.of(NEEDS, blank=False)]
Age = Annotated[int, Field(ge=0, le=120, description="周岁，0–120")]


class WorkerFilter(Schema):
    """Every parameter is checked here (422 with the usual error shape), none inside the view."""

    q: SearchText = Field(
        default="",
        description="姓名（按身份证号或手机号检索请用 POST /workers/search，号码不进入网址和访问日志）",
    )
    region: RegionCode = ""
    region_side: Literal["", "origin", "work"] = Field(
        default="", description="空：户籍地或务工地；origin：仅户籍地；work：仅务工地"
    )
    groups: list[HelpGroup] = Field(default_factory=list, max_length=20, description="帮扶对象字段名，可多选")
    needs: list[Need] = Field(default_factory=list, max_length=20)
    employment_status: Annotated[str, OneOf.of(EmploymentStatus.values)] = ""
    movement_status: Annotated[str, OneOf.of(MovementStatus.values)] = ""
    education: Annotated[str, OneOf.of(Education.values)] = ""
    sex: Annotated[str, OneOf.of(Sex.values)] = ""
    age_min: Age | None = None
    age_max: Age | None = None
    registered_from: Day | None = None
    registered_to: Day | None = None
    moved_from: Day | None = None
    moved_to: Day | None = None


class WorkerSearchIn(Schema):
    """The body of POST /workers/search: a whole ID number or phone stays out of the URL."""

    q: str = Field(min_length=1, max_length=100, description="完整身份证号、手机号或姓名")


class DynamicFilter(Schema):
    region: RegionCode = ""
    date_from: Day | None = None
    date_to: Day | None = None
    needs: list[Need] = Field(default_factory=list, max_length=3, description="空：三类需求任一")


class WorkerEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    date: dt.date
    place: str
    region_code: str
    note: str

    @staticmethod
    def of(event: WorkerEvent) -> WorkerEventOut:
        return WorkerEventOut(
            id=event.pk,
            kind=event.kind,
            kind_label=str(event.get_kind_display()),
            date=event.date,
            place=event.place,
            region_code=event.region_code,
            note=event.note,
        )


class TownshipCountOut(Schema):
    code: str
    name: str
    total: int
    employment: int
    training: int
    entrepreneurship: int

    @staticmethod
    def of(count: TownshipCount) -> TownshipCountOut:
        return TownshipCountOut(**count.__dict__)


class RevealOut(Schema):
    field: str
    value: str
