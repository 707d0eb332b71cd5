from __future__ import annotations

import io

import pytest

from chunnuan.core.identifiers import parse_id_number
from chunnuan.core.importing.engine import run_import
from chunnuan.core.importing.headers import find_header
from chunnuan.core.importing.spec import CleanRow, ImportContext, get_spec
from chunnuan.workers.models import Worker, WorkerEvent
from chunnuan.workers.spreadsheets import check_row, import_template

pytestmark = pytest.mark.django_db


def test_spec_is_registered_and_parses_a_realistic_header():
    spec = get_spec("workers")
    assert spec.key == "id_number" and spec.same_key_must_match == "name"
    rows = [
        (1, ["宁江区团结街道2026年春节返乡农民工实名制台帐"]),
        (
            2,
            [
                "序号",
                "姓名",
                "性别",
                "公民身份号码",
                "手机号码",
                "户籍所在地",
                "所属乡镇",
                "村(社区)",
                "务工地",
                "文化程度",
                "从事工种/行业",
                "是否脱贫户",
                "监测对象",
                "有无培训需求",
                "返乡日期",
                "养老保险",
                "备注",
            ],
        ),
    ]
    header = find_header(spec, rows)
    keys = {c.key for c in header.columns.values()}
    assert keys >= {
        "name",
        "sex",
        "id_number",
        "phone",
        "origin_address",
        "township",
        "village",
        "work_place",
        "education",
        "trade",
        "is_poverty_alleviated",
        "is_monitored_for_relapse",
        "needs_training",
        "returned_date",
        "has_pension_insurance",
        "note",
    }
    assert "序号" in header.ignored


def test_check_row_crosschecks_sex_and_resolves_the_township(personas):
    ctx = ImportContext(actor=personas.actor("county"), region_code="220702000000")
    info = parse_id_number("220702199003151238")  # male
    row = CleanRow(row=3, values={"name": "x", "id_number": info, "sex": "F", "township": "团结"}, raw=[])
    errors = check_row(ctx, row)
    assert [e.column for e in errors] == ["性别"] and row.values["origin_region_code"] == "220702001000"
    row = CleanRow(row=4, values={"name": "x", "id_number": info, "township": "前郭尔罗斯镇"}, raw=[])
    assert "找不到" in check_row(ctx, row)[0].message


def test_the_template_imports_as_it_is(personas, system):
    ctx = ImportContext(actor=personas.actor("county"), region_code="220702000000")
    data = import_template()
    result = run_import(spec=get_spec("workers"), source=io.BytesIO(data), filename="模板.xlsx", ctx=ctx)
    assert (result.rows, result.rejected) == (1, 0), result.errors
    worker = Worker.objects.unscoped(reason="t").get(name="张春生")
    assert worker.origin_region_code == "220702001000" and worker.work_region_code == "500103000000"
    assert worker.is_poverty_alleviated and worker.needs_training and worker.movement_status == "returned"
    assert WorkerEvent.objects.unscoped(reason="t").filter(worker=worker).count() == 2
    again = run_import(spec=get_spec("workers"), source=io.BytesIO(data), filename="模板.xlsx", ctx=ctx)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("宁江区团结街道", "220702001000"),
        ("吉林省松原市宁江区", "220702000000"),
        ("团结街道和平村", "220702001000"),
        ("重庆市渝中区解放碑", "500103000000"),
        ("吉林省", None),
        ("外地", None),
    ],
)
def test_a_work_place_that_names_a_region_sets_the_work_region(personas, text, code):
    """Issue 8, defect 10: an imported 务工地 text was not mapped to the 务工地 region."""
    ctx = ImportContext(actor=personas.actor("county"), region_code="220702000000")
    info = parse_id_number("220702199003151238")
    row = CleanRow(row=3, values={"name": "x", "id_number": info, "work_place": text}, raw=[])
    assert check_row(ctx, row) == []
    assert row.values.get("work_region_code") == code
