"""The campaign dashboard page: who may see it, for which regions, the drill-down and the exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from chunnuan.core.testing import make_user
from chunnuan.reporting import services
from chunnuan.reporting.periods import LOCAL_TZ
from chunnuan.reporting.tests.conftest import campaign_data, report_up_to_the_city
from chunnuan.reporting.types import TargetIn

URL = "/dashboards/campaigns/CN2026/"
FIGURES = {
    "on_roll": 10,
    "on_post": 10,
    "migrant": 8,
    "due": 10,
    "signed": 8,
    "signed_fixed": 8,
    "signed_open": 0,
    "signed_task": 0,
    "filed": 10,
    "insured": 6,
}


@pytest.fixture
def campaign(personas):
    return services.campaign_create(actor=personas.actor("city"), data=campaign_data())


@pytest.fixture
def reported(personas, campaign):
    """The clerk's base form and 团结街道's summary approved; the county's summary approved by the city."""
    with time_machine.travel(dt.datetime(2026, 3, 25, 10, tzinfo=LOCAL_TZ)):
        report_up_to_the_city(personas, FIGURES)
        services.target_set(
            actor=personas.actor("city"),
            campaign=campaign,
            data=TargetIn(region_code="220700000000", indicator="contract_signing_rate", value=90),
        )
        services.target_set(
            actor=personas.actor("city"),
            campaign=campaign,
            data=TargetIn(region_code="220702000000", indicator="insured_rate", value=50),
        )
    return campaign


def test_city_officer_sees_indicators_ranking_and_drilldown(personas, reported, client):
    client.force_login(personas.city)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年春暖行动" in page and "松原市" in page
    assert "劳动合同签订率" in page and "80.0%" in page  # 8 of 10, short of 90
    assert 'class="kpi missed"' in page
    assert "ranking-data" in page and "trend-data" in page
    assert 'href="?region=220702000000' in page  # drill down to the county


def test_county_officer_defaults_to_the_county_and_sees_the_target_met(personas, reported, client):
    client.force_login(personas.county)
    page = client.get(URL).content.decode()
    assert "宁江区" in page and "团结街道" in page
    assert 'class="kpi met"' in page  # insured 6/10 = 60 % against the county's own 50 %
    assert "本地区目标" in page


def test_leader_may_read_the_dashboard(personas, reported, client):
    leader = make_user("leader", "leader", ["220700000000"])
    client.force_login(leader)
    assert client.get(URL).status_code == 200
    assert client.get(URL + "?region=220702001000").status_code == 200


def test_drilldown_to_a_township_lists_its_employers(personas, reported, client):
    client.force_login(personas.city)
    page = client.get(URL + "?region=220702001000").content.decode()
    assert "团结测试建筑有限公司" in page
    assert f"/employers/{personas.employer.pk}/" in page


def test_regions_out_of_reach_are_not_found(personas, reported, client):
    client.force_login(personas.county)
    assert client.get(URL + "?region=220721000000").status_code == 404  # the county next door
    assert client.get(URL + "?region=500103000000").status_code == 404
    client.force_login(personas.elsewhere)  # another city's officer does not see the campaign at all
    assert client.get(URL).status_code == 404
    assert client.get(URL + "?region=220702001000").status_code == 404


def test_worker_and_clerk_are_refused(personas, reported, client):
    client.force_login(personas.clerk)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("table", ["kpi", "ranking", "trend", "drilldown"])
def test_each_table_exports_as_xlsx(personas, reported, client, table):
    client.force_login(personas.county)
    response = client.get(URL + f"?region=220702001000&export={table}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "2026年春暖行动" in rows[0][0]
    if table == "drilldown":
        assert any(r[0] == "团结测试建筑有限公司" for r in rows[2:])


def test_campaign_index_redirects_to_the_current_campaign(personas, reported, client):
    client.force_login(personas.county)
    response = client.get("/dashboards/campaigns/")
    assert response.status_code == 302 and response["Location"] == URL
    assert client.get("/dashboards/campaigns/?campaign=CN2026").status_code == 302
    assert client.get("/dashboards/campaigns/?campaign=NOPE").status_code == 404


def test_officer_home_links_to_the_campaign(personas, reported, client):
    client.force_login(personas.township_a)
    page = client.get("/").content.decode()
    assert URL in page and "2026年春暖行动" in page


def test_no_campaign_page(personas, client):
    client.force_login(personas.county)
    response = client.get("/dashboards/campaigns/")
    assert response.status_code == 200 and "没有专项行动" in response.content.decode()


def test_the_headline_and_ranking_say_which_counties_have_not_reported(personas, reported, client):
    """Issue 8 defect 3: the city's figure covers 宁江区 alone; say so, with the roster's live rate."""
    from chunnuan.employers.tests import factories

    qianguo = factories.employer("220721100000")
    factories.employment(qianguo, dt.date.today() - dt.timedelta(days=90), address6="220721")
    client.force_login(personas.city)
    page = client.get(URL).content.decode()
    note = "已报 1/2 个县（市、区），缺：前郭尔罗斯蒙古族自治县"
    assert f"报送 80.0%（{note}）· 台帐实时 0.0%" in page  # the headline card
    assert f"数据不完整：{note}" in page  # above the ranking
    response = client.get(URL + "?export=kpi")
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    texts = [c for r in sheet.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert any(note in t for t in texts)
