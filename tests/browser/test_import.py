"""Import a ledger spreadsheet through the page as an officer: it runs in the background (the
size threshold is lowered), the progress bar finishes, and the rejected-rows workbook downloads."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Chunnuan@2026"


def _workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["宁江区农民工实名制台帐"])
    sheet.append(["姓名", "身份证号码", "联系电话", "乡镇（街道）"])
    sheet.append(["张三", "220702199003151238", "13800138000", "团结街道"])
    sheet.append(["李四", 2.20702e17, "13900139000", "团结"])  # an ID stored as a number
    sheet.append(["王五", "11010519491231002X", "13700137000", "文化"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def officer(transactional_db: None) -> Any:
    from chunnuan.accounts.services import roles_ensure_defaults
    from chunnuan.core.testing import make_regions, make_user

    make_regions()
    roles_ensure_defaults()
    return make_user("ningjiang", "bureau_officer", ["220702000000"])


def test_import_runs_in_background_and_report_downloads(
    officer: Any, live_server: Any, open_page: Any, settings: Any, tmp_path: Path, artifacts_dir: Path
) -> None:
    settings.CHUNNUAN_IMPORT_SYNC_MAX_BYTES = 100  # every upload runs as a background run
    upload = tmp_path / "台帐.xlsx"
    upload.write_bytes(_workbook())

    page = open_page(width=1280, height=900)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator('input[name="username"]').fill("ningjiang")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/runs/imports/new/")
    page.locator('select[name="kind"]').select_option("workers")
    page.locator('input[name="file"]').set_input_files(str(upload))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url(re.compile(r".*/runs/\d+/$"))

    bar = page.locator('#run-progress [role="progressbar"]')
    page.wait_for_function(
        "() => document.querySelector('#run-progress [role=progressbar]')"
        ".getAttribute('aria-valuenow') === '100'"
    )
    assert bar.get_attribute("aria-valuenow") == "100"
    body = page.locator("#run-progress").inner_text()
    assert "已完成" in body and "身份证号码被表格存成了数字" in body
    page.screenshot(path=str(artifacts_dir / "import-run.png"), full_page=True)

    with page.expect_download() as download_info:
        page.locator("#run-progress a.btn").click()
    download = download_info.value
    assert download.suggested_filename.endswith("_未导入的行.xlsx")
    saved = tmp_path / "report.xlsx"
    download.save_as(saved)

    from openpyxl import load_workbook

    rows = list(load_workbook(saved).worksheets[0].iter_rows(values_only=True))
    assert rows[0][-2:] == ("错误说明", "原行号") and rows[1][0] == "李四"


def test_run_page_log_stays_inside_a_phone_screen(officer: Any, live_server: Any, open_page: Any) -> None:
    """A long log line (a file name, an error) wraps or scrolls in its own box: the page is not
    wider than a 360 px phone (issue 8, defect 8: it was 685 px)."""
    from chunnuan.batch.choices import RunStatus
    from chunnuan.batch.models import Run

    long_line = (
        "[2026-12-04 10:00:00] 开始读取文件："
        + "宁江区团结街道农民工实名制台帐_2026年第四季度_" * 8
        + ".xlsx"
    )
    run = Run.objects.unscoped(reason="test").create(
        kind="import",
        title="导入农民工实名制台帐：台帐.xlsx",
        status=RunStatus.SUCCEEDED,
        progress=100,
        done=5,
        total=5,
        log=long_line + "\n" + "x" * 400 + "\n",
        created_by=officer,
        created_by_label=officer.username,
        region_code="220702000000",
    )
    page = open_page(width=360, height=740, mobile=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator('input[name="username"]').fill("ningjiang")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/runs/{run.pk}/")
    assert "5 / 5" in page.locator("#run-progress").inner_text()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the run page is {width} px wide on a 360 px screen"
