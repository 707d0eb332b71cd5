from __future__ import annotations

import json

from django.test import Client


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_api_errors_have_one_shape(personas, client):
    client.force_login(personas.township_a)
    missing = client.get("/api/v1/workers/999999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found" and "未找到" in missing.json()["message"]
    bad = client.get("/api/v1/workers/not-a-number")
    assert bad.status_code == 422 and bad.json()["fields"]
    anonymous = Client().get("/api/v1/workers/")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"


def test_malformed_json_body_is_a_clear_error(personas, client):
    client.force_login(personas.admin)
    response = client.post("/api/v1/accounts/users", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert {"code", "message", "fields"} <= response.json().keys()


def test_session_api_writes_need_csrf(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.admin)
    body = {"username": "newbie", "kind": "officer", "role_codes": [], "region_codes": ["220702001000"]}
    response = client.post("/api/v1/accounts/users", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    from chunnuan.accounts.models import User

    assert not User.objects.filter(username="newbie").exists()


def test_oversized_request_is_refused_before_reading(client, db, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post("/accounts/login/", data="x" * 2000, content_type="text/plain")
    assert response.status_code == 413 and "过大" in response.content.decode()
    api = client.post("/api/v1/accounts/users", data="x" * 2000, content_type="application/json")
    assert api.status_code == 413 and api.json()["code"] == "too_large"


def test_pages_in_chinese_and_english(client, db):
    response = client.get("/accounts/login/")
    assert "工作人员登录" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Staff sign-in" in client.get("/accounts/login/").content.decode()


def test_unknown_page_is_a_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "未找到" in response.content.decode()


def test_openapi_and_docs_are_served_locally(client, personas):
    client.force_login(personas.township_a)  # not public: docs/security.md
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/workers/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_chinese_by_default_even_for_an_english_browser(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "工作人员登录" in page and 'lang="zh-CN"' in page
