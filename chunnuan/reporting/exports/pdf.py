"""PDF (A4 landscape, the CJK font embedded): a report and the campaign's written summary."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from chunnuan.core.errors import DomainError
from chunnuan.reporting.definitions import FieldDef
from chunnuan.reporting.exports.data import (
    ReportData,
    _date_text,
    _fmt,
    _footer_texts,
    _header_groups,
    _header_label,
)
from chunnuan.reporting.exports.summary import CampaignSummary

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_NAME = "WenQuanYiMicroHei"


@cache
def pdf_font() -> str:
    """Register WenQuanYi Micro Hei (embedded, subset) with reportlab; its registered name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not FONT_PATH.is_file():
        raise DomainError(
            "服务器未安装中文字体（文泉驿微米黑），无法生成PDF，请管理员运行 scripts/setup.sh",
            code="font_missing",
        )
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))
    return FONT_NAME


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    font = pdf_font()
    base = ParagraphStyle("cn", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("cn-title", parent=base, fontSize=16, leading=22, alignment=TA_CENTER),
        "h2": ParagraphStyle("cn-h2", parent=base, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("cn-body", parent=base, firstLineIndent=20, spaceAfter=4),
        "plain": base,
        "right": ParagraphStyle("cn-right", parent=base, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cn-cell", parent=base, fontSize=7, leading=9, alignment=TA_CENTER),
        "cell_left": ParagraphStyle("cn-cell-left", parent=base, fontSize=7, leading=9),
        "note": ParagraphStyle("cn-note", parent=base, textColor="#b00020", spaceBefore=2),
    }


def _doc(buffer: io.BytesIO, title: str) -> Any:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="春暖",
    )


def _report_table(data: ReportData, styles: dict[str, Any], width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    fields = list(data.form.fields)
    n_dims = len(data.dim_headers)
    cell, left = styles["cell"], styles["cell_left"]
    top: list[Any] = [Paragraph(h, cell) for h in data.dim_headers]
    bottom: list[Any] = [""] * n_dims
    spans: list[tuple[Any, ...]] = [("SPAN", (i, 0), (i, 1)) for i in range(n_dims)]
    runs = _header_groups(fields)
    grouped = {i for _, first, last in runs for i in range(first, last + 1)}
    for i, f in enumerate(fields):
        col = n_dims + i
        if i in grouped:
            top.append("")
            bottom.append(Paragraph(_header_label(f), cell))
        else:
            top.append(Paragraph(_header_label(f), cell))
            bottom.append("")
            spans.append(("SPAN", (col, 0), (col, 1)))
    for group, first, last in runs:
        top[n_dims + first] = Paragraph(group, cell)
        spans.append(("SPAN", (n_dims + first, 0), (n_dims + last, 0)))
    body: list[list[Any]] = [
        [Paragraph(_escape(t), left) for t in r.cells] + [_fmt(r.values.get(f.code), f) for f in fields]
        for r in data.rows
    ]
    total = (
        [Paragraph("合计", cell)] + [""] * (n_dims - 1) + [_fmt(data.totals.get(f.code), f) for f in fields]
    )
    table_rows = [top, bottom, *body, total]
    last = len(table_rows) - 1
    if n_dims > 1:
        spans.append(("SPAN", (0, last), (n_dims - 1, last)))
    dim_width = min(60.0 * n_dims + 40, width * 0.35)
    field_width = (width - dim_width) / max(len(fields), 1)
    widths = [dim_width / n_dims] * n_dims + [field_width] * len(fields)
    table = Table(table_rows, colWidths=widths, repeatRows=2)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_font()),
                ("FONTSIZE", (0, 0), (-1, -1), 7),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (n_dims, 2), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#eeeeee")),
                ("BACKGROUND", (0, last), (-1, last), colors.HexColor("#f5f5f5")),
                *spans,
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_pdf(data: ReportData) -> bytes:
    """The form as a printable A4 landscape PDF (title, period and units, table, 合计, footer)."""
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    styles = _styles()
    buffer = io.BytesIO()
    doc = _doc(buffer, data.title)
    meta = Table(
        [
            [
                Paragraph(_escape(f"报表期间：{data.period.label}"), styles["plain"]),
                Paragraph(data.units_note, styles["right"]),
            ]
        ],
        colWidths=[doc.width * 0.7, doc.width * 0.3],
    )
    meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    footer = Table(
        [[Paragraph(_escape(t), styles["plain"]) for t in _footer_texts(data)]],
        colWidths=[doc.width / 4] * 4,
    )
    story = [
        Paragraph(_escape(data.title), styles["title"]),
        Spacer(1, 6),
        meta,
        *[Paragraph(_escape(note), styles["note"]) for note in data.notes],
        Spacer(1, 4),
        _report_table(data, styles, doc.width),
        Spacer(1, 10),
        footer,
    ]
    doc.build(story)
    return buffer.getvalue()


def campaign_summary_pdf(summary: CampaignSummary) -> bytes:
    """The written summary as a printable PDF: title, the generated text, the officer's own text,
    targets, completeness and each form's totals."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    styles = _styles()
    buffer = io.BytesIO()
    doc = _doc(buffer, summary.title)
    font = pdf_font()
    grid = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    story: list[Any] = [
        Paragraph(_escape(summary.title), styles["title"]),
        Paragraph(_escape(f"{summary.region_name} · 截至{_date_text(summary.as_of)}"), styles["right"]),
        Spacer(1, 8),
    ]
    story += [Paragraph(_escape(p), styles["body"]) for p in summary.paragraphs]
    if summary.own_paragraphs:
        story.append(Paragraph("工作情况", styles["h2"]))
        story += [Paragraph(_escape(p), styles["body"]) for p in summary.own_paragraphs]
    if summary.targets:
        story.append(Paragraph("目标完成情况", styles["h2"]))
        rows: list[list[Any]] = [["指标", "企业范围", "目标", "实际", "完成情况", "数据说明"]]
        for t in summary.targets:
            rows.append(
                [
                    t.indicator_label,
                    t.segment_label,
                    f"{t.target_text}%" + ("（上级下达）" if t.inherited else ""),
                    "—" if t.actual is None else f"{t.actual_text}%",
                    {True: "已完成", False: "未完成", None: "尚无数据"}[t.is_met],
                    Paragraph(_escape(t.note or "—"), styles["cell_left"]),
                ]
            )
        table = Table(rows, repeatRows=1, colWidths=[None] * 5 + [doc.width * 0.4])
        table.setStyle(grid)
        story.append(table)
    if summary.completeness:
        story.append(Paragraph("报表报送情况", styles["h2"]))
        rows = [["报表", "期间", "应报", "已报", "按时", "报送率", "按时率", "未报"]]
        cell = styles["cell_left"]
        for c in summary.completeness:
            rows.append(
                [
                    c.form.short_name,
                    c.period.label,
                    str(c.expected),
                    str(c.submitted),
                    str(c.on_time),
                    _fmt(c.rate, _RATE),
                    _fmt(c.on_time_rate, _RATE),
                    Paragraph(_escape(c.missing_text or "—"), cell),
                ]
            )
        table = Table(rows, repeatRows=1, colWidths=[None] * 7 + [doc.width * 0.35])
        table.setStyle(grid)
        story.append(table)
    for data in summary.reports:
        story.append(Paragraph(_escape(f"{data.form.short_name}（{data.period.label}）合计"), styles["h2"]))
        story += [Paragraph(_escape(note), styles["note"]) for note in data.notes]
        rows = [["项目", "合计", "单位"]]
        rows += [[i["label"], _fmt(i["value"]), i["unit"]] for i in data.total_items]
        table = Table(rows, repeatRows=1, colWidths=[doc.width * 0.5, doc.width * 0.2, doc.width * 0.1])
        table.setStyle(grid)
        story.append(table)
    for note in summary.notes:
        story.append(Paragraph(_escape(note), styles["plain"]))
    doc.build(story)
    return buffer.getvalue()


_RATE = FieldDef("rate", "rate", is_rate=True)
