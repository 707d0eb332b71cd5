from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from chunnuan.access.personal import masked
from chunnuan.workers.choices import HELP_GROUPS, NEEDS
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


class WorkerFilter(Schema):
    q: str = Field(default="", description="姓名、完整身份证号或手机号")
    region: str = Field(default="", description="区划代码（含下级）")
    region_side: str = Field(default="", description="空：户籍地或务工地；origin：仅户籍地；work：仅务工地")
    groups: list[str] = Field(default_factory=list, description="帮扶对象字段名，可多选")
    needs: list[str] = Field(default_factory=list)
    employment_status: str = ""
    movement_status: str = ""
    education: str = ""
    sex: str = ""
    age_min: int | None = None
    age_max: int | None = None
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    moved_from: dt.date | None = None
    moved_to: dt.date | None = None


class DynamicFilter(Schema):
    region: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    needs: list[str] = Field(default_factory=list)


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
