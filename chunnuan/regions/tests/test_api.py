from __future__ import annotations

import json
from typing import Any

import pytest

from chunnuan.regions.models import Region
from chunnuan.regions.tests.conftest import VIEW

pytestmark = pytest.mark.usefixtures("loaded")

FIELDS = {
    "code",
    "name",
    "short_name",
    "level",
    "level_label",
    "kind",
    "kind_label",
    "parent_code",
    "valid_from",
    "valid_to",
}


def test_anonymous_gets_401(client: Any) -> None:
    response = client.get("/api/v1/regions/220700000000")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_get_region_shape(login: Any) -> None:
    client = login("220702000000", VIEW)
    data = client.get("/api/v1/regions/220721000000").json()
    assert set(data) == FIELDS
    assert data == {
        "code": "220721000000",
        "name": "前郭尔罗斯蒙古族自治县",
        "short_name": "前郭尔罗斯",
        "level": 3,
        "level_label": "县级",
        "kind": "county",
        "kind_label": "县/自治县/旗",
        "parent_code": "220700000000",
        "valid_from": None,
        "valid_to": None,
    }


def test_not_found_and_permission_errors(login: Any) -> None:
    client = login("220702000000", VIEW)
    for url in (
        "/api/v1/regions/999999999999",
        "/api/v1/regions/abc",
        "/api/v1/regions/999999999999/children",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert (
            set(response.json()) == {"code", "message", "fields"} and response.json()["code"] == "not_found"
        )
    nobody = login("220702000000", frozenset())
    response = nobody.get("/api/v1/regions/220700000000")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_children(login: Any) -> None:
    client = login("220702000000", VIEW)
    data = client.get("/api/v1/regions/220700000000/children").json()
    assert [r["code"] for r in data] == [
        "220702000000",
        "220721000000",
        "220722000000",
        "220723000000",
        "220781000000",
    ]
    assert all(r["parent_code"] == "220700000000" for r in data)


def test_list_paged_and_scoped(login: Any) -> None:
    client = login("220700000000", VIEW)
    data = client.get("/api/v1/regions/", {"level": 3}).json()
    assert set(data) == {"items", "count", "page", "pages"}
    assert data["count"] == 5 and data["page"] == 1 and data["pages"] == 1
    search = client.get("/api/v1/regions/", {"q": "宁江", "page_size": 2}).json()
    assert search["count"] >= 1 and len(search["items"]) <= 2
    kids = client.get("/api/v1/regions/", {"parent": "220702000000"}).json()
    assert kids["count"] > 10 and all(r["parent_code"] == "220702000000" for r in kids["items"])
    assert client.get("/api/v1/regions/", {"q": "渝中"}).json()["count"] == 0  # outside jurisdiction
    bad = client.get("/api/v1/regions/", {"level": 9})
    assert bad.status_code == 422 and "level" in bad.json()["fields"]


def _post(client: Any, code: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/regions/{code}/units", json.dumps(body), content_type="application/json")


def test_post_unit(login: Any) -> None:
    client = login("220700000000")
    response = _post(
        client,
        "220700000000",
        {
            "code": "220771000000",
            "name": "松原经济技术开发区",
            "short_name": "松原经开区",
            "kind": "development_zone",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["code"] == "220771000000" and data["level"] == 3 and data["parent_code"] == "220700000000"
    assert data["kind_label"] == "开发区/高新区/新区" and data["valid_from"]


def test_post_unit_errors_leave_nothing(login: Any) -> None:
    client = login("220700000000")
    count = Region.objects.count()
    invalid = _post(client, "220700000000", {"code": "2207", "name": "", "kind": "development_zone"})
    assert invalid.status_code == 400
    body = invalid.json()
    assert body["code"] == "invalid" and "code" in body["fields"] and "name" in body["fields"]
    missing = _post(client, "220700000000", {"name": "x"})
    assert missing.status_code == 422 and missing.json()["fields"]["code"] == ["必填"]
    assert (
        _post(
            client, "500000000000", {"code": "500171000000", "name": "两江新区", "kind": "development_zone"}
        ).status_code
        == 404
    )
    viewer = login("220700000000", VIEW)
    denied = _post(viewer, "220700000000", {"code": "220771000000", "name": "x", "kind": "development_zone"})
    assert denied.status_code == 403
    assert Region.objects.count() == count
