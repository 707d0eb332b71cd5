from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chunnuan.access.auth import actor_for_user
from chunnuan.accounts.models import User
from chunnuan.batch.choices import RunStatus
from chunnuan.batch.models import Run
from chunnuan.batch.services import run_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_run(home_user: User, django_capture_on_commit_callbacks: Any) -> Run:
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=actor_for_user(home_user), kind="test_count", params={"n": 2})
    return Run.objects.unscoped(reason="test").get(pk=run.pk)


@pytest.fixture
def queued_run(home_user: User) -> Run:
    return run_start(actor=actor_for_user(home_user), kind="test_count", params={"n": 2})


def test_url_names() -> None:
    assert reverse("batch:run_list") == "/runs/"
    assert reverse("batch:run_detail", args=[7]) == "/runs/7/"
    assert reverse("batch:run_progress", args=[7]) == "/runs/7/progress/"
    assert reverse("batch:run_download", args=[7]) == "/runs/7/download/"


def test_anonymous_is_sent_to_login(client: Client, finished_run: Run) -> None:
    for url in ("/runs/", f"/runs/{finished_run.pk}/", f"/runs/{finished_run.pk}/download/"):
        assert client.get(url).status_code == 302


def test_list_and_start_audit_export(
    client: Client, home_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(home_user)
    page = client.get("/runs/")
    assert page.status_code == 200 and "导出审计日志" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/runs/", {"date_from": "2025-01-01", "date_to": "2025-12-31", "action": ""})
    run = Run.objects.unscoped(reason="test").get()
    assert response.status_code == 302 and response["Location"] == f"/runs/{run.pk}/"
    assert run.kind == "audit_export" and run.params["date_from"] == "2025-01-01"
    assert run.status == RunStatus.SUCCEEDED


def test_start_form_errors(client: Client, home_user: User) -> None:
    client.force_login(home_user)
    response = client.post("/runs/", {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.content.decode()
    assert not Run.objects.unscoped(reason="test").exists()


def test_start_refused_without_audit_permission(client: Client, colleague: User) -> None:
    client.force_login(colleague)
    assert "导出审计日志" not in client.get("/runs/").content.decode()
    assert client.post("/runs/", {}).status_code == 403
    assert not Run.objects.unscoped(reason="test").exists()


def test_detail_polls_while_running(client: Client, home_user: User, queued_run: Run) -> None:
    client.force_login(home_user)
    html = client.get(f"/runs/{queued_run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and f'hx-get="/runs/{queued_run.pk}/progress/"' in html
    Run.objects.unscoped(reason="test").filter(pk=queued_run.pk).update(
        status=RunStatus.RUNNING, progress=40, done=2, total=5
    )
    partial = client.get(f"/runs/{queued_run.pk}/progress/").content.decode()
    assert "<html" not in partial
    assert '<div class="progress"' in partial and 'style="width: 40%"' in partial
    assert 'hx-trigger="every 1s"' in partial


def test_finished_partial_stops_polling_and_offers_download(
    client: Client, home_user: User, finished_run: Run
) -> None:
    client.force_login(home_user)
    partial = client.get(f"/runs/{finished_run.pk}/progress/").content.decode()
    assert "hx-trigger" not in partial and 'style="width: 100%"' in partial
    assert f"/runs/{finished_run.pk}/download/" in partial
    download = client.get(f"/runs/{finished_run.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"2"
    assert "attachment" in download["Content-Disposition"]


def test_other_region_gets_404(client: Client, other_user: User, finished_run: Run) -> None:
    client.force_login(other_user)
    for url in (
        f"/runs/{finished_run.pk}/",
        f"/runs/{finished_run.pk}/progress/",
        f"/runs/{finished_run.pk}/download/",
    ):
        assert client.get(url).status_code == 404
    listing = client.get("/runs/").content.decode()
    assert f'href="/runs/{finished_run.pk}/"' not in listing and "还没有后台任务" in listing


def test_download_of_unfinished_run_is_404(client: Client, home_user: User, queued_run: Run) -> None:
    client.force_login(home_user)
    assert client.get(f"/runs/{queued_run.pk}/download/").status_code == 404


def test_start_needs_a_date_range(client: Client, home_user: User) -> None:
    client.force_login(home_user)
    response = client.post("/runs/", {})
    assert response.status_code == 400
    assert not Run.objects.unscoped(reason="test").exists()


def test_runs_name_who_started_them_by_name_and_office(
    client: Client, home_user: User, finished_run: Run
) -> None:
    home_user.full_name = "李四"
    home_user.save(update_fields=["full_name"])
    client.force_login(home_user)
    for url in ("/runs/", f"/runs/{finished_run.pk}/"):
        html = client.get(url).content.decode()
        assert "李四（区220702人社局）" in html, url
        assert "<td>home</td>" not in html and "：home " not in html  # not the login name
    body = client.get("/api/v1/runs/").json()["items"][0]
    assert body["created_by"] == "home" and body["created_by_name"] == "李四（区220702人社局）"
    detail = client.get(f"/api/v1/runs/{finished_run.pk}").json()
    assert detail["created_by_name"] == "李四（区220702人社局）"
