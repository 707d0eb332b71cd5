from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from chunnuan.workers.models import Worker

pytestmark = pytest.mark.django_db


def test_create_update_list_and_errors(personas, client):
    client.force_login(personas.township_a)
    body = {
        "name": "接口甲",
        "id_number": "22070219900101028x",
        "origin_region_code": "220702001000",
        "is_low_income": True,
        "needs_employment": True,
    }
    created = client.post("/api/v1/workers/", body, content_type="application/json")
    assert created.status_code == 200 and created.json()["id_number_masked"] == "2207**********028X"
    pk = created.json()["id"]
    bad = client.post(
        "/api/v1/workers/", {**body, "id_number": "220702199003151239"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "校验位不正确" in bad.json()["fields"]["id_number"][0]
    put = client.put(f"/api/v1/workers/{pk}", {**body, "trade": "建筑"}, content_type="application/json")
    assert put.json()["trade"] == "建筑"
    listed = client.get("/api/v1/workers/", {"groups": "is_low_income"}).json()
    assert listed["count"] == 1 and listed["items"][0]["groups"] == ["is_low_income"]
    client.force_login(personas.township_b)
    assert client.get(f"/api/v1/workers/{pk}").status_code == 404
    elsewhere = client.post(
        "/api/v1/workers/", {**body, "origin_region_code": "220702002000"}, content_type="application/json"
    )
    assert (
        elsewhere.status_code == 409
        and elsewhere.json()["message"] == "该身份证号码已由其他地区登记，请联系户籍地劳动保障所"
    )
    assert Worker.objects.unscoped(reason="t").get(pk=pk).trade == "建筑"


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_timeline_and_dynamic_counts(personas, client):
    client.force_login(personas.county)
    pk = personas.worker_record.pk
    client.put(
        f"/api/v1/workers/{pk}",
        {
            "name": "甲镇测试工人",
            "id_number": "220702199003151238",
            "origin_region_code": "220702001000",
            "work_region_code": "220702001000",
            "phone": "13800138000",
            "needs_training": True,
        },
        content_type="application/json",
    )
    added = client.post(
        f"/api/v1/workers/{pk}/events",
        {"kind": "returned", "date": "2026-01-20"},
        content_type="application/json",
    )
    assert added.status_code == 200 and added.json()["kind_label"] == "返乡"
    future = client.post(
        f"/api/v1/workers/{pk}/events",
        {"kind": "returned", "date": "2026-05-01"},
        content_type="application/json",
    )
    assert future.status_code == 400 and "晚于今天" in future.json()["fields"]["date"][0]
    assert [e["date"] for e in client.get(f"/api/v1/workers/{pk}/events").json()] == ["2026-01-20"]
    counts = client.get("/api/v1/workers/dynamic", {"date_from": "2026-01-01"}).json()
    assert counts == [
        {
            "code": "220702001000",
            "name": "团结街道",
            "total": 1,
            "employment": 0,
            "training": 1,
            "entrepreneurship": 0,
        }
    ]


def test_post_of_a_registered_id_is_409_with_the_differences_unless_update(personas, client):
    """Issue 8, defect 1 (API): POST of an existing ID number overwrote the person."""
    client.force_login(personas.township_a)
    record = personas.worker_record
    Worker.objects.unscoped(reason="t").filter(pk=record.pk).update(trade="建筑")
    body = {
        "name": "测试甲",
        "id_number": record.id_number,
        "origin_region_code": "220702001000",
        "phone": "",
        "trade": "餐饮",
    }
    conflict = client.post("/api/v1/workers/", body, content_type="application/json")
    assert conflict.status_code == 409 and conflict.json()["code"] == "already_registered"
    assert set(conflict.json()["fields"]) == {"name", "trade"}
    assert "已登记：甲镇测试工人；本次填写：测试甲" in conflict.json()["fields"]["name"][0]
    stored = Worker.objects.unscoped(reason="t").get(pk=record.pk)
    assert (stored.name, stored.trade, stored.phone) == ("甲镇测试工人", "建筑", "13800138000")
    updated = client.post("/api/v1/workers/?update=true", body, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["id"] == record.pk
    stored = Worker.objects.unscoped(reason="t").get(pk=record.pk)
    assert (stored.name, stored.trade, stored.phone) == ("测试甲", "餐饮", "13800138000")
    assert stored.work_region_code == "220702001000"


def test_put_keeps_the_fields_it_does_not_send(personas, client):
    client.force_login(personas.township_a)
    record = personas.worker_record
    body = {"name": record.name, "id_number": record.id_number, "origin_region_code": "220702001000"}
    assert (
        client.put(f"/api/v1/workers/{record.pk}", body, content_type="application/json").status_code == 200
    )
    stored = Worker.objects.unscoped(reason="t").get(pk=record.pk)
    assert (stored.phone, stored.work_region_code) == ("13800138000", "220702001000")
