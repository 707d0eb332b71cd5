"""A test-only ImportSpec ("test_people") that stores people as audit rows, so the engine's tests
depend on no ledger app. Key: the ID number; the name must agree between duplicate keys."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from chunnuan.audit.models import AuditEvent
from chunnuan.core.importing.regions import RegionResolver
from chunnuan.core.importing.spec import (
    CellError,
    CleanRow,
    Column,
    ColumnKind,
    ImportContext,
    ImportSpec,
    Outcome,
    RowOutcome,
    register,
)

KIND = "test_people"
OBJECT_TYPE = "test.person"
FAIL_ON_BATCH: dict[str, int | None] = {"n": None}  # set to make apply crash on that batch
_calls = {"n": 0}

COLUMNS = (
    Column("name", "姓名", required=True, aliases=("职工姓名",), max_length=20),
    Column(
        "id_number", "身份证号码", ColumnKind.ID_NUMBER, required=True, aliases=("身份证号", "公民身份号码")
    ),
    Column("phone", "联系电话", ColumnKind.PHONE, aliases=("手机号码", "联系方式")),
    Column("township", "乡镇（街道）", aliases=("乡镇", "街道", "所在乡镇")),
    Column("region_code", "区划代码", ColumnKind.REGION_CODE),
    Column("start", "入职日期", ColumnKind.DATE),
    Column("signed", "是否签订合同", ColumnKind.BOOL),
    Column("term", "合同期限", ColumnKind.CONTRACT_TERM),
)


def check_row(ctx: ImportContext, row: CleanRow) -> list[CellError]:
    code, errors = RegionResolver.of(ctx).resolve(code=row.values["region_code"], name=row.values["township"])
    if not errors:
        row.values["region_code"] = code
    return errors


def people() -> Any:
    return AuditEvent.objects.unscoped(reason="test storage").filter(object_type=OBJECT_TYPE)


def apply(ctx: ImportContext, rows: list[CleanRow]) -> list[RowOutcome]:
    _calls["n"] += 1
    if FAIL_ON_BATCH["n"] is not None and _calls["n"] >= FAIL_ON_BATCH["n"]:
        raise RuntimeError("boom in apply")
    numbers = [r.values["id_number"].number for r in rows]
    existing = {e.object_id: e for e in people().filter(object_id__in=numbers)}
    outcomes: list[RowOutcome] = []
    new: list[AuditEvent] = []
    for row in rows:
        number = row.values["id_number"].number
        name, code = row.values["name"], row.values["region_code"]
        event = existing.get(number)
        if row.values["name"] == "拒绝我":
            outcomes.append(RowOutcome(Outcome.REJECTED, (CellError("姓名", "应用时拒绝"),)))
        elif event is None:
            new.append(
                AuditEvent(
                    actor_label="t",
                    action="create",
                    object_type=OBJECT_TYPE,
                    object_id=number,
                    object_repr=name,
                    region_code=code,
                )
            )
            outcomes.append(RowOutcome(Outcome.CREATED))
        elif (event.object_repr, event.region_code) != (name, code):
            event.object_repr, event.region_code = name, code
            event.save(update_fields=["object_repr", "region_code"])
            outcomes.append(RowOutcome(Outcome.UPDATED))
        else:
            outcomes.append(RowOutcome(Outcome.UNCHANGED))
    AuditEvent.plain.bulk_create(new)
    return outcomes


SPEC = register(
    ImportSpec(
        kind=KIND,
        title="测试人员名单",
        columns=COLUMNS,
        key="id_number",
        check_row=check_row,
        apply=apply,
        same_key_must_match="name",
        batch_size=3,
        permission="manage_workers",
    )
)


def reset() -> None:
    FAIL_ON_BATCH["n"] = None
    _calls["n"] = 0


def xlsx(rows: list[list[Any]], *, merges: list[str] = (), big_used_range: bool = False) -> bytes:  # type: ignore[assignment]
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a user typed it
    for ref in merges:
        sheet.merge_cells(ref)
    if big_used_range:
        sheet.cell(row=1_048_576, column=1).font = Font(bold=True)
        sheet.cell(row=1_048_576, column=8).number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    import csv

    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


ROSTER_SPEC = register(replace(SPEC, kind="test_roster", title="测试名册", needs_employer=True))
