"""Writing result spreadsheets for runs."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from chunnuan.core.spreadsheets import safe_cell

MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_575  # one sheet, less the header row


def safe_cell_value(value: Any) -> Any:
    """A value that a spreadsheet will show as text, never run: text starting with = + - @ (or a
    tab / carriage return) gets a leading single quote (CSV/formula injection); datetimes are
    written in local time (Excel has no time zones)."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return safe_cell(value)[:MAX_CELL_CHARS]
    return value


class SheetWriter:
    """A streaming one-sheet workbook (openpyxl write-only mode): bold header, then rows."""

    def __init__(self, title: str, headers: Sequence[str], *, widths: Sequence[int] = ()) -> None:
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title=title[:31])
        for index, width in enumerate(widths):
            self.sheet.column_dimensions[get_column_letter(index + 1)].width = width
        bold = Font(bold=True)
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        self.sheet.append(header_cells)
        self.sheet.freeze_panes = "A2"

    def append(self, values: Iterable[Any]) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.sheet, value=safe_cell_value(value))
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            cells.append(cell)
        self.sheet.append(cells)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
