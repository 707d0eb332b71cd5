"""A report as an .xlsx in the official layout."""

from __future__ import annotations

import io
from typing import Any

from chunnuan.core.spreadsheets import safe_cell
from chunnuan.reporting.exports.data import ReportData, _footer_texts, _header_groups, _header_label


def report_xlsx(data: ReportData) -> bytes:
    """The official layout as an .xlsx: merged title, period and units, two-row merged headers,
    data rows, 合计 and the footer. Every text cell is neutralised against formula injection."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    fields = list(data.form.fields)
    n_dims = len(data.dim_headers)
    n_cols = n_dims + len(fields)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = data.form.short_name[:31]
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(bold=True)

    def put(row: int, col: int, value: Any, **style: Any) -> None:
        cell = sheet.cell(row=row, column=col, value=safe_cell(value))
        for name, v in style.items():
            setattr(cell, name, v)

    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_cols)
    put(1, 1, data.title, font=Font(bold=True, size=16), alignment=Alignment(horizontal="center"))
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(n_cols - 2, 1))
    put(2, 1, f"报表期间：{data.period.label}")
    sheet.merge_cells(start_row=2, start_column=n_cols - 1, end_row=2, end_column=n_cols)
    put(2, n_cols - 1, data.units_note, alignment=Alignment(horizontal="right"))

    top, bottom = 3, 4
    for c in range(1, n_cols + 1):
        for r in (top, bottom):
            sheet.cell(row=r, column=c).border = box
    for i, label in enumerate(data.dim_headers, start=1):
        sheet.merge_cells(start_row=top, start_column=i, end_row=bottom, end_column=i)
        put(top, i, label, font=bold, alignment=centre)
    grouped: set[int] = set()
    for group, first, last in _header_groups(fields):
        sheet.merge_cells(
            start_row=top, start_column=n_dims + first + 1, end_row=top, end_column=n_dims + last + 1
        )
        put(top, n_dims + first + 1, group, font=bold, alignment=centre)
        grouped.update(range(first, last + 1))
    for i, f in enumerate(fields):
        col = n_dims + i + 1
        if i in grouped:
            put(bottom, col, _header_label(f), font=bold, alignment=centre)
        else:
            sheet.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
            put(top, col, _header_label(f), font=bold, alignment=centre)

    row_no = bottom + 1
    for row in data.rows:
        for i, text in enumerate(row.cells, start=1):
            put(row_no, i, text, border=box)
        for i, f in enumerate(fields):
            put(row_no, n_dims + i + 1, row.values.get(f.code), border=box)
        row_no += 1
    if n_dims > 1:
        sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=n_dims)
    for c in range(1, n_dims + 1):
        sheet.cell(row=row_no, column=c).border = box
    put(row_no, 1, "合计", font=bold, alignment=Alignment(horizontal="center"), border=box)
    for i, f in enumerate(fields):
        put(row_no, n_dims + i + 1, data.totals.get(f.code), font=bold, border=box)

    # incomplete figures and the roster's live rate, said beside the 合计 they qualify
    for note in data.notes:
        row_no += 1
        sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=n_cols)
        put(row_no, 1, note, font=Font(bold=True, color="B00020"), alignment=Alignment(wrap_text=True))
    footer_row = row_no + 2
    step = max(n_cols // 4, 1)
    for k, text in enumerate(_footer_texts(data)):
        put(footer_row, 1 + k * step, text)
    for c in range(1, n_cols + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 24 if c <= n_dims else 11
    sheet.row_dimensions[bottom].height = 45
    sheet.freeze_panes = sheet.cell(row=bottom + 1, column=n_dims + 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
