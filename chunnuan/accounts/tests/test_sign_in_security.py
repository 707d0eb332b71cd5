"""Sign-in security (issue 9 defects 10 and 11): account-wide lock-out with an audited unlock,
throttled API tokens, the API document for signed-in users and clients only, and a multipart body
without a boundary. These run serially on SQLite and PostgreSQL; test_login_races.py runs the
counters with parallel requests."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from chunnuan.accounts.services import api_token_issue
from chunnuan.accounts.types import ApiTokenIn
from chunnuan.audit.models import AuditEvent
from chunnuan.core.testing import TEST_PASSWORD


def _audit(**filters):
    return AuditEvent.objects.unscoped(reason="test").filter(**filters)


def _wrong_password(address: str, username: str = "township_a"):
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": "wrong"})


# --- the account lock-out (defect 10) ----------------------------------------------------------


def test_a_new_address_gets_no_new_guesses_at_a_locked_account(personas, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _wrong_password(f"10.0.0.{i + 1}")  # each guess from another address
    fresh = Client(REMOTE_ADDR="10.9.9.9")
    locked = fresh.post("/accounts/login/", {"username": "township_a", "password": TEST_PASSWORD})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert "_auth_user_id" not in fresh.session
    # Other accounts, from the same addresses, are not affected.
    other = Client(REMOTE_ADDR="10.0.0.1").post(
        "/accounts/login/", {"username": "township_b", "password": TEST_PASSWORD}
    )
    assert other.status_code == 302


def test_failed_sign_ins_are_audited_in_the_accounts_region(personas, settings):
    _wrong_password("10.0.0.1")
    _wrong_password("10.0.0.2", username="nobody")
    event = _audit(action="login_failed", object_id=str(personas.township_a.pk)).get()
    assert event.ip == "10.0.0.1" and event.region_code == "220702001000" and event.note == "密码登录失败"
    assert "wrong" not in str(event.changes) + event.note  # the typed password is never kept
    assert _audit(action="login_failed", object_repr__contains="nobody").exists()
    for i in range(settings.AXES_FAILURE_LIMIT):
        _wrong_password(f"10.0.1.{i}")
    assert _audit(action="login_failed", note="密码登录失败，账号已锁定").exists()


def test_the_administrator_unlocks_the_account_and_that_is_audited(personas, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _wrong_password(f"10.0.0.{i + 1}")
    admin = Client()
    admin.force_login(personas.admin)
    page = admin.get(f"/accounts/users/{personas.township_a.pk}/").content.decode()
    assert "已锁定" in page and "解除登录锁定</button>" in page
    response = admin.post(f"/accounts/users/{personas.township_a.pk}/unlock/")
    assert response.status_code == 302
    event = _audit(action="update", object_id=str(personas.township_a.pk), note="解除登录锁定").get()
    assert event.actor_user_id == personas.admin.pk
    assert event.changes == {"login_failures": [settings.AXES_FAILURE_LIMIT, 0]}
    again = Client(REMOTE_ADDR="10.0.0.1").post(
        "/accounts/login/", {"username": "township_a", "password": TEST_PASSWORD}
    )
    assert again.status_code == 302
    assert (
        "解除登录锁定</button>"
        not in admin.get(f"/accounts/users/{personas.township_a.pk}/").content.decode()
    )


@pytest.mark.parametrize("who", ["elsewhere", "township_b"])
def test_only_an_administrator_in_reach_may_unlock(personas, settings, who):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _wrong_password(f"10.0.0.{i + 1}")
    client = Client()
    client.force_login(getattr(personas, who))
    assert client.post(f"/accounts/users/{personas.township_a.pk}/unlock/").status_code in (403, 404)
    locked = Client().post("/accounts/login/", {"username": "township_a", "password": TEST_PASSWORD})
    assert locked.status_code == 429  # still locked
    assert not _audit(note="解除登录锁定").exists()


# --- wrong API tokens (defect 10) ----------------------------------------------------------------


def test_wrong_tokens_are_throttled_per_address_and_logged(personas, settings, caplog):
    settings.API_TOKEN_FAILURES_PER_ADDRESS = 3
    _, raw = api_token_issue(
        actor=personas.actor("admin"), user_id=personas.integration.pk, data=ApiTokenIn(name="x")
    )
    scanner = Client(REMOTE_ADDR="10.1.1.1")
    with caplog.at_level(logging.WARNING, logger="chunnuan.security"):
        for i in range(3):
            refused = scanner.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer cn_guess{i}")
            assert refused.status_code == 401
        throttled = scanner.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer cn_guess9")
    assert throttled.status_code == 429
    body = throttled.json()
    assert body["code"] == "throttled" and "次数过多" in body["message"] and body["fields"] == {}
    assert len([r for r in caplog.records if "api token refused" in r.getMessage()]) == 4
    assert "cn_guess9" not in caplog.text  # only a short prefix is logged
    # The right token from that address is refused too until the window ends: a lucky guess is not told.
    assert scanner.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 429
    # Another address is not affected.
    client = Client(REMOTE_ADDR="10.2.2.2")
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    event = _audit(action="login_failed", object_type="accounts.ApiToken").get()  # once per window
    assert event.ip == "10.1.1.1" and "3 次" in event.note


def test_the_token_window_ends(personas, settings):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    settings.API_TOKEN_FAILURES_PER_ADDRESS = 1
    scanner = Client(REMOTE_ADDR="10.1.1.1")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        scanner.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer cn_a")
        assert scanner.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer cn_b").status_code == 429
        traveller.shift(dt.timedelta(seconds=settings.API_TOKEN_FAILURE_WINDOW_SECONDS + 1))
        assert scanner.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer cn_c").status_code == 401


# --- the API document (defect 11) ----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_api_document_is_not_public(db, url):
    anonymous = Client().get(url)
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "code": "unauthenticated",
        "message": "请先登录，或提供有效的接口令牌",
        "fields": {},
    }
    browser = Client().get(url, HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert browser.status_code == 302 and browser["Location"].startswith("/accounts/login/?next=")
    forged = Client().get(url, HTTP_AUTHORIZATION="Bearer cn_forged")
    assert forged.status_code == 401


@pytest.mark.parametrize("url", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_api_document_is_served_to_users_and_clients(personas, url):
    officer = Client()
    officer.force_login(personas.township_a)
    assert officer.get(url).status_code == 200
    _, raw = api_token_issue(
        actor=personas.actor("admin"), user_id=personas.integration.pk, data=ApiTokenIn(name="x")
    )
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


# --- a multipart body without a boundary (defect 11) -------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_multipart_without_a_boundary_is_a_chinese_400(personas, settings, debug):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    client.force_login(personas.county)
    response = client.post("/api/v1/runs/imports", data=b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_request" and "上传内容格式不正确" in body["message"]
    page = client.post("/runs/imports/new/", data=b"--x\r\n", content_type="multipart/form-data")
    assert page.status_code == 400


def test_the_admin_login_counts_and_audits_the_same_way(personas, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"10.0.0.{i + 1}").post(
            "/admin/login/", {"username": "township_a", "password": "wrong"}
        )
    assert (
        _audit(action="login_failed", object_id=str(personas.township_a.pk)).count()
        == settings.AXES_FAILURE_LIMIT
    )
    locked = Client().post("/accounts/login/", {"username": "township_a", "password": TEST_PASSWORD})
    assert locked.status_code == 429
