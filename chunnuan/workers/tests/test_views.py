from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from chunnuan.audit.models import AuditEvent
from chunnuan.workers.models import Worker, WorkerEvent
from chunnuan.workers.services import worker_register

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_list_filters_pages_and_links(personas, client, person):
    worker_register(actor=personas.actor("county"), data=person(name="脱贫甲", is_poverty_alleviated=True))
    client.force_login(personas.township_a)
    page = client.get(
        "/workers/", {"groups": "is_poverty_alleviated", "region": "220702001000"}
    ).content.decode()
    assert "脱贫甲" in page and "甲镇测试工人" not in page and "共 1 条" in page
    assert client.get("/workers/", {"age_min": "abc"}).status_code == 200


def test_export_masks_neutralises_and_audits_unmasked(personas, client, person):
    worker_register(actor=personas.actor("county"), data=person(name="=HYPERLINK(1)", note="+cmd"))
    client.force_login(personas.township_a)
    csv = _body(client.get("/workers/?export=csv"))
    assert "2207**********1238" in csv and "220702199003151238" not in csv
    assert "'=HYPERLINK(1)" in csv and "'+cmd" in csv
    assert not AuditEvent.objects.unscoped(reason="t").filter(action="export").exists()
    xlsx = client.get("/workers/?export=xlsx&full=1")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "220702199003151238" in values and "'=HYPERLINK(1)" in values
    assert AuditEvent.objects.unscoped(reason="t").filter(action="export").count() == 1


def test_full_export_needs_the_permission(personas, client):
    from chunnuan.access.permissions import Perm
    from chunnuan.core.testing import make_officer_user

    # may export, may not see whole numbers: asking for them still gives masked ones, unaudited
    client.force_login(make_officer_user("viewer_v", "220702", [Perm.VIEW_WORKERS, Perm.RUN_EXPORTS]))
    csv = _body(client.get("/workers/?export=csv&full=1"))
    assert "2207**********1238" in csv and "220702199003151238" not in csv
    assert not AuditEvent.objects.unscoped(reason="t").filter(action="export").exists()


def test_create_form_checks_the_id_in_chinese_and_saves(personas, client):
    client.force_login(personas.township_a)
    assert client.get("/workers/new/").status_code == 200
    form = {
        "name": "新人",
        "id_number": "220702199003151239",
        "origin_region": "220702001000",
        "groups": ["is_disabled"],
        "needs": ["needs_training"],
    }
    bad = client.post("/workers/new/", form)
    assert bad.status_code == 400 and "校验位不正确" in bad.content.decode()
    form["id_number"] = "22070219900101028x"
    ok = client.post("/workers/new/", form)
    worker = Worker.objects.unscoped(reason="t").get(name="新人")
    assert ok.status_code == 302 and worker.is_disabled and worker.needs_training and worker.sex == "F"
    edit = client.post(f"/workers/{worker.pk}/edit/", {**form, "name": "新人改"})
    assert edit.status_code == 302
    assert Worker.objects.unscoped(reason="t").get(pk=worker.pk).name == "新人改"


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_detail_timeline_and_htmx_event(personas, client):
    client.force_login(personas.township_a)
    worker = personas.worker_record
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert "暂无动态" in page and "记录动态" in page
    partial = client.post(
        f"/workers/{worker.pk}/events/", {"kind": "returned", "date": "2026-01-20"}, HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200 and "2026-01-20" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    future = client.post(f"/workers/{worker.pk}/events/", {"kind": "returned", "date": "2026-04-01"})
    assert future.status_code == 400 and "晚于今天" in future.content.decode()
    client.force_login(personas.worker)
    mine = client.get("/workers/me/").content.decode()
    assert "2026-01-20" in mine and "记录动态" not in mine
    client.force_login(personas.township_b)
    assert (
        client.post(f"/workers/{worker.pk}/events/", {"kind": "returned", "date": "2026-01-21"}).status_code
        == 404
    )
    assert WorkerEvent.objects.unscoped(reason="t").count() == 1


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_dynamic_ledger_page_chart_and_exports(personas, client, person):
    from chunnuan.workers.services import worker_event_add
    from chunnuan.workers.types import WorkerEventIn

    actor = personas.actor("county")
    w = worker_register(actor=actor, data=person(name="返乡乙", needs_employment=True))
    worker_event_add(actor=actor, worker_id=w.pk, data=WorkerEventIn(kind="returned", date="2026-01-15"))
    client.force_login(personas.county)
    page = client.get(
        "/workers/dynamic/", {"date_from": "2026-01-01", "date_to": "2026-02-28"}
    ).content.decode()
    assert "返乡乙" in page and 'data-chart-source="dynamic-chart"' in page and "团结街道" in page
    counts = client.get("/workers/dynamic/?export=counts")
    assert load_workbook(io.BytesIO(counts.content)).active["A3"].value == "团结街道"
    assert "返乡乙" in _body(client.get("/workers/dynamic/?export=csv"))
    assert (
        client.get("/workers/dynamic/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}).status_code
        == 200
    )


def test_import_template_download(personas, client):
    client.force_login(personas.township_a)
    response = client.get("/workers/import-template/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "姓名" and sheet["C3"].value == "220702199003151238"


def _registration(**extra):
    return {"name": "新人", "id_number": "220702199003151238", "origin_region": "220702001000", **extra}


def test_registering_a_registered_id_opens_a_comparison_and_changes_nothing(personas, client):
    """Issue 8, defect 1 (page): 登记 with 张春生's ID made him 测试甲 and wiped his phone."""
    client.force_login(personas.township_a)
    record = personas.worker_record
    Worker.objects.unscoped(reason="t").filter(pk=record.pk).update(trade="建筑", education="junior")
    before = Worker.objects.unscoped(reason="t").values().get(pk=record.pk)
    response = client.post("/workers/new/", _registration(name="测试甲", trade="餐饮"))
    page = response.content.decode()
    assert response.status_code == 409 and "该身份证号码已登记" in page
    assert 'name="apply" value="name"' in page and 'name="apply" value="trade"' in page
    assert 'name="apply" value="phone"' not in page and 'name="apply" value="education"' not in page
    assert f'href="/workers/{record.pk}/"' in page and 'value="测试甲"' in page  # typed values kept
    assert Worker.objects.unscoped(reason="t").values().get(pk=record.pk) == before
    none_ticked = client.post("/workers/new/", _registration(name="测试甲", trade="餐饮", apply_changes="1"))
    assert none_ticked.status_code == 409
    assert Worker.objects.unscoped(reason="t").values().get(pk=record.pk) == before
    chosen = client.post(
        "/workers/new/", _registration(name="测试甲", trade="餐饮", apply_changes="1", apply=["trade"])
    )
    assert chosen.status_code == 302 and chosen["Location"] == f"/workers/{record.pk}/"
    stored = Worker.objects.unscoped(reason="t").get(pk=record.pk)
    assert (stored.name, stored.trade, stored.education) == ("甲镇测试工人", "餐饮", "junior")
    assert (stored.phone, stored.work_region_code) == ("13800138000", "220702001000")
    assert Worker.objects.unscoped(reason="t").count() == 1


def test_registering_an_id_registered_outside_the_scope_says_so_without_details(personas, client):
    client.force_login(personas.township_b)
    response = client.post("/workers/new/", _registration(origin_region="220702002000"))
    page = response.content.decode()
    assert response.status_code == 400 and "已由其他地区登记" in page
    assert "甲镇测试工人" not in page and "138****8000" not in page
    assert Worker.objects.unscoped(reason="t").get(pk=personas.worker_record.pk).name == "甲镇测试工人"


def test_edit_form_is_the_whole_record_and_clears_an_emptied_field(personas, client):
    client.force_login(personas.township_a)
    record = personas.worker_record
    Worker.objects.unscoped(reason="t").filter(pk=record.pk).update(trade="建筑")
    page = client.get(f"/workers/{record.pk}/edit/").content.decode()
    assert 'value="建筑"' in page and "清空某一栏并保存" in page
    form = {"name": record.name, "id_number": record.id_number, "origin_region": "220702001000", "trade": ""}
    assert client.post(f"/workers/{record.pk}/edit/", form).status_code == 302
    assert Worker.objects.unscoped(reason="t").get(pk=record.pk).trade == ""


def test_all_errors_come_in_one_round_and_typed_values_stay(personas, client):
    """Issue 8, defect 6: a bad ID with an empty 户籍地 showed only the required-field error."""
    client.force_login(personas.township_a)
    response = client.post(
        "/workers/new/", {"name": "新人", "id_number": "220702199003151239", "phone": "12"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "校验位不正确" in page and "这个字段是必填项" in page and "联系电话“12”格式不正确" in page
    assert 'value="新人"' in page and 'value="220702199003151239"' in page
    assert not Worker.objects.unscoped(reason="t").filter(name="新人").exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0438-1234567", "0438-1234567"),
        ("04381234567", "0438-1234567"),
        ("0438 1234567", "0438-1234567"),
        ("010-12345678-123", "010-12345678-123"),
        ("138 0013 8001", "13800138001"),
    ],
)
def test_a_landline_is_a_valid_contact_phone(personas, client, typed, stored):
    client.force_login(personas.township_a)
    assert "0438-1234567" in client.get("/workers/new/").content.decode()  # the formats are said
    form = {
        "name": "座机",
        "id_number": "22070219900101028x",
        "origin_region": "220702001000",
        "phone": typed,
    }
    assert client.post("/workers/new/", form).status_code == 302
    assert Worker.objects.unscoped(reason="t").get(name="座机").phone == stored


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_adding_an_event_refreshes_the_shown_statuses_at_once(personas, client):
    """Issue 8, defect 10: 流动状态 stayed stale after an event until reload; "1. 暂无动态"."""
    client.force_login(personas.township_a)
    worker = personas.worker_record
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert '<p class="muted">暂无动态</p>' in page and '<li class="muted">' not in page
    assert '<span id="movement-status">—</span>' in page
    partial = client.post(
        f"/workers/{worker.pk}/events/", {"kind": "returned", "date": "2026-01-20"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert '<span id="movement-status" hx-swap-oob="true">返乡（2026-01-20）</span>' in partial
    assert 'id="employment-status" hx-swap-oob="true"' in partial


def test_origin_starts_at_the_officers_own_region(personas, client):
    client.force_login(personas.township_a)
    page = client.get("/workers/new/").content.decode()
    assert '<input type="hidden" name="origin_region" value="220702001000"' in page
    assert '<option value="220702001000" selected>团结街道</option>' in page


def test_list_filters_fold_behind_one_control_unfolded_when_set(personas, client):
    """Issue 8, defect 8: 16 filter fields took ~1,400 px on a phone before the first row."""
    client.force_login(personas.township_a)
    page = client.get("/workers/").content.decode()
    assert '<input type="checkbox" id="filter-toggle" class="filter-toggle">' in page
    assert 'class="filters card filter-fold"' in page and ">筛选</label>" in page
    filtered = client.get("/workers/", {"sex": "M", "education": "junior", "page": "1"}).content.decode()
    assert 'id="filter-toggle" class="filter-toggle" checked>' in filtered and "（已设 2 项）" in filtered
