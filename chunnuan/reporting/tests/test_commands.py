"""The command-line contract: report_export, report_forms, report_remind."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from chunnuan.reporting.definitions import all_forms
from chunnuan.reporting.services import campaign_create
from chunnuan.reporting.tests.conftest import campaign_data
from chunnuan.reporting.tests.test_exports import submit_base
from chunnuan.reporting.types import CampaignFormIn


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with pytest.raises(SystemExit) as e:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return int(e.value.code or 0), err.getvalue()


def test_report_export_json(personas, campaign, tmp_path):
    submit_base(personas, campaign)
    target = tmp_path / "summary.json"
    out, _err = run(
        "report_export",
        "CN_CONTRACT_SUMMARY",
        "--region",
        "220702001000",
        "--period",
        "CN2026",
        "--format",
        "json",
        "-o",
        str(target),
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert list(data) == ["form", "region", "period", "rows", "totals", "coverage", "checks", "notes"]
    assert data["totals"]["on_roll"] == 10 and data["totals"]["rate"] == 78
    assert "已导出" in out


def test_report_export_xlsx_is_the_default_and_pdf(personas, campaign, tmp_path):
    from openpyxl import load_workbook

    submit_base(personas, campaign)
    xlsx = tmp_path / "base.xlsx"
    run("report_export", "CN_CONTRACT_BASE", "--region", "220702", "--period", "CN2026", "-o", str(xlsx))
    sheet = load_workbook(xlsx).active
    assert sheet["A1"].value == "宁江区开展农民工劳动合同签订春暖行动情况表（基层表）"
    assert sheet["A5"].value == "团结测试建筑有限公司"
    pdf = tmp_path / "base.pdf"
    run(
        "report_export",
        "CN_CONTRACT_BASE",
        "--region",
        "220702",
        "--period",
        "CN2026",
        "--format",
        "pdf",
        "-o",
        str(pdf),
    )
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NO_SUCH_FORM", "--region", "220702", "--period", "CN2026"], "没有代码为“NO_SUCH_FORM”的报表"),
        (["SF_DISPATCH", "--region", "220702", "--period", "2026-02D4"], "格式不正确"),
        (["SF_DISPATCH", "--region", "220702", "--period", "2026-02"], "不适用于该表"),
        (["CN_CONTRACT_SUMMARY", "--region", "220702", "--period", "NOPE2026"], "专项行动"),
        (["CN_CONTRACT_SUMMARY", "--region", "999999", "--period", "CN2026"], "区划"),
        (["CN_CONTRACT_SUMMARY", "--region", "220702", "--period", "CN2026", "--format", "doc"], "导出格式"),
    ],
)
def test_report_export_bad_arguments(personas, campaign, tmp_path, args, message):
    target = tmp_path / "out.xlsx"
    code, err = fails("report_export", *args, "-o", str(target))
    assert code == 2
    assert message in err
    assert not target.exists()


def test_report_export_unwritable_file_is_a_failure(personas, campaign, tmp_path):
    code, err = fails(
        "report_export",
        "CN_CONTRACT_SUMMARY",
        "--region",
        "220702001000",
        "--period",
        "CN2026",
        "-o",
        str(tmp_path / "missing-dir" / "out.xlsx"),
    )
    assert code == 1 and "无法写入文件" in err


def test_report_forms_json_and_table(db):
    out, _err = run("report_forms", "--json")
    forms = json.loads(out)
    assert [f["code"] for f in forms] == [f.code for f in all_forms()]
    contract = next(f for f in forms if f["code"] == "CN_CONTRACT_BASE")
    assert contract == next(f.as_dict() for f in all_forms() if f.code == "CN_CONTRACT_BASE")
    signed = next(f for f in contract["fields"] if f["code"] == "signed")
    assert signed["group"] == "已签订劳动合同人数"
    table, _err = run("report_forms")
    assert "CN_CONTRACT_SUMMARY" in table and "劳动合同签订率（%）" in table


def test_report_remind_queues_and_reports_the_count(personas, campaign):
    out, _err = run("report_remind", "--date", "2026-04-01")
    assert out.startswith("2026-04-01：已将") and "条催报消息加入发送队列" in out


def test_report_remind_bad_date(db):
    code, err = fails("report_remind", "--date", "2026-13-01")
    assert code == 2 and "格式不正确" in err


def test_report_remind_fails_when_the_calendar_is_unknown(personas):
    # a December campaign: its deadline falls in 2027, beyond chinese-calendar's tables
    december = campaign_data(
        code="WINTER2026",
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 31),
        stages=[],
        forms=[CampaignFormIn(form_code="CN_CONTRACT_BASE")],
    )
    campaign_create(actor=personas.actor("city"), data=december)
    code, err = fails("report_remind", "--date", "2026-12-30")
    assert code == 1 and "工作日历尚未收录 2027 年" in err
