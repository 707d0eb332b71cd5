"""The real-name ledger in a browser: "显示" reveals in place (htmx), a timeline event refreshes
the shown status, and on a phone the list's filters fold behind one "筛选" control."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(open_page: Any, live_server: Any, client: Any, user: Any, **size: Any) -> Any:
    client.force_login(user)
    page = open_page(**size)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def test_reveal_and_timeline_update_in_place(
    personas: Any, client: Any, live_server: Any, open_page: Any
) -> None:
    from chunnuan.audit.models import AuditEvent

    page = _signed_in(open_page, live_server, client, personas.township_a)
    worker = personas.worker_record
    page.goto(f"{live_server.url}/workers/{worker.pk}/")
    assert page.locator("#movement-status").inner_text() == "—"
    page.locator("dd:has-text('2207**********1238') button:has-text('显示')").click()
    page.wait_for_selector("text=220702199003151238")
    assert AuditEvent.objects.unscoped(reason="test").filter(action="reveal").count() == 1
    page.select_option("#id_kind", "returned")
    page.fill("#id_date", (dt.date.today() - dt.timedelta(days=3)).isoformat())
    page.locator("#timeline button[type=submit]").click()
    page.wait_for_selector("#movement-status:has-text('返乡')")
    assert "暂无动态" not in page.locator("#timeline").inner_text()


def test_list_filters_fold_on_a_phone(personas: Any, client: Any, live_server: Any, open_page: Any) -> None:
    page = _signed_in(open_page, live_server, client, personas.township_a, width=360, height=740, mobile=True)
    page.goto(f"{live_server.url}/workers/")
    assert not page.locator("#worker-filters").is_visible()
    first_row = page.locator("table tbody tr").first.bounding_box()
    assert first_row is not None and first_row["y"] < 600
    page.locator("label.filter-toggle-label").click()
    assert page.locator("#worker-filters").is_visible()
    wide = _signed_in(open_page, live_server, client, personas.township_a, width=1280, height=800)
    wide.goto(f"{live_server.url}/workers/")
    assert wide.locator("#worker-filters").is_visible()
    assert not wide.locator("label.filter-toggle-label").is_visible()
