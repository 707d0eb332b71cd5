"""Log in as a person would, on a PC and on a phone, and keep a screenshot of each home page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER_USERNAME = "songyuan_city"
OFFICER_REGION = "松原"
WORKER_PHONE = "13800138000"
DEMO_PASSWORD = "Chunnuan@2026"

# Six digits not inside a longer number (the message may also quote the phone number).
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def _home_url(live_server: Any) -> str:
    return live_server.url.rstrip("/") + "/"


def _is_home_get(live_server: Any) -> Any:
    home = _home_url(live_server)
    return lambda response: response.url == home and response.request.method == "GET"


def test_officer_password_login(
    demo_data: None, live_server: Any, open_page: Any, artifacts_dir: Path
) -> None:
    page = open_page(width=1280, height=800)
    page.goto(f"{live_server.url}/accounts/login/")

    page.locator('input[name="username"]').fill(OFFICER_USERNAME)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    with page.expect_response(_is_home_get(live_server)) as home:
        page.locator('form:has(input[name="password"]) [type="submit"]').click()

    assert home.value.status == 200
    page.wait_for_load_state("load")
    assert page.url == _home_url(live_server)
    assert OFFICER_REGION in page.locator("body").inner_text()
    page.screenshot(path=str(artifacts_dir / "officer-home.png"), full_page=True)


def test_worker_phone_code_login(
    demo_data: None, live_server: Any, open_page: Any, artifacts_dir: Path
) -> None:
    from chunnuan.notifications.models import OutboxMessage

    page = open_page(width=360, height=740, mobile=True)
    page.goto(f"{live_server.url}/accounts/phone/")

    page.locator('input[name="phone"]').fill(WORKER_PHONE)
    page.get_by_role("button", name="获取验证码").click()
    code_input = page.locator('input[name="code"]')
    code_input.wait_for(state="visible")

    body = OutboxMessage.objects.unscoped(reason="test reads the code").latest("id").body
    match = CODE_RE.search(body)
    assert match, f"no 6-digit code in the outbox message: {body!r}"

    code_input.fill(match.group(1))
    with page.expect_response(_is_home_get(live_server)) as home:
        page.get_by_role("button", name="登录", exact=True).click()

    assert home.value.status == 200
    page.wait_for_load_state("load")
    assert page.url == _home_url(live_server)
    assert page.locator('input[name="code"]').count() == 0
    page.screenshot(path=str(artifacts_dir / "worker-home.png"), full_page=True)
