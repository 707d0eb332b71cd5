"""The rejected-rows workbook: the original header and rows plus an 错误说明 column, so the user can
fix the rows and import the same file again; a second sheet 提示 lists the warnings."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

ERROR_COLUMN = "错误说明"
ROW_COLUMN = "原行号"
MAX_CELL_CHARS = 32_767


@dataclass
class RejectedRow:
    row: int
    raw: list[Any]
    messages: list[str]


def _cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, dt.timedelta | dt.time):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Stored as text, never as a formula (openpyxl would take "=…" for one), and kept as the
        # user typed it so the fixed file imports again unchanged.
        cell.value = value[:MAX_CELL_CHARS]
        cell.data_type = "s"
    elif isinstance(value, dt.datetime | dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def reports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "reports"


def write_error_report(
    *,
    kind: str,
    labels: Sequence[str],
    rejected: Sequence[RejectedRow],
    warnings: Sequence[tuple[int, str, str]],
    path: Path | None = None,
) -> Path:
    """Write the workbook and return its path (under MEDIA_ROOT/imports/reports/ unless given)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if path is None:
        folder = reports_dir() / dt.date.today().strftime("%Y/%m")
        path = folder / f"{kind}-{uuid.uuid4().hex}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    width = max([len(labels), *(len(r.raw) for r in rejected)] or [0])
    header = [*labels, *[""] * (width - len(labels))]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("未导入的行")
    bold = Font(bold=True)
    cells = []
    for text in [*header, ERROR_COLUMN, ROW_COLUMN]:
        cell = _cell(sheet, text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    red = Font(color="C00000")
    for item in rejected:
        values = [*item.raw, *[None] * (width - len(item.raw))]
        row = [_cell(sheet, v) for v in values]
        message = _cell(sheet, "；".join(item.messages))
        message.font = red
        row += [message, _cell(sheet, item.row)]
        sheet.append(row)
    notes = workbook.create_sheet("提示")
    notes.append([_cell(notes, t) for t in ("行号", "列", "提示")])
    for row_number, column, message in warnings:
        notes.append([_cell(notes, row_number), _cell(notes, column), _cell(notes, message)])
    # Readable by the app only: the rows hold whole ID and phone numbers (issue 9 defect 2).
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
        workbook.save(handle)
    os.chmod(path, 0o600)  # an existing file keeps its mode through O_TRUNC
    return path
