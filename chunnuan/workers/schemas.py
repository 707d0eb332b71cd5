from __future__ import annotations

import datetime as dt

from ninja import Schema

from chunnuan.access.personal import masked
from chunnuan.workers.models import Worker


class WorkerOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: dt.date
    id_number_masked: str
    phone_masked: str
    origin_region_code: str
    work_region_code: str

    @staticmethod
    def of(worker: Worker) -> WorkerOut:
        return WorkerOut(
            id=worker.pk,
            name=worker.name,
            sex=worker.sex,
            birth_date=worker.birth_date,
            id_number_masked=masked(worker, "id_number"),
            phone_masked=masked(worker, "phone"),
            origin_region_code=worker.origin_region_code,
            work_region_code=worker.work_region_code,
        )


class WorkerFilter(Schema):
    q: str = ""
    region: str = ""


class RevealOut(Schema):
    field: str
    value: str
