"""Guard (issue 9): after importing synthetic people the ways users do — a preview, a background
import with rejected rows, reading the run (page and API), downloading its rejected rows, a
second import that updates — no table, no file and no log line holds one of their whole ID or
mobile numbers in plaintext.

Every table's every column is read back raw (JSON and bytes included), every file under the test's
MEDIA_ROOT and temporary folder (zip members unpacked, so an .xlsx is read as its XML), and every
log record captured at DEBUG.
"""

from __future__ import annotations

import io
import json
import logging
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from openpyxl import Workbook

from chunnuan.batch.models import Run
from chunnuan.core import synthetic
from chunnuan.core.testing import Personas

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号码", "联系电话", "户籍地区划代码"]
PEOPLE = 30


def _people() -> list[tuple[str, str, str]]:
    rng = random.Random(9_2026)
    seen: dict[str, tuple[str, str, str]] = {}
    while len(seen) < PEOPLE:
        number = synthetic.id_number(rng, "220702")
        seen.setdefault(number, (synthetic.person_name(rng), number, synthetic.phone(rng)))
    return list(seen.values())


def _sheet(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _needles(people: list[tuple[str, str, str]]) -> set[str]:
    return {number for _, number, _ in people} | {phone for _, _, phone in people}


def _table_hits(needles: set[str]) -> list[str]:
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — table names from introspection
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    if value is None or isinstance(value, int | float):
                        continue
                    if isinstance(value, memoryview | bytes):
                        text = bytes(value).decode("latin-1")
                    elif isinstance(value, dict | list):
                        text = json.dumps(value, ensure_ascii=False)
                    else:
                        text = str(value)
                    hits += [f"{table}.{name}: {n}" for n in needles if n in text]
    return hits


def _file_texts(path: Path) -> list[str]:
    data = path.read_bytes()
    texts = [data.decode("latin-1"), data.decode("utf-8", "ignore")]
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts += [archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()]
    return texts


def _file_hits(folders: list[Path], needles: set[str]) -> list[str]:
    hits = []
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else []:
            if path.is_file():
                texts = _file_texts(path)
                hits += [f"{path}: {n}" for n in needles if any(n in t for t in texts)]
    return hits


def test_no_whole_id_or_phone_is_left_in_plaintext(
    client: Client,
    personas: Personas,
    settings: Any,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    people = _people()
    rows: list[list[Any]] = [[name, number, phone, "220702001000"] for name, number, phone in people]
    rows[3][2] = "123"  # rejected: a bad phone — the rejected-rows workbook keeps its ID number
    rows[7][3] = "999999999999"  # rejected: no such region
    data = _sheet(rows)
    client.force_login(personas.county)
    form = {"kind": "workers", "region": "220702001000", "mode": "valid-rows"}

    preview = client.post("/runs/imports/new/", {**form, "file": SimpleUploadedFile("台帐.xlsx", data)})
    assert preview.status_code == 200 and "导入预览" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post("/runs/imports/confirm/", preview.context["confirm"].initial)
    assert confirm.status_code == 302
    run = Run.objects.unscoped(reason="test").get(kind="import")
    assert run.status == "succeeded" and run.params["result"]["created"] == PEOPLE - 2, run.params
    assert client.get(f"/runs/{run.pk}/").status_code == 200
    assert client.get(f"/api/v1/runs/{run.pk}").status_code == 200
    download = client.get(f"/runs/{run.pk}/download/")
    assert download.status_code == 200 and people[3][1].encode() not in download.getvalue()  # zipped

    settings.CHUNNUAN_IMPORT_SYNC_MAX_BYTES = 100  # the same file again, in the background
    rows[3][2], rows[7][3] = "13900000000", "220702001000"
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            "/api/v1/runs/imports", {**form, "file": SimpleUploadedFile("台帐2.xlsx", _sheet(rows))}
        )
    assert again.status_code == 202
    needles = _needles(people) | {"13900000000"}

    assert _table_hits(needles) == []
    assert _file_hits([Path(settings.MEDIA_ROOT), tmp_path, Path(settings.VAR_DIR) / "media"], needles) == []
    logged = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    assert [n for n in needles if n in logged] == []
