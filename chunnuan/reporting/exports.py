"""Report exports (报表导出) and the campaign's written summary (行动总结).

One read, :func:`report_data`, feeds every format — the page, the API, JSON, xlsx and PDF — so the
figures of a form are the same wherever they are read. Layouts follow the official paper forms:
a title row, the period and units, two-row headers (a field's ``group`` is the upper cell it shares
with its neighbours), a 合计 row and the 填报单位 / 填表人 / 联系电话 / 填报日期 footer.
Personal data (the filler's phone) is always masked in exports.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from chunnuan.access.actor import Actor
from chunnuan.access.personal import masked
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from chunnuan.core.spreadsheets import safe_cell
from chunnuan.employers.choices import SizeClass
from chunnuan.employers.rules import whole_percent
from chunnuan.employers.selectors import section_choices
from chunnuan.regions.lookups import region_names
from chunnuan.regions.models import Region, RegionLevel
from chunnuan.regions.selectors import region_get
from chunnuan.reporting import selectors
from chunnuan.reporting.choices import IN_STATUSES, Indicator, Segment
from chunnuan.reporting.definitions import FieldDef, FieldKind, FormDef, UnitLevel, get_form
from chunnuan.reporting.models import Campaign, Submission
from chunnuan.reporting.periods import Period, PeriodKind, local_today, periods_between
from chunnuan.reporting.units import REGION_UNIT_LEVEL, UNIT_DEPTH

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_NAME = "WenQuanYiMicroHei"
FORMATS = ("xlsx", "pdf", "json")
DIM_HEADERS = {"region": "地区", "section": "行业门类", "size": "企业规模", "above_scale": "规模以上"}

# ---------------------------------------------------------------------------------------------
# The data every format shares
# ---------------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    region: str
    label: str
    values: dict[str, int | None]
    cells: tuple[str, ...] = ()  # the text of the leading columns (unit / region, section, size …)

    def as_json(self) -> dict[str, Any]:
        return {"region": self.region, "label": self.label, "values": self.values}


@dataclass
class ReportData:
    form: FormDef
    region_code: str
    region_name: str
    period: Period
    rows: list[ReportRow]
    totals: dict[str, int | None]
    dim_headers: tuple[str, ...]
    filler_unit: str = ""
    filler_name: str = ""
    filler_phone: str = ""  # always masked
    fill_date: dt.date | None = None
    summary_rows: list[selectors.SummaryRow] = field(default_factory=list)  # a roll-up's own rows

    @property
    def title(self) -> str:
        return f"{self.region_name}{self.form.name}"

    @property
    def period_key(self) -> str:
        return self.period.key

    @property
    def units_note(self) -> str:
        units: list[str] = []
        for f in self.form.fields:
            unit = "%" if f.is_rate else f.unit
            if unit not in units:
                units.append(unit)
        return "单位：" + "、".join(units)

    @property
    def total_items(self) -> list[dict[str, Any]]:
        """The totals as (label, value, unit) items, a field's group named before its label."""
        return [
            {
                "label": f"{f.group} · {f.label}" if f.group else f.label,
                "value": self.totals.get(f.code),
                "unit": "%" if f.is_rate else f.unit,
            }
            for f in self.form.fields
        ]

    @property
    def filename_stem(self) -> str:
        return f"{self.form.code}_{self.region_code}_{self.period.key}"

    def as_json(self) -> dict[str, Any]:
        return {
            "form": self.form.code,
            "region": self.region_code,
            "period": self.period.key,
            "rows": [r.as_json() for r in self.rows],
            "totals": self.totals,
        }


def normalize_region_code(text: str) -> str:
    """``220702`` / ``220702001`` / a 12-digit code → the 12-digit code."""
    code = "".join((text or "").split())
    if code.isdigit() and len(code) in (2, 4, 6, 9):
        return code.ljust(12, "0")
    return code


def report_data(*, actor: Actor, form_code: str, region_code: str, period_key: str) -> ReportData:
    """A form's figures for a region and a period: the units' submissions of a base form, or the
    roll-up of a summary form. Unknown form or period → ValidationFailed; region out of reach →
    NotFound."""
    selectors.require_report_reader(actor)
    form = get_form((form_code or "").strip())
    if not (region_code or "").strip():
        raise ValidationFailed("请选择地区", fields={"region": ["请选择地区"]})
    region = region_get(code=normalize_region_code(region_code))
    ensure_in_scope(actor, region.code)
    period, _campaign = selectors.resolve_period(actor=actor, form=form, key=period_key)
    return _build(actor=actor, form=form, region=region, period=period)


def _build(*, actor: Actor, form: FormDef, region: Region, period: Period) -> ReportData:
    if form.is_summary:
        return _summary_data(actor, form, region, period)
    return _base_data(actor, form, region, period)


def _base_data(actor: Actor, form: FormDef, region: Region, period: Period) -> ReportData:
    subs = list(
        selectors.submission_list(
            actor=actor, form_code=form.code, period_key=period.key, region_code=region.code
        )
        .filter(status__in=IN_STATUSES)
        .order_by("region_code", "unit_name", "unit_key")
    )
    by_employer = form.first_level is UnitLevel.EMPLOYER
    names = region_names(s.region_code for s in subs)
    rows = [
        ReportRow(
            region=s.region_code,
            label=s.unit_name,
            values=form.complete(s.values),
            cells=(s.unit_name, names.get(s.region_code, s.region_code)) if by_employer else (s.unit_name,),
        )
        for s in subs
    ]
    codes = [f.code for f in form.input_fields]
    totals: dict[str, int | None] = {}
    for row in rows:
        for code in codes:
            value = row.values.get(code)
            if isinstance(value, int):
                totals[code] = (totals.get(code) or 0) + value
    own = subs[0] if len(subs) == 1 and subs[0].region_code == region.code else None
    if own is None:
        own = _own_summary(actor, form, region, period)
    data = ReportData(
        form=form,
        region_code=region.code,
        region_name=region.name,
        period=period,
        rows=rows,
        totals=form.complete(totals),
        dim_headers=("填报单位", "所在地区") if by_employer else ("地区",),
    )
    _footer(data, own, region)
    return data


def _own_summary(actor: Actor, form: FormDef, region: Region, period: Period) -> Submission | None:
    """The region's own summary of this base form (its filler signs the export), if it has one."""
    from chunnuan.reporting.definitions import summary_form_for

    summary = summary_form_for(form.code)
    if summary is None:
        return None
    return (
        Submission.objects.visible_to(actor)
        .filter(form_code=summary.code, period_key=period.key, unit_key=region.code)
        .first()
    )


def _summary_data(actor: Actor, form: FormDef, region: Region, period: Period) -> ReportData:
    unit = selectors.unit_of_actor(actor=actor, form=form, region_code=region.code)
    roll = selectors.rollup(actor=actor, form=form, period=period, unit=unit)
    names = region_names(r.region for r in roll.rows)
    sections = section_names()
    sizes = {str(k): str(v) for k, v in SizeClass.choices}
    dims = [d for d in selectors.DIMS if d in form.breakdown] or ["region"]
    rows = []
    for r in roll.rows:
        text = {
            "region": names.get(r.region, r.region),
            "section": sections.get(r.section, r.section) if r.section else "未分行业",
            "size": sizes.get(r.size, r.size) if r.size else "未分规模",
            "above_scale": "规模以上" if r.above_scale else "规模以下",
        }
        cells = tuple(text[d] for d in dims)
        rows.append(ReportRow(region=r.region, label=" · ".join(cells), values=dict(r.values), cells=cells))
    own = (
        Submission.objects.visible_to(actor)
        .filter(form_code=form.code, period_key=period.key, unit_key=unit.key)
        .first()
    )
    data = ReportData(
        form=form,
        region_code=region.code,
        region_name=region.name,
        period=period,
        rows=rows,
        totals=dict(roll.totals),
        dim_headers=tuple(DIM_HEADERS[d] for d in dims),
        summary_rows=roll.rows,
    )
    _footer(data, own, region)
    return data


def _footer(data: ReportData, own: Submission | None, region: Region) -> None:
    data.filler_unit = region.name
    if own is not None:
        data.filler_name = own.filler_name
        data.filler_phone = masked(own, "filler_phone")
        if own.submitted_at is not None and own.status in IN_STATUSES:
            data.fill_date = local_today(own.submitted_at)
    if data.fill_date is None:
        data.fill_date = local_today()


def section_names() -> dict[str, str]:
    """{"C": "C 制造业", …} from the industry table (the letter alone when it is not loaded)."""
    return dict(section_choices())


def _header_label(f: FieldDef) -> str:
    return f"{f.label}（%）" if f.is_rate and "%" not in f.label else f.label


def _fmt(value: Any, f: FieldDef | None = None) -> str:
    if value is None:
        return ""
    return f"{value}%" if f is not None and f.is_rate else str(value)


def _date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _header_groups(fields: Iterable[FieldDef]) -> list[tuple[str, int, int]]:
    """(group, first index, last index) for each run of neighbouring fields sharing a group."""
    runs: list[tuple[str, int, int]] = []
    for i, f in enumerate(fields):
        if f.group and runs and runs[-1][0] == f.group and runs[-1][2] == i - 1:
            runs[-1] = (f.group, runs[-1][1], i)
        elif f.group:
            runs.append((f.group, i, i))
    return runs


# ---------------------------------------------------------------------------------------------
# xlsx
# ---------------------------------------------------------------------------------------------


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


def _footer_texts(data: ReportData) -> list[str]:
    return [
        f"填报单位：{data.filler_unit}",
        f"填表人：{data.filler_name}",
        f"联系电话：{data.filler_phone}",
        f"填报日期：{_date_text(data.fill_date)}",
    ]


# ---------------------------------------------------------------------------------------------
# PDF (A4 landscape, the CJK font embedded)
# ---------------------------------------------------------------------------------------------


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
        Spacer(1, 4),
        _report_table(data, styles, doc.width),
        Spacer(1, 10),
        footer,
    ]
    doc.build(story)
    return buffer.getvalue()


def report_bytes(data: ReportData, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of a report in ``fmt`` (xlsx / pdf / json)."""
    import json

    if fmt == "xlsx":
        return (
            report_xlsx(data),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{data.filename_stem}.xlsx",
        )
    if fmt == "pdf":
        return report_pdf(data), "application/pdf", f"{data.filename_stem}.pdf"
    if fmt == "json":
        content = json.dumps(data.as_json(), ensure_ascii=False, indent=2).encode()
        return content, "application/json", f"{data.filename_stem}.json"
    raise ValidationFailed(
        f"导出格式“{fmt}”不支持，应为 xlsx、pdf 或 json", fields={"format": ["导出格式不正确"]}
    )


# ---------------------------------------------------------------------------------------------
# The campaign's written summary (总结)
# ---------------------------------------------------------------------------------------------


@dataclass
class TargetCheck:
    indicator: str
    indicator_label: str
    segment: str
    segment_label: str
    target: Decimal
    actual: Decimal | None  # a percentage with one decimal
    inherited: bool

    @property
    def is_met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.target

    @property
    def target_text(self) -> str:
        return _number(self.target)

    @property
    def actual_text(self) -> str:
        return "" if self.actual is None else _number(self.actual)


def _number(value: Decimal) -> str:
    """90.00 → "90", 77.80 → "77.8"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Completeness:
    form: FormDef
    period: Period
    expected: int
    submitted: int
    on_time: int

    @property
    def rate(self) -> int | None:
        return whole_percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> int | None:
        return whole_percent(self.on_time, self.expected)


@dataclass
class CampaignSummary:
    campaign: Campaign
    region_code: str
    region_name: str
    as_of: dt.date
    reports: list[ReportData]
    targets: list[TargetCheck]
    completeness: list[Completeness]
    paragraphs: list[str]
    notes: list[str]  # figures that could not be assembled, and why

    @property
    def title(self) -> str:
        return f"{self.campaign.name}工作总结"

    @property
    def own_text(self) -> str:
        return self.campaign.summary_text

    @property
    def own_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.campaign.summary_text.splitlines() if p.strip()]

    @property
    def text(self) -> str:
        return "".join(self.paragraphs)


def default_region_for_actor(actor: Actor) -> str:
    """The actor's own (first) jurisdiction as a 12-digit code ("" for a nationwide actor)."""
    prefix = next((p for p in actor.region_prefixes if p), "")
    return prefix.ljust(12, "0") if prefix else ""


def default_region_for(actor: Actor, campaign: Campaign) -> str:
    """The campaign's own region when in reach, else the actor's own jurisdiction."""
    if actor.covers(campaign.region_code):
        return campaign.region_code
    return default_region_for_actor(actor) or campaign.region_code


def _percent(part: int, whole: int) -> Decimal | None:
    """One decimal, half up — as the indicator pages give it (89.96 % does not pass as 90 %)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _campaign_period(form: FormDef, campaign: Campaign, as_of: dt.date) -> Period:
    if form.period_kind is PeriodKind.CAMPAIGN:
        return selectors.campaign_period(campaign)
    periods = periods_between(form.period_kind, campaign.start_date, campaign.end_date)
    ended = [p for p in periods if p.end <= as_of]
    return (ended or periods)[-1]


def _summary_pairs(campaign: Campaign) -> list[tuple[FormDef, FormDef | None]]:
    """(base form, its summary) for each form pair the campaign uses, in the campaign's order."""
    from chunnuan.reporting.definitions import summary_form_for

    used = [get_form(cf.form_code) for cf in selectors.campaign_forms(campaign)]
    pairs: list[tuple[FormDef, FormDef | None]] = []
    seen: set[str] = set()
    for form in used:
        base = get_form(form.summary_of) if form.summary_of else form
        if base.code in seen:
            continue
        seen.add(base.code)
        summary = summary_form_for(base.code)
        pairs.append((base, summary if summary and any(f.code == summary.code for f in used) else None))
    return pairs


def campaign_summary(*, actor: Actor, campaign: Campaign, region_code: str = "") -> CampaignSummary:
    """The campaign's written summary for a region, assembled from its figures: each form's totals,
    each target against its actual, the completeness of the base forms, a generated paragraph — and
    the officer's own words (``campaign.summary_text``)."""
    selectors.require_report_reader(actor)
    region = region_get(code=normalize_region_code(region_code or default_region_for(actor, campaign)))
    ensure_in_scope(actor, region.code)
    issued = campaign.region_code[: UNIT_DEPTH[selectors.region_unit_level(campaign.region_code)]]
    if not region.code.startswith(issued):
        raise NotFound("该地区不在此专项行动的范围内")
    today = local_today()
    as_of = min(max(today, campaign.start_date), campaign.end_date)
    level = REGION_UNIT_LEVEL.get(RegionLevel(region.level))
    reports: list[ReportData] = []
    completeness: list[Completeness] = []
    notes: list[str] = []
    for base, summary in _summary_pairs(campaign):
        period = _campaign_period(base, campaign, as_of)
        form = summary if summary is not None and level in summary.levels else base
        try:
            reports.append(_build(actor=actor, form=form, region=region, period=period))
        except DomainError as exc:
            notes.append(f"{form.short_name}：{exc.message}")
        try:
            board = selectors.status_board(
                actor=actor, form=base, period=period, campaign=campaign, region_code=region.code
            )
        except DomainError:
            continue
        t = board.totals
        completeness.append(Completeness(base, period, t.expected, t.submitted, t.on_time))
    targets = _target_checks(actor, campaign, region, notes)
    paragraphs = _paragraphs(campaign, region, as_of, reports, completeness, targets)
    return CampaignSummary(
        campaign=campaign,
        region_code=region.code,
        region_name=region.name,
        as_of=as_of,
        reports=reports,
        targets=targets,
        completeness=completeness,
        paragraphs=paragraphs,
        notes=notes,
    )


def _target_checks(actor: Actor, campaign: Campaign, region: Region, notes: list[str]) -> list[TargetCheck]:
    """Every target in effect for the region against its actual (the indicator pages' numbers)."""
    from chunnuan.reporting import indicators

    try:
        values = indicators.indicator_values(actor=actor, campaign=campaign, region_code=region.code)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        notes.append(f"目标完成情况：{exc.message}")
        return []
    return [
        TargetCheck(
            indicator=v.indicator,
            indicator_label=v.indicator_label,
            segment=v.segment,
            segment_label=v.segment_label,
            target=v.target.value,
            actual=v.actual,
            inherited=v.inherited,
        )
        for v in values
    ]


def _paragraphs(
    campaign: Campaign,
    region: Region,
    as_of: dt.date,
    reports: list[ReportData],
    completeness: list[Completeness],
    targets: list[TargetCheck],
) -> list[str]:
    first = f"截至{_date_text(as_of)}，{region.name}"
    parts: list[str] = []
    employer_board = next((c for c in completeness if c.form.first_level is UnitLevel.EMPLOYER), None)
    if employer_board is not None:
        rate = "" if employer_board.rate is None else f"，报送率{employer_board.rate}%"
        parts.append(
            f"共有{employer_board.submitted}家用人单位报送基层表（应报{employer_board.expected}家{rate}）"
        )
    contract = next((d for d in reports if {"due", "signed"} <= set(d.form.field_codes)), None)
    if contract is not None:
        due, signed = contract.totals.get("due") or 0, contract.totals.get("signed") or 0
        rate_value = _percent(signed, due)
        text = f"应签订劳动合同{due}人，已签订{signed}人"
        if rate_value is not None:
            text += f"，签订率{_number(rate_value)}%"
        goal = next(
            (
                t
                for t in targets
                if t.indicator == Indicator.CONTRACT_SIGNING_RATE and t.segment == Segment.ALL
            ),
            None,
        )
        if goal is not None:
            done = goal.is_met
            verdict = "已完成目标" if done else "未完成目标" if done is False else "尚无数据"
            text += f"，目标{goal.target_text}%，{verdict}"
        parts.append(text)
    if not parts:
        parts.append("尚无已审核的报表数据")
    paragraphs = [first + "，".join(parts) + "。"]
    for data in reports:
        if data is contract:
            continue
        shown = [f for f in data.form.fields if f.kind is not FieldKind.COMPUTED][:4]
        figures = "，".join(
            f"{f.label}{data.totals.get(f.code) if data.totals.get(f.code) is not None else '—'}{f.unit}"
            for f in shown
        )
        paragraphs.append(f"{data.form.short_name}（{data.period.label}）：{figures}。")
    others = [
        t
        for t in targets
        if not (t.indicator == Indicator.CONTRACT_SIGNING_RATE and t.segment == Segment.ALL)
    ]
    if others:
        items = []
        for t in others:
            actual = "尚无数据" if t.actual is None else f"{t.actual_text}%"
            verdict = "" if t.is_met is None else "，已完成" if t.is_met else "，未完成"
            label = t.indicator_label.replace("（%）", "")
            scope = "" if t.segment == Segment.ALL else f"（{t.segment_label}）"
            items.append(f"{label}{scope}{actual}，目标{t.target_text}%{verdict}")
        paragraphs.append("其他目标：" + "；".join(items) + "。")
    return paragraphs


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
        rows: list[list[Any]] = [["指标", "企业范围", "目标", "实际", "完成情况"]]
        for t in summary.targets:
            rows.append(
                [
                    t.indicator_label,
                    t.segment_label,
                    f"{t.target_text}%" + ("（上级下达）" if t.inherited else ""),
                    "—" if t.actual is None else f"{t.actual_text}%",
                    {True: "已完成", False: "未完成", None: "尚无数据"}[t.is_met],
                ]
            )
        table = Table(rows, repeatRows=1)
        table.setStyle(grid)
        story.append(table)
    if summary.completeness:
        story.append(Paragraph("报表报送情况", styles["h2"]))
        rows = [["报表", "期间", "应报", "已报", "按时", "报送率", "按时率"]]
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
                ]
            )
        table = Table(rows, repeatRows=1)
        table.setStyle(grid)
        story.append(table)
    for data in summary.reports:
        story.append(Paragraph(_escape(f"{data.form.short_name}（{data.period.label}）合计"), styles["h2"]))
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
