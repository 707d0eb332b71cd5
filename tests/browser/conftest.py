"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

Run with ``pytest -m browser tests/browser``; screenshots go to ``test-artifacts/`` (git-ignored).
Never downloads a browser: it launches ``/usr/bin/chromium`` (``apt-get install chromium``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Not a URL load: these never leave the browser.
LOCAL_SCHEMES = ("data:", "blob:", "about:")


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls.

    Set here (not at import time) so the flag only exists while browser tests run, and does not
    hide real async-safety bugs in the rest of the suite when this conftest is merely collected.
    """
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture(scope="session")
def chromium(_allow_sync_orm_beside_playwright: None) -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} not found (apt-get install chromium)"
        if os.environ.get("CHUNNUAN_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    """Regions of 吉林 (22) and 重庆 (50), then the demo users and records."""
    from django.core.management import call_command

    call_command("load_regions", province=["22", "50"])
    call_command("load_demo")


@pytest.fixture
def open_page(chromium: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """``open_page(width=…, height=…, mobile=…)`` → a Playwright page in a fresh context.

    Every request the page makes is recorded; after the test, each must have gone to the live
    server (no CDN, no font service, no telemetry).
    """
    contexts: list[Any] = []
    requested: list[str] = []

    def make(*, width: int = 1280, height: int = 800, mobile: bool = False) -> Any:
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            is_mobile=mobile,
            has_touch=mobile,
            locale="zh-CN",
            extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        )
        context.set_default_timeout(15_000)
        context.on("request", lambda request: requested.append(request.url))
        contexts.append(context)
        return context.new_page()

    yield make

    for context in contexts:
        context.close()
    base = live_server.url.rstrip("/") + "/"
    outside = [url for url in requested if not (url.startswith(base) or url.startswith(LOCAL_SCHEMES))]
    assert not outside, f"requests left the server {base}: {outside}"
