"""Issue 9 defects 2 and 6: what a run keeps of personal data, how long, and runs whose worker died.

(The ``kill -9`` of a real worker is tests/test_run_kill.py; the plaintext scan of everything a
test import leaves behind is tests/test_no_plaintext.py.)
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.audit.models import AuditAction, AuditEvent
from chunnuan.batch.choices import RunStatus
from chunnuan.batch.live import Heartbeat, live_read, live_write
from chunnuan.batch.masking import mask_text
from chunnuan.batch.models import Run
from chunnuan.batch.registry import Progress
from chunnuan.batch.services import (
    RUN_INTERRUPTED,
    import_start,
    import_upload_save,
    run_sweep,
)
from chunnuan.core.crypto import is_encrypted_bytes
from chunnuan.core.importing.report import reports_dir
from chunnuan.core.testing import Personas
from chunnuan.core.tests._import_spec import people, xlsx

pytestmark = pytest.mark.django_db

ID1, ID2, ID3 = "220702199003151238", "220702198512010025", "11010519491231002X"
BAD_CHECK = "220702199003151239"  # ID1 with a wrong check digit: the message quotes it
PHONE = "13800138000"
HEADER = ["姓名", "身份证号码", "联系电话", "乡镇（街道）"]
SHEET = xlsx(
    [
        HEADER,
        ["张三", ID1, PHONE, "团结"],
        ["李四", ID2, "123", "团结"],
        ["王五", ID3, "", "文化"],
        ["赵六", BAD_CHECK, "13900139000", "团结"],
    ]
)
WHOLE = (ID1, ID2, ID3, BAD_CHECK, PHONE, "13900139000")


def runs() -> Any:
    return Run.objects.unscoped(reason="test")


def audits() -> Any:
    return AuditEvent.objects.unscoped(reason="test")


def _api_import(client: Client, data: bytes = SHEET, **fields: Any) -> Any:
    form = {"kind": "test_people", "region": "220702000000", **fields}
    return client.post("/api/v1/runs/imports", {**form, "file": SimpleUploadedFile("名单.xlsx", data)})


def _background_import(client: Client, personas: Personas, settings: Any, capture: Any) -> Run:
    settings.CHUNNUAN_IMPORT_SYNC_MAX_BYTES = 100
    client.force_login(personas.county)
    with capture(execute=True):
        response = _api_import(client)
    assert response.status_code == 202
    run: Run = runs().get(pk=response.json()["id"])
    return run


# --- defect 2: personal data kept by a run -----------------------------------------------------------


def test_mask_text_masks_id_and_mobile_numbers_only() -> None:
    text = f"身份证号码“{BAD_CHECK}”校验位不正确；电话{PHONE}；信用代码91220702MA0000000X；15位{ID1[:15]}"
    masked = mask_text(text)
    assert "2207**********1239" in masked and "138****8000" in masked
    assert "91220702MA0000000X" in masked and "2207*******3151" in masked
    assert not any(number in masked for number in WHOLE)


def test_an_import_run_keeps_and_answers_no_whole_number(
    client: Client, personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run = _background_import(client, personas, settings, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED and run.params["result"]["rejected"] == 2
    stored = json.dumps(run.params, ensure_ascii=False) + run.log + run.error
    assert not [number for number in WHOLE if number in stored]
    assert run.params["result"]["preview"][0]["values"][1] == "2207**********1238"
    assert run.params["result"]["error_report"] is None  # no server path either
    before = audits().filter(action=AuditAction.EXPORT).count()
    api = client.get(f"/api/v1/runs/{run.pk}").content.decode("unicode_escape")
    page = client.get(f"/runs/{run.pk}/").content.decode()
    assert not [number for number in WHOLE if number in api or number in page]
    assert audits().filter(action=AuditAction.EXPORT).count() == before  # nothing whole was read

    # The rejected rows (whole numbers, so the user can correct them) are encrypted at rest, for
    # the app only, and decrypted by the download, which is audited.
    raw = Path(run.result_file.path).read_bytes()
    assert is_encrypted_bytes(raw) and not raw.startswith(b"PK")
    assert os.stat(run.result_file.path).st_mode & 0o777 == 0o600
    download = client.get(f"/api/v1/runs/{run.pk}/download")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert {ID2, BAD_CHECK} <= cells
    event = audits().filter(action=AuditAction.EXPORT, object_id=str(run.pk)).get()
    assert "含完整身份证号码" in event.note and event.actor_user_id == personas.county.pk
    assert client.get(f"/runs/{run.pk}/download/").status_code == 200
    assert audits().filter(action=AuditAction.EXPORT, object_id=str(run.pk)).count() == 2
    # Nothing else is left on disk: the upload went with the import.
    uploads = Path(settings.MEDIA_ROOT) / "imports" / "uploads"
    assert not list(uploads.iterdir())
    assert not [p for p in reports_dir().rglob("*") if p.is_file()]


def test_a_small_import_leaves_no_workbook_and_uploads_are_private(
    client: Client, personas: Personas, settings: Any
) -> None:
    client.force_login(personas.county)
    body = _api_import(client).json()
    assert body["rejected"] == 2 and body["error_report"] is None
    assert not reports_dir().exists() or not [p for p in reports_dir().rglob("*") if p.is_file()]
    upload = import_upload_save(actor=personas.actor("county"), chunks=[SHEET], filename="a.xlsx", size=1)
    assert os.stat(upload.path).st_mode & 0o777 == 0o600
    assert os.stat(upload.path.with_suffix(".json")).st_mode & 0o777 == 0o600


def _age(path: Path, days: int) -> None:
    stamp = time.time() - days * 86400
    os.utime(path, (stamp, stamp))


def test_runs_purge_deletes_files_past_the_retention_period(
    client: Client, personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run = _background_import(client, personas, settings, django_capture_on_commit_callbacks)
    result_path = Path(run.result_file.path)
    county = personas.actor("county")
    old = import_upload_save(actor=county, chunks=[SHEET], filename="旧.xlsx", size=len(SHEET))
    new = import_upload_save(actor=county, chunks=[SHEET], filename="新.xlsx", size=len(SHEET))
    report = reports_dir() / "2026" / "01" / "workers-old.xlsx"
    report.parent.mkdir(parents=True)
    report.write_bytes(b"rows")
    for path in (old.path, old.path.with_suffix(".json"), report):
        _age(path, 31)
    runs().filter(pk=run.pk).update(finished_at=timezone.now() - dt.timedelta(days=31))

    out = io.StringIO()
    call_command("runs_purge", stdout=out)
    text = out.getvalue()
    assert f"已删除上传的文件：{old.id}" in text and "workers-old.xlsx" in text
    assert f"后台任务 #{run.pk} 的结果文件" in text
    assert not old.path.exists() and not report.exists() and not result_path.exists()
    assert new.path.exists()  # still within the period
    run.refresh_from_db()
    assert not run.has_result and "已过保存期限" in run.log and run.params["result"]["created"] == 2
    assert client.get(f"/runs/{run.pk}/download/").status_code == 404

    again = io.StringIO()
    call_command("runs_purge", stdout=again)
    assert "共删除 0 个上传文件、0 个未导入行文件、0 个结果文件" in again.getvalue()


# --- defect 6: heartbeat, live progress, sweeper, 重新开始 ------------------------------------------


def _running(personas: Personas, *, heartbeat: dt.datetime | None, **extra: Any) -> Run:
    with actor_scope(system_actor("tests")):
        run = Run(
            kind="audit_export",
            title="审计日志导出",
            status=RunStatus.RUNNING,
            started_at=timezone.now() - dt.timedelta(hours=1),
            heartbeat_at=heartbeat,
            created_by=personas.county,
            created_by_label="county",
            region_code="220702000000",
            **extra,
        )
        run.save()
    return run


def test_the_sweeper_fails_only_runs_without_a_heartbeat(personas: Personas) -> None:
    now = timezone.now()
    dead = _running(personas, heartbeat=now - dt.timedelta(minutes=10))
    never = _running(personas, heartbeat=None)
    alive = _running(personas, heartbeat=now - dt.timedelta(seconds=5))
    busy = _running(personas, heartbeat=now - dt.timedelta(minutes=10))  # inside its transaction
    live_write(busy)  # … but its live file beats
    with actor_scope(system_actor("tests")):
        queued = Run.objects.unscoped(reason="t").create(
            kind="audit_export", title="x", status=RunStatus.QUEUED, region_code="220702000000"
        )

    out = io.StringIO()
    call_command("runs_sweep", stdout=out)
    assert f"#{dead.pk}" in out.getvalue() and "共 2 个" in out.getvalue()
    states = dict(runs().values_list("pk", "status"))
    assert states[dead.pk] == states[never.pk] == RunStatus.FAILED
    assert states[alive.pk] == states[busy.pk] == RunStatus.RUNNING and states[queued.pk] == RunStatus.QUEUED
    dead.refresh_from_db()
    assert dead.error == RUN_INTERRUPTED and RUN_INTERRUPTED in dead.log and dead.finished_at
    assert audits().filter(object_id=str(dead.pk), action=AuditAction.UPDATE).exists()
    with actor_scope(system_actor("tests")):
        assert run_sweep() == []  # idempotent


def test_the_runs_list_sweeps(client: Client, personas: Personas) -> None:
    from chunnuan.batch import services

    services._last_sweep["at"] = 0.0
    dead = _running(personas, heartbeat=timezone.now() - dt.timedelta(minutes=10))
    client.force_login(personas.county)
    assert client.get("/runs/").status_code == 200
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED


def test_progress_inside_the_handlers_transaction_goes_to_the_live_file(personas: Personas) -> None:
    run = _running(personas, heartbeat=None)
    progress = Progress(run, interval=0)
    with transaction.atomic():  # as an import's write phase
        progress.fraction(75, 100)
        assert live_read(run.pk)["progress"] == 75  # type: ignore[index]
        row = runs().get(pk=run.pk)
        assert (row.progress, row.heartbeat_at) == (0, None)  # the row is not touched (nor locked)
    progress.fraction(80, 100)
    row = runs().get(pk=run.pk)
    assert row.progress == 80 and row.heartbeat_at is not None


def test_the_run_page_shows_live_progress(client: Client, personas: Personas) -> None:
    run = _running(personas, heartbeat=timezone.now())
    run.progress = 63
    live_write(run)
    client.force_login(personas.county)
    assert client.get(f"/api/v1/runs/{run.pk}").json()["progress"] == 63
    assert 'aria-valuenow="63"' in client.get(f"/runs/{run.pk}/progress/").content.decode()


def test_the_heartbeat_beats_while_the_handler_works(personas: Personas) -> None:
    run = _running(personas, heartbeat=None)
    with Heartbeat(run, interval=0.02):
        first = live_read(run.pk)["beat"]  # type: ignore[index]
        time.sleep(0.15)
        assert live_read(run.pk)["beat"] > first  # type: ignore[index]


def test_an_interrupted_import_starts_again_with_the_same_file(
    client: Client, personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    county = personas.actor("county")
    upload = import_upload_save(actor=county, chunks=[SHEET], filename="名单.xlsx", size=len(SHEET))
    with actor_scope(county):
        run = import_start(
            actor=county, kind="test_people", upload=upload, region_code="220702000000", background=True
        )
    assert isinstance(run, Run)
    # The worker took it and died.
    runs().filter(pk=run.pk).update(
        status=RunStatus.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    with actor_scope(system_actor("tests")):
        assert run_sweep() == [run.pk]

    client.force_login(personas.township_b)  # a sibling: no such run
    assert client.post(f"/runs/{run.pk}/restart/").status_code == 404
    assert client.post(f"/api/v1/runs/{run.pk}/restart").status_code == 404
    client.force_login(personas.city)  # sees the county's runs, did not start this one
    assert client.post(f"/runs/{run.pk}/restart/").status_code == 403
    assert "/restart/" not in client.get(f"/runs/{run.pk}/").content.decode()

    client.force_login(personas.county)
    html = client.get(f"/runs/{run.pk}/").content.decode()
    assert RUN_INTERRUPTED in html and f'action="/runs/{run.pk}/restart/"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/runs/{run.pk}/restart/")
    again = runs().exclude(pk=run.pk).get(kind="import")
    assert response.status_code == 302 and response["Location"] == f"/runs/{again.pk}/"
    assert again.status == RunStatus.SUCCEEDED and again.title == run.title and people().count() == 2
    # The file went with the import: the failed run can no longer start again.
    assert f'action="/runs/{run.pk}/restart/"' not in client.get(f"/runs/{run.pk}/").content.decode()
    response = client.post(f"/api/v1/runs/{run.pk}/restart")
    assert response.status_code == 409 and "请重新上传" in response.json()["message"]
    assert client.post(f"/api/v1/runs/{again.pk}/restart").status_code == 409  # not failed


def test_the_migration_masks_what_earlier_runs_stored(personas: Personas) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("chunnuan.batch.migrations.0002_run_heartbeat")
    old = {
        "rows": 1,
        "errors": [{"row": 2, "column": "身份证号码", "message": f"身份证号码“{BAD_CHECK}”校验位不正确"}],
        "warning_list": [],
        "preview": [{"row": 2, "values": ["张三", ID1, PHONE], "errors": ""}],
        "error_report": "/srv/chunnuan/var/media/imports/reports/2026/11/workers-x.xlsx",
    }
    run = _running(personas, heartbeat=None, params={"kind": "workers", "result": old})
    runs().filter(pk=run.pk).update(kind="import", status=RunStatus.SUCCEEDED)
    migration.mask_stored_results(apps, None)
    stored = runs().get(pk=run.pk).params
    text = json.dumps(stored, ensure_ascii=False)
    assert not [number for number in WHOLE if number in text] and stored["result"]["error_report"] is None
    assert stored["result"]["preview"][0]["values"] == ["张三", "2207**********1238", "138****8000"]
    assert stored["kind"] == "workers" and stored["result"]["rows"] == 1
