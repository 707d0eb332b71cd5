"""Report exports (报表导出) and the campaign's written summary (行动总结).

One read, :func:`report_data`, feeds every format — the page, the API, JSON, xlsx and PDF — so the
figures of a form are the same wherever they are read. Layouts follow the official paper forms:
a title row, the period and units, two-row headers (a field's ``group`` is the upper cell it shares
with its neighbours), a 合计 row and the 填报单位 / 填表人 / 联系电话 / 填报日期 footer.
Personal data (the filler's phone) is always masked in exports.
"""

from __future__ import annotations

from chunnuan.reporting.exports.data import (
    DIM_HEADERS,
    ReportData,
    ReportRow,
    normalize_region_code,
    report_data,
    section_names,
)
from chunnuan.reporting.exports.formats import FORMATS, report_bytes
from chunnuan.reporting.exports.pdf import FONT_NAME, FONT_PATH, campaign_summary_pdf, pdf_font, report_pdf
from chunnuan.reporting.exports.summary import (
    CampaignSummary,
    Completeness,
    TargetCheck,
    campaign_summary,
    default_region_for,
)
from chunnuan.reporting.exports.xlsx import report_xlsx

__all__ = [
    "DIM_HEADERS",
    "FONT_NAME",
    "FONT_PATH",
    "FORMATS",
    "CampaignSummary",
    "Completeness",
    "ReportData",
    "ReportRow",
    "TargetCheck",
    "campaign_summary",
    "campaign_summary_pdf",
    "default_region_for",
    "normalize_region_code",
    "pdf_font",
    "report_bytes",
    "report_data",
    "report_pdf",
    "report_xlsx",
    "section_names",
]
