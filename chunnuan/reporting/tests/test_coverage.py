"""A roll-up that covers only some of the units below says so beside its number — on the pages, in
the xlsx and the PDF, in the JSON — and shows the roster's live rate beside the reported one
(issue 8, defect 3: 松原市's 97.8% covered 1 of 5 counties, the roster said 89%)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from chunnuan.employers.tests import factories
from chunnuan.reporting import exports, services
from chunnuan.reporting.tests.conftest import report_up_to_the_city
from chunnuan.reporting.types import TargetIn

NOTE = "已报 1/2 个县（市、区），缺：前郭尔罗斯蒙古族自治县"


@pytest.fixture
def city_half_reported(personas, campaign):
    """宁江区's summary approved by the city; 前郭县 has not reported; 前郭县's roster has two people
    working for months without a contract (so the roster's live rate differs)."""
    report_up_to_the_city(personas)
    services.target_set(
        actor=personas.actor("city"),
        campaign=campaign,
        data=TargetIn(region_code="220700000000", indicator="contract_signing_rate", value=70),
    )
    qianguo = factories.employer("220721100000")
    for _ in range(2):
        factories.employment(qianguo, dt.date.today() - dt.timedelta(days=90), address6="220721")
    return campaign


def _city_data(personas, form_code="CN_CONTRACT_SUMMARY"):
    return exports.report_data(
        actor=personas.actor("city"), form_code=form_code, region_code="220700000000", period_key="CN2026"
    )


def test_the_city_roll_up_names_the_missing_county_and_the_live_rate(personas, city_half_reported):
    data = _city_data(personas)
    assert data.totals["due"] == 9 and data.totals["signed"] == 7  # 77.8 %, from 宁江区 alone
    assert data.coverage is not None
    assert (data.coverage.expected, data.coverage.submitted) == (2, 1)
    assert data.coverage.missing == ["前郭尔罗斯蒙古族自治县"]
    assert data.coverage_note == f"数据不完整：{NOTE}"
    check = data.checks[0]
    # the roster: 9 due / 7 signed in 宁江区 are reported figures; the live roster has 2 due, 0 signed
    assert check.live is not None and check.live != check.reported
    assert check.text.startswith(f"报送 77.8%（{NOTE}）· 台帐实时 ")
    out = data.as_json()
    assert (
        out["coverage"]["missing"] == ["前郭尔罗斯蒙古族自治县"] and out["coverage"]["is_complete"] is False
    )
    assert out["notes"][0] == f"数据不完整：{NOTE}"


def test_a_complete_roll_up_carries_no_warning(personas, city_half_reported):
    data = exports.report_data(
        actor=personas.actor("township_a"),
        form_code="CN_CONTRACT_SUMMARY",
        region_code="220702001000",
        period_key="CN2026",
    )
    assert data.coverage is not None and data.coverage.is_complete
    assert not any(n.startswith("数据不完整") for n in data.notes)


def test_the_base_form_export_says_which_employers_are_missing(personas, city_half_reported):
    data = _city_data(personas, "CN_CONTRACT_BASE")
    assert data.coverage is not None and data.coverage.expected == 2 and data.coverage.submitted == 1
    assert "已报 1/2 家用人单位" in data.coverage_note


def test_the_xlsx_says_the_figures_are_incomplete(personas, city_half_reported):
    sheet = load_workbook(io.BytesIO(exports.report_xlsx(_city_data(personas)))).active
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert f"数据不完整：{NOTE}" in texts
    assert any(t.startswith("劳动合同签订率") and "台帐实时" in t for t in texts)


def _pdf_texts(monkeypatch, build) -> list[str]:
    """The text of every paragraph the PDF draws (reportlab subsets the font, so the bytes hold
    glyph ids, not characters: record what is handed to reportlab instead)."""
    from reportlab import platypus

    drawn: list[str] = []

    class Recording(platypus.Paragraph):  # type: ignore[misc]
        def __init__(self, text, *args, **kwargs):
            drawn.append(text)
            super().__init__(text, *args, **kwargs)

    monkeypatch.setattr(platypus, "Paragraph", Recording)
    content = build()
    assert content.startswith(b"%PDF")
    return drawn


def test_the_pdf_says_the_figures_are_incomplete(personas, city_half_reported, monkeypatch):
    data = _city_data(personas)
    drawn = _pdf_texts(monkeypatch, lambda: exports.report_pdf(data))
    assert f"数据不完整：{NOTE}" in drawn
    assert any("台帐实时" in t for t in drawn)


def test_the_written_summary_and_its_pdf_say_so(personas, city_half_reported, monkeypatch):
    summary = exports.campaign_summary(actor=personas.actor("city"), campaign=city_half_reported)
    assert f"签订率77.8%（仅含已报数据：{NOTE}）" in summary.text
    assert "按台帐实时统计，签订率" in summary.text
    signing = next(t for t in summary.targets if t.indicator == "contract_signing_rate")
    assert NOTE in signing.note and "台帐实时" in signing.note
    base = next(c for c in summary.completeness if c.form.code == "CN_CONTRACT_BASE")
    assert base.missing  # the employers that have not filed are named
    drawn = _pdf_texts(monkeypatch, lambda: exports.campaign_summary_pdf(summary))
    assert any(NOTE in t for t in drawn)


def test_the_summary_page_and_the_json_export_say_so(client, personas, city_half_reported):
    client.force_login(personas.city)
    page = client.get(f"/reports/campaigns/{city_half_reported.pk}/summary/").content.decode()
    assert NOTE in page and "台帐实时" in page
    response = client.get(
        "/reports/export/",
        {"form": "CN_CONTRACT_SUMMARY", "region": "220700000000", "period": "CN2026", "format": "json"},
    )
    assert response.status_code == 200 and response.json()["coverage"]["submitted"] == 1


def test_the_summary_form_page_says_which_townships_are_in(client, personas, city_half_reported):
    from chunnuan.reporting.models import Submission

    county = Submission.objects.unscoped(reason="test").get(
        form_code="CN_CONTRACT_SUMMARY", region_code="220702000000"
    )
    client.force_login(personas.city)
    page = client.get(f"/reports/submissions/{county.pk}/").content.decode()
    assert "数据不完整：已报 1/2 个乡镇（街道），缺：文化街道" in page


def test_the_home_page_says_so_beside_each_reported_figure(client, personas, city_half_reported):
    """The city officer's (and the leader's) home sets each indicator against its target: a figure
    that covers 1 of 2 counties carries the note in its own cell, not only in a line above."""
    import re

    client.force_login(personas.city)
    page = client.get("/").content.decode()
    cells = re.findall(r'<td class="num">(.*?)</td>', page, re.S)
    assert any("%" in cell and NOTE in cell for cell in cells), cells
