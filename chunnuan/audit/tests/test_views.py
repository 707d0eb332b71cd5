"""What an auditor reads: the audit log's page, detail, export and API put events in words
(issue 8, defect 9): no ``accounts.User #2``, no model labels, form codes, True/False or login names."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from chunnuan.access.scoping import actor_scope
from chunnuan.audit.models import AuditAction, AuditEvent
from chunnuan.audit.services import audit_record
from chunnuan.core.testing import Personas

pytestmark = pytest.mark.django_db

DEVELOPER_TEXT = ("accounts.User", "reporting.Submission", "CN_CONTRACT_BASE", "True", "False", "township_a")


@pytest.fixture
def events(personas: Personas) -> list[AuditEvent]:
    officer = personas.township_a
    officer.full_name = "张三"
    officer.save(update_fields=["full_name"])
    actor = personas.actor("township_a")
    with actor_scope(actor):
        disabled = audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="accounts.User",
            object_id=str(personas.clerk.pk),
            object_repr="clerk",
            region_code="220702001000",
            changes={"is_active": [True, False]},
        )
        submitted = audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="reporting.Submission",
            object_id="1",
            object_repr="团结街道 CN_CONTRACT_BASE 2026-02",
            region_code="220702001000",
            changes={
                "form_code": ["", "CN_CONTRACT_BASE"],
                "status": ["draft", "submitted"],
                "is_above_scale": [False, True],
                "region_code": ["", "220702001000"],
            },
            note="上报",
        )
    return [disabled, submitted]


def test_the_list_shows_names_labels_and_yes_no(client: Client, personas: Personas, events: Any) -> None:
    client.force_login(personas.county)
    response = client.get("/audit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "张三（团结街道劳动保障所）" in html  # the person and office, not the login name
    assert "用户" in html and "clerk" in html  # the record's Chinese name and its label
    assert "报表填报" in html and "团结街道 春暖行动基层表 2026-02" in html
    assert "有效：是 → 否" in html  # the field's Chinese label, 是/否
    assert "报表：（空） → 春暖行动基层表" in html and "状态：草稿 → 已上报" in html
    assert "规模以上：否 → 是" in html and "团结街道（220702001000）" in html
    for text in DEVELOPER_TEXT:
        assert text not in html, text


def test_the_detail_page_lists_every_change(client: Client, personas: Personas, events: Any) -> None:
    client.force_login(personas.county)
    html = client.get(f"/audit/{events[1].pk}/").content.decode()
    assert "张三（团结街道劳动保障所）" in html and "报表填报" in html and "上报" in html
    assert "<td>状态</td><td>草稿</td><td>已上报</td>" in html
    for text in DEVELOPER_TEXT:
        assert text not in html, text
    # Out of reach: the sibling township's officer cannot open it (404, not 403).
    client.force_login(personas.elsewhere)
    assert client.get(f"/audit/{events[1].pk}/").status_code in (403, 404)


def test_the_list_costs_the_same_queries_for_many_events(
    client: Client, personas: Personas, events: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas.county)
    client.get("/audit/")  # warm the session and the form registry
    actor = personas.actor("county")
    with actor_scope(actor):
        for i in range(30):
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                object_type="reporting.Submission",
                object_id=str(i),
                object_repr=f"单位{i}",
                region_code="220702001000",
                changes={"status": ["draft", "submitted"], "region_code": ["", "220702002000"]},
            )
    with django_assert_max_num_queries(20):
        assert client.get("/audit/").status_code == 200


def test_the_export_reads_as_the_page_does(
    personas: Personas, events: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from chunnuan.batch.models import Run
    from chunnuan.batch.services import run_result_bytes, run_start

    settings.MEDIA_ROOT = tmp_path / "media"
    actor = personas.actor("county")
    with actor_scope(actor), django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=actor, kind="audit_export", params={})
    run = Run.objects.unscoped(reason="test").get(pk=run.pk)
    assert run.status == "succeeded", run.error
    sheet = load_workbook(io.BytesIO(run_result_bytes(run))).active  # stored encrypted
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    text = "\n".join(str(cell) for row in rows for cell in row if cell is not None)
    assert rows[0][-2] == "地区"
    assert "张三（团结街道劳动保障所）" in text and "有效：是 → 否" in text
    assert "状态：草稿 → 已上报" in text and "报表填报" in text
    for needle in DEVELOPER_TEXT:
        assert needle not in text, needle


def test_the_api_keeps_codes_and_adds_labels(client: Client, personas: Personas, events: Any) -> None:
    client.force_login(personas.county)
    items = client.get("/api/v1/audit/events").json()["items"]
    submitted = next(i for i in items if i["object_type"] == "reporting.Submission")
    assert submitted["changes"]["status"] == ["draft", "submitted"]  # the stored codes stay
    assert submitted["object_type_label"] == "报表填报" and submitted["action_label"] == "修改"
    assert submitted["person"] == "张三（团结街道劳动保障所）"
    assert {"field": "status", "label": "状态", "old": "草稿", "new": "已上报"} in submitted["change_list"]
