"""One 春暖行动 base form walks up the chain in the browser: the employer's clerk confirms the
figures the roster proposes (correcting one with a reason) and submits; the township approves and
rolls up its summary; the county approves that and submits its own with a note on the missing
township; the city approves it and sees the employer's figures in the city summary."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Chunnuan@2026"


@pytest.fixture
def chain(transactional_db: None) -> Any:
    from chunnuan.access.actor import system_actor
    from chunnuan.core.testing import make_personas
    from chunnuan.employers.services import contract_sign, employment_add
    from chunnuan.employers.types import ContractIn, EmploymentIn
    from chunnuan.reporting.services import campaign_create
    from chunnuan.reporting.tests.conftest import campaign_data

    personas = make_personas()
    system = system_actor("tests")
    people = [("220702199003151238", "甲镇测试工人", True), ("11010519491231002X", "乙测试工人", False)]
    for id_number, name, signed in people:
        employment = employment_add(
            actor=system,
            employer_id=personas.employer.pk,
            data=EmploymentIn(
                id_number=id_number, name=name, start_date=dt.date(2025, 6, 1), is_insured=signed
            ),
        )
        if signed:
            contract_sign(
                actor=system,
                employment_id=employment.pk,
                data=ContractIn(
                    contract_type="fixed_term",
                    signed_date=dt.date(2025, 6, 1),
                    start_date=dt.date(2025, 6, 1),
                    end_date=dt.date(2028, 5, 31),
                ),
            )
    campaign_create(actor=personas.actor("city"), data=campaign_data())
    return personas


def _login(open_page: Any, live_server: Any, username: str) -> Any:
    page = open_page(width=1280, height=900)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _submit(page: Any) -> None:
    """上报 needs its confirmation box ticked (issue 8 defect 10)."""
    page.locator('input[name="confirm"]').check()
    page.get_by_role("button", name="上报").click()


def _status(page: Any) -> str:
    return page.locator("dl.facts").inner_text()


def test_base_form_from_clerk_to_city_summary(
    chain: Any, live_server: Any, open_page: Any, artifacts_dir: Path
) -> None:
    url = live_server.url
    # 1. the employer's clerk: figures proposed from the roster, one corrected with a reason
    page = _login(open_page, live_server, "clerk")
    page.goto(f"{url}/reports/fill/?form=CN_CONTRACT_BASE&period=CN2026")
    page.wait_for_url(re.compile(r".*/reports/submissions/\d+/$"))
    assert page.locator('input[name="on_roll"]').input_value() == "2"
    assert page.locator('input[name="signed"]').input_value() == "1"
    page.locator('input[name="on_post"]').fill("1")
    page.locator('input[name="migrant"]').fill("1")
    _submit(page)
    assert "与系统数" in page.locator("body").inner_text()  # a correction needs its reason
    page.locator('input[name="reason_on_post"]').fill("一人病休")
    page.locator('input[name="reason_migrant"]').fill("一人为城镇户籍")
    page.locator('input[name="filler_name"]').fill("张会计")
    page.locator('input[name="filler_phone"]').fill("13900001111")
    _submit(page)
    assert "已上报" in _status(page)
    base_url = page.url
    page.screenshot(path=str(artifacts_dir / "report-base-submitted.png"), full_page=True)

    # 2. the township approves it and rolls up its summary
    page = _login(open_page, live_server, "township_a")
    page.goto(base_url)
    page.get_by_role("button", name="审核通过").click()
    assert "已审核" in _status(page)
    page.goto(f"{url}/reports/fill/?form=CN_CONTRACT_SUMMARY&period=CN2026&region=220702001000")
    page.wait_for_url(re.compile(r".*/reports/submissions/\d+/$"))
    page.locator('input[name="filler_name"]').fill("李所长")
    _submit(page)
    assert "已上报" in _status(page)
    township_url = page.url

    # 3. the county approves the township and submits its own summary, noting the missing one
    page = _login(open_page, live_server, "county")
    page.goto(township_url)
    page.get_by_role("button", name="审核通过").click()
    assert "已审核" in _status(page)
    page.goto(f"{url}/reports/fill/?form=CN_CONTRACT_SUMMARY&period=CN2026&region=220702000000")
    page.wait_for_url(re.compile(r".*/reports/submissions/\d+/$"))
    assert "文化街道" in page.locator("body").inner_text()  # listed as not in
    page.locator('input[name="filler_name"]').fill("王科长")
    _submit(page)
    assert "缺报说明" in page.locator("body").inner_text()  # refused until the note is written
    page.locator('[name="missing_note"]').fill("文化街道辖区本期无在册企业")
    page.locator('input[name="filler_name"]').fill("王科长")
    _submit(page)
    assert "已上报" in _status(page)
    county_url = page.url

    # 4. the city approves the county and sees the employer's figures in its summary
    page = _login(open_page, live_server, "city")
    page.goto(county_url)
    page.get_by_role("button", name="审核通过").click()
    assert "已审核" in _status(page)
    page.goto(f"{url}/reports/fill/?form=CN_CONTRACT_SUMMARY&period=CN2026&region=220700000000")
    page.wait_for_url(re.compile(r".*/reports/submissions/\d+/$"))
    page.screenshot(path=str(artifacts_dir / "report-city-summary.png"), full_page=True)
    on_roll = page.locator("tr", has_text="在册职工人数").first.inner_text()
    assert "2" in on_roll
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    assert download_info.value.suggested_filename.endswith(".pdf")


def test_base_form_recomputes_its_computed_figures_as_the_clerk_types(
    chain: Any, live_server: Any, open_page: Any
) -> None:
    """未签 and 签订率 follow the typed figures in the page (issue 8 defect 10); unticked, 上报
    changes nothing."""
    page = _login(open_page, live_server, "clerk")
    page.goto(f"{live_server.url}/reports/fill/?form=CN_CONTRACT_BASE&period=CN2026")
    page.wait_for_url(re.compile(r".*/reports/submissions/\d+/$"))
    page.locator('input[name="due"]').fill("9")
    page.locator('input[name="signed"]').fill("7")
    assert page.locator('output[name="computed_not_signed"]').inner_text() == "2"
    assert page.locator('output[name="computed_rate"]').inner_text() == "78"
    page.locator('input[name="signed"]').fill("")
    assert page.locator('output[name="computed_rate"]').inner_text() == "—"
    page.get_by_role("button", name="上报").click()
    assert "确认上报" in page.locator("body").inner_text()
    assert "已上报" not in _status(page)


def _login_phone(open_page: Any, live_server: Any, username: str) -> Any:
    page = open_page(width=360, height=740, mobile=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_dashboard_and_base_form_fit_a_phone(
    chain: Any, live_server: Any, open_page: Any, artifacts_dir: Path
) -> None:
    """Issue 8 defect 8 at 360 px: the campaign select stays inside the screen, the 旬 trend keeps
    each period name on one line (its table scrolls in its own box) and the base form's reason box
    is wide enough to type in."""
    page = _login_phone(open_page, live_server, "city")
    page.goto(f"{live_server.url}/dashboards/campaigns/CN2026/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    right = page.evaluate("document.querySelector('#id_campaign').getBoundingClientRect().right")
    assert right <= 360, right
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.trend-table tbody td:first-child')].map(td => {
             const range = document.createRange(); range.selectNodeContents(td);
             return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })"""
    )
    assert lines and max(lines) == 1, lines
    page.screenshot(path=str(artifacts_dir / "dashboard-360.png"), full_page=True)

    page = _login_phone(open_page, live_server, "clerk")
    page.goto(f"{live_server.url}/reports/fill/?form=CN_CONTRACT_BASE&period=CN2026")
    page.wait_for_url(re.compile(r".*/reports/submissions/\d+/$"))
    width = page.evaluate(
        "document.querySelector('input[name=reason_on_post]').getBoundingClientRect().width"
    )
    assert width >= 150, width
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
