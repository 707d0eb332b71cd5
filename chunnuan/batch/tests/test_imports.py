"""Imports from the command, the pages and the API (the engine itself: core/tests/test_importing.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from chunnuan.audit.models import AuditEvent
from chunnuan.batch.choices import RunStatus
from chunnuan.batch.models import Run
from chunnuan.core.testing import Personas
from chunnuan.core.tests._import_spec import people, xlsx

pytestmark = pytest.mark.django_db

ID1, ID2, ID3 = "220702199003151238", "220702198512010025", "11010519491231002X"
HEADER = ["姓名", "身份证号码", "联系电话", "乡镇（街道）"]
GOOD_AND_BAD = xlsx(
    [HEADER, ["张三", ID1, "13800138000", "团结"], ["李四", ID2, "123", "团结"], ["王五", ID3, "", "文化"]]
)
GOOD = xlsx([HEADER, ["张三", ID1, "13800138000", "团结"], ["王五", ID3, "", "文化"]])
JSON_KEYS = [
    "kind",
    "rows",
    "created",
    "updated",
    "unchanged",
    "rejected",
    "warnings",
    "errors",
    "error_report",
]


def runs() -> Any:
    return Run.objects.unscoped(reason="test")


def command(
    tmp_path: Path, data: bytes, *args: str, kind: str = "test_people"
) -> tuple[int, dict[str, Any], str]:
    path = tmp_path / "台帐.xlsx"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_ledger", kind, str(path), *args, "--json", stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(out.getvalue().strip().splitlines()[-1]), err.getvalue()


# --- command ---------------------------------------------------------------------------------------


def test_command_exit_codes_and_json(tmp_path: Path, regions: Any) -> None:
    code, data, _ = command(tmp_path, GOOD_AND_BAD, "--region", "220702", "--dry-run")
    assert code == 1 and list(data) == JSON_KEYS
    assert (data["rows"], data["created"], data["rejected"]) == (3, 2, 1)
    assert not people().exists()  # a dry run

    code, data, _ = command(tmp_path, GOOD_AND_BAD, "--region", "220702000000")
    assert code == 1 and data["created"] == 2 and data["errors"][0]["row"] == 3
    assert Path(data["error_report"]).is_file()
    assert AuditEvent.objects.unscoped(reason="test").filter(object_type="import").count() == 1

    code, data, _ = command(tmp_path, GOOD, "--region", "220702")
    assert code == 0 and (data["unchanged"], data["rejected"], data["error_report"]) == (2, 0, None)

    code, data, _ = command(tmp_path, GOOD_AND_BAD, "--region", "220702", "--mode", "all-or-nothing")
    assert code == 1 and data["created"] == 0


def test_command_acts_within_the_region(tmp_path: Path, regions: Any) -> None:
    code, data, _ = command(tmp_path, GOOD, "--region", "220702001")
    assert code == 1
    assert data["errors"] == [
        {"row": 3, "column": "乡镇（街道）", "message": "在“团结街道”内找不到乡镇（街道）“文化”"}
    ]


@pytest.mark.parametrize(
    ("data", "args", "kind", "message"),
    [
        (b"", (), "test_people", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", (), "test_people", "无法识别的文件格式"),
        (GOOD, (), "nonsense", "不支持的导入类型“nonsense”"),
        (GOOD, ("--region", "999999"), "test_people", "区划代码“999999”不存在"),
        (GOOD, ("--region", "220702"), "test_roster", "请指定用人单位"),
        (
            GOOD,
            ("--region", "220702", "--employer", "91110000600037341L"),
            "test_roster",
            "找不到统一社会信用代码",
        ),
    ],
)
def test_command_refusals_exit_2(
    tmp_path: Path, regions: Any, data: bytes, args: tuple[str, ...], kind: str, message: str
) -> None:
    code, payload, err = command(tmp_path, data, *args, kind=kind)
    assert code == 2 and message in err and message in payload["errors"][0]["message"]
    assert not people().exists()


def test_command_roster_with_employer(tmp_path: Path, personas: Personas) -> None:
    code, data, _ = command(
        tmp_path, GOOD, "--region", "220702", "--employer", personas.employer.credit_code, kind="test_roster"
    )
    assert code == 0 and data["created"] == 2


# --- pages -------------------------------------------------------------------------------------


def _upload(client: Client, data: bytes, name: str = "名单.xlsx", **fields: Any) -> Any:
    form = {"kind": "test_people", "region": "220702000000", "mode": "valid-rows", **fields}
    return client.post("/runs/imports/new/", {**form, "file": SimpleUploadedFile(name, data)})


def test_import_page_preview_then_confirm(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(personas.county)
    page = client.get("/runs/imports/new/")
    assert page.status_code == 200 and 'value="test_people"' in page.content.decode()

    preview = _upload(client, GOOD_AND_BAD)
    html = preview.content.decode()
    assert preview.status_code == 200 and "导入预览" in html and "确认导入" in html
    assert 'data-count="created">2<' in html and 'data-count="rejected" class="bad">1<' in html
    assert "联系电话“123”格式不正确" in html
    assert not people().exists()

    confirm = preview.context["confirm"].initial
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/runs/imports/confirm/", confirm)
    run = runs().get(kind="import")
    assert response.status_code == 302 and response["Location"] == f"/runs/{run.pk}/"
    assert run.status == RunStatus.SUCCEEDED and run.title == "导入测试人员名单：名单.xlsx"
    assert run.params["result"]["created"] == 2 and run.params["result"]["rejected"] == 1
    assert people().count() == 2
    detail = client.get(f"/runs/{run.pk}/").content.decode()
    assert "导入结果" in detail and "联系电话“123”格式不正确" in detail
    download = client.get(f"/runs/{run.pk}/download/")
    assert download.status_code == 200 and "未导入的行" in unquote(download["Content-Disposition"])
    # The upload is gone once imported: confirming again is refused.
    assert client.post("/runs/imports/confirm/", confirm).status_code == 404


def test_big_file_runs_in_the_background(
    client: Client, personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CHUNNUAN_IMPORT_SYNC_MAX_BYTES = 100
    client.force_login(personas.county)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, GOOD_AND_BAD)
    run = runs().get(kind="import")
    assert response.status_code == 302 and response["Location"] == f"/runs/{run.pk}/"
    assert run.status == RunStatus.SUCCEEDED and run.progress == 100 and run.has_result
    assert people().count() == 2


def test_import_page_refusals(client: Client, personas: Personas, settings: Any) -> None:
    client.force_login(personas.county)
    response = _upload(client, b"\x89PNG\r\n\x1a\n\x00\x00")
    assert response.status_code == 400 and "无法识别的文件格式" in response.content.decode()
    client.force_login(personas.township_a)
    response = _upload(client, GOOD, region="220702002000")
    assert response.status_code == 400 and "所选区划不在允许的范围内" in response.content.decode()
    response = _upload(client, GOOD, kind="test_roster", region="")
    assert response.status_code == 400 and "请指定用人单位" in response.content.decode()
    settings.CHUNNUAN_IMPORT_MAX_BYTES = 100
    response = _upload(client, GOOD, region="220702001000")
    assert response.status_code == 400 and "文件过大（超过" in response.content.decode()
    assert not people().exists() and not runs().exists()
    client.force_login(personas.worker)
    assert client.get("/runs/imports/new/").status_code == 403


def test_confirm_refuses_another_users_upload(client: Client, personas: Personas) -> None:
    client.force_login(personas.county)
    confirm = _upload(client, GOOD).context["confirm"].initial
    client.force_login(personas.city)
    assert client.post("/runs/imports/confirm/", confirm).status_code == 404
    assert not people().exists()


# --- API ---------------------------------------------------------------------------------------


def _api_upload(client: Client, data: bytes, **fields: Any) -> Any:
    form = {"kind": "test_people", "region": "220702000000", **fields}
    return client.post("/api/v1/runs/imports", {**form, "file": SimpleUploadedFile("名单.xlsx", data)})


def test_api_import_small_file(client: Client, personas: Personas) -> None:
    assert _api_upload(client, GOOD).status_code == 401
    client.force_login(personas.county)
    response = _api_upload(client, GOOD_AND_BAD, dry_run="true")
    body = response.json()
    assert response.status_code == 200 and (body["created"], body["rejected"], body["written"]) == (
        2,
        1,
        False,
    )
    assert not people().exists()
    body = _api_upload(client, GOOD_AND_BAD).json()
    assert set(JSON_KEYS) <= set(body) and body["created"] == 2 and people().count() == 2
    response = _api_upload(client, b"PK\x03\x04broken")
    assert response.status_code == 400 and response.json() == {
        "code": "unreadable",
        "message": "文件已损坏，无法读取",
        "fields": {},
    }


def test_api_import_big_file_is_a_run(
    client: Client, personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CHUNNUAN_IMPORT_SYNC_MAX_BYTES = 100
    client.force_login(personas.county)
    with django_capture_on_commit_callbacks(execute=True):
        response = _api_upload(client, GOOD_AND_BAD)
    assert response.status_code == 202
    run_id = response.json()["id"]
    detail = client.get(f"/api/v1/runs/{run_id}").json()
    assert detail["status"] == "succeeded" and detail["result"]["created"] == 2
    download = client.get(detail["download_url"])
    assert download.status_code == 200
    # A colleague of the sibling township sees neither the run nor its report.
    client.force_login(personas.township_b)
    assert client.get(f"/api/v1/runs/{run_id}/download").status_code == 404


# --- what the page offers first, and what a run counts ---------------------------------------------


def _selected_kind(html: str) -> str:
    import re

    match = re.search(r'<option value="([^"]+)"[^>]*selected', html)
    assert match, "no kind is selected"
    return match.group(1)


def test_import_page_defaults_to_what_the_role_imports_most(client: Client, personas: Personas) -> None:
    client.force_login(personas.township_a)
    html = client.get("/runs/imports/new/").content.decode()
    assert _selected_kind(html) == "workers"  # 农民工实名制台帐, not 用人单位名录
    assert html.index('value="workers"') < html.index('value="employers"')
    client.force_login(personas.clerk)
    response = client.get("/runs/imports/new/")
    assert response.status_code == 200 and _selected_kind(response.content.decode()) == "roster"  # 职工名册
    # An explicit choice in the address still wins.
    client.force_login(personas.township_a)
    assert _selected_kind(client.get("/runs/imports/new/?kind=employers").content.decode()) == "employers"


def test_a_run_of_five_rows_counts_five_rows(
    client: Client, personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CHUNNUAN_IMPORT_SYNC_MAX_BYTES = 100
    five = xlsx(
        [
            ["宁江区测试人员名单"],  # a title row above the header
            HEADER,
            ["张三", ID1, "13800138000", "团结"],
            ["李四", ID2, "123", "团结"],
            ["王五", ID3, "", "文化"],
            ["赵六", "220702198001010017", "", "团结"],
            ["钱七", "220702197505050019", "", "文化"],
        ]
    )
    client.force_login(personas.county)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, five)
    run = runs().get(kind="import")
    assert run.status == RunStatus.SUCCEEDED and run.params["result"]["rows"] == 5
    assert (run.done, run.total, run.progress) == (5, 5, 100)
    html = client.get(f"/runs/{run.pk}/").content.decode()
    assert "5 / 5" in html and "14 / 14" not in html
