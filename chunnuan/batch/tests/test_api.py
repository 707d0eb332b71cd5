from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chunnuan.accounts.models import User
from chunnuan.batch.models import Run

pytestmark = pytest.mark.django_db


def _start(
    client: Client, capture: Any, kind: str = "test_count", params: dict[str, Any] | None = None
) -> Any:
    with capture(execute=True):
        return client.post(
            "/api/v1/runs/", {"kind": kind, "params": params or {"n": 3}}, content_type="application/json"
        )


def test_anonymous_gets_401(client: Client) -> None:
    assert (
        client.post("/api/v1/runs/", {"kind": "test_count"}, content_type="application/json").status_code
        == 401
    )


def test_start_get_and_download(
    client: Client, home_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(home_user)
    response = _start(client, django_capture_on_commit_callbacks)
    assert response.status_code == 201
    data = response.json()
    assert data["kind"] == "test_count" and data["status"] == "queued" and data["status_label"] == "排队中"
    assert data["download_url"] is None

    detail = client.get(f"/api/v1/runs/{data['id']}").json()  # the task ran after commit
    assert detail["id"] == data["id"] and detail["status"] == "succeeded" and "已完成" in detail["log_tail"]
    assert (detail["progress"], detail["done"], detail["total"]) == (100, 3, 3)
    assert detail["download_url"] == f"/api/v1/runs/{data['id']}/download"

    download = client.get(detail["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"3"

    listing = client.get("/api/v1/runs/").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == data["id"]


def test_unknown_kind_and_bad_params(
    client: Client, home_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(home_user)
    unknown = _start(client, django_capture_on_commit_callbacks, kind="nope")
    assert unknown.status_code == 400 and unknown.json()["fields"] == {"kind": ["未知的任务类型"]}
    bad = _start(
        client, django_capture_on_commit_callbacks, kind="audit_export", params={"date_from": "not a date"}
    )
    assert bad.status_code == 400 and "date_from" in bad.json()["fields"]
    assert not Run.objects.unscoped(reason="test").exists()


def test_permission_refused(client: Client, colleague: User, django_capture_on_commit_callbacks: Any) -> None:
    client.force_login(colleague)
    response = _start(client, django_capture_on_commit_callbacks, kind="audit_export", params={})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Run.objects.unscoped(reason="test").exists()


def test_other_region_404(
    client: Client, home_user: User, other_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(home_user)
    run_id = _start(client, django_capture_on_commit_callbacks).json()["id"]
    client.force_login(other_user)
    assert client.get(f"/api/v1/runs/{run_id}").status_code == 404
    assert client.get(f"/api/v1/runs/{run_id}/download").status_code == 404
    assert client.get("/api/v1/runs/").json()["count"] == 0
