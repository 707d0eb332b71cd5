"""Exports (JSON, xlsx, PDF) of base and summary forms, and the campaign's written summary."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import include, path

from chunnuan.core.errors import NotFound, ValidationFailed
from chunnuan.reporting import export_urls, exports, services
from chunnuan.reporting.tests.conftest import FIGURES
from chunnuan.reporting.types import SubmissionValuesIn, TargetIn
from config.urls import urlpatterns as site_urlpatterns

# pages under test: the site's, with the export pages in the ``reporting`` namespace
urlpatterns = [
    *site_urlpatterns,
    path("reports/", include((export_urls.urlpatterns, "reporting"), namespace="reporting")),
]

DISPATCH = {"jobs_pushed": 3, "trainings": 1, "households_131": 2, "p2p_trips": 1, "p2p_passengers": 40}


def submit_base(personas, campaign, *, approve: bool = True):
    """The clerk's 基层表, submitted (and approved by the township)."""
    actor = personas.actor("clerk")
    sub = services.submission_open(actor=actor, form_code="CN_CONTRACT_BASE", period_key=campaign.code)
    sub = services.submission_submit(
        actor=actor,
        submission=sub,
        data=SubmissionValuesIn(
            values=FIGURES,
            reasons=dict.fromkeys(FIGURES, "核对纸质名册"),
            filler_name="张三",
            filler_phone="13900001111",
        ),
    )
    if approve:
        sub = services.submission_approve(actor=personas.actor("township_a"), submission=sub)
    return sub


def submit_dispatch(personas, campaign, region_code: str, figures=DISPATCH):
    actor = personas.actor("county")
    sub = services.submission_open(
        actor=actor, form_code="SF_DISPATCH", period_key="2026-02D2", region_code=region_code
    )
    sub = services.submission_submit(
        actor=actor,
        submission=sub,
        data=SubmissionValuesIn(values=figures, filler_name="王五", filler_phone="13900002222"),
    )
    return services.submission_approve(actor=personas.actor("city"), submission=sub)


def test_json_shape_is_exact(personas, campaign):
    submit_base(personas, campaign)
    data = exports.report_data(
        actor=personas.actor("county"),
        form_code="CN_CONTRACT_BASE",
        region_code="220702000000",
        period_key="CN2026",
    )
    out = data.as_json()
    assert list(out) == ["form", "region", "period", "rows", "totals", "coverage", "checks", "notes"]
    assert out["form"] == "CN_CONTRACT_BASE" and out["region"] == "220702000000" and out["period"] == "CN2026"
    assert len(out["rows"]) == 1
    row = out["rows"][0]
    assert set(row) == {"region", "label", "values"}
    assert row["label"] == "团结测试建筑有限公司" and row["region"] == "220702001000"
    assert row["values"]["rate"] == 78 and row["values"]["not_signed"] == 2
    assert out["totals"]["on_roll"] == 10 and out["totals"]["rate"] == 78
    assert set(out["totals"]) == {f.code for f in data.form.fields}


def test_drafts_are_not_exported(personas, campaign):
    services.submission_open(actor=personas.actor("clerk"), form_code="CN_CONTRACT_BASE", period_key="CN2026")
    data = exports.report_data(
        actor=personas.actor("county"),
        form_code="CN_CONTRACT_BASE",
        region_code="220702",
        period_key="CN2026",
    )
    assert data.rows == [] and data.totals["on_roll"] is None


def test_summary_totals_equal_the_sum_of_rows(personas, campaign):
    submit_base(personas, campaign)
    data = exports.report_data(
        actor=personas.actor("township_a"),
        form_code="CN_CONTRACT_SUMMARY",
        region_code="220702001000",
        period_key="CN2026",
    )
    assert data.rows, "the approved base form is rolled up"
    for code in ("on_roll", "due", "signed", "insured"):
        assert data.totals[code] == sum(r.values[code] or 0 for r in data.rows)
    assert data.totals["rate"] == 78
    assert data.rows[0].label.startswith("团结街道 · ")
    assert data.rows[0].label.endswith("规模以下")
    assert data.dim_headers == ("地区", "行业门类", "企业规模", "规模以上")


def test_dispatch_summary_adds_townships(personas, campaign):
    submit_dispatch(personas, campaign, "220702001000")
    submit_dispatch(personas, campaign, "220702002000", DISPATCH | {"p2p_passengers": 10})
    base = exports.report_data(
        actor=personas.actor("county"),
        form_code="SF_DISPATCH",
        region_code="220702000000",
        period_key="2026-02D2",
    )
    assert [r.label for r in base.rows] == ["团结街道", "文化街道"]
    assert base.totals["p2p_passengers"] == 50
    summary = exports.report_data(
        actor=personas.actor("county"),
        form_code="SF_DISPATCH_SUMMARY",
        region_code="220702000000",
        period_key="2026-02D2",
    )
    assert summary.totals["p2p_passengers"] == 50
    assert sum(r.values["p2p_passengers"] for r in summary.rows) == 50
    assert [r.label for r in summary.rows] == ["团结街道", "文化街道"]


def test_refusals(personas, campaign):
    county = personas.actor("county")
    with pytest.raises(ValidationFailed) as e:
        exports.report_data(actor=county, form_code="NOPE", region_code="220702000000", period_key="CN2026")
    assert "报表" in e.value.message
    with pytest.raises(ValidationFailed) as e:
        exports.report_data(
            actor=county, form_code="SF_DISPATCH", region_code="220702000000", period_key="2026-02D4"
        )
    assert "格式不正确" in e.value.message
    with pytest.raises(ValidationFailed):  # a dekad form asked for a month
        exports.report_data(
            actor=county, form_code="SF_DISPATCH", region_code="220702000000", period_key="2026-02"
        )
    with pytest.raises(ValidationFailed) as e:  # a township does not file the dispatch summary
        exports.report_data(
            actor=county, form_code="SF_DISPATCH_SUMMARY", region_code="220702001000", period_key="2026-02D2"
        )
    assert "不由" in e.value.message
    with pytest.raises(NotFound):  # a sibling township is out of reach
        exports.report_data(
            actor=personas.actor("township_b"),
            form_code="CN_CONTRACT_SUMMARY",
            region_code="220702001000",
            period_key="CN2026",
        )


def test_xlsx_has_the_official_layout(personas, campaign):
    from openpyxl import load_workbook

    submit_base(personas, campaign)
    data = exports.report_data(
        actor=personas.actor("township_a"),
        form_code="CN_CONTRACT_SUMMARY",
        region_code="220702001000",
        period_key="CN2026",
    )
    sheet = load_workbook(io.BytesIO(exports.report_xlsx(data))).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    n_cols = 4 + len(data.form.fields)
    assert sheet["A1"].value == "团结街道开展农民工劳动合同签订春暖行动情况表（汇总表）"
    assert any(r.startswith("A1:") for r in merged)
    assert "2026年春暖行动" in sheet["A2"].value
    assert sheet.cell(row=2, column=n_cols - 1).value == "单位：人、%"
    assert sheet["A3"].value == "地区" and "A3:A4" in merged
    # 已签订劳动合同人数 spans its four fields on row 3; 合计 etc. sit under it on row 4
    group_col = 4 + data.form.field_codes.index("signed") + 1
    assert sheet.cell(row=3, column=group_col).value == "已签订劳动合同人数"
    assert sheet.cell(row=4, column=group_col).value == "合计"
    assert sheet.cell(row=4, column=group_col + 3).value == "以完成一定工作任务为期限"
    # a field without a group spans both header rows
    assert sheet.cell(row=3, column=5).value == "在册职工人数"
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "合计" in [sheet.cell(row=6, column=1).value]
    for label in ("填报单位：", "填表人：", "联系电话：", "填报日期："):
        assert any(t.startswith(label) for t in texts)


def test_xlsx_neutralises_formulas_and_masks_the_phone(personas, campaign):
    from openpyxl import load_workbook

    sub = submit_dispatch(personas, campaign, "220702001000")
    sub.unit_name = "=HYPERLINK(1)"
    sub.save(update_fields=["unit_name"])
    data = exports.report_data(
        actor=personas.actor("township_a"),
        form_code="SF_DISPATCH",
        region_code="220702001000",
        period_key="2026-02D2",
    )
    assert data.filler_name == "王五" and data.filler_phone == "139****2222"
    sheet = load_workbook(io.BytesIO(exports.report_xlsx(data))).active
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(1)" in texts
    assert not any("13900002222" in t for t in texts)
    assert "联系电话：139****2222" in texts


def test_pdf_embeds_the_cjk_font(personas, campaign):
    submit_base(personas, campaign)
    data = exports.report_data(
        actor=personas.actor("township_a"),
        form_code="CN_CONTRACT_SUMMARY",
        region_code="220702001000",
        period_key="CN2026",
    )
    content = exports.report_pdf(data)
    assert content.startswith(b"%PDF")
    assert b"WenQuanYi" in content
    assert b"STSong" not in content


def test_campaign_summary_text_and_targets(personas, campaign):
    submit_base(personas, campaign)
    city = personas.actor("city")
    services.target_set(
        actor=city,
        campaign=campaign,
        data=TargetIn(region_code="220700000000", indicator="contract_signing_rate", value=90),
    )
    summary = exports.campaign_summary(actor=personas.actor("township_a"), campaign=campaign)
    assert summary.region_code == "220702001000"  # the township officer's own region
    text = summary.text
    assert text.startswith("截至2026年3月31日，团结街道共有1家用人单位报送基层表")
    assert "应签订劳动合同9人，已签订7人，签订率77.8%，目标90%，未完成目标" in text
    check = next(t for t in summary.targets if t.indicator == "contract_signing_rate")
    assert check.actual == Decimal("77.8") and check.is_met is False and check.inherited
    assert summary.completeness[0].expected == 1 and summary.completeness[0].submitted == 1
    pdf = exports.campaign_summary_pdf(summary)
    assert pdf.startswith(b"%PDF") and b"WenQuanYi" in pdf


def test_campaign_summary_of_a_city_and_outside_the_campaign(personas, campaign):
    from chunnuan.access.actor import system_actor

    summary = exports.campaign_summary(actor=personas.actor("city"), campaign=campaign)
    assert summary.region_code == "220700000000"
    assert summary.text.startswith("截至2026年3月31日，松原市")
    assert {d.form.code for d in summary.reports} == {"CN_CONTRACT_SUMMARY", "SF_DISPATCH_SUMMARY"}
    dispatch = next(d for d in summary.reports if d.form.code == "SF_DISPATCH_SUMMARY")
    assert dispatch.period.key == "2026-03D3"  # the campaign's last dekad
    with pytest.raises(NotFound):
        exports.campaign_summary(actor=system_actor("tests"), campaign=campaign, region_code="500103000000")


@pytest.mark.urls("chunnuan.reporting.tests.test_exports")
def test_export_view_formats_and_errors(client, personas, campaign):
    submit_base(personas, campaign)
    client.force_login(personas.township_a)
    url = "/reports/export/"
    query = {"form": "CN_CONTRACT_SUMMARY", "region": "220702001000", "period": "CN2026"}
    response = client.get(url, query | {"format": "json"})
    assert response.status_code == 200 and list(response.json()) == [
        "form",
        "region",
        "period",
        "rows",
        "totals",
        "coverage",
        "checks",
        "notes",
    ]
    response = client.get(url, query | {"format": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    response = client.get(url, query | {"format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.get(url, query | {"format": "json", "period": "2026Q5"})
    assert response.status_code == 400 and "格式不正确" in response.json()["message"]
    response = client.get(url, query | {"period": "2026Q5"})
    assert response.status_code == 400 and "格式不正确" in response.content.decode()
    response = client.get(url)
    assert response.status_code == 200  # the choice form
    client.force_login(personas.township_b)
    assert client.get(url, query | {"format": "json"}).status_code == 404


@pytest.mark.urls("chunnuan.reporting.tests.test_exports")
def test_campaign_summary_page_and_own_text(client, personas, campaign):
    submit_base(personas, campaign)
    client.force_login(personas.city)
    url = f"/reports/campaigns/{campaign.pk}/summary/"
    response = client.get(url)
    assert response.status_code == 200 and "截至2026年3月31日" in response.content.decode()
    response = client.post(url, {"summary_text": "全市各地高度重视。"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.summary_text == "全市各地高度重视。"
    pdf = client.get(f"/reports/campaigns/{campaign.pk}/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # a township officer reads it but may not edit the campaign's text
    client.force_login(personas.township_a)
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary_text": "改写"})
    campaign.refresh_from_db()
    assert response.status_code == 403 and campaign.summary_text == "全市各地高度重视。"
    client.force_login(personas.elsewhere)
    assert client.get(url).status_code == 404
