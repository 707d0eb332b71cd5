"""Spreadsheet and CSV output shared by every list export."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise a value a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV with BOM (so Excel on a Chinese Windows opens it correctly)."""
    writer = csv.writer(_Echo())

    def stream() -> Iterable[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(
    sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None
) -> bytes:
    """An .xlsx of one sheet (streamed write-only, so large lists stay small in memory).

    With ``title`` a merged title row goes above the header (as the official forms have it).
    Every text cell is neutralised against formula injection.
    """
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    if title:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True, size=14)
        cell.alignment = Alignment(horizontal="center")
        sheet.append([cell])
        sheet.merged_cells.ranges.add(f"A1:{_column_letter(len(header))}1")
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(max(n, 1)))


def xlsx_response(
    filename: str,
    sheet_title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(sheet_title, header, rows, title=title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_response(
    fmt: str,
    filename_stem: str,
    sheet_title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
) -> HttpResponseBase:
    """``?export=xlsx`` or ``?export=csv`` of a list: the one way every list page exports."""
    if fmt == "xlsx":
        return xlsx_response(f"{filename_stem}.xlsx", sheet_title, header, rows, title=title)
    return csv_response(f"{filename_stem}.csv", header, rows)
