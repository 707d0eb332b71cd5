"""Issue 9, defects 4 and 5: no lost update on a person's record (optimistic version: service, edit page,
API ETag/If-Match), and the edit form never puts the whole ID number or phone in the page."""

from __future__ import annotations

import pytest
from django.test import Client

from chunnuan.access.permissions import Perm
from chunnuan.audit.models import AuditEvent
from chunnuan.core.errors import PermissionDenied
from chunnuan.core.testing import officer
from chunnuan.core.versioning import StaleVersion
from chunnuan.workers.models import Worker
from chunnuan.workers.services import worker_update
from chunnuan.workers.types import WorkerIn

pytestmark = pytest.mark.django_db

WHOLE_ID = "220702199003151238"
WHOLE_PHONE = "13800138000"


def _stored(pk: int) -> Worker:
    return Worker.objects.unscoped(reason="test").get(pk=pk)


def _in(record: Worker, **extra) -> WorkerIn:
    return WorkerIn(
        name=record.name,
        id_number=record.id_number,
        origin_region_code=record.origin_region_code,
        work_region_code=record.work_region_code,
        **extra,
    )


def _edit_form(record: Worker, version: int, **extra) -> dict[str, str]:
    return {
        "name": record.name,
        "origin_region": record.origin_region_code,
        "work_region": record.work_region_code,
        "version": str(version),
        **extra,
    }


# --- service -----------------------------------------------------------------------------------------


def test_existing_rows_start_at_version_1_and_each_write_moves_it(personas):
    record = personas.worker_record
    assert _stored(record.pk).version == 1
    worker_update(
        actor=personas.actor("township_a"), pk=record.pk, data=_in(record, trade="建筑"), expected_version=1
    )
    assert _stored(record.pk).version == 2
    # No change: no new version.
    worker_update(actor=personas.actor("township_a"), pk=record.pk, data=_in(record, trade="建筑"))
    assert _stored(record.pk).version == 2


def test_a_save_on_a_stale_version_is_refused_and_changes_nothing(personas):
    record = personas.worker_record
    actor = personas.actor("township_a")
    worker_update(actor=actor, pk=record.pk, data=_in(record, trade="建筑"), expected_version=1)
    audits = AuditEvent.objects.unscoped(reason="test").count()
    with pytest.raises(StaleVersion) as refused:
        worker_update(actor=actor, pk=record.pk, data=_in(record, trade="电焊"), expected_version=1)
    assert refused.value.status == 412 and refused.value.code == "stale_version"
    assert refused.value.current == 2
    assert [(d.name, d.stored, d.typed) for d in refused.value.differences] == [("trade", "建筑", "电焊")]
    stored = _stored(record.pk)
    assert (stored.trade, stored.version) == ("建筑", 2)
    assert AuditEvent.objects.unscoped(reason="test").count() == audits


def test_a_write_that_lost_the_race_is_refused(personas):
    """Two saves read version 1; the first moves the row on, the second's conditional UPDATE finds
    nothing to claim (what a concurrent request sees once the first commits)."""
    record = personas.worker_record
    actor = personas.actor("township_a")
    from chunnuan.core.versioning import claim_version

    first, second = _stored(record.pk), _stored(record.pk)
    claim_version(first)
    with pytest.raises(StaleVersion):
        claim_version(second)
    assert _stored(record.pk).version == 2
    # The ledger's other writes move the version too (a timeline entry that changes a status).
    from chunnuan.workers.services import worker_event_add
    from chunnuan.workers.types import WorkerEventIn

    worker_event_add(actor=actor, worker_id=record.pk, data=WorkerEventIn(kind="returned", date="2025-01-20"))
    assert _stored(record.pk).version == 3


def test_changing_the_id_number_needs_the_reveal_permission_and_is_audited_by_name(personas):
    record = personas.worker_record
    without = officer("220702001000", Perm.MANAGE_WORKERS, Perm.VIEW_WORKERS)
    with pytest.raises(PermissionDenied):
        worker_update(
            actor=without,
            pk=record.pk,
            data=WorkerIn(**{**_in(record).model_dump(), "id_number": "22070219900101028x"}),
        )
    assert _stored(record.pk).id_number == WHOLE_ID
    worker_update(
        actor=personas.actor("township_a"),
        pk=record.pk,
        data=WorkerIn(**{**_in(record).model_dump(), "id_number": "22070219900101028x"}),
    )
    assert _stored(record.pk).id_number == "22070219900101028X"
    event = (
        AuditEvent.objects.unscoped(reason="test")
        .filter(object_id=str(record.pk), action="update")
        .order_by("pk")
        .last()
    )
    assert event is not None and "修改身份证号码" in event.note
    assert "22070219900101028X" not in str(event.changes) and WHOLE_ID not in str(event.changes)


# --- edit page -----------------------------------------------------------------------------------------


def test_two_sessions_editing_one_person_the_second_save_is_refused_and_shows_both(personas):
    record = personas.worker_record
    first, second = Client(), Client()
    first.force_login(personas.township_a)
    second.force_login(personas.county)
    for browser in (first, second):
        page = browser.get(f"/workers/{record.pk}/edit/").content.decode()
        assert 'name="version" value="1"' in page
    saved = first.post(f"/workers/{record.pk}/edit/", _edit_form(record, 1, trade="建筑"))
    assert saved.status_code == 302
    refused = second.post(f"/workers/{record.pk}/edit/", _edit_form(record, 1, trade="电焊", skills="焊接"))
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "其他人已修改了这条记录" in page
    assert "<td>建筑</td><td>电焊</td>" in page  # stored now beside typed
    assert 'value="电焊"' in page and 'value="焊接"' in page  # the typed values are kept
    assert 'name="version" value="2"' in page  # saving again is a deliberate choice on the new version
    assert WHOLE_ID not in page and WHOLE_PHONE not in page
    assert _stored(record.pk).trade == "建筑" and _stored(record.pk).skills == ""
    again = second.post(f"/workers/{record.pk}/edit/", _edit_form(record, 2, trade="电焊", skills="焊接"))
    assert again.status_code == 302 and _stored(record.pk).trade == "电焊"


# --- defect 5: the edit form --------------------------------------------------------------------------


def test_the_edit_page_never_holds_the_whole_id_or_phone(personas, client):
    record = personas.worker_record
    client.force_login(personas.township_a)
    page = client.get(f"/workers/{record.pk}/edit/").content.decode()
    assert WHOLE_ID not in page and WHOLE_PHONE not in page
    assert "2207**********1238" in page and "138****8000" in page and "修改身份证号" in page
    # A refused (stale or invalid) save does not put them in the page either.
    refused = client.post(f"/workers/{record.pk}/edit/", _edit_form(record, 1, name=""))
    assert refused.status_code == 400
    assert WHOLE_ID not in refused.content.decode() and WHOLE_PHONE not in refused.content.decode()
    # No reveal happened: nothing to audit, none written.
    assert not AuditEvent.objects.unscoped(reason="test").filter(action="reveal").exists()


def test_empty_id_and_phone_keep_them_typed_ones_replace_them_audited(personas, client):
    record = personas.worker_record
    client.force_login(personas.township_a)
    kept = client.post(f"/workers/{record.pk}/edit/", _edit_form(record, 1, trade="建筑"))
    assert kept.status_code == 302
    stored = _stored(record.pk)
    assert (stored.id_number, stored.phone, stored.trade) == (WHOLE_ID, WHOLE_PHONE, "建筑")
    changed = client.post(
        f"/workers/{record.pk}/edit/",
        _edit_form(record, 2, trade="建筑", id_number="22070219900101028x", phone="13900139000"),
    )
    assert changed.status_code == 302
    stored = _stored(record.pk)
    assert (stored.id_number, stored.phone) == ("22070219900101028X", "13900139000")
    event = (
        AuditEvent.objects.unscoped(reason="test")
        .filter(object_id=str(record.pk), action="update")
        .order_by("pk")
        .last()
    )
    assert event is not None and event.note == "修改身份证号码；修改联系电话"
    assert set(event.changes) >= {"id_number", "phone"} and "13900139000" not in str(event.changes)
    cleared = client.post(
        f"/workers/{record.pk}/edit/", _edit_form(record, 3, trade="建筑", clear_phone="on")
    )
    assert cleared.status_code == 302 and _stored(record.pk).phone == ""


def test_without_the_reveal_permission_the_edit_form_offers_no_id_change(personas, client):
    from chunnuan.accounts.models import Role

    role = Role.objects.get(code="township_officer")
    role.permissions = [p for p in role.permissions if p != Perm.VIEW_PERSONAL_DATA]
    role.save()
    record = personas.worker_record
    client.force_login(personas.township_a)
    page = client.get(f"/workers/{record.pk}/edit/").content.decode()
    assert "修改身份证号" not in page and 'name="id_number"' not in page and "2207**********1238" in page
    typed = client.post(
        f"/workers/{record.pk}/edit/", _edit_form(record, 1, trade="建筑", id_number="22070219900101028x")
    )
    assert typed.status_code == 302 and _stored(record.pk).id_number == WHOLE_ID


# --- API -------------------------------------------------------------------------------------------------


def test_api_etag_and_if_match(personas, client):
    record = personas.worker_record
    client.force_login(personas.township_a)
    got = client.get(f"/api/v1/workers/{record.pk}")
    assert got.status_code == 200 and got["ETag"] == 'W/"1"'
    body = {"name": record.name, "id_number": WHOLE_ID, "origin_region_code": record.origin_region_code}
    put = client.put(
        f"/api/v1/workers/{record.pk}",
        {**body, "trade": "建筑"},
        content_type="application/json",
        HTTP_IF_MATCH='W/"1"',
    )
    assert put.status_code == 200 and put["ETag"] == 'W/"2"' and put.json()["trade"] == "建筑"
    stale = client.put(
        f"/api/v1/workers/{record.pk}",
        {**body, "trade": "电焊"},
        content_type="application/json",
        HTTP_IF_MATCH='W/"1"',
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version" and "其他人已修改" in stale.json()["message"]
    assert set(stale.json()) == {"code", "message", "fields"}
    garbage = client.put(
        f"/api/v1/workers/{record.pk}",
        {**body, "trade": "电焊"},
        content_type="application/json",
        HTTP_IF_MATCH="nonsense",
    )
    assert garbage.status_code == 412
    assert _stored(record.pk).trade == "建筑" and _stored(record.pk).version == 2
    strong = client.put(
        f"/api/v1/workers/{record.pk}",
        {**body, "trade": "电焊"},
        content_type="application/json",
        HTTP_IF_MATCH='"2"',
    )
    assert strong.status_code == 200 and strong["ETag"] == 'W/"3"'
    # No If-Match: allowed (documented in docs/security.md), the last write wins.
    unchecked = client.put(
        f"/api/v1/workers/{record.pk}", {**body, "trade": "木工"}, content_type="application/json"
    )
    assert unchecked.status_code == 200 and _stored(record.pk).trade == "木工"


def test_an_import_update_moves_the_version(personas):
    """A page opened before an import must not overwrite what the import wrote."""
    from chunnuan.core.identifiers import parse_id_number
    from chunnuan.core.importing.spec import ImportContext
    from chunnuan.workers.services import WorkerRow, workers_bulk_upsert

    record = personas.worker_record
    ctx = ImportContext(actor=personas.actor("township_a"), region_code="220702001000")
    row = WorkerRow(info=parse_id_number(WHOLE_ID), values={"name": record.name, "trade": "导入工种"})
    workers_bulk_upsert(ctx=ctx, rows=[row])
    assert _stored(record.pk).version == 2 and _stored(record.pk).trade == "导入工种"
    with pytest.raises(StaleVersion):
        worker_update(actor=personas.actor("township_a"), pk=record.pk, data=_in(record), expected_version=1)


def test_the_openapi_document_tells_the_conditional_write(personas, client):
    client.force_login(personas.township_a)
    schema = client.get("/api/v1/openapi.json").json()
    put = schema["paths"]["/api/v1/workers/{worker_id}"]["put"]
    assert "If-Match" in [p["name"] for p in put["parameters"]] and "412" in put["responses"]
    assert "version" in schema["components"]["schemas"]["WorkerOut"]["properties"]
