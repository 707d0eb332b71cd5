"""A report's bytes in the format asked for (xlsx / pdf / json)."""

from __future__ import annotations

from chunnuan.core.errors import ValidationFailed
from chunnuan.reporting.exports.data import ReportData
from chunnuan.reporting.exports.pdf import report_pdf
from chunnuan.reporting.exports.xlsx import report_xlsx

FORMATS = ("xlsx", "pdf", "json")


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
